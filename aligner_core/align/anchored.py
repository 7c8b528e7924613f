"""Find the transcript in the audio first, then force-align only where it is.

A forced aligner must put every word somewhere: give it 20 s of untranscribed speech before the
transcript and it pulls the transcript onto it; give it a sentence nobody said and it squeezes
the sentence between its neighbours' words. So before aligning, the recogniser listens with a
language model of the transcript (:mod:`.recognise`), and the runs it hears word for word become
anchors (:mod:`.anchors`). Between two anchors lies a *gap*: transcript words the recogniser did
not confirm, and the audio between the anchors. Most gaps are ordinary (a word or two misheard);
their words and audio are about as long as each other and stay in one piece with the anchors
around them. A gap whose speech and words disagree by a sentence or more is cut out and handled on
its own:

* no words, speech: untranscribed (an intro, music, a sentence the transcript lacks);
* words and more speech than they need: listened to again with only the gap's words, and planned
  again inside with what that finds; else aligned inside the gap alone, through the long-form
  placement (however short the gap), which gives the words the speech regions that fit them and
  cuts the rest out; they cannot spill over the anchors.

Words with less speech than they need stay with their anchors: the aligner's confidence flags text
the audio lacks (and such a gap may just as well be an anchor put on the wrong copy of a repeated
phrase).

Every piece is then aligned by :func:`.longform.align_long` (so the neural aligners' windows are
placed by the anchors too). Speech that no word covers, 1.5 s or more of it, is reported as an
untranscribed span. Without anchors (a language the recogniser does not know, or too little of the
transcript heard: a fifth of its words at least must be in anchors) the whole window is aligned as
before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from ..document import Flag
from ..progress import Stage
from . import longform
from .anchors import AnchorParams, Island, find_islands
from .recognise import RecogniseParams, recognise, spoken_words
from .types import SAMPLE_RATE, WordTiming
from .vad import Vad

__all__ = ["AnchorSettings", "align_anchored", "untranscribed_spans"]

_ENGLISH = ("en", "eng", "english")


@dataclass(frozen=True)
class AnchorSettings:
    """Measured on the mismatch set of bench/mismatch.py (timit_dev, seeds 0 and 1)."""

    enabled: bool = True
    min_words: int = 3  # fewer transcript words: nothing to anchor
    min_coverage: float = 0.2  # anchors must hold this share of the transcript's words to be used
    gap_min_ms: float = 1500.0  # a gap with this much more speech than its words need ...
    gap_ratio: float = 1.6  # ... and this many times as much: cut out, its words aligned inside it
    edge_short_ms: float = 1500.0  # words this short before the first anchor are looked for right before it ...
    edge_pad_ms: float = 800.0  # ... within twice their length plus this
    gap_cut_speech_s: float = 0.6  # in such a gap, speech the placement leaves wordless is cut out from this long
    cut_search_ms: float = 300.0  # a cut goes at the quietest moment of the pause next to an anchor ...
    max_cut_shift_ms: float = 600.0  # ... looked for at most this far from the recogniser's word edge
    untranscribed_min_ms: float = 1500.0  # reported untranscribed speech is at least this long (a long pause with room noise is not)
    untranscribed_join_ms: float = 600.0  # uncovered stretches this close together are one span
    recognise: RecogniseParams = field(default_factory=RecogniseParams)
    # up to fine_max_s of audio, every frame is scored (about 4x the time, many more runs heard)
    recognise_fine: RecogniseParams = field(default_factory=lambda: RecogniseParams(ds=1, topn=4, beam=1e-48, wbeam=1e-20, maxhmmpf=10000))
    fine_max_s: float = 150.0
    # a gap is listened to again with only its own words (short audio: finer and wider search)
    recognise_again: RecogniseParams = field(default_factory=lambda: RecogniseParams(ds=2, topn=4, beam=1e-40, wbeam=1e-16, maxhmmpf=10000))
    max_depth: int = 2
    listen_min_words: int = 4  # gaps with at least this many words are listened to again
    anchors: AnchorParams = field(default_factory=AnchorParams)
    unheard_cap: float | None = 0.8  # words outside anchors the recogniser never heard, under this: doubtful
    heard_near_ms: float = 500.0


def english(language: str) -> bool:
    return (language or "").strip().lower().replace("_", "-").split("-")[0] in _ENGLISH


@dataclass
class _Piece:
    lo_ms: int
    hi_ms: int
    first: int  # tokens [first, last)
    last: int
    kind: str = "anchored"  # anchored | gap


def align_anchored(
    runner,
    audio: np.ndarray,
    words: Sequence[Sequence[str]],
    language: str,
    *,
    pause_cost: np.ndarray | None = None,
    params: longform.LongformParams | None = None,
    settings: AnchorSettings | None = None,
    progress=None,
    cancel=None,
    stats: longform.LongformStats | None = None,
) -> tuple[list[WordTiming], list[tuple[int, int]]]:
    """One timing per word (ms into ``audio``) and the untranscribed spans ``(start_ms, end_ms)``."""
    from ..progress import SubProgress

    s = settings or AnchorSettings()
    report = SubProgress(progress, interval=0.1)
    n = len(words)
    dur_ms = int(len(audio) * 1000 // SAMPLE_RATE)
    vad = None
    pieces: list[_Piece] | None = None
    if s.enabled and english(language) and n >= s.min_words and dur_ms >= 1000:
        report(0.0, Stage("stage_finding_transcript"))
        vad = Vad(audio)
        names, owner, phones = spoken_words(words)
        fine = dur_ms <= s.fine_max_s * 1000  # short recordings can afford the finer search
        heard = recognise(audio, names, phones, s.recognise_fine if fine else s.recognise, cancel, vad, report.sub(0.0, 0.1))
        islands = find_islands(names, heard, phones, s.anchors)
        if stats is not None:
            stats.anchors = len(islands)
        # a few short runs say little (a recogniser held to the transcript's words strings a few
        # of them together by chance now and then): without enough of the transcript heard, the
        # placement of :mod:`.longform` is safer than a plan built on them
        if islands and sum(i.last - i.first for i in islands) >= s.min_coverage * len(names):
            # (names, owner, heard and islands are kept for _doubt_unheard)
            pieces = _plan(islands, owner, words, n, dur_ms, vad, s, audio, cancel)
    if pieces is None:
        out = longform.align_long(runner, audio, words, language, pause_cost=pause_cost, params=params, progress=report.sub(0.1, 1.0), cancel=cancel, stats=stats)
    else:
        out = _align_pieces(runner, audio, words, language, pieces, pause_cost, params, report.sub(0.15, 1.0), cancel, stats, s)
        if s.unheard_cap is not None:
            out = _doubt_unheard(out, heard, names, owner, islands, s)
    if vad is None:
        vad = Vad(audio)
    return out, untranscribed_spans(vad, out, s)


def _doubt_unheard(out: list[WordTiming], heard, names, owner, islands, s: AnchorSettings) -> list[WordTiming]:
    """A word outside the anchors that the recogniser did not hear anywhere near where it was
    aligned, with only middling confidence, is as likely text the audio lacks as not: below the
    review threshold. (The forced aligner's own score says how well the sounds fit; a word laid
    over someone else's words often fits middling well.)"""
    from .confidence import LOW_CONFIDENCE

    times: dict[str, list[int]] = {}
    for h in heard:
        times.setdefault(h.word, []).append((h.start_ms + h.end_ms) // 2)
    anchored = np.zeros(len(out), bool)
    for isl in islands:
        t0, t1 = _token_range(isl, owner)
        anchored[t0:t1] = True
    mine: dict[int, list[str]] = {}
    for name, k in zip(names, owner):
        mine.setdefault(k, []).append(name)
    result = list(out)
    for i, t in enumerate(out):
        if anchored[i] or t.start is None or t.end is None or t.confidence >= s.unheard_cap or t.confidence < LOW_CONFIDENCE:
            continue
        lo, hi = t.start - s.heard_near_ms, t.end + s.heard_near_ms
        if any(any(lo <= x <= hi for x in times.get(w, ())) for w in mine.get(i, ())):
            continue
        result[i] = WordTiming(t.start, t.end, min(t.confidence, LOW_CONFIDENCE - 0.01), int(t.flags | Flag.LOW_CONFIDENCE), t.phones)
    return result


def _token_range(island: Island, owner: Sequence[int]) -> tuple[int, int]:
    """The tokens an island holds whole (a number's reading may be cut by the island's edge)."""
    a, b = island.first, island.last
    t0, t1 = owner[a], owner[b - 1] + 1
    if a > 0 and owner[a - 1] == t0:
        t0 += 1
    if b < len(owner) and owner[b] == t1 - 1:
        t1 -= 1
    return t0, max(t0, t1)


def _plan(islands: Sequence[Island], owner, words, n: int, dur_ms: int, vad: Vad, s: AnchorSettings, audio=None, cancel=None) -> list[_Piece]:
    weights = np.array([longform.word_weight(tuple(w)) for w in words])
    cw = np.concatenate([[0.0], np.cumsum(weights)])
    spans = [(_token_range(isl, owner), isl) for isl in islands]
    spans = [(r, isl) for r, isl in spans if r[1] > r[0]]
    if not spans:
        return [_Piece(0, dur_ms, 0, n)]
    held = sum(isl.end_ms - isl.start_ms for _, isl in spans)
    units = sum(cw[b] - cw[a] for (a, b), _ in spans)
    ms_per_unit = min(150.0, max(30.0, held / max(units, 1.0)))
    return _merge(_plan_range(spans, 0, dur_ms, 0, n, cw, ms_per_unit, vad, s, audio, words, cancel, 0))


def _plan_range(spans, lo_ms: int, hi_ms: int, first: int, last: int, cw, ms_per_unit: float, vad: Vad, s: AnchorSettings, audio, words, cancel, depth: int) -> list[_Piece]:
    """Pieces of tokens ``[first, last)`` over ``[lo_ms, hi_ms)``, given the islands inside it."""
    pieces: list[_Piece] = []
    cur_lo, cur_first = lo_ms, first
    # gaps: before the first island, between islands, after the last
    bounds = [((first, first), None)] + list(spans) + [((last, last), None)]
    for k in range(len(bounds) - 1):
        (_, a_tok), left = bounds[k]
        (b_tok, _), right = bounds[k + 1]
        g_lo = left.end_ms if left is not None else lo_ms
        g_hi = right.start_ms if right is not None else hi_ms
        g_hi = max(g_hi, g_lo)
        expected = (cw[b_tok] - cw[a_tok]) * ms_per_unit
        speech = vad.speech_ms(g_lo, g_hi)
        # more speech than words: audio the transcript lacks, cut out. (More words than speech is
        # left to the aligner, whose confidence flags text the audio lacks: declaring words absent
        # from the anchors alone would trust a wrongly placed anchor with a whole sentence.)
        odd = speech - expected >= s.gap_min_ms and speech / max(expected, 200.0) >= s.gap_ratio
        listen = b_tok - a_tok >= s.listen_min_words and depth < s.max_depth and audio is not None
        if not odd and not listen:
            continue  # an ordinary gap: stays with its anchors
        mid = (g_lo + g_hi) // 2  # each anchor's cut stays on its own half of the gap
        cut_a = _pause_after(vad, g_lo, mid if right is not None else g_hi, s) if left is not None else g_lo
        cut_b = _pause_before(vad, g_hi, max(cut_a, mid) if left is not None else cut_a, s) if right is not None else g_hi
        inner: list[_Piece] | None = None
        if listen:
            inner = _listen_again(cut_a, cut_b, a_tok, b_tok, cw, ms_per_unit, vad, s, audio, words, cancel, depth)
        if inner is None and not odd:
            continue
        if a_tok > cur_first:
            pieces.append(_Piece(cur_lo, cut_a, cur_first, a_tok))
        if inner is not None:
            pieces += inner
        elif b_tok > a_tok:
            lo, hi = cut_a, cut_b
            if expected <= s.edge_short_ms:  # a word or two before the first anchor (after the last)
                reach = int(2 * expected + s.edge_pad_ms)  # sit next to it: an intro comes before them
                if left is None and g_lo == 0:
                    lo = max(lo, hi - reach)
                if right is None and g_hi >= vad.duration_ms:
                    hi = min(hi, lo + reach)
            pieces.append(_Piece(lo, hi, a_tok, b_tok, "gap"))
        cur_lo, cur_first = cut_b, b_tok
    if cur_first < last:
        pieces.append(_Piece(cur_lo, hi_ms, cur_first, last))
    return [p for p in pieces if p.last > p.first]


def _merge(pieces: Sequence[_Piece]) -> list[_Piece]:
    """Anchored pieces that meet (in time and in words) are one piece again: a cut is only
    worth it next to a gap that is handled on its own."""
    out: list[_Piece] = []
    for p in pieces:
        q = out[-1] if out else None
        if q is not None and q.kind == p.kind == "anchored" and q.last == p.first and q.hi_ms == p.lo_ms:
            out[-1] = _Piece(q.lo_ms, p.hi_ms, q.first, p.last)
        else:
            out.append(p)
    return out


def _listen_again(lo: int, hi: int, a_tok: int, b_tok: int, cw, ms_per_unit, vad, s: AnchorSettings, audio, words, cancel, depth: int) -> list[_Piece] | None:
    """Listen to a gap again with only its own words (a narrower language model finds runs the
    first pass missed) and plan inside it with what is found; None when nothing is."""
    if hi - lo < 500:
        return None
    per_ms = SAMPLE_RATE // 1000
    names, owner, phones = spoken_words(words[a_tok:b_tok])
    heard = recognise(audio[lo * per_ms : hi * per_ms], names, phones, s.recognise_again, cancel)
    spans = []
    for isl in find_islands(names, heard, phones, s.anchors):
        t0, t1 = _token_range(isl, owner)
        if t1 > t0:
            spans.append(((a_tok + t0, a_tok + t1), replace(isl, start_ms=isl.start_ms + lo, end_ms=isl.end_ms + lo)))
    if not spans:
        return None
    return _plan_range(spans, lo, hi, a_tok, b_tok, cw, ms_per_unit, vad, s, audio, words, cancel, depth + 1)


def _pause_after(vad: Vad, t: int, ceil: int, s: AnchorSettings) -> int:
    """A cut after an anchor: in the first pause after ``t`` (the recogniser's word ends are rough)."""
    f, stop = vad.frame(t), vad.frame(min(ceil, t + s.max_cut_shift_ms))
    while f < stop and vad.speech[f]:
        f += 1
    if f >= stop:  # no pause near: the words run on, cut where it is quietest next to the anchor
        f = vad.frame(t)
    return min(ceil, vad.quietest(vad.ms(f), min(ceil, vad.ms(f) + s.cut_search_ms)))


def _pause_before(vad: Vad, t: int, floor: int, s: AnchorSettings) -> int:
    """A cut before an anchor: in the last pause before ``t``."""
    f, stop = vad.frame(t), vad.frame(max(floor, t - s.max_cut_shift_ms))
    while f > stop and vad.speech[f - 1]:
        f -= 1
    if f <= stop:
        f = vad.frame(t)
    return max(floor, vad.quietest(max(floor, vad.ms(f) - s.cut_search_ms), vad.ms(f)))


def _align_pieces(runner, audio, words, language, pieces: Sequence[_Piece], pause_cost, params, report, cancel, stats, s: AnchorSettings) -> list[WordTiming]:
    per_ms = SAMPLE_RATE // 1000
    out: list[WordTiming] = [WordTiming(None, None, 0.0, int(Flag.NOT_FOUND | Flag.LOW_CONFIDENCE)) for _ in words]
    total = sum(max(1, p.hi_ms - p.lo_ms) for p in pieces) or 1
    done = 0
    for p in pieces:
        if cancel is not None:
            cancel.raise_if_cancelled()
        share = max(1, p.hi_ms - p.lo_ms) / total
        sub = report.sub(done, done + share)
        done += share
        if p.hi_ms - p.lo_ms < 50:
            continue  # no audio at all: not found
        pc = None
        if pause_cost is not None:
            pc = np.array(pause_cost[p.first : p.last], dtype=np.float64)
            pc[0] = 0.0
        lp = params or longform.LongformParams()
        if p.kind == "gap":
            # more speech than words, in an order nobody knows: the long-form placement puts the
            # words on the speech regions that fit them and cuts the rest out, however short the gap
            lp = replace(lp, single_max_s=0.0, cut_untranscribed_s=s.gap_cut_speech_s)
        lo = p.lo_ms
        piece_stats = longform.LongformStats()
        timings = longform.align_long(runner, audio[p.lo_ms * per_ms : p.hi_ms * per_ms], words[p.first : p.last], language, pause_cost=pc, params=lp, progress=sub, cancel=cancel, stats=piece_stats)
        if stats is not None:
            stats.add(piece_stats)
        for i, t in zip(range(p.first, p.last), timings):
            if t.start is None or t.end is None:
                out[i] = t
            else:
                out[i] = replace(t, start=int(t.start) + lo, end=int(t.end) + lo)  # phones move along
    return out


def untranscribed_spans(vad: Vad, timings: Sequence[WordTiming], s: AnchorSettings | None = None) -> list[tuple[int, int]]:
    """Stretches of speech (or music: anything the detector hears as voiced, not as broadband
    noise) that no aligned word covers, at least ``untranscribed_min_ms`` long, in ms."""
    s = s or AnchorSettings()
    covered = np.zeros(vad.n_frames, bool)
    for t in timings:
        if t.start is not None and t.end is not None:
            covered[vad.frame(t.start) : vad.frame(t.end)] = True
    free = vad.speech & ~vad.noise & ~covered  # broadband noise (hiss, applause) is not untranscribed speech
    idx = np.flatnonzero(np.diff(np.concatenate([[0], free.astype(np.int8), [0]])))
    runs = list(zip(idx[::2], idx[1::2]))
    spans: list[list[int]] = []
    join = s.untranscribed_join_ms / vad.params.hop_ms
    for a, b in runs:
        if spans and a - spans[-1][1] <= join and not covered[spans[-1][1] : a].any():
            spans[-1][1] = b
        else:
            spans.append([a, b])
    min_frames = s.untranscribed_min_ms / vad.params.hop_ms
    return [(vad.ms(a), vad.ms(b)) for a, b in spans if b - a >= min_frames]
