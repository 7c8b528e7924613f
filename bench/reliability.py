"""Reliability report: the bad-input corpus and the injected faults, counted.

    .venv/bin/python bench/reliability.py            # everything (about a minute)
    .venv/bin/python bench/reliability.py --quick    # no neural-model faults
    .venv/bin/python bench/reliability.py --json     # the same numbers as one JSON object on stdout

Runs every case of ``tests/reliability_cases.py`` through ``wordsync align`` (in process) or
``load_project``, and injects faults at the real boundaries: CUDA out-of-memory from a torch hook
on tiny models, missing and damaged weights, a cancel and an exception at every progress report
of decode + align, the disk filling up during a project save and an export, and SIGKILL while
editing (the autosave must be offered). It prints how many bad inputs were tried, how many
faults were injected and how many lost data, and exits 1 if any did (or misbehaved).

"Lost data" means: an input file changed, an output left half-written or written after an
error, a document changed by a cancelled or failed alignment, a previous project or export
file changed by a failed write, or the autosave of a killed session not offered.
The GUI side (dialogs, the worker thread, the audio device vanishing) is in the desktop tests.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner_core import cli
from aligner_core.project import ProjectError, load_project
from tests.reliability_cases import ALL_CASES, JFK, JFK_TXT, OUTPUT_CASES, check_success, cli_argv, cli_pairs, one_line, run_cli, run_output_case


class Tally:
    def __init__(self) -> None:
        self.inputs = self.faults = self.lost = self.misbehaved = 0
        self.problems: list[str] = []

    def input(self, name: str, lost: str = "", wrong: str = "") -> None:
        self.inputs += 1
        self._note(name, lost, wrong)

    def fault(self, name: str, lost: str = "", wrong: str = "") -> None:
        self.faults += 1
        self._note(name, lost, wrong)

    def _note(self, name: str, lost: str, wrong: str) -> None:
        if lost:
            self.lost += 1
            self.problems.append(f"LOST DATA  {name}: {lost}")
        if wrong:
            self.misbehaved += 1
            self.problems.append(f"MISBEHAVED {name}: {wrong}")


# -- bad inputs ---------------------------------------------------------------------------------


def _contents(path: Path) -> bytes | list[str] | str:
    if path.is_dir():
        return sorted(os.listdir(path))
    if not path.is_file():  # a device or FIFO: its kind is what must not change (reading it may never end)
        import stat

        return stat.filemode(os.lstat(path).st_mode)
    return path.read_bytes()


def run_corpus(t: Tally) -> None:
    for case in ALL_CASES:
        with tempfile.TemporaryDirectory() as d:
            folder = Path(d)
            if case.kind == "project":
                path = case.build(folder)
                raw = path.read_bytes()
                wrong = ""
                try:
                    project = load_project(path)
                    if case.expect == "error":
                        wrong = "loaded"
                    elif project.audio_path and not project.audio_path.resolve().is_relative_to(folder) and not (project.audio_missing or project.audio_mismatch):
                        wrong = "audio outside the project folder used without asking"
                except ProjectError as exc:
                    wrong = "" if case.expect != "ok" and "\n" not in str(exc) else f"refused: {exc}"
                except Exception as exc:  # noqa: BLE001 - that is what we count
                    wrong = f"{type(exc).__name__}: {exc}"
                t.input(case.name, "the file changed" if path.read_bytes() != raw else "", wrong)
                continue
            audio, transcript = cli_pairs(case, folder)
            before = {p: _contents(p) for p in (audio, transcript)}
            out = folder / case.out_name
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                try:
                    code = run_cli(cli_argv(case, audio, transcript, out))
                except BaseException as exc:  # noqa: BLE001
                    code = f"raised {type(exc).__name__}: {exc}"
            text = err.getvalue()
            lost = "an input changed" if any(_contents(p) != b for p, b in before.items()) else ""
            wrong = ""
            if code == 2:
                wrong = "" if one_line(text) and case.expect != "ok" else f"exit 2: {text.strip()[:200]}"
                lost = lost or ("an output was written" if out.exists() else "")
            elif code == 0:
                wrong = "" if case.expect != "error" and "Traceback" not in text else f"exit 0: {text.strip()[:200]}"
                problem = check_success(case, out, text)
                if problem == "empty output":
                    lost = lost or problem
                elif problem:
                    wrong = wrong or problem
            else:
                wrong = f"exit {code}: {text.strip()[:200]}"
            t.input(case.name, lost, wrong)


def run_outputs(t: Tally) -> None:
    """Outputs that name an input, a device, a read-only file...: the inputs must survive."""
    for case in OUTPUT_CASES:
        if case.root_only and os.geteuid() != 0:
            continue
        with tempfile.TemporaryDirectory() as d:
            try:
                code, _out, err, lost = run_output_case(case, Path(d))
            except BaseException as exc:  # noqa: BLE001 - that is what we count
                t.input(case.name, "", f"raised {type(exc).__name__}: {exc}")
                continue
            wrong = ""
            if code != case.expect:
                wrong = f"exit {code} (expected {case.expect}): {err.strip()[:200]}"
            elif code == 2 and not one_line(err):
                wrong = f"not one line: {err.strip()[:200]}"
            t.input(case.name, "; ".join(lost), wrong)


# -- faults -------------------------------------------------------------------------------------


def _jfk_document():
    from aligner_core.document import Document
    from aligner_core.text import read_transcript, tokenize

    return Document(tokenize(read_transcript(JFK_TXT), "en"), [], 11000, "en")


def _pipeline(progress, cancel, doc) -> None:
    from aligner_core.align.api import AlignRequest, align
    from aligner_core.audio import load_audio

    audio = load_audio(JFK, progress=progress, cancel=cancel)
    align(AlignRequest.from_document(doc, audio, aligner="sphinx"), progress=progress, cancel=cancel).to_edit().apply(doc)


def cancel_and_raise_everywhere(t: Tally) -> None:
    from aligner_core.progress import Cancelled, CancelToken

    base = _jfk_document()
    count = [0]
    _pipeline(lambda f, s: count.__setitem__(0, count[0] + 1), None, copy.deepcopy(base))
    for mode in ("cancel", "exception"):
        for n in range(1, count[0] + 1):
            doc, token, seen = copy.deepcopy(base), CancelToken(), [0, ""]

            def progress(fraction, stage, n=n, token=token, seen=seen, mode=mode):
                seen[0] += 1
                if seen[0] == n:
                    seen[1] = stage
                    if mode == "cancel":
                        token.cancel()
                    else:
                        raise RuntimeError("injected fault in the worker")

            try:
                _pipeline(progress, token, doc)
                stopped = False
            except (Cancelled, RuntimeError):
                stopped = True
            name = f"{mode} at progress report {n} ({seen[1] or 'not reached'})"
            if stopped:
                t.fault(name, "the document changed" if doc != base else "")
            elif seen[1] not in ("Aligned", ""):
                t.fault(name, wrong="the work went on")


def disk_full(t: Tally) -> None:
    body = {
        "project save": "save_project(Project(doc), target)",
        "subtitle export": "ReplaceCues(segment(doc, PROFILES['general'])).apply(doc); export_document(doc, target, 'srt')",
    }
    for name, call in body.items():
        with tempfile.TemporaryDirectory() as d:
            target = Path(d) / ("p.wordsync" if "project" in name else "p.srt")
            target.write_text("the previous file\n", encoding="utf-8")
            child = textwrap.dedent(f"""
                import resource, signal
                from aligner_core.cues import PROFILES, segment
                from aligner_core.document import Document, Token
                from aligner_core.edits import ReplaceCues
                from aligner_core.formats import export_document
                from aligner_core.project import Project, save_project
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                doc = Document([Token("w%d" % i, ("w",), i * 300, i * 300 + 250, sep=" ") for i in range(20000)], [], 6000000, "en")
                target = {str(target)!r}
                resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
                try:
                    {call}
                except OSError as exc:
                    print("failed", exc.errno)
                """)
            done = subprocess.run([sys.executable, "-c", child], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
            intact = target.read_text(encoding="utf-8") == "the previous file\n"
            leftovers = [p.name for p in Path(d).iterdir() if p != target]
            t.fault(f"disk full during the {name}", "" if intact and not leftovers else f"intact={intact}, left {leftovers}",
                    "" if "failed 27" in done.stdout else f"no EFBIG: {done.stdout} {done.stderr[-300:]}")


def killed_while_editing(t: Tally) -> None:
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "WORDSYNC_STATE_DIR": str(Path(d) / "state"), "PYTHONPATH": str(REPO)}
        child = textwrap.dedent("""
            import os, signal
            from aligner_core.document import Document, Token
            from aligner_core.project import Project
            from aligner_core.recovery import AutosaveSession, write_autosave
            session = AutosaveSession()
            doc = Document([Token("edited", ("edited",), 0, 500)], [], 1000, "en")
            write_autosave(Project(doc), session)
            os.kill(os.getpid(), signal.SIGKILL)
            """)
        done = subprocess.run([sys.executable, "-c", child], cwd=REPO, env=env, capture_output=True, timeout=60, check=False)
        found = subprocess.run(
            [sys.executable, "-c", ("from aligner_core.recovery import find_recoverable, load_recovery\n"
                                    "e = find_recoverable(); print(len(e), load_recovery(e[0]).document.tokens[0].text if e else '')")],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
        )
        ok = done.returncode == -signal.SIGKILL and found.stdout.split() == ["1", "edited"]
        t.fault("SIGKILL while editing", "" if ok else f"autosave not offered ({found.stdout.strip()} {found.stderr[-200:]})")


def neural_faults(t: Tally) -> None:
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError:
        print("  (torch/transformers missing: neural-model faults skipped)")
        return
    import numpy as np

    from aligner_core.align.backends.ctc import CTCBackend
    from aligner_core.align.backends.qwen3 import Qwen3Backend
    from aligner_core.align.types import AlignmentError
    from tests.core.tiny_models import (
        build_tiny_ctc,
        build_tiny_qwen3_aligner,
        one_torch_thread,
    )

    words = [("hello",), ("world",)]
    audio = (np.random.default_rng(0).standard_normal(16000 * 12) * 0.1).astype(np.float32)

    def oom_hook(limit):
        def hook(module, args, kwargs):
            x = kwargs.get("input_values", kwargs.get("input_features"))
            if limit is None or x.numel() > limit:
                raise torch.cuda.OutOfMemoryError("CUDA out of memory (injected)")

        return hook

    with tempfile.TemporaryDirectory() as d, one_torch_thread(), contextlib.redirect_stderr(io.StringIO()):
        ctc_folder = build_tiny_ctc(Path(d) / "ctc")
        for name, limit, expect in (("CUDA OOM on big batches/windows (CTC)", 5 * 16000, "aligned"), ("CUDA OOM on every pass (CTC)", None, "error")):
            backend = CTCBackend(str(ctc_folder), device="cpu", window_s=8.0, overlap_s=1.0, batch_size=2, allow_download=False)
            backend.load()
            handle = backend._model.register_forward_pre_hook(oom_hook(limit), with_kwargs=True)
            try:
                got = "aligned" if len(backend.align_window(audio, words, "en")) == 2 else "wrong"
            except AlignmentError:
                got = "error"
            except Exception as exc:  # noqa: BLE001
                got = f"{type(exc).__name__}: {exc}"
            handle.remove()
            t.fault(name, wrong="" if got == expect and (expect == "error" or backend.notes) else f"got {got}, notes {backend.notes}")
        q_folder = build_tiny_qwen3_aligner(Path(d) / "q", num_labels=256, timestamp_segment_time=80)
        qwen = Qwen3Backend(str(q_folder), device="cpu", allow_download=False)
        qwen.load()
        handle = qwen._model.register_forward_pre_hook(oom_hook(None), with_kwargs=True)
        try:
            qwen.align_window(audio[: 16000 * 3], words, "en")
            got = "aligned"
        except AlignmentError:
            got = "error"
        handle.remove()
        t.fault("CUDA OOM on the CPU already (Qwen3)", wrong="" if got == "error" else got)
        t.fault("CUDA OOM on a whole recording (Qwen3 via the api)", wrong=_qwen3_shorter_chunks(q_folder, torch))
        text = Path(d) / "t.txt"
        text.write_text("And so my fellow Americans", encoding="utf-8")
        for name, damage in (("model weights missing", lambda p: p.unlink()), ("model weights truncated", lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])),
                             ("model weights garbage", lambda p: p.write_bytes(b"\xff" * 4096))):
            folder = build_tiny_ctc(Path(d) / name.replace(" ", "_"))
            damage(folder / "model.safetensors")
            err = io.StringIO()
            out = Path(d) / "o.srt"
            with contextlib.redirect_stderr(err):
                code = cli.main(["align", str(JFK), str(text), "-o", str(out), "--aligner", "ctc", "--model", str(folder), "--device", "cpu"])
            t.fault(name, "an output was written" if out.exists() else "", "" if code == 2 and one_line(err.getvalue()) else f"exit {code}: {err.getvalue()[-200:]}")


def _qwen3_shorter_chunks(folder: Path, torch) -> str:
    """The api re-plans shorter chunks when a window does not fit; '' when it did and said so."""
    from aligner_core.align import registry
    from aligner_core.align.api import AlignRequest, align
    from aligner_core.align.longform import LongformParams
    from aligner_core.audio import load_audio

    backend = registry.get_backend("qwen3", str(folder), "cpu", False)
    backend.load()

    def hook(module, args, kwargs):
        if kwargs["input_features"].shape[-1] > 1050:  # more than ~10.5 s of audio
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (injected)")

    doc = _jfk_document()
    before = copy.deepcopy(doc)
    params = LongformParams(single_max_s=16.0, target_s=8.0, min_chunk_s=3.0, max_chunk_s=16.0)
    handle = backend._model.register_forward_pre_hook(hook, with_kwargs=True)
    try:
        result = align(AlignRequest.from_document(doc, load_audio(JFK), aligner="qwen3", model=str(folder), device="cpu", refine=False, params=params))
    except Exception as exc:  # noqa: BLE001 - that is what we count
        return f"{type(exc).__name__}: {exc}"
    finally:
        handle.remove()
    if doc != before:
        return "the document changed before the result was applied"
    return "" if result.summary.warnings and len(result.timings) == len(doc.tokens) else f"no note: {result.summary}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the neural-model faults")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout (the rest goes to stderr)")
    args = parser.parse_args()
    # with --json, stdout carries the JSON alone: the steps' own lines go to stderr
    human = sys.stderr if args.json else sys.stdout
    t = Tally()
    t0 = time.perf_counter()
    steps = [("bad inputs", run_corpus), ("outputs over inputs", run_outputs), ("cancel/exception at every report", cancel_and_raise_everywhere), ("disk full", disk_full), ("SIGKILL", killed_while_editing)]
    if not args.quick:
        steps.append(("neural-model faults", neural_faults))
    step_s = {}
    with contextlib.redirect_stdout(human):
        for label, step in steps:
            s0 = time.perf_counter()
            step(t)
            step_s[label] = round(time.perf_counter() - s0, 1)
            print(f"  {label}: done in {step_s[label]:.1f} s")
        for line in t.problems:
            print(line)
    seconds = time.perf_counter() - t0
    if args.json:
        print(json.dumps({"bad_inputs": t.inputs, "faults": t.faults, "lost_data": t.lost, "misbehaved": t.misbehaved,
                          "problems": t.problems, "steps_s": step_s, "seconds": round(seconds, 1), "quick": args.quick}, indent=1))
    else:
        print(f"bad inputs tried: {t.inputs}")
        print(f"faults injected: {t.faults}")
        print(f"lost data: {t.lost}")
        print(f"misbehaved (traceback, wrong exit, unclear message): {t.misbehaved}")
        print(f"({seconds:.0f} s)")
    return 1 if t.lost or t.misbehaved else 0


if __name__ == "__main__":
    sys.exit(main())
