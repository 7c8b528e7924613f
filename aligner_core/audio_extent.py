"""How much audio a file can really hold, whatever its header claims.

Headers lie in both directions. FLAC written to a pipe cannot go back to fill in its length, and
libsndfile reports such streams (and Ogg Opus it cannot measure) as 2**63 - 1 frames; a damaged
or hand-made header can claim 36 bits of frames in 20 KB, or a sample rate of 1 Hz, which would
make the 16 kHz resampler write 16,000 output samples per stored sample. The decoder therefore
sizes nothing from a claim it cannot believe, and refuses rates no recording uses.

Chained Ogg (two Ogg files concatenated, as streaming servers and ``cat`` produce) is another lie
by omission: libsndfile decodes only the first link and reports its length as the whole, so such
files must go to FFmpeg, which follows the chain.
"""

from __future__ import annotations

import os
import struct

# No recording format in use goes below 8 kHz (telephony; old Macintosh sounds used 5.5 kHz).
# 4 kHz keeps a factor of two under that, still holds the lowest formants, and caps the
# aligner's upsampling at 4x: a decoded frame can cost at most 16 bytes of 16 kHz output, so
# memory follows the file's size instead of its header's whim.
MIN_SAMPLE_RATE = 4000

# libsndfile's "unknown length" is SF_COUNT_MAX; anything near it is not a count.
_UNKNOWN_FRAMES = 1 << 62

# Bytes per frame and channel of uncompressed subtypes (libsndfile names); the header's frame
# count of these is bounded by the file's size exactly. libsndfile names FLAC's subtype by its
# bit depth too ("PCM_16"), so the container decides first.
_PCM_BYTES = {"PCM_S8": 1, "PCM_U8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8, "ULAW": 1, "ALAW": 1}
_COMPRESSED_CONTAINERS = ("FLAC", "OGG", "MPEG")

# The densest any codec packs real audio: FLAC stores a 65,535-frame block of digital silence
# in about 14 bytes, Opus 120 ms of silence in a 1-byte packet plus Ogg lacing. A claim above
# this many frames per byte cannot be true.
_MAX_FRAMES_PER_BYTE = 8192

# For sizing buffers up front: what ordinary speech recordings take per frame (lossless about
# 60 % of 16-bit PCM per channel; lossy about 128 kbps at 44.1 kHz). Denser files simply grow
# their buffers as they decode.
_LOSSLESS_BYTES_PER_CHANNEL = 1.2
_LOSSY_BYTES_PER_FRAME = 0.36
_LOSSLESS = ("FLAC", "ALAC", "WAVPACK", "DPCM", "DWVW", "NMS_ADPCM", "IMA_ADPCM", "MS_ADPCM", "G72", "GSM", "VOX")


def rate_is_plausible(rate: int) -> bool:
    return int(rate) >= MIN_SAMPLE_RATE


def _pcm_width(container: str, subtype: str) -> int | None:
    if container.upper() in _COMPRESSED_CONTAINERS:
        return None
    return _PCM_BYTES.get(subtype.upper())


def claim_is_plausible(frames: int, size_bytes: int, channels: int, container: str, subtype: str) -> bool:
    """Whether a header's ``frames`` fit in ``size_bytes`` of this container and subtype at all."""
    if frames <= 0 or frames >= _UNKNOWN_FRAMES:
        return False
    width = _pcm_width(container, subtype)
    if width is not None:
        return frames <= size_bytes // max(1, width * channels)
    return frames <= size_bytes * _MAX_FRAMES_PER_BYTE


def estimate_frames(size_bytes: int, channels: int, container: str, subtype: str) -> int:
    """A typical frame count for a file of this size, when its header cannot say."""
    width = _pcm_width(container, subtype)
    if width is not None:
        per_frame = float(width * max(1, channels))
    elif container.upper() == "FLAC" or subtype.upper().startswith(_LOSSLESS):
        per_frame = _LOSSLESS_BYTES_PER_CHANNEL * max(1, channels)
    else:
        per_frame = _LOSSY_BYTES_PER_FRAME
    return max(1, int(size_bytes / per_frame))


def initial_frames(claimed: int, size_bytes: int) -> int:
    """How many frames to allocate before decoding: the claim, but never more than ordinary
    audio of this size holds (the rest is grown as it really arrives)."""
    return max(0, min(int(claimed), int(size_bytes / _LOSSY_BYTES_PER_FRAME * 4)))


_OGG_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, flags, granule, serial, page, crc, segments
_OGG_BOS = 0x02


def ogg_is_chained(path: str | os.PathLike[str]) -> bool:
    """Whether an Ogg file holds one stream after another (a beginning-of-stream page after pages
    of an earlier stream), walking page headers only; damage ends the walk with what is known."""
    try:
        fh = open(path, "rb", buffering=1 << 16)
    except OSError:
        return False
    with fh:
        seen_data_page = False
        while True:
            head = fh.read(_OGG_HEADER.size)
            if len(head) < _OGG_HEADER.size:
                return False
            capture, _version, flags, _granule, _serial, _page, _crc, segments = _OGG_HEADER.unpack(head)
            if capture != b"OggS":
                return False
            if flags & _OGG_BOS:
                if seen_data_page:
                    return True
            else:
                seen_data_page = True
            lacing = fh.read(segments)
            if len(lacing) < segments:
                return False
            fh.seek(sum(lacing), os.SEEK_CUR)


__all__ = ["MIN_SAMPLE_RATE", "claim_is_plausible", "estimate_frames", "initial_frames", "ogg_is_chained", "rate_is_plausible"]
