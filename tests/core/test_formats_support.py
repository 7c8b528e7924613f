"""Shared helpers of the format tests: a stand-in tokenizer and random valid documents.

The stand-in follows ``text.tokenize``'s contract (surface text per token, ``sep``, ``brk``,
``units``, no times): whitespace separates words, each Han character is a token of its own
(with the punctuation after it), a newline gives ``Break.LINE``, a blank line
``Break.PARAGRAPH``. The generated documents use tokens it reproduces exactly, so loading
can be checked token by token without depending on the real tokenizer's choices.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.document import Break, Cue, Document, Token
from aligner_core.formats.common import is_spaceless

HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 300)] + ["你", "好", "們", "說", "「"]
CJK_PUNCT = ["，", "。", "！", "？", "、", "」"]
SPECIAL = list("<>&-{}\\\"'.,!?:;()[]«»—…/@#%*+=~^|`$") + ["-->", "&amp;", "<b>", "é", "ß", "ø", "Ω", "😀", "ﬁ", "a\u0301", "\\N", "{\\i1}", '""']


def _is_han(ch: str) -> bool:
    return is_spaceless(ch) and unicodedata.category(ch) == "Lo"


def fake_tokenize(text: str, language: str) -> list[Token]:  # noqa: ARG001
    tokens: list[Token] = []
    pending = Break.NONE
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if tokens:
                pending = Break.PARAGRAPH
            continue
        for w, word in enumerate(line.split()):
            pieces: list[str] = []
            for ch in word:
                if pieces and _is_han(ch):
                    pieces.append(ch)
                elif pieces:
                    pieces[-1] += ch
                else:
                    pieces.append(ch)
            for p, piece in enumerate(pieces):
                brk = pending if (w == 0 and p == 0 and tokens) else Break.NONE
                units = "".join(c.lower() for c in piece if c.isalnum())
                tokens.append(Token(piece, (units,) if units else (), sep="" if p else " ", brk=brk))
        pending = Break.LINE
    return tokens


def _latin_char() -> st.SearchStrategy[str]:
    plain = st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zs", "Zl", "Zp"),
    ).filter(lambda c: not is_spaceless(c) and not c.isspace())
    return st.one_of(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789"), st.sampled_from(SPECIAL), plain)


LATIN_WORD = st.lists(_latin_char(), min_size=1, max_size=4).map("".join).filter(lambda w: w and not any(c.isspace() for c in w))
CJK_WORD = st.tuples(st.sampled_from(HAN), st.sampled_from([""] * 3 + CJK_PUNCT)).map("".join)


@st.composite
def documents(draw, min_tokens: int = 1, max_tokens: int = 20, unaligned: bool = True, zero_length: bool = True, words: st.SearchStrategy[str] | None = None) -> Document:
    """A valid document whose cues cover all tokens, with times ordered and cue times valid."""
    n = draw(st.integers(min_tokens, max_tokens))
    word = words if words is not None else st.one_of(LATIN_WORD, LATIN_WORD, CJK_WORD)
    texts = [draw(word) for _ in range(n)]
    cursor = draw(st.integers(0, 4_000_000))
    tokens: list[Token] = []
    cues: list[Cue] = []
    i = 0
    while i < n:
        last = min(n - 1, i + draw(st.integers(0, 5)))
        cue_start = cursor + draw(st.integers(0, 3000))
        t = cue_start
        for k in range(i, last + 1):
            text = texts[k]
            sep = "" if k and _is_han(texts[k - 1][0]) and _is_han(text[0]) else " "
            if unaligned and draw(st.integers(0, 5)) == 0:
                s = e = None
            else:
                s = t + draw(st.integers(0, 400))
                e = s + (draw(st.sampled_from([0, 1, 2, 5, 10, 37, 120, 999, 1500])) if zero_length else draw(st.integers(1, 1500)))
                if not zero_length and e == s:
                    e += 1
                t = e
            conf = draw(st.one_of(st.none(), st.floats(0, 1, allow_nan=False)))
            tokens.append(Token(text, (text.lower(),), s, e, conf if s is not None else None, sep=sep))
        cue_end = max(t, cue_start) + draw(st.integers(0, 800))
        if cue_end <= cue_start:
            cue_end = cue_start + draw(st.integers(1, 50))
        size = last - i
        line_starts = tuple(sorted(set(draw(st.lists(st.integers(1, size), max_size=3))))) if size else ()
        cue = Cue(i, last, cue_start, cue_end, line_starts)
        probe = Document(tokens, [], None)
        for field_name in draw(st.sampled_from([(), ("start",), ("end",), ("start", "end")])):
            trial = Cue(cue.first, cue.last, None if field_name == "start" else cue.start, None if field_name == "end" else cue.end, cue.line_starts)
            s2, e2 = probe.cue_times(trial)
            if s2 is not None and e2 is not None and s2 < e2:
                cue = trial
        cues.append(cue)
        cursor = cue_end
        i = last + 1
    duration = draw(st.one_of(st.none(), st.integers(cursor, cursor + 5000)))
    doc = Document(tokens, cues, duration, draw(st.sampled_from(["en", "zh", "fr"])))
    assert not doc.problems(), doc.problems()
    return doc


def expected_cues(doc: Document) -> list[tuple[int, int, str]]:
    out = []
    for cue in doc.cues:
        s, e = doc.cue_times(cue)
        out.append((s, e, "\n".join(doc.cue_lines(cue))))
    return out


# -- the helpers themselves -------------------------------------------------------------------------


def test_fake_tokenizer_follows_the_contract():
    toks = fake_tokenize("Hello, world!\n你好。再見\n\nnext", "en")
    assert [t.text for t in toks] == ["Hello,", "world!", "你", "好。", "再", "見", "next"]
    assert [t.sep for t in toks] == [" ", " ", " ", "", "", "", " "]
    assert [t.brk for t in toks] == [Break.NONE, Break.NONE, Break.LINE, Break.NONE, Break.NONE, Break.NONE, Break.PARAGRAPH]
    assert all(t.start is None and t.end is None for t in toks)


def line_token_texts(doc: Document, cue: Cue) -> list[list[str]]:
    n = cue.last - cue.first + 1
    bounds = [0] + [o for o in cue.line_starts if 0 < o < n] + [n]
    return [[doc.tokens[cue.first + k].text for k in range(a, b)] for a, b in zip(bounds, bounds[1:]) if b > a]


@settings(max_examples=40, deadline=None)
@given(documents())
def test_generated_documents_tokenize_back_to_their_tokens(doc):
    for cue in doc.cues:
        lines = doc.cue_lines(cue)
        assert [[t.text for t in fake_tokenize(line, "en")] for line in lines] == line_token_texts(doc, cue)
        assert all(line == line.strip() and "\n" not in line for line in lines)
