"""The bad-input corpus, generated at run time: shared by the reliability tests and bench/reliability.py.

Nothing binary is checked in: every case writes its files into a folder it is given. A case names
what it breaks (``audio``, ``transcript``, ``subtitles`` or ``project``), builds one file, and says
what a sound program must do with it:

- ``"error"``: refuse it with one sentence (CLI: exit 2, one line on stderr; GUI: a message);
- ``"ok"``: take it (perhaps with a warning);
- ``"either"``: refusing and taking are both fine, as long as it is one or the other cleanly.

No pytest and no Qt here, so the bench script can import it on a machine without either.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
JFK = REPO / "resources" / "examples" / "jfk.flac"
JFK_TXT = REPO / "resources" / "examples" / "jfk.txt"
SHORT_TEXT = "And so my fellow Americans"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # audio | transcript | subtitles | project
    build: Callable[[Path], Path]
    expect: str  # error | ok | either
    slow: bool = False  # aligned for real by the CLI (a few seconds with sphinx)
    # extra ``wordsync align`` arguments (or a function of the case's folder that gives them), and
    # the output file's name (its extension picks the format)
    args: tuple[str, ...] | Callable[[Path], tuple[str, ...]] = ()
    out_name: str = "out.srt"
    # after a success: what is wrong with the output (given the output path and stderr), or None
    check: Callable[[Path, str], str | None] | None = None
    # the ``wordsync`` command the case runs: ``align`` (AUDIO TRANSCRIPT) or ``transcribe`` (AUDIO alone)
    command: str = "align"


# -- audio ---------------------------------------------------------------------------------------


def _jfk_clip(seconds: float = 2.5) -> tuple[np.ndarray, int]:
    import soundfile as sf

    data, rate = sf.read(str(JFK), dtype="float32", always_2d=True)
    return data[: int(seconds * rate)], rate


def _resample(data: np.ndarray, rate: int, new_rate: int) -> np.ndarray:
    n = int(round(len(data) * new_rate / rate))
    x = np.linspace(0, len(data) - 1, n)
    return np.stack([np.interp(x, np.arange(len(data)), data[:, c]) for c in range(data.shape[1])], axis=1).astype(np.float32)


def _write_sf(path: Path, data: np.ndarray, rate: int, **kw) -> Path:
    import soundfile as sf

    sf.write(str(path), data, rate, **kw)
    return path


def _truncated(folder: Path) -> Path:
    raw = JFK.read_bytes()
    path = folder / "truncated.flac"
    path.write_bytes(raw[: len(raw) // 3])
    return path


def _corrupt(folder: Path) -> Path:
    raw = bytearray(JFK.read_bytes())
    rng = np.random.default_rng(1)
    for pos in rng.integers(200, len(raw), 400):
        raw[int(pos)] ^= 0xFF
    path = folder / "corrupt.flac"
    path.write_bytes(bytes(raw))
    return path


def _header_only(folder: Path) -> Path:
    raw = JFK.read_bytes()
    path = folder / "header_only.flac"
    path.write_bytes(raw[:64])
    return path


def _zero_bytes(folder: Path) -> Path:
    path = folder / "empty.wav"
    path.write_bytes(b"")
    return path


def _zero_frames(folder: Path) -> Path:
    path = folder / "no_frames.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
    return path


def _silence(folder: Path) -> Path:
    return _write_sf(folder / "silence.wav", np.zeros((16000 * 3, 1), np.float32), 16000)


def _rate(new_rate: int) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        data, rate = _jfk_clip()
        return _write_sf(folder / f"jfk_{new_rate}.wav", _resample(data, rate, new_rate), new_rate)

    return build


def _six_channels(folder: Path) -> Path:
    data, rate = _jfk_clip()
    return _write_sf(folder / "jfk_6ch.wav", np.repeat(data, 6, axis=1) * 0.3, rate)


def _video_without_audio(folder: Path) -> Path:
    from tests.core.media import write_av

    return write_av(folder / "silent_film.mp4", None, 16000, None, video_codec="mpeg4", video_seconds=1.0)


def _not_media(folder: Path) -> Path:
    path = folder / "report.wav"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    return path


def _text_named_mp3(folder: Path) -> Path:
    path = folder / "notes.mp3"
    path.write_text("These are my notes, not a song.\n" * 50, encoding="utf-8")
    return path


def _nan_samples(folder: Path) -> Path:
    data = np.full((16000, 1), np.nan, np.float32)
    data[::7] = np.inf
    return _write_sf(folder / "nan.wav", data, 16000, subtype="FLOAT")


def _one_sample(folder: Path) -> Path:
    return _write_sf(folder / "one_sample.wav", np.full((1, 1), 0.5, np.float32), 16000)


def _mp3_cut(folder: Path) -> Path:
    from tests.core.media import write_av

    data, rate = _jfk_clip(4.0)
    path = write_av(folder / "cut.mp3", data, rate, "libmp3lame")
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2 + 17])  # in the middle of a frame
    return path


def _folder(name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.mkdir()
        return path

    return build


AUDIO_CASES = [
    Case("audio: truncated FLAC", "audio", _truncated, "either"),
    Case("audio: corrupt FLAC (400 flipped bytes)", "audio", _corrupt, "either"),
    Case("audio: FLAC header only", "audio", _header_only, "error"),
    Case("audio: zero-length file", "audio", _zero_bytes, "error"),
    Case("audio: WAV with no frames", "audio", _zero_frames, "error"),
    Case("audio: silence only", "audio", _silence, "either", slow=True),
    Case("audio: 8 kHz", "audio", _rate(8000), "ok", slow=True),
    Case("audio: 96 kHz", "audio", _rate(96000), "ok", slow=True),
    Case("audio: 6 channels", "audio", _six_channels, "ok", slow=True),
    Case("audio: video without an audio track", "audio", _video_without_audio, "error"),
    Case("audio: not media at all", "audio", _not_media, "error"),
    Case("audio: text named .mp3", "audio", _text_named_mp3, "error"),
    Case("audio: NaN and infinite samples", "audio", _nan_samples, "either", slow=True),
    Case("audio: a single sample", "audio", _one_sample, "either"),
    Case("audio: 24-bit 192 kHz", "audio", lambda f: _write_sf(f / "hi.wav", _resample(*_jfk_clip(), 192000), 192000, subtype="PCM_24"), "ok", slow=True),
    Case("audio: MP3 cut mid-frame", "audio", _mp3_cut, "either", slow=True),
    Case("audio: a folder named .wav", "audio", _folder("album.wav"), "error"),
]

# -- transcripts ---------------------------------------------------------------------------------


def _text(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return path

    return build


def _binary() -> bytes:
    return np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8).tobytes()


TRANSCRIPT_CASES = [
    Case("transcript: empty", "transcript", _text("empty.txt", b""), "error"),
    Case("transcript: whitespace only", "transcript", _text("blank.txt", " \n\t\r\n  \u3000\n"), "error"),
    Case("transcript: punctuation only", "transcript", _text("punct.txt", "... !!! ?? -- ,,, ;;; ()"), "error"),
    Case("transcript: emoji only", "transcript", _text("emoji.txt", "\U0001F600 \U0001F44D\U0001F3FD \U0001F1EB\U0001F1F7"), "either"),
    Case("transcript: emoji among words", "transcript", _text("emoji_words.txt", SHORT_TEXT + " \U0001F1FA\U0001F1F8\U0001F389"), "ok", slow=True),
    Case("transcript: mixed scripts", "transcript", _text("mixed.txt", SHORT_TEXT + " 我的同胞 Привет مرحبا こんにちは"), "either", slow=True),
    Case("transcript: one 1 MB line", "transcript", _text("huge.txt", ("fellow americans " * 62000)[:1 << 20]), "either", slow=True),
    Case("transcript: Latin-1 bytes", "transcript", _text("latin1.txt", (SHORT_TEXT + " café naïve").encode("latin-1")), "ok", slow=True),
    Case("transcript: UTF-16 without BOM", "transcript", _text("utf16.txt", SHORT_TEXT.encode("utf-16-le")), "either", slow=True),
    Case("transcript: binary data", "transcript", _text("binary.txt", _binary()), "error"),
    Case("transcript: NUL bytes among words", "transcript", _text("nul.txt", b"And so\x00my\x00 fellow Americans"), "either", slow=True),
    Case("transcript: extra sentences", "transcript", _text("extra.txt", SHORT_TEXT + ". " + "Ask not what your country can do for you. " * 6), "ok", slow=True),
    Case("transcript: missing sentences", "transcript", _text("missing.txt", "Americans"), "ok", slow=True),
    Case("transcript: GB18030 Chinese", "transcript", _text("zh.txt", "我的美国同胞们，不要问国家能为你们做些什么。".encode("gb18030")), "either"),
    Case("transcript: a folder named .txt", "transcript", _folder("notes.txt"), "error"),
]

# -- subtitles -----------------------------------------------------------------------------------

SUBTITLE_CASES = [
    Case("srt: overlapping cues", "subtitles", _text("overlap.srt", "1\n00:00:00,000 --> 00:00:02,000\nAnd so my\n\n2\n00:00:01,000 --> 00:00:00,500\nfellow Americans\n"), "either", slow=True),
    Case("srt: negative time", "subtitles", _text("negative.srt", "1\n-00:00:01,000 --> 00:00:01,000\nAnd so my fellow\n\n2\n00:00:01,000 --> 00:00:02,000\nAmericans\n"), "either", slow=True),
    Case("srt: missing times", "subtitles", _text("notimes.srt", "1\nAnd so my fellow\n\n2\nAmericans\n"), "either"),
    Case("srt: garbled times", "subtitles", _text("garbled.srt", "1\n00:0x:00,000 --> 00:00:99,999\nAnd so\n\n2\n99:99 --> ::\nmy fellow Americans\n"), "either"),
    Case("srt: binary after the header", "subtitles", _text("binary.srt", b"1\n00:00:00,000 --> 00:00:01,000\n" + _binary()), "either"),
    Case("vtt: overlapping cues", "subtitles", _text("overlap.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nAnd so my\n\n00:01.000 --> 00:01.500\nfellow Americans\n"), "either", slow=True),
    Case("vtt: end before start", "subtitles", _text("backwards.vtt", "WEBVTT\n\n00:02.000 --> 00:01.000\nAnd so my fellow Americans\n"), "either", slow=True),
    Case("vtt: header only", "subtitles", _text("header.vtt", "WEBVTT\n\n"), "error"),
    Case("vtt: garbled times", "subtitles", _text("garbled.vtt", "WEBVTT\n\nxx:00.000 --> 00:0z.000\nAnd so\n"), "either"),
    Case("srt: UTF-16 with BOM and CRLF", "subtitles", _text("utf16.srt", "1\r\n00:00:00,000 --> 00:00:02,000\r\nAnd so my fellow Americans\r\n".encode("utf-16")), "ok", slow=True),
    Case("ass: no events", "subtitles", _text("empty.ass", "[Script Info]\nTitle: x\n\n[Events]\nFormat: Layer, Start, End, Text\n"), "error"),
]

# -- projects (the GUI and load_project; the CLI does not read projects) -------------------------


def good_project_dict() -> dict:
    """A sound two-word project as save_project writes it, pointing at the JFK example."""
    import tempfile

    from aligner_core.document import Cue, Document, Token
    from aligner_core.project import Project, save_project

    doc = Document([Token("And", ("and",), 100, 300, 0.9, sep=" "), Token("so", ("so",), 400, 600, 0.9)], [Cue(0, 1, 100, 600)], 11000, "en")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.wordsync"
        save_project(Project(doc, audio_path=JFK, transcript_text="And so"), path)
        return json.loads(path.read_text(encoding="utf-8"))


def _project(name: str, mutate: Callable[[dict], object] | None = None, raw: bytes | None = None) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        if raw is not None:
            path.write_bytes(raw)
            return path
        data = good_project_dict()
        if mutate is not None:
            mutate(data)
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return build


def _truncated_project(folder: Path) -> Path:
    path = folder / "cut.wordsync"
    text = json.dumps(good_project_dict())
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return path


def _set(path: tuple, value) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        obj = data
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value

    return mutate


PROJECT_CASES = [
    Case("project: truncated", "project", _truncated_project, "error"),
    Case("project: empty", "project", _project("empty.wordsync", raw=b""), "error"),
    Case("project: binary", "project", _project("binary.wordsync", raw=_binary()), "error"),
    Case("project: a pickle", "project", _project("pickle.wordsync", raw=b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02e."), "error"),
    Case("project: newer version", "project", _project("new.wordsync", _set(("version",), 99)), "error"),
    Case("project: hand-edited, text column too short", "project", _project("short.wordsync", _set(("document", "tokens", "text"), ["And"])), "error"),
    Case("project: hand-edited, time is a string", "project", _project("str.wordsync", _set(("document", "tokens", "start"), ["0", 400])), "error"),
    Case("project: hand-edited, cue past the words", "project", _project("cue.wordsync", _set(("document", "cues", "last"), [7])), "error"),
    Case("project: hand-edited, NaN", "project", _project("nan.wordsync", raw=json.dumps(good_project_dict()).replace("0.9", "NaN", 1).encode()), "error"),
    Case("project: hand-edited, huge integer", "project", _project("bigint.wordsync", raw=json.dumps(good_project_dict()).replace("11000", "9" * 5000).encode()), "error"),
    Case("project: deeply nested", "project", _project("deep.wordsync", raw=b'{"format": "wordsync-project", "version": 2, "x": ' + b"[" * 100000 + b"]" * 100000 + b"}"), "error"),
    Case("project: audio path outside, relative", "project", _project("escape.wordsync", _set(("audio",), {"path": "../../../../../../etc/passwd", "absolute": "/etc/passwd"})), "either"),
]

ALL_CASES = AUDIO_CASES + TRANSCRIPT_CASES + SUBTITLE_CASES + PROJECT_CASES


def cli_pairs(case: Case, folder: Path) -> tuple[Path, Path]:
    """(audio, transcript) for ``wordsync align``: the broken file with a sound partner."""
    if case.kind == "audio":
        text = folder / "partner.txt"
        text.write_text(SHORT_TEXT, encoding="utf-8")
        return case.build(folder), text
    clip, rate = _jfk_clip()
    audio = _write_sf(folder / "partner.wav", clip, rate)
    return audio, case.build(folder)


def cli_argv(case: Case, audio: Path, transcript: Path, out: Path) -> list[str]:
    """The ``wordsync align`` (or ``transcribe``) arguments the tests and the bench run a case with."""
    extra = case.args(out.parent) if callable(case.args) else case.args
    if case.command == "transcribe":
        if "--asr" not in extra:
            extra = ("--asr", "sphinx", *extra)
        return ["transcribe", str(audio), "-o", str(out), *extra]
    if "--aligner" not in extra:
        extra = ("--aligner", "sphinx", *extra)
    return ["align", str(audio), str(transcript), "-o", str(out), *extra]


def run_cli(argv: list[str]) -> int:
    """``wordsync ARGV`` in this process, as the entry point dispatches it (without the editor)."""
    if argv[0] == "transcribe":
        from aligner_core.transcribe_cli import main as transcribe_main

        return transcribe_main(argv)
    from aligner_core.cli import main as align_main

    return align_main(argv)


def check_success(case: Case, out: Path, stderr: str) -> str | None:
    """What is wrong with a case that exited 0, or None."""
    if not (out.is_file() and out.stat().st_size):
        return "empty output"
    if any(line.strip() and not line.startswith("wordsync: ") for line in stderr.splitlines()):
        return f"stray output on stderr: {stderr.strip()[:200]}"
    return case.check(out, stderr) if case.check else None


MAX_ERROR_LINE = 300


def one_line(stderr: str) -> str | None:
    """The single error line, or None if stderr is not exactly one ``wordsync: error:`` line."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    if len(lines) != 1 or "Traceback" in stderr or not lines[0].startswith("wordsync: error: "):
        return None
    if len(lines[0]) > MAX_ERROR_LINE:  # a library's paragraph, or the user's argument echoed whole
        return None
    return lines[0]


__all__ = ["ALL_CASES", "AUDIO_CASES", "OUTPUT_CASES", "OutputCase", "file_state", "run_output_case", "JFK", "JFK_TXT", "PROJECT_CASES", "SUBTITLE_CASES", "TRANSCRIPT_CASES", "Case", "check_success", "cli_argv", "cli_pairs", "one_line", "run_cli"]


# -- arguments and models: a clear sentence, never a library's paragraph -------------------------


def _bad_ctc(kind: str) -> Callable[[Path], tuple[str, ...]]:
    def args(folder: Path) -> tuple[str, ...]:
        from aligner_core.align.models import quiet_transformers

        quiet_transformers()  # the saving below would draw progress bars on stderr
        model = folder / f"model-{kind}"
        model.mkdir()
        if kind == "bert":  # weights of another kind of model
            from transformers import BertConfig, BertModel

            BertModel(BertConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16, vocab_size=30)).save_pretrained(model)
        elif kind == "no-processor":  # a CTC model saved without its feature extractor and tokenizer
            from transformers import Wav2Vec2Config, Wav2Vec2ForCTC

            Wav2Vec2ForCTC(Wav2Vec2Config(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16, vocab_size=8,
                                          conv_dim=(8, 8), conv_kernel=(10, 3), conv_stride=(5, 2), num_feat_extract_layers=2,
                                          num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=2)).save_pretrained(model)
        else:  # config only, damaged weights
            (model / "config.json").write_text('{"model_type": "wav2vec2", "architectures": ["Wav2Vec2ForCTC"]}')
            (model / "model.safetensors").write_bytes(b"\x00" * 64)
        return ("--aligner", "ctc", "--model", str(model), "--device", "cpu")

    return args


def _neural_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("transformers") is not None and importlib.util.find_spec("torch") is not None


ARGUMENT_CASES = [
    Case("args: a 10,000-character --language", "transcript", _text("lang.txt", SHORT_TEXT), "error", args=("--language", "x" * 10000)),
    Case("args: --offset -1000000000000", "transcript", _text("off.txt", SHORT_TEXT), "error", args=("--offset", "-1000000000000")),
    Case("args: --offset beyond the audio", "transcript", _text("off2.txt", SHORT_TEXT), "error", args=("--offset", "-5000")),
    Case("args: --offset cutting the start", "transcript", _text("off3.txt", SHORT_TEXT), "ok", slow=True, args=("--offset", "-1000"),
         check=lambda out, err: None if "offset" in err else "the cut start was not reported"),
] + ([
    Case("model: a BERT folder as the CTC model", "transcript", _text("m1.txt", SHORT_TEXT), "error", args=_bad_ctc("bert")),
    Case("model: a CTC folder without feature extractor or tokenizer", "transcript", _text("m2.txt", SHORT_TEXT), "error", args=_bad_ctc("no-processor")),
    Case("model: a CTC folder with damaged weights", "transcript", _text("m3.txt", SHORT_TEXT), "error", args=_bad_ctc("damaged")),
] if _neural_available() else [])

ALL_CASES = ALL_CASES + ARGUMENT_CASES


# -- outputs that must never destroy an input (run with the real CLI, in or out of process) -----


@dataclass(frozen=True)
class OutputCase:
    """``build(folder)`` makes the files and returns (``wordsync align`` arguments, paths that must
    survive with the same bytes and file type); ``expect`` is the exit status a sound CLI gives."""

    name: str
    build: Callable[[Path], tuple[list[str], list[Path]]]
    expect: int = 2
    root_only: bool = False  # mknod needs root
    subprocess: bool = False  # needs the real standard output of a process


def _pair(folder: Path) -> tuple[Path, Path]:
    clip, rate = _jfk_clip()
    audio = _write_sf(folder / "take.wav", clip, rate)
    text = folder / "take.txt"
    text.write_text(SHORT_TEXT, encoding="utf-8")
    return audio, text


def _out_is(kind: str, fmt: str = "srt") -> Callable[[Path], tuple[list[str], list[Path]]]:
    def build(folder: Path) -> tuple[list[str], list[Path]]:
        audio, text = _pair(folder)
        (folder / "sub").mkdir()
        out = {"transcript": text, "audio": audio, "dotdot": folder / "sub" / ".." / audio.name}[kind]
        return ["align", str(audio), str(text), "--format", fmt, "-o", str(out)], [audio, text]

    return build


def _audio_named_json(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    disguised = audio.rename(folder / "take1.json")
    return ["align", str(disguised), str(text), "-o", str(disguised)], [disguised, text]


def _symlink_to_input(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    (folder / "out.srt").symlink_to(text.name)
    return ["align", str(audio), str(text), "-o", str(folder / "out.srt")], [audio, text, folder / "out.srt"]


def _hard_link_to_input(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    os.link(text, folder / "out.srt")
    return ["align", str(audio), str(text), "-o", str(folder / "out.srt")], [audio, text]


def _read_only_output(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    out = folder / "kept.srt"
    out.write_text("1\n00:00:00,000 --> 00:00:01,000\nmine\n", encoding="utf-8")
    out.chmod(0o444)
    return ["align", str(audio), str(text), "-o", str(out)], [audio, text, out]


def _device_output(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    node = folder / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    return ["align", str(audio), str(text), "--format", "srt", "-o", str(node)], [audio, text, node]


def _stdout_link_output(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    link = folder / "stdout"
    link.symlink_to("/proc/self/fd/1")  # a /dev/stdout of our own
    return ["align", str(audio), str(text), "--format", "vtt", "-o", str(link)], [audio, text, link]


def _folder_output(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    (folder / "subs.srt").mkdir()
    (folder / "subs.srt" / "keep").write_text("x")
    return ["align", str(audio), str(text), "-o", str(folder / "subs.srt")], [audio, text, folder / "subs.srt" / "keep"]


def _batch_into_media_folder(folder: Path) -> tuple[list[str], list[Path]]:
    audio, _text = _pair(folder)
    srt = folder / "take.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:02,500\nAnd so my fellow Americans\n", encoding="utf-8")
    manifest = folder / "list.jsonl"
    manifest.write_text(json.dumps({"audio": audio.name, "transcript": srt.name}) + "\n", encoding="utf-8")
    return ["align", "--batch", str(manifest), "--out-dir", str(folder)], [audio, srt, manifest]


def _batch_output_is_next_input(folder: Path) -> tuple[list[str], list[Path]]:
    audio, text = _pair(folder)
    out_dir = folder / "out"
    out_dir.mkdir()
    second = out_dir / "one.srt"  # the first line's output is the second line's transcript
    second.write_text("1\n00:00:00,000 --> 00:00:02,500\nAnd so my fellow Americans\n", encoding="utf-8")
    manifest = folder / "list.jsonl"
    lines = [{"audio": audio.name, "transcript": text.name, "id": "one"}, {"audio": audio.name, "transcript": "out/one.srt", "id": "two"}]
    manifest.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return ["align", "--batch", str(manifest), "--out-dir", str(out_dir)], [audio, text, second, manifest]


OUTPUT_CASES = [
    OutputCase("output: -o the transcript", _out_is("transcript")),
    OutputCase("output: -o the audio", _out_is("audio")),
    OutputCase("output: -o the audio spelled with ..", _out_is("dotdot")),
    OutputCase("output: FLAC named take1.json, -o take1.json", _audio_named_json),
    OutputCase("output: a symlink to the transcript", _symlink_to_input),
    OutputCase("output: a hard link to the transcript", _hard_link_to_input),
    OutputCase("output: a read-only file", _read_only_output),
    OutputCase("output: a folder", _folder_output),
    OutputCase("output: a device node (written through)", _device_output, expect=0, root_only=True),
    OutputCase("output: a symlink to /proc/self/fd/1 (written through)", _stdout_link_output, expect=0, subprocess=True),
    OutputCase("output: batch --out-dir is the media folder", _batch_into_media_folder),
    OutputCase("output: batch output is another line's input", _batch_output_is_next_input),
]


def file_state(path: Path) -> tuple[str, bytes | str | None]:
    """(file type, bytes for a regular file, link target for a symlink): what must not change."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        return stat.filemode(mode)[0], os.readlink(path)
    if stat.S_ISREG(mode):
        return "-", path.read_bytes()
    return stat.filemode(mode)[0], None


def run_output_case(case: OutputCase, folder: Path) -> tuple[int, str, str, list[str]]:
    """Run one case through the real CLI: (exit status, stdout, stderr, what was lost)."""
    import contextlib
    import io
    import subprocess
    import sys

    argv, protected = case.build(folder)
    before = {p: file_state(p) for p in protected}
    if case.subprocess:
        proc = subprocess.run([sys.executable, "-m", "aligner_core.cli", *argv], capture_output=True, text=True, cwd=REPO, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    else:
        from aligner_core import cli

        out_buf, err_buf = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out_buf), contextlib.redirect_stderr(err_buf):
            code = cli.main(argv)
        out, err = out_buf.getvalue(), err_buf.getvalue()
    lost = [f"{p.name} changed" for p, state in before.items() if not os.path.lexists(p) or file_state(p) != state]
    return code, out, err, lost



# -- audio that lies about itself (issue 12): unknown lengths, absurd rates and samples, cancelling channels


@functools.lru_cache(maxsize=1)
def _clean_words() -> tuple[tuple[float, float], ...]:
    """(start, end) of each word of the clean clip aligned by the same CLI: what a repaired file must match."""
    import contextlib
    import io
    import tempfile

    from aligner_core import cli

    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        clip, rate = _jfk_clip()
        audio = _write_sf(folder / "clean.wav", clip, rate, subtype="FLOAT")
        text = folder / "clean.txt"
        text.write_text(SHORT_TEXT, encoding="utf-8")
        out = folder / "clean.json"
        with contextlib.redirect_stderr(io.StringIO()):
            code = cli.main(["align", str(audio), str(text), "-o", str(out), "--aligner", "sphinx"])
        if code != 0:
            raise RuntimeError("the clean JFK clip itself did not align")
        return tuple((w["start"], w["end"]) for w in json.loads(out.read_text(encoding="utf-8"))["words"])


def _like_clean(tolerance_ms: float, warning: str = "") -> Callable[[Path, str], str | None]:
    """Success means: the words where the clean clip puts them, and (if given) a warning saying so."""

    def check(out: Path, stderr: str) -> str | None:
        if warning and not any(line.startswith("wordsync: warning: ") and warning in line for line in stderr.splitlines()):
            return f"no warning about {warning!r} on stderr"
        got = [(w["start"], w["end"]) for w in json.loads(out.read_text(encoding="utf-8"))["words"]]
        want = _clean_words()
        if len(got) != len(want) or None in (t for pair in got for t in pair):
            return f"{len(got)} words, not {len(want)} aligned ones"
        worst = max(max(abs(g[0] - w[0]), abs(g[1] - w[1])) for g, w in zip(got, want))
        return None if worst * 1000 <= tolerance_ms else f"a word is {worst * 1000:.0f} ms away from the clean clip's time"

    return check


def _flac_through_pipe(folder: Path) -> Path:
    """A FLAC written to a pipe: the encoder could not seek back, so its header has no length."""
    import threading

    import soundfile as sf

    clip, rate = _jfk_clip()
    read_end, write_end = os.pipe()
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(os.fdopen(read_end, "rb").read()))
    reader.start()
    with sf.SoundFile(write_end, "w", rate, clip.shape[1], format="FLAC", subtype="PCM_16", closefd=True) as f:
        f.write(clip)
    reader.join()
    path = folder / "piped.flac"
    path.write_bytes(received[0])
    return path


def _chained_ogg(subtype: str) -> Callable[[Path], Path]:
    """Two Ogg files one after the other (``cat a.ogg b.ogg``), each holding half the clip."""

    def build(folder: Path) -> Path:
        import io

        import soundfile as sf
        import soxr

        clip, rate = _jfk_clip()
        if subtype == "OPUS":
            clip, rate = soxr.resample(clip, rate, 48000).astype(np.float32), 48000
        links = []
        for half in (clip[: len(clip) // 2], clip[len(clip) // 2 :]):
            buf = io.BytesIO()
            sf.write(buf, half, rate, format="OGG", subtype=subtype)
            links.append(buf.getvalue())
        path = folder / f"chained_{subtype.lower()}.ogg"
        path.write_bytes(b"".join(links))
        return path

    return build


def _one_hertz(folder: Path) -> Path:
    """20 KB of speech whose header says 1 Hz: 10,000 s to upsample 16,000-fold."""
    clip, _rate = _jfk_clip()
    return _write_sf(folder / "one_hertz.wav", clip[:10000, :1], 1, subtype="PCM_16")


def _scaled(name: str, scale: float, spikes: bool = False) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        clip, rate = _jfk_clip()
        data = clip.astype(np.float64) * scale
        if spikes:  # garbage in a sane file: 20 samples of 1e20
            data[np.linspace(1000, len(data) - 1000, 20).astype(int)] = 1e20
        return _write_sf(folder / name, data.astype(np.float32), rate, subtype="FLOAT")

    return build


def _phase_inverted(folder: Path) -> Path:
    clip, rate = _jfk_clip()
    both = np.stack([clip[:, 0], -clip[:, 0]], axis=1)  # a miswired cable: the mean is exactly 0
    return _write_sf(folder / "inverted.wav", both, rate, subtype="PCM_16")


def _fifo(folder: Path) -> Path:
    path = folder / "speech.wav"
    os.mkfifo(path)  # no writer: opening it to read would wait forever
    return path


AUDIO_EXTENT_CASES = [
    Case("audio: FLAC written to a pipe (no length)", "audio", _flac_through_pipe, "ok", slow=True, out_name="out.json", check=_like_clean(50)),
    Case("audio: chained Ogg Vorbis", "audio", _chained_ogg("VORBIS"), "ok", slow=True, out_name="out.json", check=_like_clean(100)),
    Case("audio: chained Ogg Opus", "audio", _chained_ogg("OPUS"), "ok", slow=True, out_name="out.json", check=_like_clean(100)),
    Case("audio: WAV whose header says 1 Hz", "audio", _one_hertz, "error"),
    Case("audio: float speech times 1e20", "audio", _scaled("huge.wav", 1e20), "ok", slow=True, out_name="out.json", check=_like_clean(50, "scaled down")),
    Case("audio: float WAV at 16-bit integer scale", "audio", _scaled("int_scale.wav", 32767.0), "ok", slow=True, out_name="out.json", check=_like_clean(50, "scaled down")),
    Case("audio: 20 samples of 1e20 in speech", "audio", _scaled("spikes.wav", 1.0, spikes=True), "ok", slow=True, out_name="out.json", check=_like_clean(50, "absurd size")),
    Case("audio: stereo, one channel phase-inverted", "audio", _phase_inverted, "ok", slow=True, out_name="out.json", check=_like_clean(50, "cancel out")),
    Case("audio: a named pipe without a writer", "audio", _fifo, "error"),
    Case("audio: /dev/zero", "audio", lambda folder: Path("/dev/zero"), "error"),
]

ALL_CASES = ALL_CASES + AUDIO_EXTENT_CASES


# -- transcripts read safely; markup shown, never aligned as speech (issue 12) -------------------


def _transcript_fifo(folder: Path) -> Path:
    path = folder / "notes.txt"
    os.mkfifo(path)  # no writer: opening it to read would wait forever
    return path


_MARKUP_SRT = (
    "1\n00:00:00,000 --> 00:00:01,200\n{\\an8}<i>And so my</i>\n\n"
    '2\n00:00:01,200 --> 00:00:02,500\n<font color="#ff0000">fellow Americans</font>\n'
)
import re as _re  # noqa: E402 - this section's own import, kept apart from the shared header

_TAG_RE = _re.compile(r"<[^<>]*>|\{[^{}]*\}")
_NOISE = {"font", "color", "an8", "i", "webvtt", "-->", "00:00", "000", "word", "start", "end", "kennedy"}


def _words(out: Path) -> list[dict]:
    return json.loads(out.read_text(encoding="utf-8"))["words"]


def _spoken_only(expected: int = 4) -> Callable[[Path, str], str | None]:
    """The word list holds no markup, timestamps or header as words, and its speech is timed."""

    def check(out: Path, stderr: str) -> str | None:
        timed = 0
        for w in _words(out):
            bare = _TAG_RE.sub("", w["word"]).strip(" .,!?♪").lower()
            if not bare or bare in _NOISE or any(ch.isdigit() for ch in bare) or "-->" in bare:
                return f"{w['word']!r} was taken for a word"
            is_label = bare[:1] in "[(" or bare.endswith(":")
            if is_label and w["start"] is not None:
                return f"the label {w['word']!r} was aligned as speech"
            timed += not is_label and w["start"] is not None
        if timed < expected:
            return f"only {timed} spoken words were aligned"
        return None

    return check


def _labels_not_missed(out: Path, stderr: str) -> str | None:
    problem = _spoken_only(4)(out, stderr)
    if problem:
        return problem
    if "of 5 words aligned" not in stderr:  # [music], (laughs) and JOHN: are not words
        return f"labels were counted as words: {stderr.strip()[:200]}"
    return None


def _srt_check(out: Path, stderr: str) -> str | None:
    from aligner_core.formats.srt import parse_srt

    cues = parse_srt(out.read_text(encoding="utf-8"))
    if not cues:
        return "no cues"
    if cues[0].start_ms == 0:
        return "{\\an8} pulled the first cue to 0.000 s"
    text = "\n".join(c.text for c in cues)
    if "{\\an8}<i>" not in text or '<font color="#ff0000">' not in text:
        return f"the formatting tags were lost: {text!r}"
    return None


def _deep_json(name: str) -> Callable[[Path], Path]:
    return _text(name, "[" * 100_000 + "]" * 100_000)


_JSON_WORDS = json.dumps({"words": [{"word": w, "start": None, "end": None} for w in SHORT_TEXT.split()]})

TRANSCRIPT_MARKUP_CASES = [
    Case("transcript: /dev/zero", "transcript", lambda folder: Path("/dev/zero"), "error"),
    Case("transcript: /dev/urandom", "transcript", lambda folder: Path("/dev/urandom"), "error"),
    Case("transcript: a named pipe without a writer", "transcript", _transcript_fifo, "error"),
    Case("transcript: 100,000-deep nested JSON", "transcript", _deep_json("deep.json"), "error"),
    Case("transcript: 100,000-deep nested brackets as .txt", "transcript", _deep_json("deep.txt"), "error"),
    Case("srt: <i>, <font color> and {\\an8} kept, not aligned", "subtitles", _text("tags.srt", _MARKUP_SRT), "ok", slow=True, check=_srt_check),
    Case("srt: tags, word list", "subtitles", _text("tags2.srt", _MARKUP_SRT), "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: SRT saved as .txt", "transcript", _text("srt.txt", _MARKUP_SRT), "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: VTT saved as .txt", "transcript", _text("vtt.txt", "WEBVTT\n\n00:00.000 --> 00:01.200\n<v Kennedy>And so my\n\n00:01.200 --> 00:02.500\nfellow Americans\n"),
         "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: word JSON saved as .txt", "transcript", _text("words.txt", _JSON_WORDS), "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: HTML and ASS tags in plain text", "transcript", _text("tags.txt", '{\\an8}<i>And so my</i> <font color="#ff0000">fellow Americans</font>'),
         "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: plain text starting with [music]", "transcript", _text("music.txt", "[music] " + SHORT_TEXT), "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: plain text starting with {", "transcript", _text("brace.txt", "{ " + SHORT_TEXT + " }"), "ok", slow=True, out_name="out.json", check=_spoken_only()),
    Case("transcript: sound and speaker labels", "transcript", _text("labels.txt", "JOHN: [music] And so (laughs) my fellow Americans ♪"),
         "ok", slow=True, out_name="out.json", check=_labels_not_missed),
    Case("transcript: labels only", "transcript", _text("only_labels.txt", "[music]\n(applause)\n♪ ♪\n"), "error"),
]

ALL_CASES = ALL_CASES + TRANSCRIPT_MARKUP_CASES


# -- karaoke: --karaoke is for ASS output only -------------------------------------------------------


def _karaoke_tags(out: Path, err: str) -> str | None:
    text = out.read_text(encoding="utf-8-sig")
    return None if "{\\k" in text else "no karaoke (\\k) tags in the ASS output"


KARAOKE_CASES = [
    Case("args: --karaoke with SRT output", "transcript", _text("k1.txt", SHORT_TEXT), "error", args=("--karaoke",)),
    Case("args: --karaoke with ASS output", "transcript", _text("k2.txt", SHORT_TEXT), "ok", slow=True, args=("--karaoke",),
         out_name="out.ass", check=_karaoke_tags),
]

ALL_CASES = ALL_CASES + KARAOKE_CASES


# -- learned aligners (issue 15): a model folder made by `wordsync finetune` -------------------------


def _learned_model(kind: str) -> Callable[[Path], tuple[str, ...]]:
    """``--model DIR`` arguments for an adaptation or adapter folder, sound or broken."""

    def args(folder: Path) -> tuple[str, ...]:
        model = folder / f"learned-{kind}"
        model.mkdir()
        if kind == "adaptation":
            from aligner_core.learn.adapt import OffsetModel, save_model

            save_model(OffsetModel({"start": (-300.0, 10), "end": (200.0, 10), "junction": (50.0, 10)}), model)
        elif kind == "garbage":
            (model / "adaptation.json").write_bytes(b"\x00\xff not json")
        elif kind == "future":
            (model / "adaptation.json").write_text('{"format": "wordsync-sphinx-adaptation", "version": 9, "stats": {}}')
        elif kind == "bad-stats":
            (model / "adaptation.json").write_text('{"format": "wordsync-sphinx-adaptation", "version": 1, "stats": {"start": 5}}')
        else:  # a LoRA adapter saved as a pickle only
            (model / "adapter_config.json").write_text('{"peft_type": "LORA", "base_model_name_or_path": "Qwen/Qwen3-ForcedAligner-0.6B-hf"}')
            (model / "config.json").write_text('{"model_type": "qwen3_asr"}')
            (model / "adapter_model.bin").write_bytes(b"\x80\x04 pickled")
        return ("--aligner", "auto", "--model", str(model))

    return args


def _aligned_words(out: Path, err: str) -> str | None:
    words = json.loads(out.read_text(encoding="utf-8"))["words"]
    return None if words and all(w["start"] is not None for w in words) else "the adapted aligner left words without times"


LEARN_CASES = [
    Case("learned: an adaptation folder as --model", "transcript", _text("l1.txt", SHORT_TEXT), "ok", slow=True,
         args=_learned_model("adaptation"), out_name="out.json", check=_aligned_words),
    Case("learned: an adaptation.json of garbage bytes", "transcript", _text("l2.txt", SHORT_TEXT), "error", args=_learned_model("garbage")),
    Case("learned: an adaptation of a future version", "transcript", _text("l3.txt", SHORT_TEXT), "error", args=_learned_model("future")),
    Case("learned: an adaptation with broken numbers", "transcript", _text("l4.txt", SHORT_TEXT), "error", args=_learned_model("bad-stats")),
    Case("learned: a LoRA adapter with pickled weights only", "transcript", _text("l5.txt", SHORT_TEXT), "error", args=_learned_model("pickle")),
]

ALL_CASES = ALL_CASES + LEARN_CASES


# -- batch engines (issue 16): --engine/--address/--redo belong to --batch ----------------------------

BATCH_ENGINE_CASES = [
    Case("args: --engine ray without --batch", "transcript", _text("e1.txt", SHORT_TEXT), "error", args=("--engine", "ray")),
    Case("args: --address without --batch", "transcript", _text("e2.txt", SHORT_TEXT), "error", args=("--address", "ray://head:10001")),
    Case("args: --redo without --batch", "transcript", _text("e3.txt", SHORT_TEXT), "error", args=("--redo",)),
    Case("args: unknown --engine", "transcript", _text("e4.txt", SHORT_TEXT), "error", args=("--engine", "spark")),
]

ALL_CASES = ALL_CASES + BATCH_ENGINE_CASES


# -- transcripts that do not match the audio (issue 11) ----------------------------------------------


def _mostly_flagged(out: Path, err: str) -> str | None:
    """Words the audio does not hold are flagged for review (not aligned or under the one
    threshold): at least 80% of them (a short word may fit some sound by chance)."""
    from aligner_core.align.confidence import LOW_CONFIDENCE

    words = json.loads(out.read_text(encoding="utf-8"))["words"]
    unflagged = [w["word"] for w in words if w["start"] is not None and (w["confidence"] or 0) >= LOW_CONFIDENCE]
    return f"words the audio does not hold left unflagged: {unflagged}" if len(unflagged) > 0.2 * len(words) else None


MISMATCH_CASES = [
    Case("transcript: not a word of it in the audio", "transcript", _text("other.txt", "Twelve purple elephants debated quantum chromodynamics beneath a frozen waterfall."),
         "either", slow=True, out_name="out.json", check=_mostly_flagged),
]

ALL_CASES = ALL_CASES + MISMATCH_CASES


# -- untranscribed spans kept in projects and word JSON (issues 11 and 14) -----------------------------


def _json_with_spans(spans: object) -> str:
    return json.dumps({"audio_duration": 11.0, "untranscribed": spans, "words": [{"word": w, "start": None, "end": None} for w in SHORT_TEXT.split()]})


UNTRANSCRIBED_CASES = [
    Case("project: hand-edited, untranscribed spans overlap", "project", _project("spans.wordsync", _set(("document", "untranscribed"), [[500, 900], [800, 1000]])), "error"),
    Case("project: hand-edited, untranscribed span past the audio", "project", _project("spans2.wordsync", _set(("document", "untranscribed"), [[500, 99_000]])), "error"),
    Case("project: hand-edited, untranscribed is text", "project", _project("spans3.wordsync", _set(("document", "untranscribed"), "soon")), "error"),
    Case("transcript: word JSON, an untranscribed span without times", "transcript", _text("spans.json", _json_with_spans([{"start": "soon"}])), "error"),
    Case("transcript: word JSON, untranscribed is not a list", "transcript", _text("spans2.json", _json_with_spans(7)), "error"),
    Case("transcript: word JSON, overlapping untranscribed spans past the end", "transcript",
         _text("spans3.json", _json_with_spans([{"start": 9.0, "end": 30.0}, {"start": 8.0, "end": 10.0}])), "ok", slow=True, out_name="out.json", check=_spoken_only()),
]

ALL_CASES = ALL_CASES + UNTRANSCRIBED_CASES


# -- a recogniser's emotion written as a tag (issue 14): --emotion-tags and --no-sound-cues ---------


def _json_with_emotion(emotion: object) -> str:
    words = [{"word": w, "start": None, "end": None} for w in SHORT_TEXT.split()]
    cue = {"start": 0.3, "end": 2.4, "text": SHORT_TEXT, "word_range": [0, len(words) - 1], "emotion": emotion}
    return json.dumps({"audio_duration": 11.0, "words": words, "cues": [cue]})


def _one_tagged_cue(out: Path, err: str) -> str | None:
    text = out.read_text(encoding="utf-8-sig")
    if text.count("-->") != 1:
        return f"the emotion made {text.count('-->')} cues out of one: {text[:200]!r}"
    return None if "[HAPPY99000000000" in text and SHORT_TEXT.split()[-1] in text else f"no clean emotion tag: {text[:200]!r}"


EMOTION_CASES = [
    Case("args: --emotion-tags with JSON output", "transcript", _text("e1.txt", SHORT_TEXT), "error", args=("--emotion-tags",), out_name="out.json"),
    Case("args: --no-sound-cues with TextGrid output", "transcript", _text("e2.txt", SHORT_TEXT), "error", args=("--no-sound-cues",), out_name="out.TextGrid"),
    Case("transcript: word JSON whose cue emotion would forge SRT cues", "transcript",
         _text("emotion.json", _json_with_emotion("HAPPY\n\n99\n00:00:00,000 --> 00:00:09,000\nforged")), "ok", slow=True,
         args=("--emotion-tags",), check=_one_tagged_cue),
]

ALL_CASES = ALL_CASES + EMOTION_CASES


# -- video (issue 17): the picture never stands between the CLI and the speech -----------------------


def _speech_video(picture: str) -> Callable[[Path], Path]:
    """The JFK clip's speech (AAC) in an mp4 beside an H.264 picture with a 10 s GOP and B-frames
    ("h264", as cameras and the web write them), or beside packets of noise that claim to be
    H.264 (a damaged picture track: "garbage" after its first keyframe, "noise" all of it)."""

    def build(folder: Path) -> Path:
        import av

        from tests.core.media import audio_packets, video_packets

        clip, rate = _jfk_clip()
        path = folder / f"speech_{picture}.mp4"
        container = av.open(str(path), "w")
        video = container.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = 160, 90, "yuv420p"
        video.codec_context.gop_size = 250
        audio = container.add_stream("aac", rate=rate)
        audio.layout = "mono"
        frames = int(len(clip) / rate * 25)
        rng = np.random.default_rng(17)

        def images():
            for i in range(frames):
                img = np.full((90, 160, 3), 40, np.uint8)
                img[30:60, (i * 3) % 130 : (i * 3) % 130 + 30] = 230
                yield img

        for packet in list(video_packets(video, images(), 25)):
            # "garbage" keeps the first keyframe (one picture decodes), "noise" keeps nothing
            if picture == "noise" or (picture == "garbage" and packet.pts):
                noise = av.Packet(rng.integers(0, 256, packet.size, dtype=np.uint8).tobytes())
                noise.pts, noise.dts, noise.time_base, noise.stream = packet.pts, packet.dts, packet.time_base, video
                packet = noise
            container.mux(packet)
        for packet in audio_packets(audio, clip[:, :1], rate):
            container.mux(packet)
        container.close()
        return path

    return build


VIDEO_CASES = [
    Case("audio: speech in an mp4 beside an H.264 picture (10 s GOP)", "audio", _speech_video("h264"), "ok", slow=True,
         out_name="out.json", check=_like_clean(50)),
    Case("audio: speech in an mp4 whose picture is noise after its first frame", "audio", _speech_video("garbage"), "ok",
         slow=True, out_name="out.json", check=_like_clean(50)),
    Case("audio: speech in an mp4 whose picture track is all noise", "audio", _speech_video("noise"), "ok", slow=True,
         out_name="out.json", check=_like_clean(50)),
]

ALL_CASES = ALL_CASES + VIDEO_CASES


# -- transcription (issue 14): audio with nothing to recognise, a language or model that cannot serve -------


def _sound(name: str, kind: str) -> Callable[[Path], Path]:
    """3 s of digital silence ("silence"), of faint hiss ("hiss"), or a held chord ("music")."""

    def build(folder: Path) -> Path:
        rate = 16000
        t = np.arange(3 * rate) / rate
        if kind == "silence":
            data = np.zeros_like(t)
        elif kind == "hiss":
            data = np.random.default_rng(14).normal(0, 0.003, len(t))
        else:
            data = 0.2 * np.sin(2 * np.pi * 1000 * t)
        return _write_sf(folder / name, data.astype(np.float32), rate)

    return build


def _sensevoice(damage: str = "", **build) -> Callable[[Path], tuple[str, ...]]:
    """``--asr sensevoice --model DIR``: the tiny SenseVoice-shaped ONNX export (tests/core/tiny_sensevoice.py),
    whole, or damaged as downloads and disks damage files."""

    def args(folder: Path) -> tuple[str, ...]:
        from tests.core.tiny_sensevoice import build_tiny_sensevoice

        model = build_tiny_sensevoice(folder / "sv", **build)
        onnx = model / "model.onnx"
        if damage == "truncated":
            onnx.write_bytes(onnx.read_bytes()[: onnx.stat().st_size // 2])
        elif damage == "tokens":
            (model / "tokens.txt").write_bytes(bytes(range(256)) * 4)
        elif damage == "not sensevoice":  # a sound ONNX graph without the metadata sherpa-onnx exits the process without
            import onnx as onnx_lib

            graph = onnx_lib.load(str(onnx))
            del graph.metadata_props[:]
            onnx_lib.save(graph, str(onnx))
        elif damage == "empty":
            onnx.unlink()
            (model / "tokens.txt").unlink()
        return ("--asr", "sensevoice", "--model", str(model), "--language", build.get("auto_language", "en"))

    return args


def _music_cue(out: Path, err: str) -> str | None:
    text = out.read_text(encoding="utf-8")
    if "[music]" not in text:
        return f"no [music] cue: {text[:200]!r}"
    return None if "only sound" in err else "no warning that only sound was heard"


TRANSCRIBE_CASES = [
    Case("transcribe: digital silence", "audio", _sound("silence.wav", "silence"), "error", command="transcribe"),
    Case("transcribe: faint hiss, no speech", "audio", _sound("hiss.wav", "hiss"), "either", command="transcribe"),
    Case("transcribe: music only, SenseVoice", "audio", _sound("music.wav", "music"), "ok", command="transcribe",
         args=_sensevoice(event="BGM", emotion="EMO_UNKNOWN"), check=_music_cue),
    Case("transcribe: music only, sphinx", "audio", _sound("music2.wav", "music"), "either", command="transcribe"),
    Case("transcribe: a language the offline recogniser lacks", "audio", _sound("fr.wav", "music"), "error", command="transcribe",
         args=("--asr", "sphinx", "--language", "fr")),
    Case("transcribe: a language SenseVoice lacks", "audio", _sound("de.wav", "music"), "error", command="transcribe",
         args=lambda folder: (*_sensevoice()(folder)[:4], "--language", "de")),
    Case("transcribe: a missing model folder", "audio", _sound("m1.wav", "music"), "error", command="transcribe",
         args=lambda folder: ("--asr", "sensevoice", "--model", str(folder / "nowhere"))),
    Case("transcribe: an empty model folder", "audio", _sound("m2.wav", "music"), "error", command="transcribe", args=_sensevoice("empty")),
    Case("transcribe: a truncated ONNX model", "audio", _sound("m3.wav", "music"), "error", command="transcribe", args=_sensevoice("truncated")),
    Case("transcribe: tokens.txt of garbage bytes", "audio", _sound("m4.wav", "music"), "error", command="transcribe", args=_sensevoice("tokens")),
    Case("transcribe: an ONNX model that is not a SenseVoice export", "audio", _sound("m5.wav", "music"), "error", command="transcribe",
         args=_sensevoice("not sensevoice")),
]

ALL_CASES = ALL_CASES + TRANSCRIBE_CASES


# -- timing post-processors: values out of range, flags on a format without cues ---------------------------


def _cues_apart(gap_ms: int) -> Callable[[Path, str], str | None]:
    def check(out: Path, err: str) -> str | None:
        from aligner_core.formats import read_subtitles

        cues = read_subtitles(out)
        close = [(a.end_ms, b.start_ms) for a, b in zip(cues, cues[1:]) if b.start_ms - a.end_ms < gap_ms]
        return f"cues closer than {gap_ms} ms: {close[:3]}" if close else None

    return check


TIMING_CASES = [
    Case("args: --min-duration above --max-duration", "transcript", _text("t1.txt", SHORT_TEXT), "error",
         args=("--min-duration", "4000", "--max-duration", "1000")),
    Case("args: --lead-in with TextGrid output", "transcript", _text("t2.txt", SHORT_TEXT), "error", args=("--lead-in", "100"),
         out_name="out.TextGrid"),
    Case("args: a negative --chain", "transcript", _text("t3.txt", SHORT_TEXT), "error", args=("--chain", "-1")),
    Case("args: every timing post-processor at once", "transcript", _text("t4.txt", SHORT_TEXT), "ok", slow=True,
         args=("--lead-in", "300", "--lead-out", "900", "--chain", "2000", "--min-gap", "100", "--min-duration", "5000",
               "--max-duration", "6000"), check=_cues_apart(100)),
]

ALL_CASES = ALL_CASES + TIMING_CASES


# -- phones (issue 17): phone lists in word JSON and TextGrid transcripts, the TextGrid-only flag -------------


def _phone_tier_tiles(out: Path, err: str) -> str | None:  # noqa: ARG001
    """A TextGrid's phone tier as Praat demands it: there, tiling xmin..xmax, no empty interval."""
    from aligner_core.formats import parse_textgrid

    grid = parse_textgrid(out.read_text(encoding="utf-8"))
    tier = grid.tier("phones")
    if tier is None or not any(iv.text for iv in tier.intervals):
        return "no phone tier"
    ivs = tier.intervals
    if ivs[0].start_ms != grid.xmin_ms or ivs[-1].end_ms != grid.xmax_ms or any(a.end_ms != b.start_ms for a, b in zip(ivs, ivs[1:])):
        return "the phone tier does not tile the grid"
    if any(iv.start_ms >= iv.end_ms for iv in ivs):
        return "a phone interval of no length"
    return None


_WORDS = '{"words": [{"word": "And", "start": 0.3, "end": 0.6, "phones": %s}, {"word": "so", "start": 0.6, "end": 0.9}]}'

PHONE_CASES = [
    Case("args: --bare-word-labels with SRT output", "transcript", _text("p1.txt", SHORT_TEXT), "error", args=("--bare-word-labels",)),
    Case("json: a word's phones not a list", "transcript", _text("p2.json", _WORDS % "5"), "error"),
    Case("json: a phone without a label", "transcript", _text("p3.json", _WORDS % '[{"start": 0.3, "end": 0.4}]'), "error"),
    Case("json: phones past their word and overlapping, re-aligned to TextGrid", "transcript",
         _text("p4.json", _WORDS % '[{"phone": "AE", "start": 0.1, "end": 0.5}, {"phone": "N", "start": 0.4, "end": 2.0}]'), "ok", slow=True,
         out_name="out.TextGrid", args=("--bare-word-labels",), check=_phone_tier_tiles),
    Case("textgrid: a phone tier reaching past the words", "transcript",
         _text("p5.TextGrid", 'File type = "ooTextFile"\nObject class = "TextGrid"\n0 2 <exists> 2\n"IntervalTier" "words" 0 2 2\n0 1 "And"\n1 2 "so"\n'
               '"IntervalTier" "phones" 0 2 3\n0 0.2 "AE"\n0.2 1.7 "N"\n1.7 2 "S"\n'), "ok", slow=True, out_name="out.TextGrid",
         check=_phone_tier_tiles),
]

ALL_CASES = ALL_CASES + PHONE_CASES


# -- cue looks and annotation tiers (issue 17 part 4): placement tags and a TextGrid's own tiers ------------


def _tiers_kept(out: Path, err: str) -> str | None:  # noqa: ARG001
    """The transcript's extra tiers come out after words and cues, repaired as the import said."""
    from aligner_core.formats import parse_textgrid

    grid = parse_textgrid(out.read_text(encoding="utf-8"))
    names = [t.name for t in grid.tiers if t.name != "phones"]
    if names != ["words", "cues", "notes", "notes (2)", "tier"]:
        return f"tiers {names}"
    points = [t for t in grid.tiers if t.kind == "TextTier"]
    if len(points) != 1 or [iv.text for iv in points[0].intervals] != ["a"]:
        return "the point tier did not keep exactly its first point"
    return None


def _placement_kept(out: Path, err: str) -> str | None:  # noqa: ARG001
    dialogue = [ln.split(",", 9)[3::6] for ln in out.read_text(encoding="utf-8-sig").splitlines() if ln.startswith("Dialogue:")]
    if not dialogue or dialogue[0] != ["Default", "{\\pos(-50,20)}And so my"]:
        return f"the off-screen position should stay a tag, not a cue position: {dialogue[:1]}"
    if len(dialogue) < 2 or not dialogue[1][1].startswith("{\\an9}") or dialogue[1][0] != "Default":
        return f"the usable alignment should stay, the broken style name go: {dialogue[1:2]}"
    return None


_GRID_HEAD = 'File type = "ooTextFile"\nObject class = "TextGrid"\n0 3 <exists> 4\n"IntervalTier" "words" 0 3 2\n0 1 "And"\n1 3 "so"\n'

CUE_TIER_CASES = [
    Case("textgrid: extra tiers named twice, empty, with points at one time and past the audio", "transcript",
         _text("t1.TextGrid", _GRID_HEAD + '"IntervalTier" "notes" 0 3 2\n0 1.5 "x"\n1.5 3 ""\n'
               '"TextTier" "notes" 0 99 3\n0.5 "a"\n0.5 "b"\n99 "late"\n"IntervalTier" "" 0 3 1\n0 3 ""\n'),
         "ok", slow=True, out_name="out.TextGrid", check=_tiers_kept),
    Case("ass: placement tags off screen, out of range and a style name with braces", "subtitles",
         _text("p.ass", "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
               "Dialogue: 0,0:00:00.30,0:00:01.20,Default,,0,0,0,,{\\pos(-50,20)}And so my\n"
               "Dialogue: 0,0:00:01.20,0:00:02.50,St{y}le,,0,0,0,,{\\an9\\pos(1e9,5)}fellow Americans\n"),
         "ok", slow=True, out_name="out.ass", check=_placement_kept),
]

ALL_CASES = ALL_CASES + CUE_TIER_CASES


# -- phones only when asked for: a transcript's own phones never stand in for a measurement ------------


def _no_phone_tier(out: Path, err: str) -> str | None:  # noqa: ARG001
    from aligner_core.formats import parse_textgrid

    names = [t.name for t in parse_textgrid(out.read_text(encoding="utf-8")).tiers]
    return f"--no-phones should leave the phone tier out, got tiers {names}" if "phones" in names else None


def _no_phones_in_srt(out: Path, err: str) -> str | None:  # noqa: ARG001
    text = out.read_text(encoding="utf-8-sig")
    return "an SRT has no place for phones" if "AE" in text or "phones" in text else None


PHONE_REQUEST_CASES = [
    Case("json with phones re-aligned to TextGrid with --no-phones", "transcript",
         _text("q1.json", _WORDS % '[{"phone": "AE", "start": 0.3, "end": 0.45}, {"phone": "N", "start": 0.45, "end": 0.6}]'),
         "ok", slow=True, out_name="out.TextGrid", args=("--no-phones",), check=_no_phone_tier),
    Case("json with phones re-aligned to SRT with --phones", "transcript",
         _text("q2.json", _WORDS % '[{"phone": "AE", "start": 0.3, "end": 0.45}, {"phone": "N", "start": 0.45, "end": 0.6}]'),
         "ok", slow=True, args=("--phones",), check=_no_phones_in_srt),
    Case("--phones and --no-phones together", "transcript", _text("q3.txt", "And so my fellow Americans"), "error",
         args=("--phones", "--no-phones")),
]

ALL_CASES = ALL_CASES + PHONE_REQUEST_CASES
