"""``wordsync align``: force-align a transcript to audio headless, one file or a batch.

::

    wordsync align AUDIO TRANSCRIPT -o OUT [--format srt|vtt|ass|textgrid|json] [--language CODE]
                   [--aligner auto|sphinx|qwen3|ctc] [--model ID_OR_PATH] [--device auto|cpu|cuda]
                   [--profile NAME] [--offset MS]
    wordsync align --batch MANIFEST.jsonl --out-dir DIR [--format ...]

TRANSCRIPT is plain text, or subtitles (SRT/VTT/ASS) or word timings (JSON/TextGrid) to re-time.
The output format follows OUT's extension unless ``--format`` names it. A manifest has one JSON
object per line: ``{"audio": path, "transcript": path, "language": "en", "id": "name"}`` (paths
relative to the manifest's folder; ``id`` defaults to the audio file's stem); the batch writes
``DIR/<id>.<ext>``, carries on past a failing item and lists the failures at the end.

Exit status: 0 success, 1 some batch items failed, 2 bad usage or input (one line on stderr,
``wordsync: error: ...``, never a traceback; set WORDSYNC_DEBUG=1 to see one). A progress bar
goes to stderr when it is a terminal; a summary line always does.

``main(argv)`` takes the arguments after the program name, with or without the leading
``align`` (the desktop entry point hands ``sys.argv[1:]`` over when ``argv[1] == "align"``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Sequence, TextIO

PROG = "wordsync"
OUTPUT_FORMATS = ("srt", "vtt", "ass", "textgrid", "json")
DEFAULT_PROFILE = "general"
DEFAULT_BATCH_FORMAT = "srt"


class UsageError(Exception):
    """Bad usage or input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=f"{PROG} align",
        description="Force-align a transcript to its audio word by word and write subtitles or word timings.",
        epilog="A batch manifest has one JSON object per line: "
        '{"audio": path, "transcript": path, "language": "en", "id": "name"}.',
    )
    p.add_argument("audio", nargs="?", metavar="AUDIO", help="audio or video file")
    p.add_argument("transcript", nargs="?", metavar="TRANSCRIPT", help="plain text, or SRT/VTT/ASS/JSON/TextGrid to re-time")
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (its extension picks the format)")
    p.add_argument("--format", choices=OUTPUT_FORMATS, help="output format (default: from OUT's extension)")
    p.add_argument("--language", metavar="CODE", help="transcript language, e.g. en, fr, zh (default: guessed)")
    p.add_argument("--aligner", default="auto", choices=("auto", "sphinx", "qwen3", "ctc"), help="default: auto")
    p.add_argument("--model", metavar="ID_OR_PATH", help="model of a neural aligner: a Hugging Face id or a local folder")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="default: auto")
    p.add_argument("--profile", metavar="NAME", help=f"cue rules for subtitles (default: {DEFAULT_PROFILE})")
    p.add_argument("--offset", metavar="MS", type=_int_ms, default=0, help="shift every time by MS milliseconds")
    p.add_argument("--batch", metavar="MANIFEST", help="align every line of a JSONL manifest")
    p.add_argument("--out-dir", metavar="DIR", help="where batch outputs go")
    p.add_argument("--jobs", metavar="N", type=_positive_int, default=1, help="worker processes for long recordings (default: 1)")
    return p


def _int_ms(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--offset takes whole milliseconds, not {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {text!r}")
    return value


# -- entry ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "align":
        args_list = args_list[1:]
    err = sys.stderr
    try:
        args = build_parser().parse_args(args_list)
        _check_usage(args)
        if args.batch:
            return _run_batch(args, err)
        _align_one(args.audio, args.transcript, Path(args.output), args, err, show_progress=err.isatty())
        return 0
    except KeyboardInterrupt:
        print(f"\n{PROG}: cancelled", file=err)
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except Exception as exc:  # noqa: BLE001 - every failure is one line, never a traceback
        if os.environ.get("WORDSYNC_DEBUG") == "1":
            raise
        print(f"{PROG}: error: {_reason(exc)}", file=err)
        return 2


def _check_usage(args: argparse.Namespace) -> None:
    if args.batch:
        if args.audio or args.transcript or args.output:
            raise UsageError("--batch takes no AUDIO, TRANSCRIPT or -o (outputs go to --out-dir)")
        if not args.out_dir:
            raise UsageError("--batch needs --out-dir DIR")
        return
    if args.out_dir:
        raise UsageError("--out-dir goes with --batch; for one file use -o OUT")
    if not args.audio or not args.transcript:
        raise UsageError("give AUDIO and TRANSCRIPT (or --batch MANIFEST --out-dir DIR)")
    if not args.output:
        raise UsageError("give the output file with -o OUT")
    _output_format(Path(args.output), args.format)
    if args.profile:
        _profile(args.profile)


def _reason(exc: BaseException) -> str:
    """One line, whatever the exception carried."""
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        return f"{exc.strerror}: {exc.filename}"
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    if len(lines) > 1:
        text = f"{text.rstrip(':')} ({len(lines) - 1} more: {lines[1]}{', ...' if len(lines) > 2 else ''})"
    if not _is_known(exc):
        text = f"{type(exc).__name__}: {text}"
    return text


def _is_known(exc: BaseException) -> bool:
    from .align.types import AlignmentError
    from .audio import AudioError
    from .formats import FormatError
    from .text import TranscriptError

    return isinstance(exc, (AlignmentError, AudioError, FormatError, TranscriptError, UsageError, KeyError, ValueError, OSError))


# -- one file ------------------------------------------------------------------------------------------


def _output_format(out: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    from .formats import FormatError, format_for_path

    try:
        info = format_for_path(out)
    except FormatError:
        raise UsageError(f"cannot tell the format of {out.name!r} from its extension; add --format ({'|'.join(OUTPUT_FORMATS)})") from None
    if info.name not in OUTPUT_FORMATS:
        raise UsageError(f"{out.name!r} is not a subtitle or timing file; use one of .srt .vtt .ass .textgrid .json or --format")
    return info.name


def _profile(name: str | None):
    from .cues import get_profile

    try:
        return get_profile(name or DEFAULT_PROFILE)
    except KeyError as exc:
        raise UsageError(str(exc.args[0]) if exc.args else f"unknown profile {name!r}") from None


def _load_transcript(path: Path, language: str | None):
    """A document from plain text or a subtitle/timing file, and the language to align in."""
    from .document import Document
    from .formats import FORMATS, detect_format, format_for_path, load_document
    from .formats.common import FormatError
    from .text import guess_language, read_transcript, tokenize

    if not path.exists():
        raise UsageError(f"the transcript file {str(path)!r} does not exist")
    kind = None
    try:
        kind = format_for_path(path).kind
    except FormatError:
        kind = None
    if kind is None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096).decode("utf-8", errors="ignore")
        except OSError as exc:
            raise UsageError(f"cannot read the transcript {str(path)!r} ({exc.strerror or exc})") from None
        guessed = detect_format(head)
        kind = FORMATS[guessed].kind if guessed else "text"
    if kind == "text":
        text = read_transcript(path)
        lang = language or guess_language(text)
        tokens = tokenize(text, lang)
        doc = Document([t.with_times(None, None) for t in tokens], [], None, lang)
    else:
        doc = load_document(path, language)
        lang = language or doc.language
        # re-timing: old cue times give way to the new word times
        doc = Document([t.with_times(None, None) for t in doc.tokens], [replace(c, start=None, end=None) for c in doc.cues], None, lang)
    if not doc.tokens:
        raise UsageError(f"the transcript {path.name!r} has no words to align")
    return doc, lang


def _align_one(audio_path: str | os.PathLike, transcript_path: str | os.PathLike, out: Path, args, err: TextIO, *, show_progress: bool, language: str | None = None) -> None:
    from .align.api import AlignRequest, align
    from .audio import load_audio
    from .edits import ReplaceCues

    fmt = _output_format(out, args.format)
    profile = _profile(args.profile) if (args.profile or fmt in ("srt", "vtt", "ass")) else None
    audio_path = Path(audio_path)
    if not audio_path.exists():
        raise UsageError(f"the audio file {str(audio_path)!r} does not exist")
    doc, lang = _load_transcript(Path(transcript_path), language or args.language)
    bar = _ProgressBar(err, audio_path.name) if show_progress else None
    t0 = time.perf_counter()
    try:
        audio = load_audio(audio_path, progress=bar.stage(0.0, 0.1) if bar else None)
        doc.duration_ms = int(len(audio) * 1000 // 16000)
        request = AlignRequest.from_document(
            doc, audio, language=lang, aligner=args.aligner, model=args.model, device=args.device, jobs=args.jobs
        )
        result = align(request, progress=bar.stage(0.1, 1.0) if bar else None)
    finally:
        if bar:
            bar.close()
    if result.summary.words and not result.summary.aligned:
        # an empty subtitle file with exit 0 would read as success
        raise UsageError(f"no word of {Path(transcript_path).name!r} could be found in {audio_path.name!r}; is it silent, or another recording?")
    result.to_edit().apply(doc)
    if fmt in ("srt", "vtt", "ass") and (args.profile or not doc.cues):
        from .cues import segment

        ReplaceCues(segment(doc, profile)).apply(doc)
    _export(doc, out, fmt, args.offset, profile, err)
    s = result.summary
    elapsed = time.perf_counter() - t0
    audio_s = len(audio) / 16000.0
    rtf = elapsed / audio_s if audio_s else 0.0
    print(
        f"{PROG}: {out.name}: {s.aligned} of {s.words} words aligned, {s.not_aligned} not aligned, "
        f"{s.low_confidence} low confidence; aligner {s.aligner}, RTF {rtf:.3f} ({1 / rtf if rtf else 0:.0f}x real time)",
        file=err,
    )
    for warning in s.warnings:
        print(f"{PROG}: warning: {out.name}: {warning}", file=err)


def _export(doc, out: Path, fmt: str, offset_ms: int, profile, err: TextIO) -> None:
    from .formats import ExportOptions, ExportValidationError, export_document

    if out.parent and not out.parent.exists():
        raise UsageError(f"the output folder {str(out.parent)!r} does not exist")
    try:
        report = export_document(doc, out, fmt, offset_ms=offset_ms, profile=profile, options=ExportOptions(aligner="wordsync"))
    except ExportValidationError as exc:
        # words the aligner could not place leave cues without times: write the rest, say so
        report = export_document(doc, out, fmt, offset_ms=offset_ms, profile=profile, options=ExportOptions(fix=True, aligner="wordsync"))
        print(f"{PROG}: warning: {out.name}: {len(exc.report.blocking)} cue(s) had to be repaired or dropped (words not aligned)", file=err)
    notes = [p for p in report.problems if not getattr(p, "blocking", False)]
    if notes:
        print(f"{PROG}: note: {out.name}: {len(notes)} note(s), first: {notes[0]}", file=err)


# -- batch ---------------------------------------------------------------------------------------------


def _run_batch(args, err: TextIO) -> int:
    manifest = Path(args.batch)
    if not manifest.is_file():
        raise UsageError(f"the manifest {str(manifest)!r} does not exist")
    out_dir = Path(args.out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {str(out_dir)!r} ({exc.strerror or exc})") from None
    fmt = args.format or DEFAULT_BATCH_FORMAT
    ext = {"textgrid": ".TextGrid"}.get(fmt, "." + fmt)
    if args.profile:
        _profile(args.profile)
    try:
        lines = manifest.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the manifest {manifest.name!r} ({exc})") from None
    items = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    if not items:
        raise UsageError(f"the manifest {manifest.name!r} lists no files")
    base = manifest.parent
    failures: list[tuple[str, str]] = []
    seen: set[str] = set()
    show = err.isatty()
    args_fmt = argparse.Namespace(**{**vars(args), "format": fmt})
    for k, (lineno, line) in enumerate(items, 1):
        name = f"line {lineno}"
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise UsageError("a manifest line must be a JSON object")
            if not item.get("audio") or not item.get("transcript"):
                raise UsageError('a manifest line needs "audio" and "transcript"')
            audio = base / str(item["audio"])
            transcript = base / str(item["transcript"])
            name = str(item.get("id") or Path(str(item["audio"])).stem)
            if "/" in name or "\\" in name or name in (".", ".."):
                raise UsageError(f"the id {name!r} is not a file name")
            if name in seen:
                raise UsageError(f"the id {name!r} appears twice; give each line its own id")
            seen.add(name)
            if show:
                print(f"{PROG}: [{k}/{len(items)}] {name}", file=err)
            _align_one(audio, transcript, out_dir / (name + ext), args_fmt, err, show_progress=show, language=item.get("language") or args.language)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # noqa: BLE001 - one failing item never stops the batch
            if os.environ.get("WORDSYNC_DEBUG") == "1":
                raise
            if isinstance(exc, json.JSONDecodeError):
                reason = f"not valid JSON ({exc.msg})"
            else:
                reason = _reason(exc)
            failures.append((name, reason))
            print(f"{PROG}: {name}: failed: {reason}", file=err)
    done = len(items) - len(failures)
    if failures:
        print(f"{PROG}: {done} of {len(items)} aligned; {len(failures)} failed:", file=err)
        for name, reason in failures:
            print(f"  {name}: {reason}", file=err)
        return 1
    print(f"{PROG}: all {len(items)} aligned into {out_dir}", file=err)
    return 0


# -- progress bar --------------------------------------------------------------------------------------


class _ProgressBar:
    """``name [#####.....]  45% stage`` on one terminal line, redrawn at most 10 times a second."""

    WIDTH = 30

    def __init__(self, stream: TextIO, name: str):
        self.stream = stream
        self.name = name if len(name) <= 24 else name[:21] + "..."
        self.best = 0.0
        self.last = 0.0
        self.shown = False

    def stage(self, lo: float, hi: float):
        def report(fraction: float, stage: str) -> None:
            self.update(lo + (hi - lo) * min(1.0, max(0.0, fraction)), stage)

        return report

    def update(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        self.best = max(self.best, fraction)
        if now - self.last < 0.1 and fraction < 1.0:
            return
        self.last = now
        filled = int(self.WIDTH * self.best)
        line = f"\r{self.name} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {100 * self.best:3.0f}% {stage[:30]:<30}"
        self.stream.write(line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 72) + "\r")
            self.stream.flush()


if __name__ == "__main__":
    sys.exit(main())
