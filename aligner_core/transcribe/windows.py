"""Where long audio is cut for a recogniser: speech regions, and fixed windows over loud non-speech.

Recognisers decode a window at a time (SenseVoice and Qwen3-ASR were trained on utterances of
seconds to tens of seconds, and their memory grows with the window), so a recording is planned
as windows first: the speech regions of the energy detector (:class:`~aligner_core.align.vad.Vad`),
joined up to ``max_s`` across short pauses. A speech detector drops music and applause, which a
recogniser that tags sound events should hear, so loud stretches between speech windows get
fixed windows of their own (``speech=False``). Planning keeps only frame features (a few MB for
three hours), so memory stays flat; the samples are sliced, not copied, when a batch is decoded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..align.types import SAMPLE_RATE
from ..align.vad import Vad

__all__ = ["Window", "plan_windows"]


@dataclass(frozen=True)
class Window:
    start_ms: int
    end_ms: int
    speech: bool = True  # False: a loud stretch the speech detector passed over (music, applause)

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


#: a pause at least this long ends a window even below ``max_s`` (a new sentence, a new cue)
JOIN_GAP_MS = 1200
#: windows start and end this much outside their speech, so no word is cut at its edge
PAD_MS = 200
#: a stretch between speech windows at least this long is checked for sound
MIN_SOUND_MS = 1500
#: frames louder than this (dB of full scale) are sound, whatever the speech detector says
SOUND_DB = -45.0
FIXED_S = 10.0
#: with no speech region at all, this much loud audio is still worth decoding
MIN_LOUD_MS = 200


def plan_windows(audio: np.ndarray, max_s: float = 25.0, sound: bool = True) -> list[Window]:
    """Windows over ``audio`` (16 kHz mono), in order and never overlapping."""
    vad = Vad(audio, SAMPLE_RATE)
    total = vad.duration_ms
    max_ms = int(max_s * 1000)
    spans: list[list[int]] = []
    for r in vad.regions:
        if spans and r.start_ms - spans[-1][1] < JOIN_GAP_MS and r.end_ms - spans[-1][0] <= max_ms:
            spans[-1][1] = r.end_ms
        else:
            spans.append([r.start_ms, r.end_ms])
    windows: list[Window] = []
    prev_end = 0
    for k, (a, b) in enumerate(spans):
        nxt = spans[k + 1][0] if k + 1 < len(spans) else total
        start = max(prev_end, a - PAD_MS)
        end = min(total, b + PAD_MS, max(b, (b + nxt) // 2))
        if sound:
            windows += _sound_windows(vad, prev_end, start)
        if end > start:
            windows.append(Window(start, end))
            prev_end = end
    if not spans:  # tones, synthetic or heavily processed audio: no region looks like speech
        return _sound_windows(vad, 0, total, speech=True, min_ms=MIN_LOUD_MS)
    if sound:
        windows += _sound_windows(vad, prev_end, total)
    return sorted(windows, key=lambda w: w.start_ms)


def _sound_windows(vad: Vad, lo: int, hi: int, speech: bool = False, min_ms: int = MIN_SOUND_MS) -> list[Window]:
    """Fixed windows over the loud part of ``[lo, hi)``: music or applause between speech."""
    if hi - lo < min_ms:
        return []
    a, b = vad.frame(lo), vad.frame(hi)
    loud = np.flatnonzero(vad.energy_db[a:b] > SOUND_DB)
    if len(loud) * vad.params.hop_ms < min_ms:
        return []
    first = max(lo, vad.ms(a + int(loud[0])) - PAD_MS)
    last = min(hi, vad.ms(a + int(loud[-1]) + 1) + PAD_MS)
    step = int(FIXED_S * 1000)
    out = []
    t = first
    while t < last:
        end = min(last, t + step)
        if last - end < step // 3:  # no sliver of a window at the end
            end = last
        out.append(Window(t, end, speech=speech))
        t = end
    return out
