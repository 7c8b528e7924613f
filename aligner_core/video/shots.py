"""Shot changes (scene cuts) found from the decoded frames, in one cancelable pass.

Every frame is decoded and shrunk to a small colour picture; a frame's score is the mean absolute
difference from the frame before (0-255, over R, G and B: two shots can share their brightness). Moving content, pans and noise give a steady score, a
cut a sudden one, so a cut is a score well above its neighbourhood's (``ratio`` times the median
of the ``window`` frames on each side) and above an absolute floor (flashes of a few grey levels
are no cut). Cuts closer than ``min_shot_ms`` keep the stronger one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..progress import CancelToken
from .info import info_of, video_stream

SMALL = (64, 36)


def frame_scores(path: str | Path, progress=None, cancel: CancelToken | None = None, *, each=None) -> tuple[np.ndarray, np.ndarray]:
    """(frame times in ms, scores): score[k] compares frame k with frame k - 1 (score[0] = 0).

    ``each(stream, frame)``, when given, sees every decoded frame too (the proxy is written in
    the same pass: decoding is the cost, so the file is decoded once)."""
    import av

    with av.open(str(path)) as container:
        stream = video_stream(container)
        if stream is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        info = info_of(container)
        stream.thread_type = "AUTO"
        total = max(1, info.frame_count)
        times: list[int] = []
        scores: list[float] = []
        previous = None
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            if each is not None:
                each(stream, frame)
            small = frame.to_ndarray(format="rgb24", width=SMALL[0], height=SMALL[1]).astype(np.int16)
            scores.append(0.0 if previous is None else float(np.abs(small - previous).mean()))
            times.append(round(frame.time * 1000))
            previous = small
            if len(times) % 25 == 0:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if progress is not None:
                    progress(min(1.0, len(times) / total), "shots")
    return np.asarray(times, dtype=np.int64), np.asarray(scores)


def cuts_from_scores(
    times: np.ndarray, scores: np.ndarray, *, ratio: float = 4.0, floor: float = 12.0, window: int = 12, min_shot_ms: int = 400
) -> list[int]:
    """The times (ms) of the frames that start a new shot."""
    n = len(scores)
    found: list[tuple[int, float]] = []
    for k in range(1, n):
        s = scores[k]
        if s < floor:
            continue
        around = np.concatenate((scores[max(1, k - window) : k], scores[k + 1 : k + 1 + window]))
        base = float(np.median(around)) if len(around) else 0.0
        if s > ratio * max(base, 1.0):
            found.append((int(times[k]), float(s)))
    cuts: list[tuple[int, float]] = []
    for t, s in found:
        if cuts and t - cuts[-1][0] < min_shot_ms:
            if s > cuts[-1][1]:
                cuts[-1] = (t, s)
            continue
        cuts.append((t, s))
    return [t for t, _ in cuts]


def detect_shots(path: str | Path, progress=None, cancel: CancelToken | None = None) -> list[int]:
    """The shot changes of ``path``'s video in ms (empty without video)."""
    times, scores = frame_scores(path, progress, cancel)
    return cuts_from_scores(times, scores)
