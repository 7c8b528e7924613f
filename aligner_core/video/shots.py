"""Shot changes (scene cuts) found from the decoded frames, in one cancelable pass.

Every frame is decoded and shrunk to a small colour picture, and compared with the frame before
in two ways: the mean absolute difference of its pixels (0-255 over R, G and B: two shots can
share their brightness) and the distance of its colour histograms (0-1: half the sum of the
differences of 64 bins). Moving content, pans and noise give a steady pixel score, a cut a
sudden one; a fast pan over fine detail keeps the pixel score high all along, but it keeps its
colours, which a cut does not. So a frame starts a new shot when its pixel score is above an
absolute floor (flashes of a few grey levels are no cut) and stands out from its neighbourhood
(``window`` frames on each side): ``ratio`` times their median pixel score, or a colour
distance of at least ``colour_floor`` and ``ratio`` times theirs. Cuts closer than
``min_shot_ms`` keep the stronger one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..progress import CancelToken
from .info import info_of, video_stream

SMALL = (64, 36)


def _histogram(small: np.ndarray) -> np.ndarray:
    q = (small // 64).astype(np.int64)  # 4 levels per channel
    bins = np.bincount((q[..., 0] * 16 + q[..., 1] * 4 + q[..., 2]).ravel(), minlength=64)
    return bins / max(1, bins.sum())


def _frames(container, stream):
    import av

    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.InvalidDataError:
            continue  # a damaged packet loses its picture, not the shots after it


def frame_scores(path: str | Path, progress=None, cancel: CancelToken | None = None, *, each=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frame times in ms, pixel scores, colour scores): each compares frame k with frame k - 1
    (0 for the first frame).

    ``each(stream, frame)``, when given, sees every decoded frame too (the proxy is written in
    the same pass: decoding is the cost, so the file is decoded once)."""
    import av

    with av.open(str(path)) as container:
        stream = video_stream(container)
        if stream is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
        info = info_of(container)
        stream.thread_type = "AUTO"
        total = max(1, info.frame_count)
        times: list[int] = []
        pixels: list[float] = []
        colours: list[float] = []
        previous = previous_hist = None
        for frame in _frames(container, stream):
            if frame.time is None:
                continue
            if each is not None:
                each(stream, frame)
            small = frame.to_ndarray(format="rgb24", width=SMALL[0], height=SMALL[1]).astype(np.int16)
            hist = _histogram(small)
            first = previous is None
            pixels.append(0.0 if first else float(np.abs(small - previous).mean()))
            colours.append(0.0 if first else float(np.abs(hist - previous_hist).sum() / 2))
            times.append(round(frame.time * 1000))
            previous, previous_hist = small, hist
            if len(times) % 25 == 0:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if progress is not None:
                    progress(min(1.0, len(times) / total), "shots")
    return np.asarray(times, dtype=np.int64), np.asarray(pixels), np.asarray(colours)


def cuts_from_scores(
    times: np.ndarray,
    pixels: np.ndarray,
    colours: np.ndarray | None = None,
    *,
    ratio: float = 3.0,
    floor: float = 12.0,
    colour_floor: float = 0.1,
    window: int = 12,
    min_shot_ms: int = 400,
) -> list[int]:
    """The times (ms) of the frames that start a new shot."""
    n = len(pixels)
    colours = np.zeros(n) if colours is None else colours
    found: list[tuple[int, float]] = []
    for k in range(1, n):
        s = pixels[k]
        if s < floor:
            continue
        near = np.r_[max(1, k - window) : k, k + 1 : min(n, k + 1 + window)]
        base = float(np.median(pixels[near])) if len(near) else 0.0
        colour_base = float(np.median(colours[near])) if len(near) else 0.0
        if s > ratio * max(base, 1.0) or colours[k] >= max(colour_floor, ratio * colour_base):
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
    return cuts_from_scores(*frame_scores(path, progress, cancel))
