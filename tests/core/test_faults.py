"""Injected faults at the real boundaries: broken model files, out of memory, cancel at every stage.

Out of memory is raised by a real torch forward pre-hook on the real tiny model (the same
exception type CUDA raises), so the backends' retry ladder is exercised end to end: fewer windows
per batch, smaller windows, then (on a GPU) the CPU. Cancel trips on the Nth progress report, for
every N the pipeline makes, and the document must come out unchanged.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from aligner_core import cli
from aligner_core.align import registry
from aligner_core.align.api import AlignRequest, align
from aligner_core.align.backends.ctc import CTCBackend
from aligner_core.align.backends.qwen3 import Qwen3Backend
from aligner_core.align.oom import OutOfMemory
from aligner_core.align.types import AlignmentError
from aligner_core.audio import load_audio
from aligner_core.document import Document
from aligner_core.progress import Cancelled, CancelToken
from aligner_core.text import read_transcript, tokenize
from tests.reliability_cases import JFK, JFK_TXT, one_line

from .tiny_models import build_tiny_ctc, build_tiny_qwen3_aligner, one_torch_thread

REPO = Path(__file__).resolve().parents[2]
WORDS = [("hello",), ("world",), ("fellow",), ("americans",)]


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def ctc_folder(tmp_path_factory):
    return build_tiny_ctc(tmp_path_factory.mktemp("ctc_oom"))


def _audio(seconds: float) -> np.ndarray:
    return (np.random.default_rng(3).standard_normal(int(16000 * seconds)) * 0.1).astype(np.float32)


class OutOfMemoryAbove:
    """A forward pre-hook that raises CUDA's OOM when a batch holds more than ``limit`` samples."""

    def __init__(self, model, limit: int | None):
        self.limit = limit
        self.raised = 0
        self.sizes: list[tuple[int, ...]] = []
        self.handle = model.register_forward_pre_hook(self, with_kwargs=True)

    def __call__(self, module, args, kwargs):
        x = kwargs.get("input_values", args[0] if args else None)
        if x is None:
            x = kwargs.get("input_features")
        self.sizes.append(tuple(x.shape))
        if self.limit is None or x.numel() > self.limit:
            self.raised += 1
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    def remove(self):
        self.handle.remove()


def test_ctc_out_of_memory_retries_one_window_at_a_time_then_smaller_windows(ctc_folder):
    backend = CTCBackend(str(ctc_folder), device="cpu", window_s=8.0, overlap_s=1.0, batch_size=2, allow_download=False)
    backend.load()
    hook = OutOfMemoryAbove(backend._model, limit=5 * 16000)
    try:
        timings = backend.align_window(_audio(20.0), WORDS, "en")
    finally:
        hook.remove()
    assert hook.raised == 2  # a batch of two 8 s windows, then one 8 s window
    assert max(s[-1] for s in hook.sizes[2:]) <= 4 * 16000
    assert backend.notes == ["Out of GPU memory: retried one window at a time.", "Out of memory: retried with 4 s windows."]
    assert len(timings) == len(WORDS) and all(t.start is None or 0 <= t.start <= t.end <= 20000 for t in timings)
    # what worked is kept: the next call goes straight to 4 s windows
    hook = OutOfMemoryAbove(backend._model, limit=5 * 16000)
    try:
        backend.notes.clear()
        backend.align_window(_audio(10.0), WORDS, "en")
    finally:
        hook.remove()
    assert hook.raised == 0 and backend.notes == []


def test_ctc_out_of_memory_everywhere_is_one_clear_sentence(ctc_folder):
    backend = CTCBackend(str(ctc_folder), device="cpu", window_s=8.0, overlap_s=1.0, allow_download=False)
    backend.load()
    hook = OutOfMemoryAbove(backend._model, limit=None)
    try:
        with pytest.raises(AlignmentError, match=r"^Out of memory even with 4 s windows on the CPU; .*sphinx"):
            backend.align_window(_audio(10.0), WORDS, "en")
    finally:
        hook.remove()
    assert hook.raised == 2  # 8 s, then 4 s; already on the CPU, so no third rung


@pytest.fixture(scope="module")
def qwen3_folder(tmp_path_factory):
    return build_tiny_qwen3_aligner(tmp_path_factory.mktemp("q"), num_labels=256, timestamp_segment_time=80)


def test_qwen3_out_of_memory_is_handed_up_as_one_sentence(qwen3_folder):
    backend = Qwen3Backend(str(qwen3_folder), device="cpu", allow_download=False)
    backend.load()
    hook = OutOfMemoryAbove(backend._model, limit=None)
    try:
        with pytest.raises(OutOfMemory, match="^Out of memory aligning a 3 s window on the CPU"):
            backend.align_window(_audio(3.0), WORDS, "en")
    finally:
        hook.remove()
    assert hook.raised == 1 and not backend.use_cpu()  # on the CPU already: no rung left there
    assert backend.align_window(_audio(3.0), WORDS, "en")  # the backend still works afterwards


def test_out_of_memory_in_a_window_is_retried_with_shorter_chunks(qwen3_folder):
    """The api re-plans the long-form chunks at half length, and says so in the summary."""
    from aligner_core.align.longform import LongformParams

    backend = registry.get_backend("qwen3", str(qwen3_folder), "cpu", False)
    backend.load()
    doc = Document(tokenize(read_transcript(JFK_TXT), "en"), [], 11000, "en")
    params = LongformParams(single_max_s=16.0, target_s=8.0, min_chunk_s=3.0, max_chunk_s=16.0)
    request = AlignRequest.from_document(doc, load_audio(JFK), aligner="qwen3", model=str(qwen3_folder), device="cpu", refine=False, params=params)
    features = {}

    hook = OutOfMemoryAbove(backend._model, limit=None)
    hook.remove()

    def longer_than_10s(module, args, kwargs):
        # the whole 11 s recording does not fit; the re-planned chunks (bridges and merged
        # redos can span up to ~10 s of it) do
        frames = kwargs["input_features"].shape[-1]  # 100 mel frames a second
        features.setdefault("sizes", []).append(frames)
        if frames > 1050:
            hook.raised += 1
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (injected)")

    handle = backend._model.register_forward_pre_hook(longer_than_10s, with_kwargs=True)
    try:
        result = align(request)
    finally:
        handle.remove()
    assert hook.raised == 1 and max(features["sizes"][1:]) <= 1050
    assert result.summary.warnings == ("Out of memory: retried with chunks of at most 8 s.",)
    assert len(result.timings) == len(doc.tokens) and result.summary.settings["chunks"] >= 2
    with pytest.raises(AlignmentError, match="Out of memory"):  # no chunk fits: one sentence
        handle = backend._model.register_forward_pre_hook(hook, with_kwargs=True)
        try:
            align(request)
        finally:
            handle.remove()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="the CPU rung needs a GPU to fall from")
def test_ctc_out_of_memory_on_the_gpu_falls_back_to_the_cpu(ctc_folder):
    backend = CTCBackend(str(ctc_folder), device="cuda", window_s=8.0, overlap_s=1.0, allow_download=False)
    backend.load()
    model = backend._model
    hook = OutOfMemoryAbove(model, limit=0)
    hook.remove()  # called below only while the model is on the GPU

    def only_on_gpu(module, args, kwargs):
        if next(module.parameters()).is_cuda:
            return hook(module, args, kwargs)
        return None

    handle = model.register_forward_pre_hook(only_on_gpu, with_kwargs=True)
    try:
        timings = backend.align_window(_audio(10.0), WORDS, "en")
    finally:
        handle.remove()
    assert backend.device == "cpu" and hook.raised == 4 and len(timings) == len(WORDS)
    assert backend.notes[-1].startswith("Out of GPU memory even with small windows: aligned on the CPU")


def test_out_of_memory_notes_reach_the_summary_and_the_cli(ctc_folder, tmp_path, capsys):
    backend = registry.get_backend("ctc", str(ctc_folder), "cpu", True)
    backend.load()
    backend._oom_batch = backend._oom_window_s = None
    doc = Document(tokenize("hello world fellow americans", "en"), [], 12000, "en")
    request = AlignRequest.from_document(doc, _audio(12.0), aligner="ctc", model=str(ctc_folder), device="cpu")
    hook = OutOfMemoryAbove(backend._model, limit=8 * 16000)
    try:
        result = align(request)
    finally:
        hook.remove()
        backend._oom_window_s = None
    notes = ("Out of memory: retried with 15 s windows.", "Out of memory: retried with 7.5 s windows.")
    assert result.summary.warnings == notes
    assert result.summary.line().endswith(" ".join(notes))
    assert len(result.timings) == 4


def test_missing_and_corrupt_weights_are_one_line_in_the_cli(tmp_path, capsys):
    text = tmp_path / "t.txt"
    text.write_text("And so my fellow Americans", encoding="utf-8")
    missing = build_tiny_ctc(tmp_path / "missing")
    (missing / "model.safetensors").unlink()
    corrupt = build_tiny_ctc(tmp_path / "corrupt")
    raw = (corrupt / "model.safetensors").read_bytes()
    (corrupt / "model.safetensors").write_bytes(raw[: len(raw) // 2])
    garbage = build_tiny_ctc(tmp_path / "garbage")
    (garbage / "model.safetensors").write_bytes(b"\xff" * 4096)
    capsys.readouterr()  # the model builder's own progress bars
    for folder, needle in ((missing, "no model weights"), (corrupt, "could not be loaded"), (garbage, "could not be loaded")):
        code = cli.main(["align", str(JFK), str(text), "-o", str(tmp_path / "o.srt"), "--aligner", "ctc", "--model", str(folder), "--device", "cpu"])
        err = capsys.readouterr().err
        assert code == 2, err
        assert one_line(err) and needle in err, err
        assert not (tmp_path / "o.srt").exists()


class TripAt:
    """A CancelToken that trips on the Nth progress report."""

    def __init__(self, n: int):
        self.n = n
        self.calls = 0
        self.stage = ""
        self.token = CancelToken()

    def __call__(self, fraction: float, stage: str) -> None:
        self.calls += 1
        if self.calls == self.n:
            self.stage = stage
            self.token.cancel()


def _pipeline(progress, cancel, doc: Document) -> Document:
    """What the app does: decode, align, apply; only a finished alignment touches the document."""
    audio = load_audio(JFK, progress=progress, cancel=cancel)
    result = align(AlignRequest.from_document(doc, audio, aligner="sphinx"), progress=progress, cancel=cancel)
    result.to_edit().apply(doc)
    return doc


def test_cancel_at_every_progress_report_changes_nothing():
    base = Document(tokenize(read_transcript(JFK_TXT), "en"), [], 11000, "en")
    counter = TripAt(0)
    _pipeline(counter, None, copy.deepcopy(base))
    total = counter.calls  # reports are paced by time, so the count varies with the machine's load
    assert total >= 3
    stages = set()
    for n in range(1, total + 1):
        doc = copy.deepcopy(base)
        trip = TripAt(n)
        try:
            _pipeline(trip, trip.token, doc)
        except Cancelled:
            assert doc == base, f"cancel at report {n} ({trip.stage}) changed the document"
            stages.add(trip.stage)
        else:
            # the report that the work is done comes too late to stop it (and the throttled
            # reports may be fewer in this run than in the counting one)
            assert trip.stage in ("Aligned", ""), f"cancel at report {n} ({trip.stage}) was ignored"
    # the deterministic, check-by-check version of this is the long-form test below
    assert "Decoding audio" in stages and len(stages) >= 2, stages


def test_bench_reliability_faults_run_and_count():
    """bench/reliability.py's fault steps work against the real code (and so can be trusted)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_reliability", REPO / "bench" / "reliability.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    tally = bench.Tally()
    bench.disk_full(tally)
    bench.killed_while_editing(tally)
    assert (tally.faults, tally.lost, tally.misbehaved) == (3, 0, 0), tally.problems


class TripOnCheck(CancelToken):
    """Trips on the Nth time the work asks whether it was cancelled: every check is a stage."""

    def __init__(self, n: int | None):
        super().__init__()
        self.n = n
        self.checks = 0

    def _count(self) -> None:
        self.checks += 1
        if self.checks == self.n:
            self.cancel()

    @property
    def cancelled(self) -> bool:
        self._count()
        return super().cancelled

    def raise_if_cancelled(self) -> None:
        self._count()
        super().raise_if_cancelled()


def test_long_form_cancel_at_every_check_stops_cleanly():
    """Chunk planning (VAD), placing, each chunk, stitching and refining all stop on a cancel."""
    from aligner_core.align import longform

    audio = load_audio(JFK)
    words = [tuple(t.units) for t in tokenize(read_transcript(JFK_TXT), "en")]
    params = longform.LongformParams(single_max_s=4.0, target_s=3.0, min_chunk_s=1.5, max_chunk_s=5.0, hard_cut_s=0.4)
    runner = longform.SerialRunner(registry.get_backend("sphinx"))

    def run(token, stages):
        return longform.align_long(runner, audio, words, "en", params=params, progress=lambda f, s: stages.append(s), cancel=token)

    counter = TripOnCheck(None)
    reference = run(counter, [])
    total = counter.checks
    assert total > 50
    seen_at_cancel = set()
    for n in sorted({*range(1, total + 1, 6), total}):
        stages: list[str] = []
        with pytest.raises(Cancelled):
            run(TripOnCheck(n), stages)
        seen_at_cancel.add(stages[-1] if stages else "before any report")
    assert {"Finding pauses", "Placing words", "Aligning words", "Checking doubtful words"} <= seen_at_cancel, seen_at_cancel
    assert run(TripOnCheck(None), []) == reference  # nothing left behind by the cancelled runs
