"""Media files generated at test time: tones and noise written with soundfile and PyAV.

Nothing here is checked in as binary; every test builds the files it needs in a temp folder.
"""

from __future__ import annotations

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
        for i in range(int(round(seconds * 25))):
            img = np.full((48, 64, 3), (i * 7) % 255, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, 25)
            for packet in vstream.encode(frame):
                container.mux(packet)
        for packet in vstream.encode():
            container.mux(packet)
    if astream is not None:
        start = int(round(audio_start_s * rate))
        step = 1024
        for i in range(0, len(data), step):
            chunk = np.ascontiguousarray(data[i : i + step].T)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=LAYOUTS[data.shape[1]])
            frame.sample_rate = rate
            frame.pts = start + i
            frame.time_base = Fraction(1, rate)
            for packet in astream.encode(frame):
                container.mux(packet)
        for packet in astream.encode():
            container.mux(packet)
    container.close()
    return path
