"""``wordsync align``: force-align a transcript to audio headless, one file or a batch.

::

    wordsync align AUDIO TRANSCRIPT -o OUT [--format srt|vtt|ass|textgrid|json] [--language CODE]
                   [--aligner auto|sphinx|qwen3|ctc] [--model ID_OR_PATH] [--device auto|cpu|cuda]
                   [--profile NAME] [--karaoke] [--emotion-tags] [--no-sound-cues] [--offset MS]
                   [--lead-in MS] [--lead-out MS] [--chain MS] [--min-gap MS] [--min-duration MS] [--max-duration MS]
                   [--phones | --no-phones]
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
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence, TextIO

if TYPE_CHECKING:
    from .outputs import OutputTarget

PROG = "wordsync"
STDOUT = "-"
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
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (its extension picks the format; - writes to standard output)")
    p.add_argument("--format", choices=OUTPUT_FORMATS, help="output format (default: from OUT's extension)")
    p.add_argument("--language", metavar="CODE", type=_language_code, help="transcript language, e.g. en, fr, zh (default: guessed)")
    p.add_argument("--aligner", default="auto", choices=("auto", "sphinx", "qwen3", "ctc"), help="default: auto")
    p.add_argument("--model", metavar="ID_OR_PATH", help="model of a neural aligner: a Hugging Face id or a local folder")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="default: auto")
    from .cues import PROFILES

    p.add_argument("--profile", metavar="NAME",
                   help=f"cue rules for subtitles: {', '.join(PROFILES)} (default: {DEFAULT_PROFILE})")
    p.add_argument("--karaoke", action="store_true", help="ASS only: time each word inside its cue (\\k tags)")
    add_export_choices(p)
    add_timing_choices(p)
    add_phone_choice(p)
    p.add_argument("--offset", metavar="MS", type=_int_ms, default=0, help="shift every time by MS milliseconds")
    p.add_argument("--batch", metavar="MANIFEST", help="align every line of a JSONL manifest")
    p.add_argument("--out-dir", metavar="DIR", help="where batch outputs go")
    p.add_argument("--jobs", metavar="N", type=_positive_int, default=1,
                   help="worker processes: for long recordings, or with --batch for items at once (default: 1)")
    add_engine_options(p)
    return p


def add_engine_options(p: argparse.ArgumentParser) -> None:
    """--engine, --address and --redo: where a batch runs and whether finished items run again."""
    p.add_argument("--engine", default="local", choices=("local", "ray"),
                   help="with --batch: local worker processes (default) or a Ray cluster (pip install 'wordsync[ray]')")
    p.add_argument("--address", metavar="ADDR", help="with --engine ray: the cluster to join, e.g. ray://head:10001 or auto (default: start one here)")
    p.add_argument("--redo", action="store_true", help="with --batch: run every item again, even those an earlier run finished")


def check_engine_usage(args: argparse.Namespace) -> None:
    if not args.batch and (args.engine != "local" or args.address or args.redo):
        raise UsageError("--engine, --address and --redo go with --batch")
    if args.address and args.engine != "ray":
        raise UsageError("--address names a Ray cluster; add --engine ray")


MAX_OFFSET_MS = 100 * 3600 * 1000  # 100 hours: past what SRT/VTT/ASS times can hold


def _shown(text: str, limit: int = 24) -> str:
    """A user's argument, quoted and cut short: a 10,000-character value is not echoed back whole."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _int_ms(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole milliseconds, not {_shown(text)}") from None
    if abs(value) > MAX_OFFSET_MS:
        raise argparse.ArgumentTypeError(f"{_shown(text)} ms is more than 100 hours; subtitle times cannot hold it")
    return value


def _language_code(text: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}", text):
        raise argparse.ArgumentTypeError(f"expected a language code such as en, fr or zh, not {_shown(text)}")
    return text


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
    if args_list and args_list[0] == "transcribe":  # `python -m aligner_core.cli transcribe ...` too
        from .transcribe_cli import main as transcribe_main

        return transcribe_main(args_list)
    if args_list and args_list[0] == "align":
        args_list = args_list[1:]
    err = sys.stderr

    def body() -> int:
        args = build_parser().parse_args(args_list)
        _check_usage(args)
        if args.batch:
            return _run_batch(args, err)
        _align_one(args.audio, args.transcript, args.target, args, err, show_progress=err.isatty())
        return 0

    return run_guarded(body, err)


def run_guarded(body: Callable[[], int], err: TextIO, *, say_cancelled: bool = True) -> int:
    """Every command's exit rules: Ctrl+C is 130, --help 0, any failure one line and 2 (never a
    traceback; WORDSYNC_DEBUG=1 shows one)."""
    try:
        return body()
    except KeyboardInterrupt:
        if say_cancelled:
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
    check_engine_usage(args)
    if args.batch:
        if args.audio or args.transcript or args.output:
            raise UsageError("--batch takes no AUDIO, TRANSCRIPT or -o (outputs go to --out-dir)")
        if not args.out_dir:
            raise UsageError("--batch needs --out-dir DIR")
        timing_settings(args, args.format or DEFAULT_BATCH_FORMAT)
        return
    if args.out_dir:
        raise UsageError("--out-dir goes with --batch; for one file use -o OUT")
    if not args.audio or not args.transcript:
        raise UsageError("give AUDIO and TRANSCRIPT (or --batch MANIFEST --out-dir DIR)")
    if not args.output:
        raise UsageError("give the output file with -o OUT")
    if args.output == STDOUT and not args.format:
        raise UsageError(f"writing to standard output (-o -) needs --format ({'|'.join(OUTPUT_FORMATS)})")
    # first of all: an output that is an input, whatever its name says, is never written
    args.target = _check_output(args.output, (args.audio, args.transcript))
    if _output_format(Path(args.output), args.format) != "ass" and args.karaoke:
        raise UsageError("--karaoke is for ASS output (.ass or --format ass)")
    check_export_choices(args, _output_format(Path(args.output), args.format))
    timing_settings(args, _output_format(Path(args.output), args.format))
    if args.profile:
        _profile(args.profile)


def _check_output(output: str, inputs) -> "OutputTarget":
    """The output, checked before any work: never an input, never a folder or read-only file."""
    from .outputs import check_output

    return check_output(output, [p for p in inputs if p], allow_special=True, allow_stdout=True)


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
    from .outputs import OutputError
    from .text import TranscriptError

    return isinstance(exc, (AlignmentError, AudioError, FormatError, OutputError, TranscriptError, UsageError, KeyError, ValueError, OSError))


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
    from .transcripts import for_retiming, load_transcript

    if not path.exists():
        raise UsageError(f"the transcript file {str(path)!r} does not exist")
    doc = for_retiming(load_transcript(path, language))
    return doc, doc.language


def _align_one(audio_path: str | os.PathLike, transcript_path: str | os.PathLike, target: "OutputTarget", args, err: TextIO, *, show_progress: bool, language: str | None = None) -> None:
    from .align.api import AlignRequest, align
    from .audio import decode
    from .edits import ReplaceCues
    from .transcripts import fit_silent_cues

    fmt = _output_format(Path(target.path), args.format)
    name = "stdout" if target.kind == "stdout" else Path(target.path).name
    profile = _profile(args.profile) if (args.profile or fmt in _CUED) else None
    audio_path = Path(audio_path)
    if not audio_path.exists():
        raise UsageError(f"the audio file {str(audio_path)!r} does not exist")
    doc, lang = _load_transcript(Path(transcript_path), language or args.language)
    bar = _ProgressBar(err, audio_path.name) if show_progress else None
    t0 = time.perf_counter()
    try:
        decoded = decode(audio_path, envelope=False, progress=bar.stage(0.0, 0.1) if bar else None)
        audio = decoded.samples
        doc.duration_ms = int(len(audio) * 1000 // 16000)
        if args.offset < 0 and -args.offset >= doc.duration_ms:
            raise UsageError(f"the offset of {args.offset} ms moves all {doc.duration_ms / 1000:.1f} s of {audio_path.name!r} before 0 s; nothing would be left to write")
        request = AlignRequest.from_document(
            doc, audio, language=lang, aligner=args.aligner, model=args.model, device=args.device, jobs=args.jobs,
            phones=wants_phones(fmt, getattr(args, "phones", None)),
        )
        result = align(request, progress=bar.stage(0.1, 1.0) if bar else None)
    finally:
        if bar:
            bar.close()
    if result.summary.words and not result.summary.aligned:
        # an empty subtitle file with exit 0 would read as success
        raise UsageError(f"no word of {Path(transcript_path).name!r} could be found in {audio_path.name!r}; is it silent, or another recording?")
    result.to_edit().apply(doc)
    fitted = fit_silent_cues(doc)
    if fitted != doc.cues:  # "[music]" cues keep their old times only where the new ones leave room
        ReplaceCues(fitted).apply(doc)
    ends = [t.end for t in doc.tokens if t.end is not None]
    if args.offset < 0 and ends and max(ends) + args.offset <= 0:
        raise UsageError(f"the offset of {args.offset} ms moves every word of {Path(transcript_path).name!r} before 0 s (the last ends at {max(ends) / 1000:.3f} s); nothing would be left to write")
    if fmt in _CUED and (args.profile or not doc.cues):
        from .cues import segment

        ReplaceCues(segment(doc, profile)).apply(doc)
    timing = timing_settings(args, fmt)
    if timing is not None:
        from .timing_tools import RetimeCues, plan

        RetimeCues(plan(doc, None, timing)).apply(doc)
    s = result.summary
    _export(doc, target, name, fmt, args.offset, profile, err, {**_about(s, args.offset), **export_choices(args)},
            karaoke=args.karaoke)
    elapsed = time.perf_counter() - t0
    audio_s = len(audio) / 16000.0
    rtf = elapsed / audio_s if audio_s else 0.0
    print(
        f"{PROG}: {name}: {s.aligned} of {s.words} words aligned, {s.not_aligned} not aligned, "
        f"{s.low_confidence} low confidence; aligner {s.aligner}, RTF {rtf:.3f} ({1 / rtf if rtf else 0:.0f}x real time)",
        file=err,
    )
    if s.untranscribed:  # a partial transcript aligns what it covers; say what it does not
        print(f"{PROG}: warning: {name}: {untranscribed_line(s.untranscribed)}", file=err)
    # what decoding repaired (NaN, a wrong scale, cancelling channels, damage) comes first
    for warning in (*decoded.warnings, *s.warnings):
        print(f"{PROG}: warning: {name}: {warning}", file=err)


# formats whose cues the CLI segments with the profile (the JSON carries cues as the editor's does)
_CUED = ("srt", "vtt", "ass", "json")


def add_export_choices(p) -> None:
    """What `align` and `transcribe` write of a recogniser's findings (one definition for both)."""
    p.add_argument("--emotion-tags", action="store_true",
                   help="write each cue's emotion: SRT '[HAPPY] text', VTT a <c.happy> span, ASS the Name field")
    p.add_argument("--no-sound-cues", action="store_true", help="leave sound cues such as [music] or (laughter) out")
    p.add_argument("--bare-word-labels", action="store_true",
                   help="TextGrid: word labels without the punctuation at their edges ('Americans,' -> 'Americans')")


def check_export_choices(args, fmt: str) -> None:
    """The choices shape subtitles only: JSON and TextGrid keep every cue and its emotion as data."""
    for flag, given in (("--emotion-tags", getattr(args, "emotion_tags", False)), ("--no-sound-cues", getattr(args, "no_sound_cues", False))):
        if given and fmt not in ("srt", "vtt", "ass"):
            raise UsageError(f"{flag} is for SRT, VTT or ASS output, not {fmt.upper()}")
    if getattr(args, "bare_word_labels", False) and fmt != "textgrid":
        raise UsageError(f"--bare-word-labels is for TextGrid output, not {fmt.upper()}")


def export_choices(args) -> dict:
    """ExportOptions fields from :func:`add_export_choices`' flags (a batch item's args may lack them)."""
    return {
        "emotion_tags": bool(getattr(args, "emotion_tags", False)),
        "sound_cues": not getattr(args, "no_sound_cues", False),
        "bare_word_labels": bool(getattr(args, "bare_word_labels", False)),
    }


def add_phone_choice(p) -> None:
    """--phones / --no-phones: whether the aligner measures each word's phones too."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--phones", dest="phones", action="store_true", default=None,
                       help="measure each word's phones too (default for textgrid and json output, which write them: "
                            "a phones tier, a 'phones' list per word; the offline aligner takes about twice as long)")
    group.add_argument("--no-phones", dest="phones", action="store_false",
                       help="words only, also for textgrid and json output (faster)")


def wants_phones(fmt: str, asked: bool | None) -> bool:
    """The one rule for the CLI, the batch and the server: phones are measured when asked for
    (--phones / --no-phones, a form field), otherwise only for a format that writes them."""
    from .formats import PHONE_FORMATS

    return fmt in PHONE_FORMATS if asked is None else bool(asked)


#: the timing post-processors the CLI offers (aligner_core.timing_tools), flag -> TimingSettings field
_TIMING_FLAGS = {"--lead-in": "lead_in_ms", "--lead-out": "lead_out_ms", "--chain": "chain_ms", "--min-gap": "min_gap_ms",
                 "--min-duration": "min_duration_ms", "--max-duration": "max_duration_ms"}


def add_timing_choices(p) -> None:
    g = p.add_argument_group("timing post-processors (cues, after segmentation; in this order: lead-in/out, "
                             "chain, min/max duration, min gap; word times stay)")
    helps = {
        "--lead-in": "start each cue MS earlier (never over the previous cue)",
        "--lead-out": "end each cue MS later (never over the next cue)",
        "--chain": "close gaps between cues up to MS long (the earlier cue stays until the next)",
        "--min-gap": "end each cue at least MS before the next begins",
        "--min-duration": "show each cue at least MS (up to the next cue)",
        "--max-duration": "show each cue at most MS (its words permitting)",
    }
    for flag in _TIMING_FLAGS:
        g.add_argument(flag, metavar="MS", type=_timing_ms, help=helps[flag])


def _timing_ms(text: str) -> int:
    value = _int_ms(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected milliseconds of 0 or more, not {_shown(text)}")
    return value


def timing_settings(args, fmt: str):
    """The TimingSettings the timing flags ask for (None when none is given); bad mixes are UsageErrors."""
    given = {field: getattr(args, flag[2:].replace("-", "_"), None) for flag, field in _TIMING_FLAGS.items()}
    given = {field: value for field, value in given.items() if value is not None}
    if not given:
        return None
    if fmt not in _CUED:
        flag = next(f for f, field in _TIMING_FLAGS.items() if field in given)
        raise UsageError(f"{flag} times cues: it is for SRT, VTT, ASS or JSON output, not {fmt.upper()}")
    if given.get("max_duration_ms") == 0:
        raise UsageError("--max-duration must be more than 0 ms")
    from .timing_tools import TimingSettings

    try:
        return TimingSettings(**given)
    except ValueError:
        raise UsageError(f"--min-duration ({given.get('min_duration_ms')} ms) is longer than --max-duration ({given.get('max_duration_ms')} ms)") from None


def _about(summary, offset_ms: int = 0) -> dict:
    """What made the times, for the JSON: the real aligner, its version and settings, untranscribed spans."""
    from .formats.common import shifted_spans

    spans = shifted_spans(summary.untranscribed, offset_ms)
    return {"aligner": summary.aligner, "aligner_version": summary.version, "aligner_settings": dict(summary.settings), "untranscribed": spans}


def untranscribed_line(spans) -> str:
    """One sentence listing untranscribed spans (m:ss.s-m:ss.s), the first eight of them."""

    def clock(ms: int) -> str:
        return f"{ms // 60000}:{ms % 60000 / 1000:04.1f}"

    shown = ", ".join(f"{clock(a)}-{clock(b)}" for a, b in spans[:8]) + (f" and {len(spans) - 8} more" if len(spans) > 8 else "")
    total = sum(b - a for a, b in spans) / 1000.0
    return f"{len(spans)} stretch(es) of audio ({total:.1f} s) hold speech or music the transcript does not: {shown}"


def _export(doc, target: "OutputTarget", name: str, fmt: str, offset_ms: int, profile, err: TextIO, about: dict | None = None,
            karaoke: bool = False) -> None:
    from .formats import ExportOptions, ExportValidationError, export_document

    about = about or {}
    try:
        report = export_document(doc, target.path, fmt, offset_ms=offset_ms, profile=profile, karaoke=karaoke,
                                 options=ExportOptions(**about), target=target)
    except ExportValidationError as exc:
        # words the aligner could not place, or an offset that cuts the start: write the rest, say what went
        report = export_document(doc, target.path, fmt, offset_ms=offset_ms, profile=profile, karaoke=karaoke,
                                 options=ExportOptions(fix=True, **about), target=target)
        lost = report.blocking or exc.report.blocking
        shown = "; ".join(str(p) for p in lost[:3]) + (f"; and {len(lost) - 3} more" if len(lost) > 3 else "")
        print(f"{PROG}: warning: {name}: {len(lost)} cue(s) repaired or dropped: {shown}", file=err)
    notes = [p for p in report.problems if not getattr(p, "blocking", False)]
    if notes:
        print(f"{PROG}: note: {name}: {len(notes)} note(s), first: {notes[0]}", file=err)


# -- batch ---------------------------------------------------------------------------------------------


def _run_batch(args, err: TextIO) -> int:
    manifest = Path(args.batch)
    if not manifest.is_file():
        raise UsageError(f"the manifest {str(manifest)!r} does not exist")
    out_dir = Path(args.out_dir)
    fmt = args.format or DEFAULT_BATCH_FORMAT
    ext = {"textgrid": ".TextGrid"}.get(fmt, "." + fmt)
    if args.karaoke and fmt != "ass":
        raise UsageError("--karaoke is for ASS output (.ass or --format ass)")
    check_export_choices(args, fmt)
    if args.profile:
        _profile(args.profile)
    items, jobs = plan_batch(manifest, out_dir, ext, ("audio", "transcript"), _language_code)
    from .batch import ALIGN, run_manifest

    # items run where --engine says (this process, worker processes, Ray); finished ones are skipped
    return run_manifest(ALIGN, items, jobs, argparse.Namespace(**{**vars(args), "format": fmt}), out_dir, ext, err, PROG)


def plan_batch(manifest: Path, out_dir: Path, ext: str, fields: tuple[str, ...], language_code: Callable[[str], str]):
    """A batch read and checked before any work, for every command's ``--batch``: the manifest's
    (line number, text) items and per item ``(id, *paths of fields, language)`` or the exception
    that line fails with. No output may be any item's input (an --out-dir equal to the media folder
    would replace each source SRT with its re-timed self) nor the manifest, nor be read-only; the
    output folder is made and must be writable."""
    try:
        lines = manifest.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the manifest {manifest.name!r} ({exc})") from None
    items = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    if not items:
        raise UsageError(f"the manifest {manifest.name!r} lists no files")
    jobs = [_batch_item(manifest.parent, line, fields, language_code) for _n, line in items]
    seen: set[str] = set()
    for k, job in enumerate(jobs):
        if not isinstance(job, Exception):
            if job[0] in seen:
                jobs[k] = UsageError(f"the id {_shown(job[0])} appears twice; give each line its own id")
            seen.add(job[0])
    inputs = [manifest] + [p for job in jobs if not isinstance(job, Exception) for p in job[1:-1]]
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"the output folder {str(out_dir)!r} is a file")
    for job in jobs:
        if isinstance(job, Exception):
            continue
        out = out_dir / (job[0] + ext)
        for source in inputs:
            if _same_file(out, source):
                raise UsageError(f"the output {str(out)!r} would replace the input {str(source)!r}; choose another --out-dir")
        if out_dir.is_dir():
            _check_output(str(out), inputs)  # a read-only or otherwise unwritable output: refused now
    writable_folder(out_dir, "output folder")
    return items, jobs


def writable_folder(folder: Path, what: str) -> None:
    """Make ``folder`` (and its parents) or refuse in one sentence that names it as ``what``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the {what} {str(folder)!r} ({exc.strerror or exc})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write into the {what} {str(folder)!r} (permission denied)")


def _batch_item(base: Path, line: str, fields: tuple[str, ...], language_code: Callable[[str], str]):
    """(id, *paths of ``fields``, language) of one manifest line, or the exception it fails with."""
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise UsageError("a manifest line must be a JSON object")
        if not all(item.get(f) for f in fields):
            needed = " and ".join('"' + f + '"' for f in fields)
            raise UsageError(f"a manifest line needs {needed}")
        name = str(item.get("id") or Path(str(item["audio"])).stem)
        if "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
            raise UsageError(f"the id {_shown(name)} is not a file name")
        language = item.get("language")
        if language is not None:
            language = language_code(str(language))
        return (name, *(base / str(item[f]) for f in fields), language)
    except (UsageError, json.JSONDecodeError, argparse.ArgumentTypeError) as exc:
        return exc if not isinstance(exc, argparse.ArgumentTypeError) else UsageError(str(exc))


def _same_file(a: Path, b: Path) -> bool:
    from .outputs import same_file

    return same_file(a, b)


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
