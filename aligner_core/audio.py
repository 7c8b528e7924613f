"""Decode audio and video files: 16 kHz mono for the aligners, source-rate access for playback.

Backends: soundfile (libsndfile) for WAV/FLAC/OGG (Vorbis and Opus) and friends, PyAV (FFmpeg)
for MP3, AAC/M4A and the audio track of MP4/MKV/WebM/MOV and anything else FFmpeg reads.
soundfile is tried first; files whose extension says FFmpeg (or whose content libsndfile reads as
MP3) go to PyAV first, with soundfile as the last resort for misnamed files. Files libsndfile
misreads go to PyAV too: chained Ogg (it decodes the first link only) and any file whose length
it cannot know or believe (FLAC written to a pipe: it loses sync before the end). One backend is
chosen per file when it is opened, so decoding, envelope and playback reads always see the very
same samples.

API
---
``probe(path) -> AudioInfo``
    Opens the file, decodes (for PyAV) its first audio frame and returns the source format.
``AudioReader(path)``  (context manager; not thread-safe, one per thread)
    ``.info``, ``.warnings``, ``.blocks(block_frames) -> Iterator[(n, channels) float32]``,
    ``.read(start_frame, frames) -> (n, channels) float32``, ``.read_ms(start_ms, end_ms)``.
``iter_source_blocks(path, block_frames=65536) -> Iterator[np.ndarray]``
    float32 ``(n, channels)`` blocks at the source rate, about ``block_frames`` each (not
    necessarily C-contiguous). Opening errors are raised by the call itself, not on first use.
``decode(path, *, rate=16000, envelope=True, progress=None, cancel=None, ...) -> DecodedAudio``
    ONE streaming pass: each source block is downmixed to mono, fed to the envelope builder and
    to a streaming soxr resampler whose output is written into one preallocated float32 array.
    ``rate=None`` keeps the source rate. ``envelope`` may be ``True``/``False`` or an
    :class:`~aligner_core.envelope.EnvelopeBuilder` made by the caller (``EnvelopeBuilder(
    probe(path).sample_rate, expected_frames=info.frames)``), whose ``snapshot()`` a GUI timer can
    draw while a worker thread decodes.
``load_audio(path, rate=16000, *, progress=None, cancel=None) -> np.ndarray``
    Just the mono float32 samples.
``read_source_range(path, start_ms, end_ms) -> (np.ndarray, int)``
    float32 ``(n, channels)`` at the source rate plus that rate, for playing a span without
    decoding the whole file. soundfile seeks exactly (Ogg Vorbis excepted: libsndfile's Vorbis
    seek is off by a block at times, so those reads go through FFmpeg, which decodes the same
    samples). PyAV seeks half a second early and decodes forward; the first frame's timestamp is
    snapped onto the codec's constant frame grid, so positions match :func:`decode` to the
    sample for MP3/AAC/Opus even with MKV's 1 ms timestamps (otherwise within half a
    timestamp unit).
``downmix(block) -> np.ndarray``  plain mean of the channels (LFE included), float32.

Errors are :class:`AudioError` subclasses with a one-sentence message naming the file:
:class:`AudioFileNotFoundError`, :class:`AudioDecodeError` (not media, corrupt, unsupported,
unreadable, a FIFO or device: refused by kind before anything opens it, a sample rate below
``MIN_SAMPLE_RATE``), :class:`NoAudioStreamError` (e.g. a video without sound),
:class:`EmptyAudioError`. A file that decodes only in part (cut off, damaged packets) is not an
error: the readable part is returned and an :class:`~aligner_core.audio_messages.AudioWarning`
(a sentence with a code) is added to ``warnings``. So are the repairs of
:mod:`aligner_core.audio_sanity` (NaN, absurd sample values, channels that cancel), which
:func:`decode` makes with a second pass when the whole file calls for another mix.

Design notes
------------
* The envelope is built at the SOURCE rate from the mono downmix, in the same pass: the waveform
  shows what playback plays (which runs at the source rate), resampling's 8 kHz low-pass would
  flatten transients and shift peaks, and the envelope does not depend on the aligner's rate.
  Its bins are sized in time (4 ms to 4.1 s), so a 48 kHz source costs no more envelope memory
  than 16 kHz; the extra time is about 1.5 ns per source sample (min/max), below decoding and
  resampling.
* Memory: blocks are float32 from the decoder on (soundfile reads float32 directly; PyAV frames
  are converted per frame). The 16 kHz output is one ``np.empty`` array sized from the header
  (exact for soundfile, an estimate for PyAV), but never beyond what a file of its size holds
  (:mod:`aligner_core.audio_extent`: headers claiming 2**63 frames or 1 Hz exist), and grown/shrunk
  with ``ndarray.resize``, which reallocs without a second copy. A 3-hour file holds 691 MB of output plus about 29 MB of
  envelope, plus a few blocks (measured: 739 MB max RSS for a 3-hour 44.1 kHz stereo MP3).
* Video timeline: when a video's audio track starts later than its picture (an MKV with audio
  delay), that gap is inserted as leading silence (``AudioInfo.lead_in_frames``), so sample
  times are media times and subtitles line up with the picture. Cover art does not count.
* Channel layout or rate changes inside a stream (e.g. TV recordings switching 2.0 to 5.1) are
  converted to the first frame's layout and rate with FFmpeg's resampler (its own downmix matrix).
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Optional, Union

import numpy as np

from .audio_extent import MIN_SAMPLE_RATE, claim_is_plausible, estimate_frames, initial_frames, ogg_is_chained, rate_is_plausible
from .audio_messages import AudioWarning
from .audio_sanity import MixPlan, SampleCheck
from .envelope import Envelope, EnvelopeBuilder
from .messages import Message, msg
from .progress import CancelToken, ProgressCallback, Stage, SubProgress

__all__ = [
    "ALIGNER_RATE",
    "AudioDecodeError",
    "AudioError",
    "AudioFileNotFoundError",
    "AudioInfo",
    "AudioReader",
    "DecodedAudio",
    "EmptyAudioError",
    "NoAudioStreamError",
    "decode",
    "downmix",
    "iter_source_blocks",
    "load_audio",
    "probe",
    "read_source_range",
]

PathLike = Union[str, "os.PathLike[str]"]

ALIGNER_RATE = 16000
DEFAULT_BLOCK_FRAMES = 65536
PYAV_SEEK_PREROLL_S = 0.5

# Extensions libsndfile never reads well (or that we want decoded by FFmpeg, like MP3).
_FFMPEG_FIRST_EXTENSIONS = frozenset(
    ".mp3 .m4a .m4b .mp4 .m4v .aac .mkv .mka .webm .mov .avi .wmv .wma .ts .mts .m2ts .flv .3gp .ac3 .eac3 .dts .amr .mpg .mpeg .vob".split()
)
# FFmpeg demuxers that "open" text, images and the like: such a file is not media to us.
_NOT_MEDIA_FORMATS = frozenset({"tty", "image2", "lrc", "srt", "webvtt", "ass", "subviewer", "jacosub", "mpl2", "sami", "microdvd"})


class AudioError(Exception):
    """Any failure to read audio from a file; the message is one sentence naming the file
    (a :class:`~aligner_core.messages.Message`, so the editor can say it in the user's language)."""

    def __init__(self, message: "str | Message", path: Optional[PathLike] = None):
        super().__init__(message)
        self.path = os.fspath(path) if path is not None else None


class AudioFileNotFoundError(AudioError):
    """The path does not exist."""


class AudioDecodeError(AudioError):
    """Not a media file, damaged beyond use, an unsupported codec, or unreadable."""


class NoAudioStreamError(AudioError):
    """A media file without an audio track (e.g. a video-only MP4)."""


class EmptyAudioError(AudioError):
    """The file holds an audio track with no samples (or is 0 bytes)."""


@dataclass(frozen=True)
class AudioInfo:
    """The source format of a file's (first / best) audio track.

    ``frames`` counts source-rate frames including ``lead_in_frames``; it is exact when
    ``frames_exact`` (soundfile headers, or after a full decode) and an estimate from the
    container's duration otherwise (PyAV before decoding).
    """

    path: str
    sample_rate: int
    channels: int
    frames: int
    duration_ms: int
    codec: str
    container: str
    backend: str  # "soundfile" or "pyav"
    frames_exact: bool = True
    lead_in_frames: int = 0

    @property
    def duration(self) -> float:
        """Seconds (float), for display; the model uses ``duration_ms``."""
        return self.frames / self.sample_rate


@dataclass(frozen=True)
class DecodedAudio:
    """Result of :func:`decode`: mono float32 samples at ``sample_rate`` and the source's info."""

    samples: np.ndarray
    sample_rate: int
    info: AudioInfo
    envelope: Optional[Envelope]
    warnings: tuple[str, ...] = ()

    @property
    def duration_ms(self) -> int:
        return int(round(len(self.samples) * 1000 / self.sample_rate))


def _quoted(path: PathLike) -> str:
    return f"'{os.fspath(path)}'"


def _said(code: str, path: PathLike, **args: object) -> Message:
    return msg("audio_" + code, path=_quoted(path), **args)


def _undecodable(path: PathLike) -> AudioDecodeError:
    return AudioDecodeError(_said("undecodable", path), path)


def _empty(path: PathLike) -> EmptyAudioError:
    return EmptyAudioError(_said("empty", path), path)


def _check_path(path: PathLike) -> Path:
    p = Path(os.fspath(path))
    try:
        st = p.stat()
    except FileNotFoundError:
        raise AudioFileNotFoundError(_said("missing", p), p) from None
    except OSError as exc:
        raise AudioDecodeError(_said("unreadable", p, reason=exc.strerror or str(exc)), p) from None
    if stat.S_ISDIR(st.st_mode):
        raise AudioDecodeError(_said("folder", p), p)
    if not stat.S_ISREG(st.st_mode):
        # a FIFO or a device is never opened: the open of a FIFO without a writer never
        # returns, and /dev/zero or /dev/urandom never end
        from .outputs import _kind_name

        raise AudioDecodeError(_said("not_regular", p, kind=_kind_name(st.st_mode)), p)
    if not os.access(p, os.R_OK):
        raise AudioDecodeError(_said("permission", p), p)
    if st.st_size == 0:
        raise EmptyAudioError(_said("zero_bytes", p), p)
    return p


def downmix(block: np.ndarray) -> np.ndarray:
    """Mono float32 mean of a ``(n, channels)`` block (a 1-D input is returned as float32)."""
    x = np.asarray(block)
    if x.ndim == 1:
        return x.astype(np.float32, copy=False)
    channels = x.shape[1]
    if channels == 1:
        return np.ascontiguousarray(x[:, 0], dtype=np.float32)
    # Column adds in a fixed order (not a BLAS product, whose rounding depends on the block
    # length), so the same samples give the same mono whatever the block boundaries.
    out = x[:, 0].astype(np.float32, copy=True)
    for c in range(1, channels):
        out += x[:, c]
    out *= np.float32(1.0 / channels)
    return out


class _NotThisBackend(Exception):
    """The backend cannot read the file; ``kind`` says how bad it is for the final message."""

    def __init__(self, kind: str = "undecodable", detail: str = ""):
        super().__init__(detail or kind)
        self.kind = kind  # "undecodable", "empty", "no_audio", "codec"
        self.detail = detail


class _SoundfileReader:
    backend = "soundfile"

    def __init__(self, path: Path):
        import soundfile as sf

        self._sf = sf
        self.path = path
        self.warnings: list[str] = []
        try:
            self._file = sf.SoundFile(str(path))
        except Exception as exc:  # LibsndfileError, TypeError for odd headers, ...
            raise _NotThisBackend("undecodable", str(exc)) from None
        f = self._file
        if f.format == "MP3" or f.frames <= 0 or f.samplerate <= 0:
            kind = "undecodable" if f.format == "MP3" else "empty"
            f.close()
            raise _NotThisBackend(kind)
        self._seeker: Optional[_PyAVReader] = None
        size = path.stat().st_size
        frames, exact = int(f.frames), True
        container, subtype = str(f.format), str(f.subtype)
        if not claim_is_plausible(frames, size, int(f.channels), container, subtype):
            # unknown (FLAC written to a pipe) or more than the file can hold: count while decoding
            frames, exact = estimate_frames(size, int(f.channels), container, subtype), False
        # libsndfile fails with "lost sync" at the end of a FLAC of unknown length (dropping the
        # last partial block) and decodes only the first link of chained Ogg, calling it the
        # whole file; FFmpeg reads both to their true end
        self.ffmpeg_reads_better = not exact or (f.format == "OGG" and ogg_is_chained(path))
        self.info = AudioInfo(
            path=str(path),
            sample_rate=int(f.samplerate),
            channels=int(f.channels),
            frames=frames,
            duration_ms=int(round(frames * 1000 / f.samplerate)),
            codec=str(f.subtype).lower(),
            container=str(f.format).lower(),
            backend=self.backend,
            frames_exact=exact,
        )

    def blocks(self, block_frames: int) -> Iterator[np.ndarray]:
        f = self._file
        try:
            f.seek(0)
        except Exception:
            # a damaged FLAC can leave libsndfile unable to seek back after its header read
            raise AudioDecodeError(_said("damaged_start", self.path), self.path) from None
        done = 0
        while True:
            try:
                data = f.read(block_frames, dtype="float32", always_2d=True)
            except Exception:
                # libsndfile drops the whole failed read; re-read that stretch in small steps.
                salvaged = self._salvage(done, block_frames)
                if len(salvaged):
                    done += len(salvaged)
                    yield salvaged
                self.warnings.append(AudioWarning("damaged_after", path=_quoted(self.path), seconds=done / self.info.sample_rate))
                return
            if len(data) == 0:
                break
            done += len(data)
            yield data
        if self.info.frames_exact and done < self.info.frames:
            self.warnings.append(
                AudioWarning("ended_early", path=_quoted(self.path), seconds=done / self.info.sample_rate, announced=self.info.frames / self.info.sample_rate)
            )

    def _salvage(self, start: int, limit: int) -> np.ndarray:
        parts: list[np.ndarray] = []
        got = 0
        try:
            self._file.close()
            self._file = self._sf.SoundFile(str(self.path))
            self._file.seek(start)
            while got < limit:
                part = self._file.read(1024, dtype="float32", always_2d=True)
                if len(part) == 0:
                    break
                parts.append(part)
                got += len(part)
        except Exception:
            pass
        if not parts:
            return np.zeros((0, self.info.channels), dtype=np.float32)
        return np.concatenate(parts)

    def read(self, start: int, frames: int) -> np.ndarray:
        f = self._file
        start = max(0, start)
        if self.info.frames_exact:
            start = min(start, self.info.frames)
            frames = min(frames, self.info.frames - start)
        frames = max(0, frames)
        if frames == 0:
            return np.zeros((0, self.info.channels), dtype=np.float32)
        if self.info.codec == "vorbis":
            # libsndfile's Vorbis seek is not sample-exact (libsndfile issue #885); FFmpeg's
            # decoder gives the same samples (within 3e-7) and seeks exactly.
            try:
                if self._seeker is None:
                    self._seeker = _PyAVReader(self.path)
                return self._seeker.read(start, frames)
            except _NotThisBackend:
                pass
        try:
            f.seek(start)
            return f.read(frames, dtype="float32", always_2d=True)
        except Exception:
            return self._salvage(start, frames)[:frames]

    def close(self) -> None:
        self._file.close()
        if self._seeker is not None:
            self._seeker.close()


def _frame_to_planar(frame, channels: int) -> np.ndarray:
    """An av.AudioFrame as float32 ``(channels, samples)``."""
    a = frame.to_ndarray()
    if not frame.format.is_planar:
        a = a.reshape(-1, channels).T
    if a.dtype == np.float32:
        return a
    if a.dtype == np.uint8:
        return (a.astype(np.float32) - 128.0) * np.float32(1 / 128)
    if a.dtype.kind == "i":
        return a.astype(np.float32) * np.float32(1.0 / (1 << (8 * a.dtype.itemsize - 1)))
    return a.astype(np.float32)


class _PyAVReader:
    backend = "pyav"

    def __init__(self, path: Path):
        import av

        self._av = av
        self.path = path
        self.warnings: list[str] = []
        self._bad_packets = 0
        self._container = None
        self._open()
        try:
            self._probe()
        except BaseException:
            self.close()
            raise
        self._fresh = True  # positioned just after probing, with the probed frames pending

    def _open(self) -> None:
        av = self._av
        if self._container is not None:
            self._container.close()
        try:
            # "file:" keeps FFmpeg from reading a colon in the name as a protocol prefix.
            self._container = av.open("file:" + str(self.path.resolve()), metadata_errors="ignore")
        except Exception as exc:  # av.FFmpegError, UnicodeDecodeError, ...
            raise _NotThisBackend("undecodable", str(exc)) from None
        container = self._container
        audio = list(container.streams.audio)
        if not audio:
            fmt = container.format.name if container.format else ""
            not_media = fmt in _NOT_MEDIA_FORMATS or fmt.endswith("_pipe") or not self._video_streams()
            raise _NotThisBackend("undecodable" if not_media else "no_audio")
        try:
            self._stream = container.streams.best("audio") or audio[0]
        except Exception:
            self._stream = audio[0]
        try:
            rate = self._stream.codec_context.sample_rate
        except Exception as exc:
            raise _NotThisBackend("codec", str(exc)) from None
        if not rate:
            raise _NotThisBackend("undecodable")  # FFmpeg found no audio parameters: not really audio
        self._packets = container.demux(self._stream)
        self._pending: list = []  # frames decoded while probing, not yet handed out

    def _video_streams(self) -> list:
        """Picture streams, not counting cover art (an attached picture in an MP3 or M4A)."""
        attached = self._av.stream.Disposition.attached_pic
        return [s for s in self._container.streams.video if not (s.disposition & attached)]

    def _next_packet_frames(self) -> Optional[list]:
        """All frames of the next packet that decodes ([] for a damaged one); None at the end."""
        av = self._av
        try:
            packet = next(self._packets)
        except StopIteration:
            return None
        except av.FFmpegError:
            self.warnings.append(AudioWarning("stopped_at_damage", path=_quoted(self.path)))
            return None
        try:
            return list(packet.decode())
        except av.FFmpegError:
            self._bad_packets += 1
            return []

    def _raw_frames(self) -> Iterator:
        while self._pending:
            yield self._pending.pop(0)
        while True:
            frames = self._next_packet_frames()
            if frames is None:
                return
            yield from frames

    def _probe(self) -> None:
        stream = self._stream
        ctx = stream.codec_context
        audible: list = []
        try:
            while len(audible) < 2:
                frames = self._next_packet_frames()
                if frames is None:
                    break
                self._pending.extend(frames)
                audible.extend(f for f in frames if f.samples > 0)
        except Exception as exc:
            raise _NotThisBackend("codec", str(exc)) from None
        if not audible:
            raise _NotThisBackend("undecodable" if self._bad_packets else "empty")
        first = audible[0]
        second = audible[1] if len(audible) > 1 else None
        # The decoded frame, not the header: HE-AAC doubles the rate, parametric stereo adds a channel.
        self._rate = int(first.sample_rate)
        self._channels = int(first.layout.nb_channels)
        self._layout = first.layout.name
        self._t0 = float(first.time) if first.time is not None else 0.0
        # Frames after the first lie on a grid of constant size in most codecs; seek positions
        # computed from coarse timestamps (MKV: 1 ms) are snapped onto it when close enough.
        self._grid = (first.samples, second.samples) if second is not None else None
        tb = float(stream.time_base) if stream.time_base else 0.0
        self._snap_tolerance = int(self._rate * tb / 2) + 1
        container = self._container
        lead_in = 0
        video_starts = [float(s.start_time * s.time_base) for s in self._video_streams() if s.start_time is not None]
        if video_starts and first.time is not None:
            # Players put time zero at the earliest stream; audio that starts later than the
            # picture is padded, so sample times are the video's times.
            offset = self._t0 - min(video_starts + [self._t0])
            if 0 < offset < 3600:
                lead_in = int(round(offset * self._rate))
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000 - max(0.0, self._t0 - (container.start_time or 0) / 1_000_000)
        frames = lead_in + max(0, int(round((duration or 0.0) * self._rate)))
        codec = ctx.codec.name if ctx.codec is not None else (ctx.name or "unknown")
        if codec.endswith("float") and codec.startswith("mp"):
            codec = codec[: -len("float")]
        self.info = AudioInfo(
            path=str(self.path),
            sample_rate=self._rate,
            channels=self._channels,
            frames=frames,
            duration_ms=int(round(frames * 1000 / self._rate)),
            codec=codec,
            container=container.format.name,
            backend=self.backend,
            frames_exact=False,
            lead_in_frames=lead_in,
        )

    def _planar_frames(self) -> Iterator[tuple[Optional[float], np.ndarray]]:
        """Decoded frames as (stream time or None, float32 (channels, n)) in the first frame's layout and rate."""
        av = self._av
        converter = None
        converter_key = None
        target_key = (self._rate, self._channels)
        for frame in self._raw_frames():
            if frame.samples == 0:
                continue
            key = (int(frame.sample_rate), int(frame.layout.nb_channels))
            if key == target_key and converter is None:
                yield frame.time, _frame_to_planar(frame, self._channels)
                continue
            if key != converter_key:
                if converter is not None:
                    for out in converter.resample(None):
                        yield None, _frame_to_planar(out, self._channels)
                converter, converter_key = None, None
                if key == target_key:
                    yield frame.time, _frame_to_planar(frame, self._channels)
                    continue
                converter = av.AudioResampler(format="fltp", layout=self._layout, rate=self._rate)
                converter_key = key
            for out in converter.resample(frame):
                yield None, _frame_to_planar(out, self._channels)
        if converter is not None:
            for out in converter.resample(None):
                yield None, _frame_to_planar(out, self._channels)
        if self._bad_packets:
            self.warnings.append(AudioWarning("bad_packets", path=_quoted(self.path), count=self._bad_packets))

    def _restart(self) -> None:
        if not self._fresh:
            self._open()
            self._bad_packets = 0
        self._fresh = False

    def blocks(self, block_frames: int) -> Iterator[np.ndarray]:
        self._restart()
        lead = self.info.lead_in_frames
        while lead > 0:
            n = min(lead, block_frames)
            yield np.zeros((n, self._channels), dtype=np.float32)
            lead -= n
        parts: list[np.ndarray] = []
        have = 0
        for _, planar in self._planar_frames():
            parts.append(planar)
            have += planar.shape[1]
            if have >= block_frames:
                yield (parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)).T
                parts, have = [], 0
        if parts:
            yield (parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)).T

    def read(self, start: int, frames: int) -> np.ndarray:
        ch = self._channels
        start = max(0, start)
        frames = max(0, frames)
        out = np.zeros((frames, ch), dtype=np.float32)
        if frames == 0:
            return out
        end = start + frames
        lead = self.info.lead_in_frames
        if end <= lead:
            return out
        filled = min(lead, end) - start if start < lead else 0
        want_time = self._t0 + (max(start, lead) - lead) / self._rate
        positioned = self._seek_frames(want_time - PYAV_SEEK_PREROLL_S)
        if positioned is None:
            positioned = self._sequential_frames()
        for pos, planar in positioned:
            n = planar.shape[1]
            if pos + n <= start:
                continue
            if pos >= end:
                break
            a, b = max(pos, start), min(pos + n, end)
            out[a - start : b - start] = planar[:, a - pos : b - pos].T
            filled = b - start
        return out[: max(0, filled)]

    def _sequential_frames(self) -> Iterator[tuple[int, np.ndarray]]:
        self._open()
        self._fresh = False
        pos = self.info.lead_in_frames
        for _, planar in self._planar_frames():
            yield pos, planar
            pos += planar.shape[1]

    def _seek_frames(self, target_time: float) -> Optional[Iterator[tuple[int, np.ndarray]]]:
        """Frames with their sample positions after seeking before ``target_time``; None if unusable."""
        if target_time <= self._t0:
            return None
        stream = self._stream
        self._fresh = False
        try:
            self._container.seek(int(target_time / stream.time_base), stream=stream, backward=True, any_frame=False)
            stream.codec_context.flush_buffers()
        except Exception:
            return None
        self._pending = []
        self._packets = self._container.demux(stream)
        frames = self._planar_frames()
        try:
            t, planar = next(frames)
        except StopIteration:
            return None
        if t is None or t > target_time + 1e-6:
            return None  # seek overshot or no timestamps: only a sequential decode is exact
        lead = self.info.lead_in_frames

        def positioned() -> Iterator[tuple[int, np.ndarray]]:
            # Anchor on the first frame's timestamp, then count samples: container timestamps
            # may be rounded (MKV: 1 ms), sample counts are not.
            pos = self._snap(lead + int(round((t - self._t0) * self._rate)), planar.shape[1])
            yield pos, planar
            pos += planar.shape[1]
            for _, more in frames:
                yield pos, more
                pos += more.shape[1]

        return positioned()

    def _snap(self, pos: int, frame_samples: int) -> int:
        if self._grid is None:
            return pos
        first, step = self._grid
        if frame_samples != step:
            return pos
        origin = self.info.lead_in_frames + first
        k = round((pos - origin) / step)
        snapped = origin + k * step
        return snapped if k >= 0 and abs(snapped - pos) <= self._snap_tolerance else pos

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None


class AudioReader:
    """An open media file for streaming reads at the source rate (use as a context manager)."""

    def __init__(self, path: PathLike):
        p = _check_path(path)
        order = (_PyAVReader, _SoundfileReader) if p.suffix.lower() in _FFMPEG_FIRST_EXTENSIONS else (_SoundfileReader, _PyAVReader)
        kinds: list[str] = []
        details: list[str] = []
        if order[0] is _PyAVReader:
            # libsndfile never decodes these better than FFmpeg, and its MP3 decoder prints
            # "Illegal Audio-MPEG-Header" notes straight to stderr on files that are not MP3.
            order = (_PyAVReader,)
        for backend in order:
            try:
                self._impl = backend(p)
                break
            except _NotThisBackend as exc:
                kinds.append(exc.kind)
                details.append(exc.detail)
        else:
            self._impl = None
        if isinstance(self._impl, _SoundfileReader) and self._impl.ffmpeg_reads_better:
            try:
                better = _PyAVReader(p)
            except _NotThisBackend:
                pass  # keep libsndfile's reading of it
            else:
                self._impl.close()
                self._impl = better
        if self._impl is None:
            if "no_audio" in kinds:
                raise NoAudioStreamError(_said("no_track", p), p)
            if "empty" in kinds:
                raise _empty(p)
            if "codec" in kinds:
                raise AudioDecodeError(_said("codec", p), p)
            raise _undecodable(p)
        self.path = p
        info: AudioInfo = self._impl.info
        if not rate_is_plausible(info.sample_rate):
            self._impl.close()
            raise AudioDecodeError(_said("bad_rate", p, rate=info.sample_rate, minimum=MIN_SAMPLE_RATE), p)
        self.size_bytes = p.stat().st_size
        played = info.frames - info.lead_in_frames
        if not info.frames_exact and not claim_is_plausible(played, self.size_bytes, info.channels, info.container, info.codec):
            # no duration (a stream written to a pipe), or one no content of this size can fill
            frames = info.lead_in_frames + estimate_frames(self.size_bytes, info.channels, info.container, info.codec)
            info = replace(info, frames=frames, duration_ms=int(round(frames * 1000 / info.sample_rate)))
            self._impl.info = info
        self.info = info

    @property
    def warnings(self) -> list[str]:
        """Sentences about damage met so far (a cut-off file, skipped packets)."""
        return self._impl.warnings

    def blocks(self, block_frames: int = DEFAULT_BLOCK_FRAMES) -> Iterator[np.ndarray]:
        """The whole file from its start, as float32 ``(n, channels)`` blocks of about ``block_frames``."""
        if block_frames < 1:
            raise ValueError("block_frames must be positive")
        return self._impl.blocks(int(block_frames))

    def read(self, start_frame: int, frames: int) -> np.ndarray:
        """``frames`` source frames from ``start_frame`` (fewer at the end of the file)."""
        return np.ascontiguousarray(self._impl.read(int(start_frame), int(frames)))

    def read_ms(self, start_ms: float, end_ms: float) -> np.ndarray:
        rate = self.info.sample_rate
        start = int(round(start_ms * rate / 1000))
        end = int(round(end_ms * rate / 1000))
        return self.read(start, max(0, end - start))

    def close(self) -> None:
        self._impl.close()

    def __enter__(self) -> "AudioReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def probe(path: PathLike) -> AudioInfo:
    """The source format of ``path``'s audio; raises :class:`AudioError` if it has none."""
    with AudioReader(path) as reader:
        return reader.info


def iter_source_blocks(path: PathLike, block_frames: int = DEFAULT_BLOCK_FRAMES) -> Iterator[np.ndarray]:
    """float32 ``(n, channels)`` blocks of the whole file at its source rate."""
    reader = AudioReader(path)

    def generate() -> Iterator[np.ndarray]:
        with reader:
            yield from reader.blocks(block_frames)

    return generate()


def read_source_range(path: PathLike, start_ms: float, end_ms: float) -> tuple[np.ndarray, int]:
    """Source-rate float32 ``(n, channels)`` samples of ``[start_ms, end_ms)`` and the source rate."""
    with AudioReader(path) as reader:
        return reader.read_ms(start_ms, end_ms), reader.info.sample_rate


class _GrowableArray:
    """A float32 output array sized from an estimate; grows and shrinks by realloc, not by copying."""

    def __init__(self, capacity: int):
        self.data = np.empty(max(1024, capacity), dtype=np.float32)
        self.n = 0

    def append(self, x: np.ndarray) -> None:
        k = len(x)
        if self.n + k > len(self.data):
            self.data.resize(max(self.n + k, int(len(self.data) * 1.25)), refcheck=False)
        self.data[self.n : self.n + k] = x
        self.n += k

    def finish(self) -> np.ndarray:
        if self.n != len(self.data):
            self.data.resize(self.n, refcheck=False)
        return self.data


def decode(
    path: PathLike,
    *,
    rate: Optional[int] = ALIGNER_RATE,
    envelope: Union[bool, EnvelopeBuilder] = True,
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[CancelToken] = None,
    block_frames: int = DEFAULT_BLOCK_FRAMES,
    quality: str = "HQ",
) -> DecodedAudio:
    """Decode ``path`` to mono float32 at ``rate`` (None: the source rate) in one streaming pass.

    The envelope (if requested) is built at the source rate from the mono downmix. Progress is
    reported as ``(fraction, "Decoding audio")``; ``cancel`` is checked between blocks and raises
    :class:`~aligner_core.progress.Cancelled`. A file whose samples need another mix (a wrong
    scale, channels that cancel: see :mod:`aligner_core.audio_sanity`) is decoded a second time
    with it, reported as ``"Re-mixing audio"``; ``warnings`` then says what was done.
    """
    report = SubProgress(progress)
    report(0.0, Stage("stage_decoding"))
    if cancel is not None:
        cancel.raise_if_cancelled()
    with AudioReader(path) as reader:
        info = reader.info
        src_rate = info.sample_rate
        out_rate = src_rate if rate is None else int(rate)
        if out_rate <= 0:
            raise ValueError("rate must be positive")
        builder: Optional[EnvelopeBuilder]
        if isinstance(envelope, EnvelopeBuilder):
            if envelope.sample_rate != src_rate:
                raise ValueError(f"the envelope builder's rate {envelope.sample_rate} is not the source rate {src_rate}")
            builder = envelope
        elif envelope:
            builder = EnvelopeBuilder(src_rate, expected_frames=info.frames)
        else:
            builder = None
        check = SampleCheck(info.channels)
        first = _Pass(reader, out_rate, builder, quality)
        first.run(MixPlan(), check, block_frames, report, Stage("stage_decoding"), cancel)
        plan = check.plan()
        result = first
        if plan != MixPlan() and first.done:
            first.out = None  # never two outputs at once
            if builder is not None:
                builder.restart()
            result = _Pass(reader, out_rate, builder, quality)
            result.run(plan, None, block_frames, report, Stage("stage_remixing"), cancel)
        # dict.fromkeys: a second pass meets the same damage again
        warnings = tuple(dict.fromkeys([*reader.warnings, *check.warnings(_quoted(info.path), plan)]))
    done = result.done
    if done == 0:
        raise _undecodable(info.path) if warnings else _empty(info.path)
    samples = result.out.finish()
    info = replace(info, frames=done, duration_ms=int(round(done * 1000 / src_rate)), frames_exact=True)
    env = builder.finish() if builder is not None else None
    report(1.0, Stage("stage_decoding"))
    return DecodedAudio(samples=samples, sample_rate=out_rate, info=info, envelope=env, warnings=warnings)


class _Pass:
    """One pass over a file's blocks: mixed to mono, fed to the envelope and the resampler."""

    def __init__(self, reader: AudioReader, out_rate: int, builder: Optional[EnvelopeBuilder], quality: str):
        import soxr

        info = reader.info
        self.reader = reader
        self.builder = builder
        self.resampler = None
        if out_rate != info.sample_rate:
            self.resampler = soxr.ResampleStream(info.sample_rate, out_rate, 1, dtype="float32", quality=quality)
        # sized from the header only as far as a file of this size can fill it; the rest grows
        expected = initial_frames(info.frames, reader.size_bytes)
        slack = 1.0 if info.frames_exact else 1.02
        self.out: Optional[_GrowableArray] = _GrowableArray(int(math.ceil(expected * out_rate / info.sample_rate * slack)) + 64)
        self.expected = max(1, info.frames)
        self.done = 0

    def run(self, plan: MixPlan, check: Optional[SampleCheck], block_frames: int, report, stage: str, cancel: Optional[CancelToken]) -> None:
        for block in self.reader.blocks(block_frames):
            if cancel is not None:
                cancel.raise_if_cancelled()
            clean = check.repair(block) if check is not None else plan.repair(block)
            mono = plan.mono(clean)
            if check is not None:
                check.measure(clean, mono)
            if self.builder is not None:
                self.builder.feed(mono)
            self.out.append(self.resampler.resample_chunk(mono) if self.resampler is not None else mono)
            self.done += len(mono)
            report(min(0.99, self.done / self.expected), stage)
        if self.resampler is not None:
            self.out.append(self.resampler.resample_chunk(np.zeros(0, dtype=np.float32), last=True))


def load_audio(
    path: PathLike,
    rate: Optional[int] = ALIGNER_RATE,
    *,
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[CancelToken] = None,
) -> np.ndarray:
    """Mono float32 samples of ``path`` at ``rate`` (no envelope)."""
    return decode(path, rate=rate, envelope=False, progress=progress, cancel=cancel).samples
