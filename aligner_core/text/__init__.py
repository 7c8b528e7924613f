"""Transcript text: reading files in any common encoding, splitting text into tokens.

Two layers (see DESIGN.md): a :class:`~aligner_core.document.Token`'s ``text`` is exactly
what the user wrote, punctuation included ("Americans,", "“你", "(hello"); its ``units`` are
what an aligner sees (lower case, no punctuation, digits kept: "americans", "你", "hello").

One module per job, so each can be read (and changed) on its own:

* :mod:`.reading`: the only way a transcript or subtitle file is opened (regular files only,
  size-capped); :mod:`.errors`: the :class:`TranscriptError` every refusal raises.
* :mod:`.encoding`: bytes to text in whatever encoding they were saved in, judged by
  :mod:`.plausibility` (with the :mod:`.common_han` table); :mod:`.normalize`: newlines, BOMs,
  control characters, NFC.
* :mod:`.language`: the core's one language guesser.
* :mod:`.markup`: text shown but never spoken (formatting tags, sound and speaker labels).
* :mod:`.units`: aligner units of a surface text; :mod:`.tokenizer` (with :mod:`.builder`, the
  splitting rules, :mod:`.chars`, and :mod:`.japanese`, the optional word segmenter): text to
  tokens.

This package exports the names the rest of the project imports; anything else lives in its
module and is imported from there.
"""

from __future__ import annotations

from ..scripts import SPACELESS_LANGUAGES
from ..scripts import is_cjk_letter as is_cjk_char  # the name this module has always had
from ..scripts import is_per_char as is_spaceless_char  # the name this module has always had
from .encoding import decode_transcript_bytes
from .errors import TranscriptError
from .language import guess_language
from .markup import MARKUP_RE, is_sound_label, is_speech, strip_markup
from .normalize import normalize_text
from .reading import read_transcript, read_transcript_bytes
from .tokenizer import tokenize
from .units import normalize_word, token_spoken_units

__all__ = [
    "TranscriptError",
    "SPACELESS_LANGUAGES",
    "read_transcript",
    "read_transcript_bytes",
    "decode_transcript_bytes",
    "normalize_text",
    "tokenize",
    "normalize_word",
    "token_spoken_units",
    "guess_language",
    "is_cjk_char",
    "is_speech",
    "is_sound_label",
    "strip_markup",
    "MARKUP_RE",
    "is_spaceless_char",
]
