"""Media files generated at test time: tones and noise written with soundfile and PyAV.

Nothing here is checked in as binary; every test builds the files it needs in a temp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np

LAYOUTS = {1: "mono", 2: "stereo", 6: "5.1"}


def tone(freq: float, seconds: float, rate: int, channels: int = 1, amp: float = 0.5) -> np.ndarray:
    """A sine (n, channels) float32; channel c is scaled by (c + 1) / channels so downmixes are checkable."""
    n = int(round(seconds * rate))
    t = np.arange(n, dtype=np.float64) / rate
    mono = amp * np.sin(2 * np.pi * freq * t)
    gains = (np.arange(channels) + 1) / channels
    return (mono[:, None] * gains[None, :]).astype(np.float32)


def noise(seconds: float, rate: int, channels: int = 1, seed: int = 0, amp: float = 0.5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(round(seconds * rate))
    return (amp * rng.uniform(-1, 1, size=(n, channels))).astype(np.float32)


def write_sf(path: Path, data: np.ndarray, rate: int, **kwargs) -> Path:
    import soundfile as sf

    sf.write(str(path), data, rate, **kwargs)
    return path


def write_av(
    path: Path,
    data: np.ndarray | None,
    rate: int,
    codec: str | None,
    *,
    video_codec: str | None = None,
    video_seconds: float | None = None,
    audio_start_s: float = 0.0,
    bit_rate: int | None = None,
    container_format: str | None = None,
) -> Path:
    """Encode ``data`` (n, channels) float32 with PyAV; optionally add a tiny video stream.

    ``audio_start_s`` shifts the audio's first timestamp (as muxers do for audio that starts
    after the video), to check that decoding keeps the media timeline.
    """
    import av

    container = av.open(str(path), "w", format=container_format)
    vstream = astream = None
    if video_codec:
        vstream = container.add_stream(video_codec, rate=25)
        vstream.width, vstream.height = 64, 48
        vstream.pix_fmt = "yuv420p"
    if codec:
        astream = container.add_stream(codec, rate=rate)
        astream.layout = LAYOUTS[data.shape[1]]
        if bit_rate:
            astream.bit_rate = bit_rate
        if codec == "vorbis":
            astream.codec_context.options = {"strict": "experimental"}
        fmt = astream.codec_context.codec.audio_formats[0].name if astream.codec_context.codec.audio_formats else "fltp"
        astream.format = fmt
    if vstream is not None:
        seconds = video_seconds if video_seconds is not None else (len(data) / rate if data is not None else 1.0)
        images = (np.full((48, 64, 3), (i * 7) % 255, dtype=np.uint8) for i in range(int(round(seconds * 25))))
        for packet in video_packets(vstream, images, 25):
            container.mux(packet)
    if astream is not None:
        for packet in audio_packets(astream, data, rate, start=int(round(audio_start_s * rate))):
            container.mux(packet)
    container.close()
    return path


def video_packets(stream, images, fps) -> Iterator:
    """The packets ``stream`` makes of ``images`` (rgb24 arrays; frame i at i / ``fps``), flushed at the end.

    Packets rather than a muxed file, so a test can damage some before it muxes them."""
    import av

    for i, img in enumerate(images):
        frame = av.VideoFrame.from_ndarray(img, format="rgb24")
        frame.pts, frame.time_base = i, Fraction(1, 1) / fps
        yield from stream.encode(frame)
    yield from stream.encode()


def audio_packets(stream, data: np.ndarray, rate: int, start: int = 0) -> Iterator:
    """The packets ``stream`` makes of ``data`` ((n, channels) float samples, the first at sample
    ``start``), in frames of 1024 samples, flushed at the end."""
    import av

    layout = LAYOUTS[data.shape[1]]
    for i in range(0, len(data), 1024):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data[i : i + 1024].T, dtype=np.float32), format="fltp", layout=layout)
        frame.sample_rate, frame.pts, frame.time_base = rate, start + i, Fraction(1, rate)
        yield from stream.encode(frame)
    yield from stream.encode()
