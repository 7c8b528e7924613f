"""Video clips generated at test (and bench) time with PyAV: each frame carries its own number.

A frame shows its scene's background colour, a square that moves every frame (so "no cut on
moving content" is tested), and its frame number as a row of black/white blocks along the top,
big enough to survive H.264 at any size. The number is Gray-coded: one block changes from a frame
to the next, as little as the moving square, so the pattern itself never looks like a cut. :func:`read_number` reads the number back from a
decoded RGB frame of any size.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from .media import audio_packets, video_packets

BITS = 12  # frame numbers up to 4095
SCENE_COLOURS = ((200, 50, 40), (40, 150, 70), (50, 70, 190), (190, 170, 40))


def frame_image(i: int, width: int, height: int, background, texture: np.ndarray | None = None) -> np.ndarray:
    img = np.empty((height, width, 3), dtype=np.uint8)
    img[:] = background
    if texture is not None:  # a panning texture: real pictures are not flat
        img[height // 3 :] = np.roll(texture, 4 * i, axis=1)[: height - height // 3]
    side = max(4, height // 5)
    x = (i * max(2, width // 100)) % max(1, width - side)
    y = height // 2
    img[y : y + side, x : x + side] = (235, 235, 235)
    band = max(2, height // 4)
    block = width // BITS
    gray = i ^ (i >> 1)
    for bit in range(BITS):
        on = (gray >> (BITS - 1 - bit)) & 1
        img[:band, bit * block : (bit + 1) * block] = 255 if on else 0
    return img


def read_number(rgb: np.ndarray) -> int:
    """The frame number drawn by :func:`frame_image` into ``rgb`` (height, width, 3)."""
    height, width = rgb.shape[:2]
    band = max(2, height // 4)
    block = width / BITS
    number = 0
    for bit in range(BITS):
        a, b = int(bit * block + block / 4), int(bit * block + 3 * block / 4)
        cell = rgb[band // 4 : 3 * band // 4, a : max(a + 1, b)]
        number = (number << 1) | int(cell.mean() > 128)
    shift = number >> 1
    while shift:  # Gray code back to binary
        number ^= shift
        shift >>= 1
    return number


def write_clip(
    path: Path,
    *,
    fps: Fraction = Fraction(25),
    scenes: tuple[int, ...] = (30, 30, 30),
    size: tuple[int, int] = (320, 180),
    gop: int = 50,
    preset: str = "veryfast",
    texture: bool = False,
    audio: np.ndarray | None = None,
    audio_rate: int = 16000,
) -> Path:
    """An H.264 yuv420p clip (mp4) of ``scenes`` (frame counts, each a new background); frame i is
    numbered i. ``audio`` (mono float32) adds an AAC track. Returns ``path``."""
    import av

    width, height = size
    rng = np.random.default_rng(7)

    def scene_texture(tint):  # each shot its own detail in its own colours, panning within the shot
        small = rng.integers(0, 128, size=((height - height // 3) // 8 + 1, width // 8 + 1, 3))
        small = (small + np.asarray(tint) // 2).astype(np.uint8)
        return np.repeat(np.repeat(small, 8, axis=0), 8, axis=1)[: height - height // 3, :width]
    container = av.open(str(path), "w")
    stream = container.add_stream("libx264", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.codec_context.gop_size = gop
    stream.codec_context.options = {"preset": preset, "crf": "20"}
    astream = None
    if audio is not None:
        astream = container.add_stream("aac", rate=audio_rate)
        astream.layout = "mono"

    def images():
        i = 0
        for scene, count in enumerate(scenes):
            background = SCENE_COLOURS[scene % len(SCENE_COLOURS)]
            tex = scene_texture(background) if texture else None
            for _ in range(count):
                yield frame_image(i, width, height, background, tex)
                i += 1

    for packet in video_packets(stream, images(), fps):
        container.mux(packet)
    if astream is not None:
        for packet in audio_packets(astream, np.asarray(audio)[:, None], audio_rate):
            container.mux(packet)
    container.close()
    return path
