"""The video frame shown at a time, decoded with PyAV and scaled to the size asked for.

Seeking jumps to the keyframe at or before the time and decodes forward; files from cameras and
the web put a keyframe only every 2 to 10 s, so that forward decode is the whole cost of a seek.
Three things keep it short: frames nothing else refers to (most B-frames) are skipped until a
few frames before the target (``skip_frame = NONREF``: they cannot change any later picture);
only the frame returned is converted and scaled (``reformat`` to RGB24 at the pane size); and a
request a little later than the last one (playback, stepping forward) decodes on from where the
decoder stands instead of seeking. A few scaled frames are cached for stepping back and forth.

One FrameSource belongs to one thread (the editor's video worker, or a bench): PyAV's decoder
state is not shared.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..messages import msg
from .info import VideoInfo, info_of, video_stream

#: frames decoded fully before the target, so B-frame reordering never hides it from the skip
_FULL_DECODE_FRAMES = 4
#: a frame up to half a ms after the time asked still counts (times are whole ms, frames are not)
_EPS_S = 0.0005


class VideoError(ValueError):
    """The file's picture cannot be decoded (a Message: the editor says it in the user's language)."""


class Interrupted(Exception):
    """``frame_at`` gave up because its ``abort`` callback said the frame is no longer wanted."""


@dataclass(frozen=True, eq=False)
class Frame:
    #: the frame number, counted from the video's first frame at its average rate
    index: int
    #: its presentation time in ms on the media timeline (the audio's and the document's)
    time_ms: int
    #: (height, width, 3) uint8 RGB at the size asked for
    rgb: np.ndarray

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.shape[1], self.rgb.shape[0]


def fit_size(info: VideoInfo, box_width: int, box_height: int) -> tuple[int, int]:
    """The largest even size of the video's shape that fits in the box (at least 2x2)."""
    if not info.has_video or info.width <= 0 or info.height <= 0:
        return max(2, box_width), max(2, box_height)
    scale = min(box_width / info.width, box_height / info.height)
    return max(2, int(info.width * scale) // 2 * 2), max(2, int(info.height * scale) // 2 * 2)


class FrameSource:
    """Frames of ``path``'s video stream by time. Raises ``ValueError`` when the file has none."""

    def __init__(self, path: str | Path, *, cache_frames: int = 16, threads: int = 0, skip_nonref: bool = True):
        import av

        self.path = Path(path)
        self._container = av.open(str(path))
        stream = video_stream(self._container)
        if stream is None:
            self._container.close()
            raise ValueError(f"{self.path.name} has no video stream")
        self.info: VideoInfo = info_of(self._container)
        self._stream = stream
        stream.thread_type = "AUTO"  # slice and frame threads: most of a seek is decoding
        if threads:
            stream.codec_context.thread_count = threads
        self._tb = Fraction(stream.time_base)
        self._origin = self.info.start_ms / 1000.0
        self._frames = None  # the open decode iterator, from the last seek on
        self._pending = None  # decoded past the last request: the next request may want it
        self._position = None  # time (s) of the last frame decoded, or None right after a seek
        self._queue: list = []  # frames of the last packet not handed out yet
        self._lead: list = []  # (frame, end) decoded fully just before the last seek's target
        self._cache: OrderedDict[tuple[int, int, int], tuple[float, float, Frame]] = OrderedDict()
        self._cache_frames = cache_frames
        self._skip_nonref = skip_nonref  # off only to measure what the skipping saves (bench/video.py)
        self.seeks = 0  # for the bench and the tests: how often a request had to seek
        self.decoded = 0

    # -- public ----------------------------------------------------------------------------------
    def frame_at(self, ms: float, size: tuple[int, int] | None = None, abort=None) -> Frame:
        """The frame shown at ``ms`` (the last one starting at or before it; the first frame for
        times before it, the last for times after the end), as RGB at ``size`` (default: the
        video's own). ``abort()``, asked after each decoded frame, may stop a long decode
        (:class:`Interrupted`); the next call carries on from wherever the decoder stands."""
        size = size or (self.info.width, self.info.height)
        t = ms / 1000.0
        hit = self._cached(t, size)
        if hit is not None:
            return hit
        import av

        try:
            frame, until = self._decode_at(t, abort)
            out = self._convert(frame, size)
            # after a seek, the few frames decoded fully just before the target are kept too:
            # stepping back from it is then as quick as stepping forward
            for before, end in self._lead:
                self._remember(self._convert(before, size), before.time, end, size)
        except av.FFmpegError as exc:
            raise VideoError(msg("video_undecodable", name=self.path.name)) from exc
        self._remember(out, min(t, frame.time), until, size)
        return out

    def would_seek(self, ms: float) -> bool:
        """Showing ``ms`` means a seek (not cached, and not a little ahead of the decoder)."""
        t = ms / 1000.0
        return not self._can_read_on(t) and all(
            not (start - _EPS_S <= t < end - _EPS_S) for start, end, _f in self._cache.values()
        )

    def close(self) -> None:
        self._frames = None
        self._pending = None
        self._container.close()

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- cache -----------------------------------------------------------------------------------
    def _cached(self, t: float, size: tuple[int, int]) -> Frame | None:
        for key, (start, end, frame) in self._cache.items():
            if key[1:] == size and start - _EPS_S <= t < end - _EPS_S:
                self._cache.move_to_end(key)
                return frame
        return None

    def _remember(self, frame: Frame, start: float, end: float, size: tuple[int, int]) -> None:
        self._cache[(frame.index, *size)] = (start, end, frame)
        while len(self._cache) > self._cache_frames:
            self._cache.popitem(last=False)

    # -- decoding --------------------------------------------------------------------------------
    def _decode_at(self, t: float, abort=None):
        """(the av frame shown at ``t``, the time until which it is shown); after a seek,
        ``self._lead`` holds the frames just before it that were decoded fully, with their ends."""
        seeking = not self._can_read_on(t)
        if seeking:
            self._seek(t)
        self._lead = []
        near = t - _FULL_DECODE_FRAMES * self._frame_s() + _EPS_S  # frames from here on are all decoded
        previous = None
        while True:
            if abort is not None and abort():
                if previous is not None:
                    self._pending = previous  # not lost: a later request may start from it
                raise Interrupted
            frame = self._next_frame(t)
            if frame is None:  # end of the stream: the last frame stays on screen after it
                if previous is None:  # asked past the end: the seek found nothing after it
                    previous = self._last_frame()
                return previous, float("inf")
            if frame.time is None:
                continue
            if frame.time > t + _EPS_S:
                if previous is None:  # a time before the first frame (or a seek that landed late)
                    self._pending = frame
                    return frame, frame.time + self._frame_s()
                self._pending = frame
                return previous, frame.time
            if seeking and previous is not None and previous.time is not None and previous.time >= near:
                self._lead = (self._lead + [(previous, frame.time)])[-(_FULL_DECODE_FRAMES - 1) :]
            previous = frame

    def _last_frame(self):
        self._seek(max(0.0, self._keyframe_before(float("inf"))))
        last = None
        while (frame := self._next_frame(float("inf"))) is not None:
            last = frame if frame.time is not None else last
        if last is None:
            raise VideoError(msg("video_undecodable", name=self.path.name))
        return last

    def _frame_s(self) -> float:
        return float(1 / self.info.fps) if self.info.fps else 0.04

    def _can_read_on(self, t: float) -> bool:
        """Reading forward reaches ``t`` sooner than a seek would: the decoder stands before it
        and no keyframe lies between."""
        if self._frames is None:
            return False
        here = self._pending.time if self._pending is not None else self._position
        if here is None or here > t + _EPS_S:
            return False
        return t - here < 1.0 or self._keyframe_before(t) <= here

    def _keyframe_before(self, t: float) -> float:
        entries = self._stream.index_entries
        if entries is None or not len(entries):
            return float("-inf")  # no index (mkv before its cues are read): reading on is the safe bet
        target = t / self._tb
        best = float("-inf")
        for entry in entries:  # sorted by timestamp
            if entry.timestamp > target:
                break
            if entry.is_keyframe:
                best = float(entry.timestamp * self._tb)
        return best

    def _seek(self, t: float) -> None:
        self.seeks += 1
        self._container.seek(max(0, int((t + _EPS_S) / self._tb)), stream=self._stream, backward=True, any_frame=False)
        self._frames = self._decode(self._stream)
        self._pending = None
        self._position = None
        self._queue = []

    def _decode(self, stream):
        # demux ends with an empty packet that flushes the decoder's delayed frames
        yield from self._container.demux(stream)

    def _next_frame(self, target: float):
        """The next decoded frame (the pending one first), decoding fully only near ``target``."""
        if self._pending is not None:
            frame, self._pending = self._pending, None
            self._position = frame.time
            return frame
        import av

        ctx = self._stream.codec_context
        near = target - _FULL_DECODE_FRAMES * self._frame_s()
        while True:
            if not self._queue:
                packet = next(self._frames, None) if self._frames is not None else None
                if packet is None:
                    self._frames = None
                    return None
                if packet.pts is not None:
                    far = self._skip_nonref and packet.pts * self._tb < near
                    skip = "NONREF" if far else "DEFAULT"
                    if ctx.skip_frame != skip:
                        ctx.skip_frame = skip
                try:
                    self._queue = list(packet.decode())
                except av.InvalidDataError:
                    continue  # a damaged packet loses its picture; the frames after it may still decode
                continue
            frame = self._queue.pop(0)
            self.decoded += 1
            self._position = frame.time
            return frame

    def _convert(self, frame, size: tuple[int, int]) -> Frame:
        width, height = size
        # rows of a scaled picture may be padded; consumers (QImage) want one plain block
        rgb = np.ascontiguousarray(frame.to_ndarray(format="rgb24", width=width, height=height))
        time_ms = round(frame.time * 1000)
        index = round((frame.time - self._origin) * float(self.info.fps)) if self.info.fps else 0
        return Frame(max(0, index), time_ms, rgb)
