"""Anchors: where the recogniser heard long runs of the transcript, word for word.

The recognised words (:mod:`.recognise`) are matched to the transcript's words: every run of
``seed`` words heard in a row that occurs exactly once in the transcript is a candidate (a phrase
the text repeats has several copies to be matched to, and the wrong one moves a whole stretch).
Of the chains of candidates in order in both, the one kept holds the most candidates less a cost
for every jump where time and text disagree (:func:`_best_chain`); each candidate is grown to the
whole run of agreeing words, and runs of at least ``min_words`` words (``min_phones`` sounds)
become :class:`Island`\\ s. A recogniser held to the transcript's words still says transcript
words over untranscribed speech or music, but rarely several in the transcript's order, and never
a chain of them that keeps time with the rest of the recording.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .recognise import Heard

__all__ = ["Island", "AnchorParams", "find_islands"]


@dataclass(frozen=True)
class AnchorParams:
    seed: int = 3  # words in a row that start a candidate match
    max_repeats: int = 1  # seeds are unique in the transcript: a repeated phrase is easily matched to the wrong copy
    ms_per_sound: float = 75.0  # a typical speaking rate, to judge jumps between seeds ...
    jump_tolerance: float = 0.35  # ... time and text may disagree by this share of the jump
    jump_slack_ms: float = 1000.0  # ... plus this
    jump_cost_per_s: float = 3.0  # beyond that, each second of disagreement costs this many seeds
    lookback: int = 400  # candidates a seed may follow (the chain is built left to right)
    min_words: int = 4
    min_phones: int = 9


@dataclass(frozen=True)
class Island:
    """Transcript words ``[first, last)`` (decoder-word positions) heard in ``[start_ms, end_ms)``."""

    first: int
    last: int
    start_ms: int
    end_ms: int
    heard: tuple[Heard, ...]


def find_islands(names: Sequence[str], heard: Sequence[Heard], phones: dict[str, tuple[str, ...]] | None = None, params: AnchorParams | None = None) -> list[Island]:
    """Runs of the transcript ``names`` the recogniser heard in order (see the module notes)."""
    p = params or AnchorParams()
    n, m = len(names), len(heard)
    k = p.seed
    if n < k or m < k:
        return []
    where: dict[tuple[str, ...], list[int]] = {}
    for i in range(n - k + 1):
        where.setdefault(tuple(names[i : i + k]), []).append(i)
    said = [h.word for h in heard]
    cj: list[int] = []
    ci: list[int] = []
    for j in range(m - k + 1):
        hits = where.get(tuple(said[j : j + k]))
        if hits and len(hits) <= p.max_repeats:
            cj += [j] * len(hits)
            ci += hits
    if not cj:
        return []
    chain = _best_chain(np.array(cj), np.array(ci), np.array([h.start_ms for h in heard], dtype=np.float64), _sounds_before(names, phones), p)
    # keep the chain strictly increasing in both (a heard position is used once)
    pairs: list[tuple[int, int]] = []
    for j, i in chain:
        if not pairs or (j > pairs[-1][0] and i > pairs[-1][1]):
            pairs.append((j, i))
    islands: list[Island] = []
    taken_j, taken_i = -1, -1
    if phones is None:
        phones = {}
    for j, i in pairs:
        if j <= taken_j or i <= taken_i:
            continue
        a_j, a_i = j, i
        while a_j - 1 > taken_j and a_i - 1 > taken_i and said[a_j - 1] == names[a_i - 1]:
            a_j, a_i = a_j - 1, a_i - 1
        b_j, b_i = j + k, i + k
        while b_j < m and b_i < n and said[b_j] == names[b_i]:
            b_j, b_i = b_j + 1, b_i + 1
        taken_j, taken_i = b_j - 1, b_i - 1
        words = b_i - a_i
        sounds = sum(len(phones.get(w, ("x x x",))[0].split()) for w in names[a_i:b_i])
        if words >= p.min_words and sounds >= p.min_phones:
            islands.append(Island(a_i, b_i, heard[a_j].start_ms, heard[b_j - 1].end_ms, tuple(heard[a_j:b_j])))
    return islands


def _sounds_before(names: Sequence[str], phones: dict[str, tuple[str, ...]] | None) -> np.ndarray:
    """Cumulative count of sounds (phones) before each transcript word: its expected time."""
    table = phones or {}
    counts = [len(table.get(w, ("x x x",))[0].split()) for w in names]
    return np.concatenate([[0.0], np.cumsum(counts, dtype=np.float64)])


def _best_chain(cj: np.ndarray, ci: np.ndarray, heard_ms: np.ndarray, sounds: np.ndarray, p: AnchorParams) -> list[tuple[int, int]]:
    """The chain of candidate seeds (heard j, transcript i), increasing in both, that holds the
    most seeds less a cost for every jump whose time and text disagree: a recogniser held to the
    transcript's words says a stray phrase of it now and then, far from where it belongs, and a
    repeated phrase has several copies to match; only a chain that also keeps time is right."""
    order = np.lexsort((ci, cj))
    cj, ci = cj[order], ci[order]
    c = len(cj)
    t = heard_ms[cj]
    x = sounds[ci] * p.ms_per_sound
    score = np.ones(c)
    back = np.full(c, -1, dtype=np.int64)
    for a in range(c):
        lo = max(0, a - p.lookback)
        if lo == a:
            continue
        prev = np.arange(lo, a)
        ok = (cj[prev] < cj[a]) & (ci[prev] < ci[a])
        if not ok.any():
            continue
        dt = t[a] - t[prev]
        dx = x[a] - x[prev]
        off = np.abs(dt - dx) - (p.jump_slack_ms + p.jump_tolerance * np.maximum(dt, dx))
        total = score[prev] + 1.0 - p.jump_cost_per_s * np.maximum(0.0, off) / 1000.0
        total = np.where(ok, total, -np.inf)
        best = int(np.argmax(total))
        if total[best] > score[a]:
            score[a] = total[best]
            back[a] = prev[best]
    out: list[tuple[int, int]] = []
    a = int(np.argmax(score))
    while a >= 0:
        out.append((int(cj[a]), int(ci[a])))
        a = int(back[a])
    out.reverse()
    return out
