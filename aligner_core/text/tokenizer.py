"""``tokenize``: a transcript's text to :class:`~aligner_core.document.Token` objects.

Puts the pieces together (normal form, markup hidden while :mod:`.builder` splits, labels
merged, units from :mod:`.units`) and makes the tokens fast enough for megabyte transcripts.
"""

from __future__ import annotations

import dataclasses
import gc
from typing import Callable

from ..document import Break, Token
from ..numbers import base_language
from .builder import Builder
from .japanese import load_segmenter
from .language import guess_language
from .markup import OPENER_RE, hide_markup, merge_labels, restore_markup
from .normalize import normalize_text
from .units import normalize_word


def tokenize(text: str, language: str) -> list[Token]:
    """Split a transcript into tokens with surface text, units, separators and break hints.

    ``language`` is a code such as "en", "zh-CN", "ja"; "" or "auto" guesses it from the text.
    Returns [] when the text has no letter or digit at all.
    """
    lang = base_language(language)
    if lang in ("", "auto", "und"):
        lang = guess_language(text)
    # Hundreds of thousands of small objects: the cyclic GC would rescan them over and over
    # (about a third of the time on a 1 MB line); none of them can form a cycle.
    pause_gc = len(text) > 50_000 and gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        builder = Builder(lang == "ja" and load_segmenter() is not None)
        plain, tags = hide_markup(normalize_text(text))
        builder.feed(plain)
        texts, seps, brks = builder.finish()
        if not texts:
            return []
        if tags:
            restore_markup(texts, tags)
        # labels need a bracket or a colon somewhere: plain prose skips the search
        silent = merge_labels(texts, seps, brks) if (":" in plain or OPENER_RE.search(plain)) else set()
        norm = normalize_word
        make = _new_token
        if not silent:
            return [make(t, norm(t, lang), s, b) for t, s, b in zip(texts, seps, brks)]
        return [make(t, () if k in silent else norm(t, lang), s, b) for k, (t, s, b) in enumerate(zip(texts, seps, brks))]
    finally:
        if pause_gc:
            gc.enable()


def _token_factory() -> Callable[[str, tuple[str, ...], str, int], Token]:
    """A fresh, unaligned Token, four times faster than the frozen dataclass's ``__init__``
    (which sets nine fields one ``object.__setattr__`` at a time): it fills the instance
    dict directly. Used only while Token is a plain dataclass with exactly these fields and
    the result is indistinguishable from a constructed one; otherwise the constructor."""

    def construct(text: str, units: tuple[str, ...], sep: str, brk: int) -> Token:
        return Token(text, units, None, None, None, 0, False, sep, brk)

    expected = ["text", "units", "start", "end", "confidence", "flags", "locked", "sep", "brk", "phones"]
    if (
        [f.name for f in dataclasses.fields(Token)] != expected
        or "__slots__" in Token.__dict__
        or (hasattr(Token, "__post_init__") and not getattr(Token, "POST_INIT_ONLY_FOR_PHONES", False))
    ):
        return construct
    new = object.__new__
    defaults = {"start": None, "end": None, "confidence": None, "flags": 0, "locked": False, "phones": ()}

    def fast(text: str, units: tuple[str, ...], sep: str, brk: int) -> Token:
        tok = new(Token)
        d = tok.__dict__
        d["text"] = text
        d["units"] = units
        d.update(defaults)
        d["sep"] = sep
        d["brk"] = brk
        return tok

    probe, reference = fast("a", ("a",), "", Break.LINE), construct("a", ("a",), "", Break.LINE)
    if probe != reference or repr(probe) != repr(reference) or hash(probe) != hash(reference):
        return construct
    return fast


_new_token = _token_factory()
