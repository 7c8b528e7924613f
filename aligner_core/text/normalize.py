"""The one normal form of transcript text: what decoding returns and what tokenizing starts from.

Kept apart because both :mod:`.encoding` (after decoding bytes) and :mod:`.tokenizer` (on text
that never was a file) need exactly the same rule.
"""

from __future__ import annotations

import re
import unicodedata

_NEWLINES_RE = re.compile("\r\n|[\r\x85\u2028]")
CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def normalize_text(text: str) -> str:
    """Newlines to "\\n" (CRLF, CR, NEL, U+2028; U+2029 becomes a blank line), BOMs and
    stray control characters removed, NFC composed."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = _NEWLINES_RE.sub("\n", text).replace("\u2029", "\n\n")
    text = CONTROL_RE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
