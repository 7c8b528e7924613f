"""Qt-free lookups the timeline needs on every repaint: what is visible, what is under the mouse.

A 3-hour document has ~30,000 words; the timeline must find the few hundred in view without a
Python loop over all of them. :class:`TimeIndex` keeps the aligned words' times (and the cues'
effective times) in sorted numpy arrays, so a visible range is two ``searchsorted`` calls.
Aligned words never overlap, so both starts and ends are non-decreasing.

Kept free of Qt so the maths (snapping) is tested and reused without widgets. What a
boundary is and how far it may move is the core's (aligner_core.boundaries): this index only finds
the one under the mouse.
"""

from __future__ import annotations

import numpy as np

from aligner_core.boundaries import Boundary
from aligner_core.document import Document
from aligner_core.edits import Changed
from aligner_core.transcribe.events import is_sound_cue


class TimeIndex:
    def __init__(self) -> None:
        self.doc: Document | None = None
        self.token_ids = np.zeros(0, dtype=np.int64)
        self.starts = np.zeros(0, dtype=np.int64)
        self.ends = np.zeros(0, dtype=np.int64)
        self.cue_ids = np.zeros(0, dtype=np.int64)
        self.cue_starts = np.zeros(0, dtype=np.int64)
        self.cue_ends = np.zeros(0, dtype=np.int64)
        #: which of those cues are sound cues ("[music]"): kept so a whole-file view can draw
        #: them apart without scanning every cue's words on each repaint
        self.cue_sound = np.zeros(0, dtype=bool)
        #: words with nothing to draw between two boundaries, each at one time: zero-length words
        #: at their time, unaligned ones spread over the gap their aligned neighbours leave
        self.marker_ids = np.zeros(0, dtype=np.int64)
        self.marker_ms = np.zeros(0, dtype=np.int64)
        self._marked: set[int] = set()

    # -- building ----------------------------------------------------------------------------------
    def rebuild(self, doc: Document | None) -> None:
        self.doc = doc
        tokens = doc.tokens if doc is not None else []
        ids = [i for i, t in enumerate(tokens) if t.start is not None and t.end is not None]
        self.token_ids = np.array(ids, dtype=np.int64)
        self.starts = np.array([tokens[i].start for i in ids], dtype=np.int64)
        self.ends = np.array([tokens[i].end for i in ids], dtype=np.int64)
        self._rebuild_cues()
        self._rebuild_markers()

    def _rebuild_markers(self) -> None:
        doc = self.doc
        ids: list[int] = []
        times: list[int] = []
        if doc is not None and len(self.token_ids):  # before any alignment every word is unaligned
            zero = self.token_ids[self.starts == self.ends]
            tokens = doc.tokens
            unaligned = [i for i, t in enumerate(tokens) if t.start is None or t.end is None]
            runs: list[list[int]] = []
            for i in unaligned:
                if runs and runs[-1][-1] == i - 1:
                    runs[-1].append(i)
                else:
                    runs.append([i])
            marks = {int(i): int(tokens[i].start) for i in zero.tolist()}
            duration = _duration(doc) if doc.duration_ms is not None else None
            for run in runs:
                lo, hi = doc.time_bounds(run[0])
                if duration is None and run[-1] + 1 >= len(tokens):
                    hi = lo  # nothing after them to spread towards
                step = (hi - lo) / (len(run) + 1)
                for k, i in enumerate(run):
                    marks[i] = int(round(lo + step * (k + 1)))
            ids = sorted(marks, key=lambda i: (marks[i], i))
            times = [marks[i] for i in ids]
        self.marker_ids = np.array(ids, dtype=np.int64)
        self.marker_ms = np.array(times, dtype=np.int64)
        self._marked = set(ids)

    def _rebuild_cues(self) -> None:
        doc = self.doc
        ids, starts, ends, sound = [], [], [], []
        for c, cue in enumerate(doc.cues if doc is not None else []):
            s, e = doc.cue_times(cue)
            if s is not None and e is not None:
                ids.append(c)
                starts.append(s)
                ends.append(e)
                sound.append(is_sound_cue(doc, cue))
        self.cue_ids = np.array(ids, dtype=np.int64)
        self.cue_starts = np.array(starts, dtype=np.int64)
        self.cue_ends = np.array(ends, dtype=np.int64)
        self.cue_sound = np.array(sound, dtype=bool)

    def update(self, changed: Changed) -> bool:
        """Take in an edit's changes; ``True`` when only times of known items moved.

        Structural edits, or a word becoming aligned or unaligned, rebuild everything.
        """
        doc = self.doc
        if doc is None or changed.structural or len(changed.tokens) > 2000:
            self.rebuild(doc)  # a whole alignment: one vectorisable pass beats per-index updates
            return False
        markers = False
        n = len(doc.tokens)
        for i in changed.tokens:
            tok = doc.tokens[i]
            pos = int(np.searchsorted(self.token_ids, i))
            known = pos < len(self.token_ids) and self.token_ids[pos] == i
            if known != tok.aligned:
                self.rebuild(doc)
                return False
            if known:
                self.starts[pos], self.ends[pos] = tok.start, tok.end
            # a marked word, one becoming zero-length, or the edge of an unaligned run moved
            markers = markers or (
                i in self._marked or tok.start == tok.end
                or (i > 0 and doc.tokens[i - 1].start is None) or (i + 1 < n and doc.tokens[i + 1].start is None)
            )
        if markers:
            self._rebuild_markers()
        cues = set(changed.cues)
        if changed.tokens:
            # cue times follow their words when the cue has none of its own
            first = doc.cue_index_of(changed.tokens.start)
            last = doc.cue_index_of(changed.tokens.stop - 1)
            lo = first if first is not None else _first_cue_after(doc, changed.tokens.start)
            hi = last if last is not None else _first_cue_after(doc, changed.tokens.stop) - 1
            cues.update(range(lo, hi + 1))
        for c in sorted(cues):
            start, end = doc.cue_times(doc.cues[c])
            pos = int(np.searchsorted(self.cue_ids, c))
            known = pos < len(self.cue_ids) and self.cue_ids[pos] == c
            if known != (start is not None and end is not None):
                self._rebuild_cues()
                return False
            if known:
                self.cue_starts[pos], self.cue_ends[pos] = start, end
                self.cue_sound[pos] = is_sound_cue(doc, doc.cues[c])  # a retyped word may make it speech
        return True

    # -- queries -----------------------------------------------------------------------------------
    def visible_words(self, t0_ms: float, t1_ms: float) -> tuple[int, int]:
        """Positions ``a..b`` (exclusive) in the aligned arrays of words touching ``[t0, t1]``."""
        a = int(np.searchsorted(self.ends, t0_ms, side="left"))
        b = int(np.searchsorted(self.starts, t1_ms, side="right"))
        return a, max(a, b)

    def visible_cues(self, t0_ms: float, t1_ms: float) -> tuple[int, int]:
        a = int(np.searchsorted(self.cue_ends, t0_ms, side="left"))
        b = int(np.searchsorted(self.cue_starts, t1_ms, side="right"))
        return a, max(a, b)

    def word_at(self, ms: float) -> int | None:
        """Token index of the aligned word containing ``ms`` (or None)."""
        pos = int(np.searchsorted(self.starts, ms, side="right")) - 1
        if 0 <= pos < len(self.starts) and self.starts[pos] <= ms <= self.ends[pos]:
            return int(self.token_ids[pos])
        return None

    def cue_at(self, ms: float) -> int | None:
        pos = int(np.searchsorted(self.cue_starts, ms, side="right")) - 1
        if 0 <= pos < len(self.cue_starts) and self.cue_starts[pos] <= ms <= self.cue_ends[pos]:
            return int(self.cue_ids[pos])
        return None

    def visible_markers(self, t0_ms: float, t1_ms: float) -> tuple[int, int]:
        return int(np.searchsorted(self.marker_ms, t0_ms, side="left")), int(np.searchsorted(self.marker_ms, t1_ms, side="right"))

    def marker_at(self, ms: float, tolerance_ms: float) -> int | None:
        """Token index of the marked word (zero-length or unaligned) nearest ``ms``, within the tolerance."""
        a, b = self.visible_markers(ms - tolerance_ms, ms + tolerance_ms)
        if a >= b:
            return None
        k = a + int(np.argmin(np.abs(self.marker_ms[a:b] - ms)))
        return int(self.marker_ids[k])

    def word_boundary(self, ms: float, tolerance_ms: float) -> Boundary | None:
        """The word start or end nearest ``ms`` within ``tolerance_ms`` (its window: aligner_core.boundaries)."""
        if self.doc is None or not len(self.starts):
            return None
        lo_pos = max(0, int(np.searchsorted(self.ends, ms - tolerance_ms)) - 1)
        hi_pos = min(len(self.starts), int(np.searchsorted(self.starts, ms + tolerance_ms, side="right")) + 1)
        best = _nearest(self.starts, self.ends, lo_pos, hi_pos, ms, tolerance_ms)
        return None if best is None else Boundary("token", int(self.token_ids[best[0]]), best[1])

    def cue_edge(self, ms: float, tolerance_ms: float) -> Boundary | None:
        """The cue start or end nearest ``ms`` within ``tolerance_ms``."""
        if self.doc is None or not len(self.cue_starts):
            return None
        lo_pos = max(0, int(np.searchsorted(self.cue_ends, ms - tolerance_ms)) - 1)
        hi_pos = min(len(self.cue_starts), int(np.searchsorted(self.cue_starts, ms + tolerance_ms, side="right")) + 1)
        best = _nearest(self.cue_starts, self.cue_ends, lo_pos, hi_pos, ms, tolerance_ms)
        return None if best is None else Boundary("cue", int(self.cue_ids[best[0]]), best[1])

    def boundary_times(self, t0_ms: float, t1_ms: float) -> np.ndarray:
        """Every word start/end and cue edge inside ``[t0, t1]`` (snap targets, batched lines)."""
        a, b = self.visible_words(t0_ms, t1_ms)
        c, d = self.visible_cues(t0_ms, t1_ms)
        return np.concatenate((self.starts[a:b], self.ends[a:b], self.cue_starts[c:d], self.cue_ends[c:d]))


def _nearest(starts: np.ndarray, ends: np.ndarray, lo: int, hi: int, ms: float, tolerance_ms: float) -> tuple[int, str] | None:
    """(position, side) of the start or end in ``lo..hi`` nearest ``ms`` within the tolerance."""
    best: tuple[float, int, str] | None = None
    for pos in range(lo, hi):
        for side, t in (("start", starts[pos]), ("end", ends[pos])):
            d = abs(float(t) - ms)
            if d <= tolerance_ms and (best is None or d < best[0]):
                best = (d, pos, side)
    return None if best is None else (best[1], best[2])


def _first_cue_after(doc: Document, token_index: int) -> int:
    """Index of the first cue starting at or after ``token_index`` (len(cues) if none)."""
    lo, hi = 0, len(doc.cues)
    while lo < hi:
        mid = (lo + hi) // 2
        if doc.cues[mid].first < token_index:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _duration(doc: Document) -> int:
    return doc.duration_ms if doc.duration_ms is not None else 2**62


def snap(ms: float, candidates: np.ndarray, tolerance_ms: float) -> float:
    """``ms`` moved onto the nearest candidate within ``tolerance_ms`` (else unchanged)."""
    if len(candidates) == 0:
        return ms
    k = int(np.argmin(np.abs(candidates - ms)))
    return float(candidates[k]) if abs(float(candidates[k]) - ms) <= tolerance_ms else ms
