"""A seek proxy: the video again, small and with a keyframe every few frames, for fast seeks.

Files from cameras and the web have a keyframe every 2 to 10 s; showing the frame at a random
time means decoding from the keyframe before it, up to hundreds of full-size frames (bench/video.py:
p95 of several hundred ms for 1080p H.264 with a 10 s GOP on two cores). Video editors answer
this with proxies, and so do we: while the shot changes are found (a pass that decodes every
frame anyway), each frame is also scaled to at most 480x270 and encoded with a keyframe every
``PROXY_GOP`` frames and no B-frames, keeping its timestamp. A seek in the proxy decodes at most
that many small frames. The editor shows the proxy's frame at once and then the sharp frame
from the file, unless the user has moved on.

The proxy is written to a temporary name and renamed when complete, so a cancelled or failed
pass never leaves a half proxy that looks whole.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..progress import CancelToken
from .shots import cuts_from_scores, frame_scores

PROXY_GOP = 8
PROXY_MAX = (480, 270)


def proxy_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, PROXY_MAX[0] / max(1, width), PROXY_MAX[1] / max(1, height))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class ProxyWriter:
    """Encodes the frames it is given into ``path`` (mp4, H.264, the source's timestamps)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._part = self.path.with_name(self.path.name + ".part")
        self._container = None
        self._stream = None
        self._last_pts = None

    def add(self, source_stream, frame) -> None:
        import av

        if self._container is None:
            ctx = source_stream.codec_context
            width, height = proxy_size(ctx.width, ctx.height)
            self._container = av.open(str(self._part), "w", format="mp4")
            rate = source_stream.average_rate or source_stream.guessed_rate or 25
            self._stream = self._container.add_stream("libx264", rate=rate)
            self._stream.width, self._stream.height, self._stream.pix_fmt = width, height, "yuv420p"
            self._stream.time_base = source_stream.time_base
            self._stream.codec_context.time_base = source_stream.time_base
            self._stream.codec_context.gop_size = PROXY_GOP
            self._stream.codec_context.max_b_frames = 0
            self._stream.codec_context.options = {"preset": "ultrafast", "tune": "fastdecode", "crf": "30"}
        if frame.pts is None or (self._last_pts is not None and frame.pts <= self._last_pts):
            return  # the encoder needs rising timestamps; a repeated one adds no picture
        self._last_pts = frame.pts
        small = frame.reformat(width=self._stream.width, height=self._stream.height, format="yuv420p")
        small.pts, small.time_base = frame.pts, frame.time_base
        for packet in self._stream.encode(small):
            self._container.mux(packet)

    def finish(self) -> Path | None:
        """Flush and rename into place; None when no frame came."""
        if self._container is None:
            return None
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()
        self._container = None
        os.replace(self._part, self.path)
        return self.path

    def abandon(self) -> None:
        if self._container is not None:
            try:
                self._container.close()
            except Exception:  # noqa: BLE001 - a half-written file is removed either way
                pass
            self._container = None
        self._part.unlink(missing_ok=True)


def shots_and_proxy(path: str | Path, proxy_path: str | Path, progress=None, cancel: CancelToken | None = None) -> tuple[list[int], Path | None]:
    """One pass over ``path``'s video: its shot changes (ms) and a seek proxy at ``proxy_path``."""
    writer = ProxyWriter(proxy_path)
    try:
        scores = frame_scores(path, progress, cancel, each=writer.add)
        made = writer.finish()
    except BaseException:
        writer.abandon()
        raise
    return cuts_from_scores(*scores), made
