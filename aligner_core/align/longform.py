"""Long recordings: plan chunks at pauses, place the words, align chunk by chunk, mend, stitch.

Any length, memory that does not grow with it (the 16 kHz samples, a few arrays per 10 ms
frame, and one chunk's audio at a time), and no drift: every chunk is aligned on its own, so an
error cannot carry over from one chunk to the next.

1. **Speech regions** (:mod:`.vad`): stretches of speech between pauses of at least 200 ms;
   broadband noise is marked. No region is longer than 15 s (long ones are split at their
   deepest dip).
2. **Word placement** (:func:`place_words`): a dynamic programme matches the transcript to the
   regions. Each word has an expected length from its letters (digits and CJK characters count
   as several); a region takes a run of consecutive words whose expected length fits its
   duration (log-normal error, tighter for longer runs), or none (noise, or speech the transcript
   lacks: a cost per second); runs of words may be left out (text the audio lacks: a cost per
   word). A pause is cheap where the text has a sentence end or a line break, which is what
   pins most splits down. The speaking rate is re-estimated and the programme run again. It is
   banded around its best state: O(regions x band), never the whole recording at once.
3. **Chunks** (:func:`plan_cuts`): every pause of at least ``hard_cut_s`` is a cut; longer
   stretches are cut again in their longest pauses, to about ``target_s``. A chunk gets the
   words the placement put in its regions, and its audio with long pauses, noise and long
   untranscribed speech cut out (a short pause stays; seams are faded).
4. **Alignment** of every chunk, independent of the others: in this process
   (:class:`SerialRunner`) or in worker processes (:class:`PoolRunner`, ``jobs``).
5. **Checks and mending.** A chunk whose words came out collapsed (too many per second of
   speech, many equal or zero-length times, many not found) is merged with its neighbours and
   redone with all its speech kept. A cut whose nearest words look wrong (not found, low
   confidence, crammed or stretched) is re-aligned by a *bridge*: a window from a pause well
   inside the left chunk to one well inside the right chunk, where both chunks' own words are
   trusted, so a word the placement put on the wrong side of the cut finds its place.
6. **Mismatch**: a cluster of doubtful words is re-aligned without each nearby phrase in turn;
   a phrase whose absence makes the rest fit clearly better is text the audio does not hold: its
   words come back not aligned, and its neighbours get their time back. Speech the transcript
   lacks is left to the aligner's silence/noise model, cut out when the placement finds a long
   wordless region, and words stretched over it are flagged low confidence.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterator, NamedTuple, Sequence

import numpy as np

from .confidence import DOUBTFUL
from .vad import Region

# -- expected word lengths -----------------------------------------------------------------------

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


# -- word placement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceParams:
    rel_sd_word: float = 0.4  # one word's length varies this much (relative) around its expectation
    rel_sd_rate: float = 0.3  # a speaker's local rate varies this much around the global one
    edge_sd_s: float = 0.12  # the detector's edges are this uncertain
    max_ratio: float = 2.8  # a region is at most this much longer or shorter than its words
    empty_speech_per_s: float = 1.5  # cost of speech that gets no words, per second
    empty_noise_per_s: float = 0.2  # ... of noise that gets no words
    noise_words: float = 2.0  # extra cost of giving words to a noise region
    skip_word: float = 2.5  # cost of leaving a word out of the audio ...
    skip_per_unit: float = 0.3  # ... plus this per letter unit
    band: int = 400  # states kept around the best one (words)
    beam: float = 80.0  # states this much worse than the best are dropped
    iterations: int = 2  # rate re-estimations
    rate_bounds: tuple[float, float] = (0.03, 0.15)  # seconds per letter unit: from fast to very slow speech


@dataclass
class Placement:
    """Which words each region holds: ``[first[j], last[j])`` (empty when equal)."""

    first: np.ndarray
    last: np.ndarray
    skipped: np.ndarray  # bool per word: the placement found no audio for it
    rate_s: float  # seconds per letter unit
    cost: float


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


def place_words(
    regions: Sequence[Region],
    weights: np.ndarray,
    pause_cost: np.ndarray | None = None,
    params: PlaceParams | None = None,
) -> Placement:
    """Assign consecutive runs of words to speech regions (see the module notes, step 2)."""
    p = params or PlaceParams()
    w = np.asarray(weights, dtype=np.float64)
    n = len(w)
    pc = np.zeros(n) if pause_cost is None else np.asarray(pause_cost, dtype=np.float64)
    speech_s = sum(r.duration_s for r in regions if not r.noise) or sum(r.duration_s for r in regions)
    lo_rate, hi_rate = p.rate_bounds
    rate = min(hi_rate, max(lo_rate, speech_s / max(1e-9, w.sum())))
    if n == 0 or not regions:
        rate = rate if n else 0.06
        return Placement(np.zeros(len(regions), np.int64), np.zeros(len(regions), np.int64), np.ones(n, bool), rate, 0.0)
    best: Placement | None = None
    for _ in range(max(1, p.iterations)):
        placement = _place_once(regions, w, pc, rate, p)
        best = placement
        used = placement.last > placement.first
        if not used.any():
            break
        cw = np.concatenate([[0.0], np.cumsum(w)])
        units = float(np.sum(cw[placement.last[used]] - cw[placement.first[used]]))
        dur = float(sum(r.duration_s for r, u in zip(regions, used) if u))
        new_rate = min(hi_rate, max(lo_rate, dur / max(1e-9, units)))
        if abs(new_rate - rate) < 0.01 * rate:
            break
        rate = new_rate
    assert best is not None
    return best


def _place_once(regions: Sequence[Region], w: np.ndarray, pc: np.ndarray, rate: float, p: PlaceParams) -> Placement:
    n = len(w)
    cw = np.concatenate([[0.0], np.cumsum(w)])
    skip_each = p.skip_word + p.skip_per_unit * w
    cs = np.concatenate([[0.0], np.cumsum(skip_each)])  # cumulative skip cost
    log_max = math.log(p.max_ratio)
    inf = np.inf

    lo = 0
    cost = np.zeros(1)  # states lo .. lo+len-1: words placed so far
    history: list[tuple[int, np.ndarray, int, np.ndarray]] = []  # per region: (skip lo, skip origin, lo, run length)

    def skip_stage(lo: int, cost: np.ndarray, reach: int) -> tuple[int, np.ndarray, np.ndarray]:
        """Leave runs of words out: new[i] = min_{i' <= i} cost[i'] + cs[i] - cs[i']."""
        hi = min(n, lo + len(cost) - 1 + reach)
        size = hi - lo + 1
        ext = np.full(size, inf)
        ext[: len(cost)] = cost
        idx = np.arange(lo, hi + 1)
        shifted = ext - cs[idx]
        run_min = np.minimum.accumulate(shifted)
        origin = _argmin_accumulate(shifted)
        return lo, run_min + cs[idx], origin + lo

    for region in regions:
        dur = max(0.03, region.duration_s)
        s_lo, s_cost, s_origin = skip_stage(lo, cost, 40)
        n_states = len(s_cost)
        empty = (p.empty_noise_per_s if region.noise else p.empty_speech_per_s) * dur
        # the most words that could fit: from the state whose next words are shortest
        states = np.arange(s_lo, s_lo + n_states)
        reach_units = dur * p.max_ratio / rate
        fits = np.searchsorted(cw, cw[states] + reach_units, side="right") - 1 - states
        k_max = int(min(n - s_lo, max(0, int(fits.max()))))
        # a (target state) x (run length) table: target t takes run k from state t - k
        targets = np.arange(s_lo, s_lo + n_states + k_max)
        ks = np.arange(0, k_max + 1)
        src = targets[:, None] - ks[None, :]
        valid = (src >= s_lo) & (src < s_lo + n_states)
        src_c = np.clip(src, s_lo, s_lo + n_states - 1)
        base = np.where(valid, s_cost[src_c - s_lo], inf)
        table = np.full(base.shape, inf)
        table[:, 0] = base[:, 0] + empty
        if k_max:
            kk = ks[None, 1:]
            i_src = src_c[:, 1:]
            expect = rate * (cw[np.minimum(i_src + kk, n)] - cw[i_src])
            ratio = np.log(dur / np.maximum(expect, 1e-6))
            var = (p.rel_sd_word**2) / kk + p.rel_sd_rate**2 + (p.edge_sd_s / np.maximum(expect, dur)) ** 2
            c = 0.5 * ratio * ratio / var + 0.5 * np.log(var) + pc[np.minimum(i_src, n - 1)] * (i_src > 0)
            if region.noise:
                c = c + p.noise_words
            c = np.where((np.abs(ratio) > log_max) | (i_src + kk > n), inf, c)
            table[:, 1:] = base[:, 1:] + c
        choice = np.argmin(table, axis=1).astype(np.int32)
        new = table[np.arange(len(targets)), choice]
        # keep a band around the best state, and only states inside the beam
        finite_new = np.isfinite(new)
        best = int(np.argmin(new))
        keep = finite_new & (new <= new[best] + p.beam)
        keep_idx = np.flatnonzero(keep)
        a = max(int(keep_idx[0]), best - p.band)
        b = min(int(keep_idx[-1]) + 1, best + p.band + 1)
        history.append((s_lo, s_origin, s_lo, choice))
        lo = s_lo + a
        cost = new[a:b].copy()
        cost[~keep[a:b]] = inf
    # the words after the last region: skipped
    final = cost + (cs[n] - cs[np.arange(lo, lo + len(cost))])
    end_state = lo + int(np.argmin(final))
    total_cost = float(np.min(final))

    # trace back
    r_count = len(regions)
    first = np.zeros(r_count, np.int64)
    last = np.zeros(r_count, np.int64)
    skipped = np.zeros(n, bool)
    skipped[end_state:] = True
    state = end_state
    for j in range(r_count - 1, -1, -1):
        s_lo, s_origin, c_lo, choice = history[j]
        k = int(choice[state - c_lo])
        first[j], last[j] = state - k, state
        state -= k
        origin = int(s_origin[state - s_lo])
        skipped[origin:state] = True
        state = origin
    skipped[:state] = True
    return Placement(first, last, skipped, rate, total_cost)


def _argmin_accumulate(x: np.ndarray) -> np.ndarray:
    """Index of the running minimum of ``x`` (first occurrence)."""
    idx = np.arange(len(x))
    mins = np.minimum.accumulate(x)
    is_new = np.concatenate([[True], x[1:] < mins[:-1]])
    pos = np.where(is_new, idx, 0)
    return np.maximum.accumulate(pos)


# -- chunks --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LongformParams:
    hard_cut_s: float = 2.0  # every pause this long is a cut (the safest place for one) ...
    target_s: float = 15.0  # ... and longer stretches are cut to chunks of about this much audio,
    min_chunk_s: float = 6.0  # in the longest pause between these bounds
    max_chunk_s: float = 40.0
    single_max_s: float = 30.0  # up to this long: one window, no planning
    max_pause_s: float = 0.8  # pauses longer than this are shortened in a chunk's audio ...
    keep_pause_s: float = 0.3  # ... to this much next to the speech on each side
    fade_ms: float = 10.0  # where pieces are joined, each side fades (no click at the seam)
    cut_untranscribed_s: float = 2.5  # speech the placement left wordless, longer than this, is cut out
    max_skip_run: int = 6  # runs of words the placement found no audio for, this long, are not sent
    edge_words: int = 2  # words each side of a cut that must look right ...
    edge_zone: int = 8  # ... and of these, at most one may look doubtful
    bridge_speech_s: float = 3.0  # ... else the cut is re-aligned with this much speech each side
    max_words_per_s: float = 6.0  # more words per second of speech: the chunk collapsed
    max_bad_share: float = 0.34  # more than this share of equal/zero/not-found words: collapsed
    min_bad_words: int = 4
    cluster_gap_words: int = 4  # doubtful words this close together form one cluster ...
    cluster_min_bad: int = 3  # ... and a cluster this big is checked for text the audio lacks
    repair_candidates: int = 4  # phrases tried (the ones nearest the doubtful words)
    max_uncovered_ms: float = 400.0  # leaving a phrase out may leave this much more speech wordless,
    uncovered_share: float = 0.5  # or this share of the phrase's expected length
    repair_gain: float = 0.5  # dropping a phrase must at least halve the other doubtful words ...
    min_healed: int = 3  # ... and heal at least this many
    min_phrase_words: int = 3
    max_repairs: int = 50
    max_merge_s: float = 60.0  # a collapsed chunk is merged with its neighbours up to this length
    collapse_rounds: int = 2
    crammed: float = 0.4  # a word shorter than this share of its expected length is crammed ...
    stretched: float = 4.0  # ... and one longer than this many times (plus 0.5 s) is stretched
    place: PlaceParams = field(default_factory=PlaceParams)


@dataclass
class Chunk:
    """One unit of work: the words ``[first, last)`` and the audio they are aligned to.

    ``lo_ms``/``hi_ms`` is the span of the recording the chunk covers; ``pieces`` are the
    ``(start_ms, end_ms)`` parts of it that are joined into the aligner's audio (long pauses
    shortened); ``words`` are the word indices sent (long runs the placement found no audio for
    are held back).
    """

    lo_ms: int
    hi_ms: int
    first: int
    last: int
    pieces: list[tuple[int, int]]
    words: list[int]

    @property
    def audio_ms(self) -> int:
        return sum(b - a for a, b in self.pieces)


def plan_cuts(regions: Sequence[Region], start_ms: int, end_ms: int, params: LongformParams, max_window_s: float, quietest) -> list[int]:
    """Inner cut times (ms) splitting ``[start_ms, end_ms]`` into chunks.

    Every long pause is a cut; a stretch still longer than about 1.5 x ``target_s`` is cut again
    in its longest pauses. ``quietest(a, b)`` gives the quietest time in a span (where to cut
    inside a pause, or in speech that has none).
    """
    p = params
    gaps = [(regions[j].end_ms, regions[j + 1].start_ms) for j in range(len(regions) - 1) if regions[j + 1].start_ms > regions[j].end_ms]
    if regions:
        gaps = [(start_ms, regions[0].start_ms)] + gaps + [(regions[-1].end_ms, end_ms)]
    hard = [int(quietest(g0, g1)) for g0, g1 in gaps if g1 - g0 >= p.hard_cut_s * 1000 and start_ms + 1000 < (g0 + g1) / 2 < end_ms - 1000]
    cuts: list[int] = []
    bounds = [start_ms] + hard + [end_ms]
    for a, b in zip(bounds, bounds[1:]):
        cuts += _cut_stretch(gaps, a, b, p, max_window_s, quietest)
        if b != end_ms:
            cuts.append(b)
    out: list[int] = []
    for c in cuts:  # strictly increasing, at least a second apart
        if (not out and c > start_ms + 500) or (out and c > out[-1] + 1000):
            out.append(c)
    return out


def _cut_stretch(gaps, pos: float, end_ms: float, p: LongformParams, max_window_s: float, quietest) -> list[int]:
    target = min(p.target_s, 0.5 * max_window_s) * 1000.0
    lo_len = min(p.min_chunk_s * 1000.0, 0.5 * target)
    hi_len = min(p.max_chunk_s * 1000.0, 0.8 * max_window_s * 1000.0)
    gap_ends = np.array([g[1] for g in gaps], dtype=np.float64)
    cuts: list[int] = []
    while end_ms - pos > 1.5 * target:
        a = int(np.searchsorted(gap_ends, pos + lo_len))
        best, best_score = None, -np.inf
        for g0, g1 in gaps[a:]:
            if g0 > pos + hi_len:
                break
            mid = 0.5 * (g0 + g1)
            if not (pos + lo_len <= mid <= min(pos + hi_len, end_ms - lo_len)):
                continue
            # a long pause is the safest cut; among similar ones, the one nearest the target
            score = min(g1 - g0, 2000.0) - 0.05 * abs(mid - (pos + target))
            if score > best_score:
                best, best_score = (g0, g1), score
        if best is None:  # no pause at all: the quietest moment near the target
            cut = int(quietest(pos + 0.8 * target, pos + 1.2 * target))
        else:
            cut = int(quietest(best[0], best[1]))
        cut = int(min(max(cut, pos + 1000), end_ms - 1000))
        if cut <= pos:
            break
        cuts.append(cut)
        pos = float(cut)
    return cuts


class _Plan:
    """What the chunks are built from: regions, the word placement, and the spans worth aligning."""

    def __init__(self, vad, placement: Placement, weights: np.ndarray, params: LongformParams):
        self.vad = vad
        self.regions = vad.regions
        self.placement = placement
        self.weights = weights
        self.params = params
        self.n_words = len(weights)
        used = placement.last > placement.first
        # speech spans the aligner must hear: every region given words, and speech regions the
        # placement left empty unless they are long (speech the transcript lacks)
        self.spans = [
            (r.start_ms, r.end_ms)
            for r, u in zip(self.regions, used)
            if u or (not r.noise and r.duration_s < params.cut_untranscribed_s)
        ]
        self.span_starts = np.array([s[0] for s in self.spans], dtype=np.float64)
        # for redoing a collapsed chunk: the placement may be what went wrong, so keep all speech
        self.all_spans = [(r.start_ms, r.end_ms) for r in self.regions if not r.noise]
        self.all_starts = np.array([s[0] for s in self.all_spans], dtype=np.float64)
        # long runs of words without audio are not sent to any aligner
        self.held_back = np.zeros(self.n_words, bool)
        skipped = placement.skipped
        i = 0
        while i < self.n_words:
            if skipped[i]:
                j = i
                while j < self.n_words and skipped[j]:
                    j += 1
                if j - i >= params.max_skip_run:
                    self.held_back[i:j] = True
                i = j
            else:
                i += 1

    def word_bounds(self, cuts: Sequence[int]) -> list[int]:
        """Word index where each chunk starts (and ``n`` at the end): the placement's split."""
        bounds = [0]
        running = 0
        j = 0
        regions = self.regions
        for cut in list(cuts) + [None]:
            while j < len(regions) and (cut is None or regions[j].start_ms < cut):
                if self.placement.last[j] > self.placement.first[j]:
                    running = max(running, int(self.placement.last[j]))
                j += 1
            bounds.append(running if cut is not None else self.n_words)
        for k in range(1, len(bounds)):
            bounds[k] = max(bounds[k], bounds[k - 1])
        return bounds

    def pieces(self, a: float, b: float, all_speech: bool = False) -> list[tuple[int, int]]:
        """``[a, b)`` with long stretches that hold no speech to align shortened.

        A stretch longer than ``max_pause_s`` (silence, noise, long speech the transcript lacks)
        keeps ``keep_pause_s`` next to the speech on each side; the rest is cut out. With
        ``all_speech`` every speech region stays, whatever the placement said."""
        p = self.params
        keep = p.keep_pause_s * 1000.0
        longest = p.max_pause_s * 1000.0
        all_spans, starts = (self.all_spans, self.all_starts) if all_speech else (self.spans, self.span_starts)
        j0 = max(0, int(np.searchsorted(starts, a, side="left")) - 1)
        spans = []
        for s0, s1 in all_spans[j0:]:
            if s0 >= b:
                break
            if s1 > a:
                spans.append((max(a, s0), min(b, s1)))
        if not spans:
            return [(int(a), int(b))]
        start = a if spans[0][0] - a <= longest else spans[0][0] - keep
        end = b if b - spans[-1][1] <= longest else spans[-1][1] + keep
        out: list[tuple[int, int]] = []
        cur = start
        for (_, s1), (t0, _) in zip(spans, spans[1:]):
            if t0 - s1 > longest:
                out.append((int(cur), int(s1 + keep)))
                cur = t0 - keep
        out.append((int(cur), int(end)))
        return [(x, y) for x, y in out if y > x] or [(int(a), int(b))]

    def chunk(self, lo: float, hi: float, first: int, last: int, all_speech: bool = False) -> Chunk:
        pieces = self.pieces(lo, hi, all_speech)
        words = [i for i in range(first, last) if not self.held_back[i]]
        return Chunk(int(lo), int(hi), first, last, pieces, words)


def chunk_audio(audio: np.ndarray, chunk: Chunk, sample_rate: int, fade_ms: float = 10.0) -> np.ndarray:
    """The chunk's pieces joined, each seam faded out and in (a step would sound like a click)."""
    per_ms = sample_rate / 1000.0
    parts = [np.asarray(audio[int(a * per_ms) : int(b * per_ms)], dtype=np.float32) for a, b in chunk.pieces]
    if len(parts) == 1:
        return np.ascontiguousarray(parts[0])
    out = np.concatenate(parts)
    fade = int(fade_ms * per_ms)
    if fade > 1:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        pos = 0
        for k, part in enumerate(parts):
            m = min(fade, len(part) // 2)
            if k > 0 and m:
                out[pos : pos + m] *= ramp[:m]
            if k < len(parts) - 1 and m:
                out[pos + len(part) - m : pos + len(part)] *= ramp[:m][::-1]
            pos += len(part)
    return out


def map_back(chunk: Chunk, timings: Sequence, flag_interpolated: int) -> list:
    """Chunk-audio times -> recording times, piece by piece."""
    from dataclasses import replace

    offsets = np.cumsum([0] + [b - a for a, b in chunk.pieces])
    starts = np.array([a for a, _ in chunk.pieces], dtype=np.int64)
    last = len(starts) - 1
    out = []
    for t in timings:
        if t.start is None or t.end is None:
            out.append(t)
            continue
        ks = int(np.clip(np.searchsorted(offsets, t.start, side="right") - 1, 0, last))
        ke = int(np.clip(np.searchsorted(offsets, t.end, side="left") - 1, 0, last))
        ke = max(ke, ks)
        s = int(starts[ks] + t.start - offsets[ks])
        e = int(starts[ke] + t.end - offsets[ke])
        flags = t.flags
        if ke != ks:  # the word straddles a cut-out pause: keep it in the piece holding most of it
            if offsets[ks + 1] - t.start >= t.end - offsets[ke]:
                e = int(starts[ks] + offsets[ks + 1] - offsets[ks])
            else:
                s = int(starts[ke])
            flags |= flag_interpolated
        out.append(replace(t, start=s, end=max(s, e), flags=int(flags)))
    return out


# -- running chunks ---------------------------------------------------------------------------------


class Task(NamedTuple):
    """One window to align. ``audio`` may be a function that makes the samples when the task
    runs, so a long recording's chunks are never all copied out at once."""

    key: object
    audio: "np.ndarray | Callable[[], np.ndarray]"
    words: list
    samples: int  # length of the audio, for progress

    def load(self) -> np.ndarray:
        return self.audio() if callable(self.audio) else self.audio


class SerialRunner:
    """Runs chunk tasks one after another in this process with one backend."""

    def __init__(self, backend):
        self.backend = backend
        self.max_window_s = float(getattr(backend, "max_window_s", 300.0) or 300.0)

    def run(self, tasks: Sequence[Task], language: str, progress, cancel) -> Iterator[tuple[object, list]]:
        total = sum(t.samples for t in tasks) or 1
        done = 0
        for task in tasks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            lo, hi = done / total, (done + task.samples) / total
            sub = (lambda f, s, lo=lo, hi=hi: progress(lo + (hi - lo) * f, s)) if progress else None
            result = self.backend.align_window(task.load(), task.words, language, progress=sub, cancel=cancel)
            done += task.samples
            if progress:
                progress(done / total, "Aligning words")
            yield task.key, result

    def close(self) -> None:
        pass


_WORKER_BACKEND = None


def _pool_init(spec: dict) -> None:
    global _WORKER_BACKEND
    from .registry import create_backend

    _WORKER_BACKEND = create_backend(**spec)


def _pool_align(args):
    key, audio, words, language = args
    return key, _WORKER_BACKEND.align_window(audio, words, language)  # type: ignore[union-attr]


class PoolRunner:
    """Runs chunk tasks in ``jobs`` worker processes, each with its own backend.

    Workers are started with ``spawn`` (safe next to threads and torch) and build their backend
    from ``spec`` (keyword arguments of :func:`aligner_core.align.registry.create_backend`). At
    most two tasks per worker are in flight (memory stays bounded); results come back in any
    order. Cancel terminates the pool at once: chunks in flight are dropped.
    """

    def __init__(self, spec: dict, jobs: int, max_window_s: float):
        self.spec = dict(spec)
        self.jobs = max(1, int(jobs))
        self.max_window_s = float(max_window_s)
        self._pool = None

    def _get_pool(self):
        if self._pool is None:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")
            self._pool = ctx.Pool(self.jobs, initializer=_pool_init, initargs=(self.spec,))
        return self._pool

    def run(self, tasks: Sequence[Task], language: str, progress, cancel) -> Iterator[tuple[object, list]]:
        import multiprocessing

        if not tasks:
            return
        pool = self._get_pool()
        total = sum(t.samples for t in tasks) or 1
        sizes = {t.key: t.samples for t in tasks}
        queue = list(tasks)
        pending: list = []
        done = 0
        try:
            while queue or pending:
                while queue and len(pending) < 2 * self.jobs:
                    t = queue.pop(0)
                    pending.append(pool.apply_async(_pool_align, ((t.key, t.load(), t.words, language),)))
                ready = next((r for r in pending if r.ready()), None)
                if ready is None:
                    if cancel is not None and cancel.cancelled:
                        self.close()
                        cancel.raise_if_cancelled()
                    try:
                        pending[0].wait(0.05)
                    except multiprocessing.TimeoutError:  # pragma: no cover - wait() does not raise
                        pass
                    continue
                pending.remove(ready)
                key, result = ready.get()
                done += sizes[key]
                if progress:
                    progress(done / total, "Aligning words")
                yield key, result
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


# -- the driver -------------------------------------------------------------------------------------


@dataclass
class LongformStats:
    chunks: int = 0
    aligned_audio_s: float = 0.0
    bridges: int = 0
    collapsed_redone: int = 0
    still_collapsed: int = 0
    held_back_words: int = 0
    dropped_phrases: int = 0
    plan_s: float = 0.0
    anchors: int = 0  # runs of the transcript the recogniser heard (see .anchored)
    untranscribed: list = field(default_factory=list)  # (start_ms, end_ms) of audio no word covers

    def add(self, other: "LongformStats") -> None:
        """Count another piece's work in (the pieces of one anchored alignment)."""
        for name in ("chunks", "aligned_audio_s", "bridges", "collapsed_redone", "still_collapsed", "held_back_words", "dropped_phrases", "plan_s"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def align_long(
    runner,
    audio: np.ndarray,
    words: Sequence[Sequence[str]],
    language: str,
    *,
    pause_cost: np.ndarray | None = None,
    params: LongformParams | None = None,
    sample_rate: int = 16000,
    progress=None,
    cancel=None,
    stats: LongformStats | None = None,
    vad_params=None,
) -> list:
    """Align ``words`` to ``audio`` of any length; one timing per word (ms into ``audio``).

    Short audio goes to the runner as one window; longer audio is planned into chunks, aligned,
    checked at every cut and for collapse, and mended where needed (see the module notes).
    """
    import time

    from ..document import Flag
    from ..progress import SubProgress
    from .types import WordTiming
    from .vad import Vad

    p = params or LongformParams()
    st = stats if stats is not None else LongformStats()
    report = SubProgress(progress, interval=0.1)
    n = len(words)
    dur_ms = int(len(audio) * 1000 // sample_rate)
    if n == 0:
        return []
    units = [w if isinstance(w, tuple) else tuple(w) for w in words]  # a SpokenWord keeps its text
    max_window_s = runner.max_window_s
    weights = np.array([word_weight(w) for w in units])
    if dur_ms <= min(p.single_max_s, max_window_s) * 1000:
        st.chunks, st.aligned_audio_s = 1, dur_ms / 1000.0
        window = np.asarray(audio, dtype=np.float32)
        ((_, result),) = runner.run([Task(0, window, units, len(window))], language, report.sub(0.0, 0.8), cancel)
        short: list = list(result)
        _repair_mismatch(short, weights, pause_cost, runner, audio, units, language, sample_rate, p, st, report.sub(0.8, 1.0), cancel)
        return _finish(short, np.zeros(n, np.int64), _Expect(short, weights), p, dur_ms)

    t0 = time.perf_counter()
    report(0.0, "Finding pauses")
    if cancel is not None:
        cancel.raise_if_cancelled()
    vad = Vad(audio, sample_rate, vad_params)
    if cancel is not None:
        cancel.raise_if_cancelled()
    report(0.02, "Placing words")
    placement = place_words(vad.regions, weights, pause_cost, p.place)
    plan = _Plan(vad, placement, weights, p)
    st.held_back_words = int(plan.held_back.sum())
    cuts = plan_cuts(vad.regions, 0, dur_ms, p, max_window_s, vad.quietest)
    wb = plan.word_bounds(cuts)
    bounds = [0] + cuts + [dur_ms]
    chunks = [plan.chunk(bounds[k], bounds[k + 1], wb[k], wb[k + 1]) for k in range(len(bounds) - 1)]
    st.plan_s = time.perf_counter() - t0

    out: list[WordTiming | None] = [None] * n
    extra_flags = np.zeros(n, np.int64)
    work = report.sub(0.04, 1.0)

    def run(batch: Sequence[Chunk], lo: float, hi: float) -> None:
        tasks = []
        for c in batch:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if not c.words:
                continue
            tasks.append(Task(len(tasks), functools.partial(chunk_audio, audio, c, sample_rate, p.fade_ms), [units[i] for i in c.words], int(c.audio_ms * sample_rate / 1000)))
            st.aligned_audio_s += c.audio_ms / 1000.0
        live = [c for c in batch if c.words]
        for key, timings in runner.run(tasks, language, work.sub(lo, hi), cancel):
            c = live[key]
            for i in range(c.first, c.last):
                out[i] = None
            for i, t in zip(c.words, map_back(c, timings, int(Flag.INTERPOLATED))):
                out[i] = t

    run(chunks, 0.0, 0.85)

    # 1. collapsed chunks: merge with their neighbours, keep all speech, and redo; a redo is
    #    kept only where it is better than what it replaces
    for round_ in range(p.collapse_rounds):
        bad = [k for k, c in enumerate(chunks) if _collapsed(c, out, vad, p)]
        if not bad:
            break
        groups: list[list[int]] = []
        for k in bad:
            lo_k, hi_k = max(0, k - 1), min(len(chunks) - 1, k + 1)
            while hi_k > lo_k and chunks[hi_k].hi_ms - chunks[lo_k].lo_ms > p.max_merge_s * 1000:
                if hi_k > k:
                    hi_k -= 1
                else:
                    lo_k += 1
            if groups and lo_k <= groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], hi_k)
            else:
                groups.append([lo_k, hi_k])
        fresh = [plan.chunk(chunks[a].lo_ms, chunks[b].hi_ms, chunks[a].first, chunks[b].last, all_speech=True) for a, b in groups]
        saved = [out[c.first : c.last] for c in fresh]
        expect = _Expect(out, weights)
        before = [sum(1 for i in range(c.first, c.last) if not _word_ok(i, out[i], expect, p)) for c in fresh]
        st.collapsed_redone += len(fresh)
        run(fresh, 0.85 + 0.05 * round_ / p.collapse_rounds, 0.85 + 0.05 * (round_ + 1) / p.collapse_rounds)
        new_chunks: list[Chunk] = []
        k = 0
        for (a, b), c, old, n_before in zip(groups, fresh, saved, before):
            new_chunks += chunks[k:a]
            n_after = sum(1 for i in range(c.first, c.last) if not _word_ok(i, out[i], expect, p))
            if n_after < n_before:
                new_chunks.append(c)
                extra_flags[c.first : c.last] |= int(Flag.COLLAPSED)
            else:  # the redo did no better: keep the chunks as they were
                out[c.first : c.last] = old
                new_chunks += chunks[a : b + 1]
            k = b + 1
        new_chunks += chunks[k:]
        if len(new_chunks) == len(chunks):
            break
        chunks = new_chunks
    for c in chunks:
        if _collapsed(c, out, vad, p):
            st.still_collapsed += 1
            extra_flags[c.first : c.last] |= int(Flag.COLLAPSED | Flag.LOW_CONFIDENCE)

    # 2. cuts whose edge words look wrong: re-align a bridge over the cut
    bridges: list[Chunk] = []
    expect = _Expect(out, weights)
    for k in range(len(chunks) - 1):
        if _suspect_cut(chunks[k], chunks[k + 1], out, plan, expect, p):
            bridge = _bridge(chunks[k], chunks[k + 1], out, plan, expect, vad, p)
            if bridges and bridge.lo_ms < bridges[-1].hi_ms:  # overlapping bridges: one bridge
                prev = bridges.pop()
                bridge = plan.chunk(prev.lo_ms, max(prev.hi_ms, bridge.hi_ms), prev.first, max(prev.last, bridge.last))
            bridges.append(bridge)
    if bridges:
        st.bridges = len(bridges)
        run(bridges, 0.9, 1.0)

    st.chunks = len(chunks)
    _repair_mismatch(out, weights, pause_cost, runner, audio, units, language, sample_rate, p, st, report.sub(0.97, 1.0), cancel, plan)
    return _finish(out, extra_flags, _Expect(out, weights), p, dur_ms)


def _finish(out: list, extra_flags: np.ndarray, expect: "_Expect", p: LongformParams, dur_ms: int) -> list:
    from ..document import Flag
    from .types import WordTiming

    final: list[WordTiming] = []
    for i, t in enumerate(out):
        flags = int(extra_flags[i])
        if t is None or t.start is None or t.end is None:
            final.append(WordTiming(None, None, 0.0, int((t.flags if t else 0) | flags | Flag.NOT_FOUND | Flag.LOW_CONFIDENCE)))
            continue
        if (t.end - t.start) > p.stretched * expect(i) + 500:
            flags |= int(Flag.LOW_CONFIDENCE)  # stretched over audio the transcript does not explain
        final.append(WordTiming(t.start, t.end, t.confidence, int(t.flags | flags)))
    return _ordered(final, dur_ms)


class _Expect:
    """Expected length (ms) of each word at the speaking rate its window shows."""

    def __init__(self, out: Sequence, weights: np.ndarray):
        self.weights = weights
        ratios = [(t.end - t.start) / weights[i] for i, t in enumerate(out) if _aligned(t) and t.end > t.start]
        self.ms_per_unit = float(np.median(ratios)) if len(ratios) >= 3 else 60.0

    def __call__(self, i: int) -> float:
        return self.ms_per_unit * float(self.weights[i])


def _sentences(n: int, pause_cost: np.ndarray | None) -> list[tuple[int, int]]:
    """Runs of words between sentence ends / line breaks (the whole text when there are none)."""
    if n == 0:
        return []
    pc = np.full(n, 1.6) if pause_cost is None else np.asarray(pause_cost, dtype=np.float64)
    starts = [0] + [i for i in range(1, n) if pc[i] <= 0.0]
    return list(zip(starts, starts[1:] + [n]))


def _phrases(n: int, pause_cost: np.ndarray | None) -> list[tuple[int, int]]:
    """Candidate runs of text: sentences/lines, and the comma-separated parts of each."""
    pc = np.full(n, 1.6) if pause_cost is None else np.asarray(pause_cost, dtype=np.float64)
    out: set[tuple[int, int]] = set()
    for a, b in _sentences(n, pause_cost):
        out.add((a, b))
        cuts = [a] + [i for i in range(a + 1, b) if pc[i] < 1.0] + [b]
        out.update((x, y) for x, y in zip(cuts, cuts[1:]) if y > x)
    return sorted(out)


def _repair_mismatch(out: list, weights, pause_cost, runner, audio, units, language, sample_rate, p: LongformParams, st, report, cancel, plan: "_Plan | None" = None) -> None:
    """Where words came out bad in a cluster, try leaving out one phrase of the transcript.

    Text the audio does not hold makes a forced aligner cram or stretch the words around it
    (it must put every word somewhere). Around a cluster of doubtful words (and one sentence
    either side), the text is re-aligned without each phrase in turn. A phrase is taken to be
    missing from the audio when leaving it out heals the *other* words (at least halves their
    doubtful ones) while every stretch of speech stays covered by some word (leaving out a
    phrase that is really there would leave its speech uncovered). Its words then come back not
    aligned, and its neighbours get back the time it had taken from them.
    """
    from ..document import Flag
    from .types import WordTiming
    from .vad import Vad

    n = len(out)
    expect = _Expect(out, weights)
    bad = [i for i in range(n) if not _word_ok(i, out[i], expect, p)]
    clusters: list[list[int]] = []
    for i in bad:
        if clusters and i - clusters[-1][-1] <= p.cluster_gap_words:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    # low confidence alone is common (a mumbled word, an unusual voice); text the audio lacks
    # also leaves words crammed, piled up or unplaceable, or a whole run of them doubtful
    clusters = [
        c
        for c in clusters
        if len(c) >= p.cluster_min_bad
        and (sum(1 for i in c if _misfit(i, out[i], expect, p)) >= 2 or (len(c) >= 5 and len(c) >= 0.6 * (c[-1] - c[0] + 1)))
    ]
    clusters = clusters[: p.max_repairs]
    sentences = _sentences(n, pause_cost)
    phrases = _phrases(n, pause_cost)
    sent_starts = [a for a, _ in sentences]
    per_ms = sample_rate / 1000.0
    dur_ms = int(len(audio) / per_ms)
    done_upto = 0
    for k, cluster in enumerate(clusters):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if cluster[0] < done_upto:
            continue
        s0 = max(0, int(np.searchsorted(sent_starts, cluster[0], side="right")) - 2)
        s1 = max(s0, int(np.searchsorted(sent_starts, cluster[-1], side="right")) - 1)
        i0, i1 = sentences[s0][0], sentences[s1][1]
        lo = _gap_time(out, i0, 0, dur_ms)
        hi = _gap_time(out, i1, 0, dur_ms)
        if hi - lo < 500 or (hi - lo) / 1000.0 > runner.max_window_s:
            continue
        window = list(range(i0, i1))
        # a word or two the aligner already leaves out itself; a phrase must be long enough that
        # leaving it out is not just a way to shed a badly fitting word
        near = [ph for ph in phrases if i0 <= ph[0] and ph[1] <= i1 and p.min_phrase_words <= ph[1] - ph[0] <= max(3, (i1 - i0) // 2)]
        bad_set = set(bad)
        # most doubtful phrases first: text the audio lacks fits nowhere, so most of its words are
        near.sort(key=lambda ph: -sum(1 for i in range(*ph) if i in bad_set) / (ph[1] - ph[0]))
        near = near[: p.repair_candidates]
        if not near:
            continue
        # the window as the chunks hear it (long pauses shortened) when there is a plan
        piece = plan.chunk(lo, hi, i0, i1) if plan is not None else Chunk(lo, hi, i0, i1, [(lo, hi)], window)
        clip = chunk_audio(audio, piece, sample_rate, p.fade_ms)
        vad = Vad(np.asarray(audio[int(lo * per_ms) : int(hi * per_ms)], dtype=np.float32), sample_rate)
        before = {i: _shift(out[i], -lo) for i in window}
        uncovered_before = _uncovered_ms(vad, before.values())
        tasks = []
        for a, b in near:
            kept = [i for i in window if not (a <= i < b)]
            if kept:
                tasks.append(Task((a, b), clip, [units[i] for i in kept], len(clip)))
        best = None
        for key, timings in runner.run(tasks, language, report.sub(k / len(clusters), (k + 1) / len(clusters)), cancel):
            a, b = key
            kept = [i for i in window if not (a <= i < b)]
            after = {i: _shift(t, -lo) for i, t in zip(kept, map_back(piece, timings, int(Flag.INTERPOLATED)))}
            bad_before = sum(1 for i in kept if not _word_ok(i, before[i], expect, p))
            bad_after = sum(1 for i in kept if not _word_ok(i, after[i], expect, p))
            if bad_before - bad_after < p.min_healed or bad_after > bad_before * p.repair_gain:
                continue
            allowed = max(p.max_uncovered_ms, p.uncovered_share * sum(expect(i) for i in range(a, b)))
            if _uncovered_ms(vad, after.values()) > uncovered_before + allowed:
                continue  # its speech is there (now wordless): the phrase is too
            score = bad_after + 0.25 * (b - a)  # of two equal fits, leave out less text
            if best is None or score < best[0]:
                best = (score, key, after)
        if best is None:
            continue
        _, (a, b), after = best
        for i, t in after.items():
            out[i] = _shift(t, lo)
        for i in range(a, b):
            out[i] = WordTiming(None, None, 0.0, int(Flag.NOT_FOUND | Flag.LOW_CONFIDENCE))
        st.dropped_phrases += 1
        done_upto = i1


def _gap_time(out, i: int, floor: int, ceil: int) -> int:
    """A time between word ``i - 1`` and word ``i`` (the middle of the pause between them)."""
    prev_end = next((out[j].end for j in range(i - 1, -1, -1) if _aligned(out[j])), floor)
    next_start = next((out[j].start for j in range(i, len(out)) if _aligned(out[j])), ceil)
    if next_start < prev_end:
        return int(prev_end)
    return int((prev_end + next_start) // 2)


def _uncovered_ms(vad, timings) -> float:
    """Speech (by the detector) that no aligned word covers, in ms."""
    covered = np.zeros(vad.n_frames, bool)
    for t in timings:
        if _aligned(t):
            covered[vad.frame(t.start) : vad.frame(t.end)] = True
    return float(np.sum(vad.speech & ~covered)) * vad.params.hop_ms


def _shift(t, offset_ms: float):
    from dataclasses import replace

    if t is None or t.start is None or t.end is None:
        return t
    return replace(t, start=int(t.start + offset_ms), end=int(t.end + offset_ms))


def _aligned(t) -> bool:
    return t is not None and t.start is not None and t.end is not None


def _word_ok(i: int, t, expect, p: LongformParams) -> bool:
    from ..document import Flag

    if not _aligned(t) or t.flags & (Flag.NOT_FOUND | Flag.ZERO_DURATION) or t.confidence < DOUBTFUL:
        return False
    dur = t.end - t.start
    expected = expect(i)
    return p.crammed * expected <= dur <= p.stretched * expected + 500


def _misfit(i: int, t, expect, p: LongformParams) -> bool:
    """Not placed, piled up, zero length, crammed or stretched: worse than low confidence."""
    from ..document import Flag

    if not _aligned(t) or t.flags & (Flag.NOT_FOUND | Flag.ZERO_DURATION | Flag.EQUAL_STARTS):
        return True
    dur = t.end - t.start
    return not (p.crammed * expect(i) <= dur <= p.stretched * expect(i) + 500)


def _suspect_cut(left: Chunk, right: Chunk, out, plan: _Plan, expect, p: LongformParams) -> bool:
    """Do the words next to the cut between two chunks look misplaced (or missing)?

    Either of the ``edge_words`` nearest the cut on each side is doubtful, or two of the
    ``edge_zone`` words on one side are: a word the placement put on the wrong side of the cut
    drags a few of its neighbours, not always the nearest one."""
    k, zone = p.edge_words, p.edge_zone
    near = list(range(max(left.first, left.last - k), left.last)) + list(range(right.first, min(right.last, right.first + k)))
    if any(not plan.held_back[i] and not _word_ok(i, out[i], expect, p) for i in near):
        return True
    for side in (range(max(left.first, left.last - zone), left.last), range(right.first, min(right.last, right.first + zone))):
        if sum(1 for i in side if not plan.held_back[i] and not _word_ok(i, out[i], expect, p)) >= 2:
            return True
    return False


def _bridge(left: Chunk, right: Chunk, out, plan: _Plan, expect, vad, p: LongformParams) -> Chunk:
    """A window over the cut between two chunks, from a pause well inside the left chunk to one
    well inside the right chunk: there the two chunks' own words are trusted."""
    cut = left.hi_ms
    need = p.bridge_speech_s * 1000.0
    # walk back through the left chunk to a gap between two good words with enough speech after it
    i0, lo = left.first, left.lo_ms
    best_gap = None
    for i in range(left.last - 1, left.first, -1):
        a, b = out[i - 1], out[i]
        if not (_word_ok(i - 1, a, expect, p) and _word_ok(i, b, expect, p)):
            continue
        if vad.speech_ms(b.start, cut) < need:
            continue
        gap = b.start - a.end
        if gap >= 150 or (best_gap is not None and vad.speech_ms(b.start, cut) > 2.5 * need):
            i0, lo = i, (a.end + b.start) // 2
            break
        if best_gap is None:
            best_gap = (i, (a.end + b.start) // 2)
    else:
        if best_gap is not None:
            i0, lo = best_gap
    i1, hi = right.last, right.hi_ms
    best_gap = None
    for i in range(right.first, right.last - 1):
        a, b = out[i], out[i + 1]
        if not (_word_ok(i, a, expect, p) and _word_ok(i + 1, b, expect, p)):
            continue
        if vad.speech_ms(cut, a.end) < need:
            continue
        gap = b.start - a.end
        if gap >= 150 or (best_gap is not None and vad.speech_ms(cut, a.end) > 2.5 * need):
            i1, hi = i + 1, (a.end + b.start) // 2
            break
        if best_gap is None:
            best_gap = (i + 1, (a.end + b.start) // 2)
    else:
        if best_gap is not None:
            i1, hi = best_gap
    return plan.chunk(lo, hi, i0, i1)


def _collapsed(chunk: Chunk, out, vad, p: LongformParams) -> bool:
    """Did the chunk's words come out collapsed (crammed, piled up, or not found)?"""
    from ..document import Flag

    own = [out[i] for i in chunk.words]
    if not own:
        return False
    bad_flags = int(Flag.NOT_FOUND | Flag.ZERO_DURATION | Flag.EQUAL_STARTS)
    bad = sum(1 for t in own if not _aligned(t) or t.flags & bad_flags)
    speech_s = vad.speech_ms(chunk.lo_ms, chunk.hi_ms) / 1000.0
    crowded = len(own) > p.max_words_per_s * max(speech_s, 1.0) + 3
    return crowded or (bad >= p.min_bad_words and bad > p.max_bad_share * len(own))


def _ordered(timings: list, dur_ms: int) -> list:
    """Clamp into the audio and make times monotonic across chunk seams."""
    from dataclasses import replace

    from ..document import Flag

    out = []
    floor = 0
    for t in timings:
        if t.start is None or t.end is None:
            out.append(t)
            continue
        s = min(max(int(t.start), floor, 0), dur_ms)
        e = min(max(int(t.end), s), dur_ms)
        flags = t.flags
        if (s, e) != (t.start, t.end):
            flags |= int(Flag.INTERPOLATED)
        out.append(replace(t, start=s, end=e, flags=int(flags)))
        floor = e
    return out
