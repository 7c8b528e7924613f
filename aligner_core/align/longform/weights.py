"""What the transcript alone says about timing: how long each word should take to say, and how
likely a pause is before it. The placement, the chunk checks and the mending all judge the audio
against these expectations, so they live in one place."""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

import numpy as np

_VOWEL_GROUPS = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæåøáíóúãõ]+", re.IGNORECASE)


def _char_weight(ch: str) -> float:
    if ch.isdigit():
        return 4.0  # a digit is spoken as a word ("seven", "twenty")
    if ch.isalpha():
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF:
            return 2.5  # kana / hangul syllable
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return 3.5  # a CJK character is a syllable
        return 1.0
    return 0.0


def word_weight(units: Sequence[str]) -> float:
    """Expected spoken length of a token in "letter units" (about 60 ms each in English).

    Letters count one each, plus a little per vowel group (syllables take time of their own):
    on TIMIT's hand-segmented words this predicts a word's length within about 38 %, and a
    sentence's within about 13 %, which is all the placement needs.
    """
    total = 0.0
    for unit in units:
        total += sum(_char_weight(c) for c in unit)
        total += 0.6 * len(_VOWEL_GROUPS.findall(unit))
    return max(1.0, total)


def pause_costs(n: int, texts: Sequence[str] | None = None, breaks: Sequence[int] | None = None) -> np.ndarray:
    """Cost (nats) of a pause before each word, from the punctuation before it.

    Pauses fall at sentence ends and line breaks far more often than between the words of a
    phrase; that is most of what tells two equally long splits apart.
    """
    out = np.full(n, 1.6, dtype=np.float64)
    if n:
        out[0] = 0.0
    if texts is None:
        return out
    for i in range(1, n):
        prev = texts[i - 1].rstrip()
        if (breaks is not None and breaks[i]) or re.search(r"[.!?。！？…]['\"’”»)\]]*$", prev):
            out[i] = 0.0
        elif re.search(r"[,;:—–\-，、；：)\]\"”»]$", prev):
            out[i] = 0.7
    return out


def sentences(n: int, pause_cost: np.ndarray | None) -> list[tuple[int, int]]:
    """Runs of words between sentence ends / line breaks (the whole text when there are none)."""
    if n == 0:
        return []
    pc = np.full(n, 1.6) if pause_cost is None else np.asarray(pause_cost, dtype=np.float64)
    starts = [0] + [i for i in range(1, n) if pc[i] <= 0.0]
    return list(zip(starts, starts[1:] + [n]))


def phrases(n: int, pause_cost: np.ndarray | None) -> list[tuple[int, int]]:
    """Candidate runs of text: sentences/lines, and the comma-separated parts of each."""
    pc = np.full(n, 1.6) if pause_cost is None else np.asarray(pause_cost, dtype=np.float64)
    out: set[tuple[int, int]] = set()
    for a, b in sentences(n, pause_cost):
        out.add((a, b))
        cuts = [a] + [i for i in range(a + 1, b) if pc[i] < 1.0] + [b]
        out.update((x, y) for x, y in zip(cuts, cuts[1:]) if y > x)
    return sorted(out)
