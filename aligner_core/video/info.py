"""What a media file's video stream is: size, frame rate, duration, frame count (or no video)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

#: streams that are cover art or thumbnails, not moving pictures (an mp3's embedded JPEG, say)
_STILL_CODECS = frozenset({"mjpeg", "png", "bmp", "gif", "webp"})


@dataclass(frozen=True)
class VideoInfo:
    has_video: bool
    width: int = 0
    height: int = 0
    #: average frame rate (what frame stepping and snapping use)
    fps: Fraction = Fraction(0)
    #: the stream's time base (seconds per pts tick)
    time_base: Fraction = Fraction(0)
    #: the first frame's time in the file, in ms (muxers often start video a little late)
    start_ms: int = 0
    duration_ms: int = 0
    #: from the header when it says, else duration x rate: an estimate either way
    frame_count: int = 0
    codec: str = ""

    @property
    def frame_ms(self) -> float:
        return 1000.0 / float(self.fps) if self.fps else 0.0


NO_VIDEO = VideoInfo(False)


def video_stream(container):
    """The container's first moving-picture stream, or None."""
    for stream in container.streams.video:
        attached = bool(int(stream.disposition) & 0x400)  # AV_DISPOSITION_ATTACHED_PIC: cover art
        name = stream.codec_context.name if stream.codec_context else ""
        if attached or (name in _STILL_CODECS and (stream.frames or 0) <= 1):
            continue
        return stream
    return None


def info_of(container) -> VideoInfo:
    stream = video_stream(container)
    if stream is None:
        return NO_VIDEO
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    fps = Fraction(rate) if rate else Fraction(25)
    tb = Fraction(stream.time_base) if stream.time_base else Fraction(1, 1000)
    start_ms = round(stream.start_time * tb * 1000) if stream.start_time is not None else 0
    if stream.duration is not None:
        duration_ms = round(stream.duration * tb * 1000)
    elif container.duration is not None:
        duration_ms = round(container.duration / 1000)  # AV_TIME_BASE is microseconds
    else:
        duration_ms = 0
    frames = int(stream.frames or 0) or round(duration_ms * fps / 1000)
    ctx = stream.codec_context
    return VideoInfo(True, ctx.width, ctx.height, fps, tb, start_ms, duration_ms, frames, ctx.name)


def probe_video(path: str | Path) -> VideoInfo:
    """The video stream of ``path``; ``NO_VIDEO`` for audio-only files and for files PyAV cannot
    open (the audio reader words those errors for the user; a missing picture is not one)."""
    import av

    try:
        with av.open(str(path)) as container:
            return info_of(container)
    except (av.FFmpegError, OSError, ValueError):
        return NO_VIDEO
