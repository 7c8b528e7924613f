"""Hypothesis strategies for documents: valid by construction, with unaligned gaps and cues."""

from __future__ import annotations

from hypothesis import strategies as st

from aligner_core.document import Break, Cue, Document, Flag, Token

WORDS = st.sampled_from(["and", "so,", "my", "fellow", "Americans,", "ask", "not.", "你", "好。", "1961", "don't", "(what", "“country”"])


@st.composite
def documents(draw, min_tokens: int = 0, max_tokens: int = 12, with_cues: bool = True) -> Document:
    n = draw(st.integers(min_tokens, max_tokens))
    t = draw(st.integers(0, 500))
    tokens = []
    for i in range(n):
        text = draw(WORDS)
        aligned = draw(st.booleans()) or draw(st.booleans())
        if aligned:
            t += draw(st.integers(0, 300))
            start = t
            t += draw(st.integers(0, 600))
            end = t
            conf = draw(st.floats(0, 1))
        else:
            start = end = None
            conf = None
        tokens.append(
            Token(
                text=text,
                units=(text.strip(",.()“”。").lower() or "x",),
                start=start,
                end=end,
                confidence=conf,
                flags=draw(st.sampled_from([0, int(Flag.LOW_CONFIDENCE), int(Flag.GUESSED_PRONUNCIATION)])),
                locked=draw(st.booleans()) if aligned else False,
                sep="" if text in ("你", "好。") else " ",
                brk=draw(st.sampled_from(list(Break))) if i else Break.NONE,
            )
        )
    duration = t + draw(st.integers(0, 1000))
    cues: list[Cue] = []
    if with_cues and n:
        i = 0
        while i < n:
            if draw(st.integers(0, 4)) == 0:  # leave a token outside every cue
                i += 1
                continue
            last = min(n - 1, i + draw(st.integers(0, 4)))
            size = last - i
            starts = tuple(sorted(set(draw(st.lists(st.integers(1, size), max_size=2))))) if size >= 1 else ()
            cues.append(Cue(i, last, None, None, starts))
            i = last + 1
    doc = Document(tokens, cues, duration, "en")
    assert not doc.problems(), doc.problems()
    return doc
