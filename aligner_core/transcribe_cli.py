"""``wordsync transcribe AUDIO -o OUT``: a draft transcript from audio alone, aligned as usual.

Same contract as ``wordsync align`` (:mod:`aligner_core.cli`, whose helpers this reuses): the
output is checked before any work (never an input, never a folder or read-only file), a progress
bar on a terminal, exit 0 on success, 2 with one line ``wordsync: error: ...`` for bad input, 1
when some lines of a batch failed, 130 on Ctrl-C. ``--format txt`` writes the draft text one
segment per line, ready to correct and give to ``wordsync align``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence, TextIO

from . import cli
from .cli import PROG, STDOUT, UsageError, _check_output, _export, _language_code, _ProgressBar, _profile, run_guarded

FORMATS = ("txt", *cli.OUTPUT_FORMATS)
RECOGNISERS = ("auto", "sensevoice", "qwen3-asr", "sphinx")


def _asr_language(text: str) -> str:
    return "auto" if text.strip().lower() == "auto" else _language_code(text)


def build_parser() -> argparse.ArgumentParser:
    p = cli._Parser(prog=f"{PROG} transcribe", description="Transcribe audio into a draft transcript, then align it.")
    p.add_argument("audio", nargs="?", metavar="AUDIO", help="audio or video file")
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (its extension picks the format; - writes to standard output)")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from OUT's extension); txt: the draft text, one segment a line")
    p.add_argument("--asr", default="auto", choices=RECOGNISERS, help="recogniser (default: auto, the best installed for the language)")
    p.add_argument("--model", metavar="ID_OR_PATH", help="the recogniser's model: a Hugging Face id or a local folder")
    p.add_argument("--language", default="auto", metavar="auto|CODE", type=_asr_language, help="spoken language, e.g. en, zh (default: auto)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="default: auto")
    p.add_argument("--events", dest="events", action="store_true", default=True, help="sound events become cues: (laughter), [music] (default)")
    p.add_argument("--no-events", dest="events", action="store_false", help="no sound-event cues")
    p.add_argument("--no-align", dest="align", action="store_false", default=True, help="keep the recogniser's own times (faster, rougher)")
    p.add_argument("--aligner", default="auto", choices=("auto", "sphinx", "qwen3", "ctc"), help="aligner for the word times (default: auto)")
    p.add_argument("--profile", metavar="NAME", help=f"cue rules for subtitles (default: {cli.DEFAULT_PROFILE})")
    p.add_argument("--batch", metavar="MANIFEST", help='transcribe every line of a JSONL manifest ({"audio": ..., "id": ..., "language": ...})')
    p.add_argument("--out-dir", metavar="DIR", help="where batch outputs go")
    p.add_argument("--jobs", metavar="N", type=cli._positive_int, default=1, help="with --batch: items transcribed at once (default: 1)")
    cli.add_engine_options(p)
    cli.add_export_choices(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "transcribe":
        args_list = args_list[1:]
    err = sys.stderr

    def body() -> int:
        args = build_parser().parse_args(args_list)
        _check_usage(args)
        if args.batch:
            return _run_batch(args, err)
        _transcribe_one(args.audio, args.target, args, err, show_progress=err.isatty())
        return 0

    return run_guarded(body, err)


def _output_format(out: Path, fmt: str | None) -> str:
    if fmt:
        return fmt
    if out.suffix.lower() == ".txt":
        return "txt"
    return cli._output_format(out, None)


def _check_usage(args: argparse.Namespace) -> None:
    cli.check_engine_usage(args)
    if args.batch:
        if args.audio or args.output:
            raise UsageError("--batch takes no AUDIO or -o (outputs go to --out-dir)")
        if not args.out_dir:
            raise UsageError("--batch needs --out-dir DIR")
    else:
        if args.out_dir:
            raise UsageError("--out-dir goes with --batch; for one file use -o OUT")
        if not args.audio:
            raise UsageError("give AUDIO (or --batch MANIFEST --out-dir DIR)")
        if not args.output:
            raise UsageError("give the output file with -o OUT")
        if args.output == STDOUT and not args.format:
            raise UsageError(f"writing to standard output (-o -) needs --format ({'|'.join(FORMATS)})")
        # first of all: an output that is an input, whatever its name says, is never written
        args.target = _check_output(args.output, (args.audio,))
        cli.check_export_choices(args, _output_format(Path(args.output), args.format))
    if args.profile:
        _profile(args.profile)
    # a recogniser that cannot run here is said before the audio is decoded
    from .transcribe.registry import choose

    choose(args.asr, args.language, args.model)


def _transcribe_one(audio_path, target, args, err: TextIO, *, show_progress: bool, language: str | None = None) -> None:
    from .audio import decode
    from .formats import ExportOptions, encode_export
    from .transcribe import TranscribeRequest, transcribe

    fmt = _output_format(Path(target.path), args.format)
    name = "stdout" if target.kind == "stdout" else Path(target.path).name
    audio_path = Path(audio_path)
    if not audio_path.exists():
        raise UsageError(f"the audio file {str(audio_path)!r} does not exist")
    bar = _ProgressBar(err, audio_path.name) if show_progress else None
    t0 = time.perf_counter()
    try:
        decoded = decode(audio_path, envelope=False, progress=bar.stage(0.0, 0.1) if bar else None)
        request = TranscribeRequest(
            audio=decoded.samples,
            asr=args.asr,
            model=args.model,
            language=language or args.language,
            device=args.device,
            events=args.events,
            align=args.align,
            aligner=args.aligner,
            profile=args.profile or cli.DEFAULT_PROFILE,
            name=audio_path.name,
        )
        result = transcribe(request, progress=bar.stage(0.1, 1.0) if bar else None)
    finally:
        if bar:
            bar.close()
    doc, s = result.document, result.summary
    if fmt == "txt":
        target.write(encode_export(draft_text(result), "txt", ExportOptions()))
    else:
        # the JSON names what timed the words, and what wrote them
        settings = {"recogniser": s.recogniser, "recogniser_model": s.model, "language": s.language, "aligned": s.aligned}
        about = {"aligner": s.aligner or s.recogniser, "aligner_settings": settings, **cli.export_choices(args)}
        _export(doc, target, name, fmt, 0, _profile(args.profile), err, about)
    elapsed = time.perf_counter() - t0
    rtf = elapsed / s.audio_s if s.audio_s else 0.0
    print(
        f"{PROG}: {name}: {s.words} words drafted in {s.segments} segment(s), {s.events} sound cue(s), "
        f"{s.low_confidence} to review; recogniser {s.recogniser} ({s.language}), RTF {rtf:.3f}",
        file=err,
    )
    for warning in (*decoded.warnings, *s.warnings):
        print(f"{PROG}: warning: {name}: {warning}", file=err)


def draft_text(result) -> str:
    """The draft as plain text: one segment (with its sound label) per line; sounds heard alone on their own line."""
    doc = result.document
    lines = []
    for seg in result.segments:
        if seg.first is not None and seg.last is not None:
            lo = seg.label if seg.label is not None else seg.first
            lines.append(doc.join(lo, seg.last).strip())
        if seg.sound is not None:
            lines.append(doc.tokens[seg.sound].text)
    return "\n".join(lines) + "\n"


def _run_batch(args, err: TextIO) -> int:
    manifest = Path(args.batch)
    if not manifest.is_file():
        raise UsageError(f"the manifest {str(manifest)!r} does not exist")
    out_dir = Path(args.out_dir)
    fmt = args.format or cli.DEFAULT_BATCH_FORMAT
    cli.check_export_choices(args, fmt)
    ext = {"textgrid": ".TextGrid"}.get(fmt, "." + fmt)
    items, jobs = cli.plan_batch(manifest, out_dir, ext, ("audio",), _asr_language)
    from .batch import TRANSCRIBE, run_manifest

    # items run where --engine says (this process, worker processes, Ray); finished ones are skipped
    return run_manifest(TRANSCRIBE, items, jobs, argparse.Namespace(**{**vars(args), "format": fmt}), out_dir, ext, err, PROG)


if __name__ == "__main__":
    sys.exit(main())
