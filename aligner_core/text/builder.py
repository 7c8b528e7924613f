"""The tokenizer's single pass: where each word starts and which word each punctuation mark joins.

Splitting rules, per script rather than strictly per language, because real transcripts mix:

* Space-delimited text splits at whitespace into words.  Punctuation never forms a token of
  its own: it stays attached to the word it touches, and a free-standing mark ("—", "«", "?")
  joins a neighbour (opening marks the next word, closing marks the previous one).  Em dashes
  and ellipses written between two words without spaces split them ("said—no").
* Han, kana and bopomofo give one token per character, in any language (Japanese uses nagisa
  when it is installed, whole words then).  Latin and digit runs inside such text ("我用iPhone
  15拍的") become single tokens; CJK punctuation attaches like any other punctuation.
* Hangul, like Latin, is space-delimited: Korean gives one token per eojeol.

``sep`` on each token is the whitespace that joined it to the previous one (" ", "" between CJK
characters, a kept no-break space); across a line break between two CJK characters it is ""
(Chinese does not put a space where a line was wrapped).  ``brk`` records a line break or a
blank line before the token as a hint for cue segmentation.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Sequence

from ..document import Break
from ..scripts import PER_CHAR, is_per_char
from .chars import CLUSTER_RE, CORE, DEPENDENT, DEPENDENT_RE, MARKS, PUNCT
from .japanese import segment
from .markup import TAG_CLOSE, TAG_OPEN

_CHUNK_RE = re.compile(r"(\s*)(\S+)")
_SIMPLE_RE = re.compile(rf"{PUNCT}*{CORE}{PUNCT}*")
# pieces of a chunk: a run of Han/kana characters, a word, a run of marks
_PIECE_RE = re.compile(rf"((?:[{PER_CHAR}][{DEPENDENT}{MARKS}]*)+)|({CORE})|({PUNCT}+)")
_ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_KEPT_SPACES = {"\u00a0", "\u202f", "\u2007", "\u3000"}  # typographic spaces worth keeping as sep

# what a punctuation mark between two words does: opens the next word, closes the previous one
_OPEN, _CLOSE, _AMBIG = 1, 2, 3
_AMBIGUOUS_PO = set("'*&/\\@#·・‧†‡•")
_OPENING_EXTRA = set("¿¡§¶" + TAG_OPEN)


@functools.lru_cache(maxsize=4096)
def _punct_kind(ch: str) -> int:
    if ch in _OPENING_EXTRA:
        return _OPEN
    if ch == TAG_CLOSE:
        return _CLOSE
    if ch in _AMBIGUOUS_PO:
        return _AMBIG
    cat = unicodedata.category(ch)
    if cat in ("Ps", "Pi", "Sc"):
        return _OPEN
    if cat in ("Pe", "Pf", "Po"):
        return _CLOSE
    if ch in "°℃℉":
        return _CLOSE
    return _AMBIG


def _split_index(kinds: Sequence[int]) -> int:
    """Where a punctuation run between two words splits: closers go back, openers forward."""
    for i, k in enumerate(kinds):
        if k == _OPEN:
            return i
    return len(kinds)


@functools.lru_cache(maxsize=4096)
def _cached_split_index(run: str) -> int:
    return _split_index([_punct_kind(ch) for ch in run])


def _ws_sep(ws: str) -> str:
    if len(ws) == 1 and ws in _KEPT_SPACES:
        return ws
    return " "


class Builder:
    """One pass over the text: words become tokens at once; punctuation standing alone waits in
    ``pending`` until the next word shows which neighbour it belongs to.

    Hot loops are written out inline: a 1 MB transcript is a few hundred thousand tokens.
    """

    def __init__(self, japanese_words: bool) -> None:
        self.texts: list[str] = []
        self.seps: list[str] = []
        self.brks: list[int] = []
        self.last_spaceless = False  # does the last word end in a Han/kana character?
        # free-standing punctuation since the last word: (text, sep or None, brk, split index)
        self.pending: list[tuple[str, str | None, int, int]] = []
        self.quotes = 0  # straight double quotes seen in this paragraph: odd means one is open
        self.japanese_words = japanese_words

    # -- scanning ------------------------------------------------------------------------------
    def feed(self, text: str) -> None:
        simple = _SIMPLE_RE.fullmatch
        texts, seps, brks = self.texts, self.seps, self.brks
        started = False
        for ws, chunk in _CHUNK_RE.findall(text):
            if not started:
                brk, sep = Break.NONE, None
                started = True
            elif "\n" in ws:
                if ws.count("\n") > 1:
                    brk = Break.PARAGRAPH
                    self.quotes = 0
                else:
                    brk = Break.LINE
                sep = None
            else:
                brk, sep = Break.NONE, (" " if ws == " " else _ws_sep(ws))
            if (chunk.isascii() and chunk.strip(_ASCII_PUNCT).isalnum()) or simple(chunk) is not None:
                if '"' in chunk:
                    self.quotes += chunk.count('"')
                if sep is not None and not self.pending:
                    texts.append(chunk)
                    seps.append(sep)
                    brks.append(brk)
                    self.last_spaceless = False
                else:
                    self.add_word(chunk, sep, brk, False)
                    self.last_spaceless = False
                continue
            self.complex_chunk(chunk, sep, brk)

    def complex_chunk(self, chunk: str, sep: str | None, brk: int) -> None:
        """A chunk (text between spaces) holding CJK characters, several words or only marks."""
        texts, seps, brks = self.texts, self.seps, self.brks
        words_here = 0
        prefix = ""
        split = 0
        for run, w, p in _PIECE_RE.findall(chunk):
            if p:
                split = self.split_index(p)
                if not words_here:
                    prefix += p  # before the chunk's first word: it opens that word
                else:  # between two words: closers go back, openers on
                    if split:
                        texts[-1] += p[:split]
                    prefix = p[split:]
                continue
            if w:
                cores = None
                first = prefix + w if prefix else w
            else:
                if self.japanese_words and len(run) > 1:
                    cores = segment(run) or CLUSTER_RE.findall(run)
                elif DEPENDENT_RE.search(run) is None:
                    cores = list(run)  # one token per character: the common case, kept fast
                else:
                    cores = CLUSTER_RE.findall(run)
                first = prefix + cores[0] if prefix else cores[0]
            if words_here:
                texts.append(first)
                seps.append("")
                brks.append(Break.NONE)
            else:
                self.add_word(first, sep, brk, not w)
            words_here += 1
            if cores is not None and len(cores) > 1:
                more = len(cores) - 1
                texts.extend(cores[1:])
                seps.extend([""] * more)
                brks.extend([Break.NONE] * more)
                words_here += more
            self.last_spaceless = not w
            prefix = ""
        if not words_here:  # only marks: one piece, placed once the next word shows up
            self.pending.append((chunk, sep, brk, split))
        elif prefix:  # an opening mark at the end of the chunk goes back to its last word
            texts[-1] += prefix

    def split_index(self, run: str) -> int:
        """Where a run of marks between two words splits (see :func:`_split_index`); straight
        double quotes open or close by turns, so they are counted here."""
        if '"' not in run:
            return _cached_split_index(run)
        kinds: list[int] = []
        for ch in run:
            if ch == '"':
                kinds.append(_OPEN if self.quotes % 2 == 0 else _CLOSE)
                self.quotes += 1
            else:
                kinds.append(_punct_kind(ch))
        return _split_index(kinds)

    # -- words and the punctuation before them ----------------------------------------------------
    def add_word(self, text: str, sep: str | None, brk: int, spaceless: bool) -> None:
        if sep is None:  # after a line break: "" only between two CJK characters
            sep = "" if (self.last_spaceless and spaceless) else " "
        if self.pending:
            text, sep, brk = self.place_pending(text, sep, brk, spaceless)
        self.texts.append(text)
        self.seps.append(sep)
        self.brks.append(brk)

    def place_pending(self, text: str, sep: str, brk: int, spaceless: bool) -> tuple[str, str, int]:
        """Give each waiting mark to the word before or to ``text``; returns the new word."""
        pending, self.pending = self.pending, []
        have_prev = bool(self.texts)
        # is there a line break between a mark and the next word?
        breaks_after: list[bool] = [False] * len(pending)
        seen = bool(brk)
        for k in range(len(pending) - 1, -1, -1):
            breaks_after[k] = seen
            seen = seen or bool(pending[k][2])
        forward = False
        crossed_before = False
        to_prev: list[str] = []
        to_next: list[tuple[str, str, int]] = []
        for k, (p_text, p_sep, p_brk, split) in enumerate(pending):
            if p_sep is None:
                p_sep = "" if (self.last_spaceless and spaceless) else " "
            crossed_before = crossed_before or bool(p_brk)
            crossed_after = breaks_after[k]
            if forward or not have_prev:
                go = 1
            elif crossed_before and not crossed_after:
                go = 1
            elif crossed_after and not crossed_before:
                go = -1
            elif split == 0:
                go = 1
            elif split < len(p_text):
                go = 0
            else:
                go = -1  # closing marks, and dashes or symbols standing between two words
            if go < 0:
                to_prev.append(p_sep)
                to_prev.append(p_text)
            elif go > 0:
                to_next.append((p_text, p_sep, p_brk))
                forward = True
            else:
                to_prev.append(p_sep)
                to_prev.append(p_text[:split])
                to_next.append((p_text[split:], "", Break.NONE))
                forward = True
        if to_prev:
            self.texts[-1] += "".join(to_prev)
        if to_next:
            parts = [to_next[0][0]]
            for p_text, p_sep, _ in to_next[1:]:
                parts.append(p_sep)
                parts.append(p_text)
            parts.append(sep)
            parts.append(text)
            return "".join(parts), to_next[0][1], to_next[0][2]
        return text, sep, brk

    def finish(self) -> tuple[list[str], list[str], list[int]]:
        if self.pending:
            if not self.texts:
                self.pending = []
                return [], [], []
            tail: list[str] = []
            for p_text, p_sep, _brk, _split in self.pending:
                tail.append(" " if p_sep is None else p_sep)
                tail.append(p_text)
            self.texts[-1] += "".join(tail)
            self.pending = []
        if self.texts:
            # the first token's separator is the one it would take after another token
            first_letter = next((c for c in self.texts[0] if c.isalnum()), "")
            self.seps[0] = "" if is_per_char(first_letter) else " "
        return self.texts, self.seps, self.brks
