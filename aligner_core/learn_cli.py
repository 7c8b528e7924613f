"""``wordsync dataset | finetune | evaluate``: learning from corrections, headless (issue 15).

::

    wordsync dataset PROJECT... -o train.jsonl [--eval-fraction 0.2] [--pseudo-labels] [--language CODE]
    wordsync finetune train.jsonl --out DIR [--base ID_OR_PATH | --base sphinx] [--epochs N] [--lr X]
                      [--rank 16] [--device auto|cpu|cuda] [--seed 0] [--merge]
    wordsync evaluate GOLD PRED_OR_AUDIO... [--aligner ...] [--model ...] [--language en] [--json]

``finetune --base sphinx`` teaches the offline aligner (boundary offsets, :mod:`.learn.adapt`);
any other base is a Qwen3-ForcedAligner checkpoint trained with a LoRA adapter
(:mod:`.learn.lora`). Either output folder is an aligner model: ``wordsync align ... --model DIR``.

Same contract as ``wordsync align``: exit 0 on success, 2 with one line ``wordsync: error: ...``
for bad usage or input (never a traceback; WORDSYNC_DEBUG=1 shows one), 130 on Ctrl-C.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Sequence, TextIO

from . import cli
from .cli import PROG, UsageError, run_guarded

COMMANDS = ("dataset", "finetune", "evaluate")
AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".aac", ".mp4", ".mkv", ".webm", ".mov", ".aif", ".aiff"}


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--eval-fraction takes a number from 0 to below 1, not {text!r}") from None
    if not 0.0 <= value < 1.0:
        raise UsageError(f"--eval-fraction takes a number from 0 to below 1, not {text!r}")
    return value


def _positive(kind: type):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise UsageError(f"expected a positive number, not {text!r}") from None
        if not value > 0:
            raise UsageError(f"expected a positive number, not {text!r}")
        return value

    return parse


def build_parser(command: str):
    p = cli._Parser(prog=f"{PROG} {command}")
    if command == "dataset":
        p.description = "Turn corrected projects into a training set (one JSON line per segment)."
        p.add_argument("projects", nargs="+", metavar="PROJECT", help="Wordsync projects (.wordsync) with locked (verified) words")
        p.add_argument("-o", "--output", required=True, metavar="OUT", help="the JSON-lines file to write")
        p.add_argument("--eval-fraction", type=_fraction, default=0.2, help="share of recordings held out for evaluation (default 0.2)")
        p.add_argument("--pseudo-labels", action="store_true", help="unverified words carry the current times as weaker labels")
        p.add_argument("--language", type=cli._language_code, help="the language every project must be in (default: the first project's)")
        p.add_argument("--max-seconds", type=_positive(float), default=30.0, help="longest segment (default 30)")
    elif command == "finetune":
        p.description = "Train an aligner on a training set: a LoRA adapter of Qwen3-ForcedAligner, or offsets for the offline aligner (--base sphinx)."
        p.add_argument("dataset", metavar="TRAIN.jsonl")
        p.add_argument("--out", required=True, metavar="DIR", help="folder to write the model into")
        p.add_argument("--base", default=None, metavar="ID_OR_PATH", help="Qwen3-ForcedAligner to adapt (default Qwen/Qwen3-ForcedAligner-0.6B-hf), or 'sphinx'")
        p.add_argument("--epochs", type=_positive(int), default=3)
        p.add_argument("--lr", type=_positive(float), default=2e-4)
        p.add_argument("--rank", type=_positive(int), default=16)
        p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--max-steps", type=_positive(int), default=None, help="stop after this many steps")
        p.add_argument("--merge", action="store_true", help="also write the merged model to DIR/merged")
    else:
        p.description = "Word-boundary error of predictions (or of an aligner run on audio) against gold word times."
        p.add_argument("gold", metavar="GOLD", help="gold word times: a JSON file, or a folder of <id>.json")
        p.add_argument("preds", nargs="+", metavar="PRED_OR_AUDIO", help="predicted JSON files or folders, or audio files (<stem>.txt beside each) to align")
        p.add_argument("--aligner", default="auto", choices=("auto", "sphinx", "qwen3", "ctc"))
        p.add_argument("--model", metavar="ID_OR_PATH")
        p.add_argument("--language", default="en", type=cli._language_code)
        p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
        p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    err, out = sys.stderr, sys.stdout
    if not args_list or args_list[0] not in COMMANDS:
        print(f"{PROG}: error: give one of: {', '.join(COMMANDS)}", file=err)
        return 2
    command, rest = args_list[0], args_list[1:]

    def body() -> int:
        args = build_parser(command).parse_args(rest)
        return {"dataset": _dataset, "finetune": _finetune, "evaluate": _evaluate}[command](args, out, err)

    return run_guarded(body, err)


def _dataset(args, out: TextIO, err: TextIO) -> int:
    from .learn.dataset import build_dataset, dataset_bytes

    for p in args.projects:
        if not Path(p).is_file():
            raise UsageError(f"the project {p!r} does not exist or is not a file")
    target = cli._check_output(args.output, args.projects)
    ds = build_dataset(args.projects, eval_fraction=args.eval_fraction, pseudo_labels=args.pseudo_labels, language=args.language, max_s=args.max_seconds)
    target.write(dataset_bytes(ds))
    n_train, v_train = ds.count("train")
    n_eval, v_eval = ds.count("eval")
    print(f"{PROG}: {args.output}: {n_train} training segment(s) with {v_train} verified words, {n_eval} held out with {v_eval}", file=err)
    for note in ds.notes:
        print(f"{PROG}: note: {note}", file=err)
    return 0


def _finetune(args, out: TextIO, err: TextIO) -> int:
    from .learn.dataset import read_dataset

    path = Path(args.dataset)
    if not path.is_file():
        raise UsageError(f"the training set {args.dataset!r} does not exist or is not a file")
    target = Path(args.out)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{args.out!r} is a file; --out takes a folder")
    segments = read_dataset(path)
    bar = cli._ProgressBar(err, path.name) if err.isatty() else None
    progress = bar.update if bar else None
    try:
        if (args.base or "").lower() == "sphinx":
            from .learn.offline import learn_offline

            result = learn_offline(segments, target, progress=progress)
            before, after = result.before, result.after
            what = f"offline aligner offsets from {result.model.boundaries} verified boundaries"
        else:
            from .learn.lora import FinetuneSettings, finetune
            from .align.models import QWEN3_ALIGNER

            settings = FinetuneSettings(base=args.base or QWEN3_ALIGNER, epochs=args.epochs, lr=args.lr, rank=args.rank, device=args.device, seed=args.seed, max_steps=args.max_steps)
            _say_estimate(settings, segments, err)
            result = finetune(segments, target, settings, merge=args.merge, progress=progress, log=lambda line: print(f"{PROG}: {line}", file=err))
            before, after = result.before, result.after
            what = f"LoRA adapter after {result.steps} steps (loss {result.losses[0]:.3f} -> {result.losses[-1]:.3f})" if result.losses else "LoRA adapter"
    finally:
        if bar:
            bar.close()
    print(f"{PROG}: {args.out}: {what}", file=err)
    if before is not None and after is not None:
        from .learn.evaluate import before_after

        print(before_after(before, after), file=out)
    else:
        print(f"{PROG}: note: no recording was held out, so nothing was measured (use --eval-fraction with more than one recording)", file=err)
    return 0


def _say_estimate(settings, segments, err: TextIO) -> None:
    """How long a run will take, said before it starts (from the base's size and the audio)."""
    from .align.models import pick_device
    from .learn.improve import duration_words, parameters_of
    from .learn.lora import estimate_seconds

    params = parameters_of(settings.base)
    if params is None:
        return
    try:
        device = pick_device(settings.device)
    except Exception:  # noqa: BLE001 - the training itself says what is wrong with the device
        return
    train = [s for s in segments if s.get("split", "train") == "train"]
    seconds = estimate_seconds(train, settings.epochs, params, device)
    if settings.max_steps is not None and train:
        seconds *= min(1.0, settings.max_steps / (settings.epochs * len(train)))
    where = "the GPU" if device.startswith("cuda") else "this CPU"
    print(f"{PROG}: training {len(train)} segment(s) x {settings.epochs} epoch(s) should take about {duration_words(seconds)} on {where}", file=err)


def _evaluate(args, out: TextIO, err: TextIO) -> int:
    from .learn.evaluate import format_report, score

    gold = Path(args.gold)
    if not gold.exists():
        raise UsageError(f"the gold {args.gold!r} does not exist")
    items = []
    for pred in args.preds:
        items += _evaluate_items(gold, Path(pred), args, err)
    if not items:
        raise UsageError("no prediction has gold word times to compare with (gold <id>.json for each <id>)")
    scored = score((uid, _words(g), p) for uid, g, p in items)
    if args.json:
        print(json.dumps({**scored.result, "match_rate": scored.match_rate}, indent=1), file=out)
    else:
        print(format_report(scored.result), file=out)
        print(f"word match rate {scored.match_rate:.1f}%", file=out)
    return 0


def _words(path: Path) -> list:
    """A JSON file's word times, or one sentence saying why it has none."""
    from .learn.evaluate import load_words

    try:
        return load_words(path)
    except UnicodeDecodeError:
        raise UsageError(f"{path.name!r} is not a text file of word times (JSON)") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"{path.name!r} is not a JSON file of word times ({reason})") from None


def _gold_for(gold: Path, stem: str) -> Path:
    from .messages import msg

    if gold.is_file():
        return gold
    path = gold / f"{stem}.json"
    if not path.is_file():
        raise UsageError(str(msg("learn_gold_missing", name=stem, gold=str(gold), expected=path.name)))
    return path


def _evaluate_items(gold: Path, pred: Path, args, err: TextIO) -> list:
    if not pred.exists():
        raise UsageError(f"{str(pred)!r} does not exist")
    if pred.is_dir():
        if not gold.is_dir():
            raise UsageError("a folder of predictions needs a folder of gold files")
        found = [(p.stem, gold / p.name, _words(p)) for p in sorted(pred.glob("*.json")) if (gold / p.name).is_file()]
        missing = sum(1 for p in gold.glob("*.json") if not (pred / p.name).is_file())
        if missing:
            print(f"{PROG}: warning: {missing} gold file(s) have no prediction in {str(pred)!r}", file=err)
        return found
    if pred.suffix.lower() in AUDIO_SUFFIXES:
        return [(pred.stem, _gold_for(gold, pred.stem), _align_words(pred, args))]
    return [(pred.stem, _gold_for(gold, pred.stem), _words(pred))]


def _align_words(audio_path: Path, args) -> list:
    """Align an audio file with the transcript beside it (``<stem>.txt``) as ``wordsync align`` would."""
    from .align.api import AlignRequest, align
    from .audio import decode
    from .learn.evaluate import words_of_tokens
    from .messages import msg

    transcript = audio_path.with_suffix(".txt")
    if not transcript.is_file():
        raise UsageError(str(msg("learn_no_transcript", name=audio_path.name, expected=transcript.name)))
    doc, lang = cli._load_transcript(transcript, args.language)
    audio = decode(audio_path, envelope=False).samples
    doc.duration_ms = int(len(audio) * 1000 // 16000)
    result = align(AlignRequest.from_document(doc, audio, language=lang, aligner=args.aligner, model=args.model, device=args.device))
    result.to_edit().apply(doc)
    return words_of_tokens(doc.tokens)
