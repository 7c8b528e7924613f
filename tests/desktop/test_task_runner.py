"""The editor's one task runner: the busy slot and its refusal, cancel (button and Esc), errors in
the user's language, every thread and worker deleted, closing while a job runs, and the
background jobs (autosave, model download) that run beside the busy slot."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThread

from aligner_core.align.types import AlignmentError
from aligner_core.edits import SetLocked
from aligner_core.messages import msg
from desktop.tasks import Task

from .aligned_example import AUDIO, open_window, wait_idle
from .conftest import new_window
from .english import english_sentences


class Gate:
    """A job that holds its slot until the test opens the gate; ``obeys`` False ignores cancel."""

    def __init__(self, result: object = "done", obeys: bool = True):
        self.result, self.obeys = result, obeys
        self.opened = threading.Event()
        self.started = threading.Event()
        self.stopped = threading.Event()

    def __call__(self, context):
        self.started.set()
        try:
            while not self.opened.wait(0.005):
                if self.obeys:
                    context.cancel.raise_if_cancelled()
                context.progress(0.5)
            return self.result
        finally:
            self.stopped.set()


def _flush_deletes() -> None:
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def test_a_second_job_on_the_document_is_refused_in_one_sentence_and_background_jobs_run_beside_it(qtbot, example):
    win = open_window(qtbot, *example)
    audio_before = win.session.audio
    results: list[object] = []
    gate = Gate()
    task = win.tasks.run(gate, "Holding the slot", results.append)
    assert task is not None and win.busy and win.tasks.current.label == "Holding the slot"
    assert win.stage_label.text() == "Holding the slot"
    assert win.progress.isVisible() and win.cancel_button.isVisible()
    assert not win.actions["timing.align"].isEnabled()  # what needs the slot is off

    win.load_audio(AUDIO)  # needs the slot: refused, nothing changes
    assert win.stage_label.text() == "Please wait for the current task to finish or cancel it."
    assert win.session.audio is audio_before and win.tasks.running() is task

    side = Gate("side")
    assert win.tasks.run(side, "Beside", results.append, background="autosave") is not None
    assert win.tasks.run(Gate(), "Twice", results.append, background="autosave") is None  # one per name, quietly
    assert win.stage_label.text() == "Please wait for the current task to finish or cancel it."
    side.opened.set()
    qtbot.waitUntil(lambda: results == ["side"], timeout=5000)
    assert win.busy  # the background job ended on its own; the slot is still held

    gate.opened.set()
    wait_idle(qtbot, win)
    assert results == ["side", "done"]
    assert not win.progress.isVisible() and not win.cancel_button.isVisible()
    assert win.actions["timing.align"].isEnabled()


def test_esc_cancels_an_alignment_and_the_document_is_unchanged(qtbot, example):
    win = open_window(qtbot, *example)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts go to the active window
    win.session.push(SetLocked([0]), "Lock")  # one step of the user's own, which must survive
    before, steps = win.session.document.copy(), win.session.undo_stack.count()
    win.actions["timing.align"].trigger()
    assert win.busy
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    wait_idle(qtbot, win, timeout=20000)
    assert win.stage_label.text() == "Cancelled"
    assert win.session.document == before and win.session.undo_stack.count() == steps


def test_esc_in_the_find_bar_closes_the_bar_and_leaves_the_task_running(qtbot, example):
    win = open_window(qtbot, *example)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.actions["edit.find"].trigger()
    bar = win.tables.find_bar
    assert bar.isVisible()
    gate = Gate()
    win.tasks.run(gate, "Holding", lambda _r: None)
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and win.busy and not win.tasks.current.cancel.cancelled
    qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_Escape)  # nothing else wants it now
    wait_idle(qtbot, win)
    assert gate.stopped.is_set() and win.stage_label.text() == "Cancelled"


def test_a_jobs_error_reaches_the_user_in_chinese(qtbot, chinese, tmp_path):
    win = new_window(qtbot)  # made after the translators
    shown: list[str] = []

    def fails_with(exc):
        def job(context):
            context.progress(0.3)
            raise exc
        return job

    # a bug, a worded core error, and a real file the decoder refuses
    for job in (fails_with(KeyError("units")), fails_with(AlignmentError(msg("sphinx_english_only", language="zh")))):
        assert win.tasks.run(job, "job", lambda _r: None) is not None
        wait_idle(qtbot, win)
        shown.append(win.stage_label.text())
    noise = tmp_path / "noise.wav"
    noise.write_bytes(bytes(range(256)) * 64)
    win.load_audio(noise)
    wait_idle(qtbot, win)
    shown.append(win.stage_label.text())
    assert shown[0].startswith("发生意外错误") and "KeyError" in shown[0]
    assert all(text and "\n" not in text for text in shown), shown
    assert english_sentences(shown) == [], shown
    assert win.session.audio is None


def test_no_thread_or_worker_outlives_its_job(qtbot, example):
    win = open_window(qtbot, *example)
    parts: list[tuple] = []
    outcomes: list[str] = []

    def fails(_context):
        raise ValueError("A worded refusal.")

    for n in range(8):
        kind = n % 4
        if kind == 0:
            task = win.tasks.run(lambda _c: "ok", "finishes", outcomes.append)
        elif kind == 1:
            task = win.tasks.run(fails, "fails", outcomes.append, on_failed=lambda m: outcomes.append("failed"))
        elif kind == 2:
            task = win.tasks.run(Gate(), "cancelled", outcomes.append, on_cancelled=lambda: outcomes.append("cancelled"))
            win.cancel_button.click()
        else:
            task = win.tasks.run(lambda _c: "side", "background", outcomes.append, background="autosave")
        parts.append((task, task.qthread, task.worker))
        qtbot.waitUntil(lambda: win.tasks.running() is None and win.tasks.running("autosave") is None, timeout=5000)
    assert outcomes == ["ok", "failed", "cancelled", "side"] * 2
    qtbot.waitUntil(lambda: (_flush_deletes() or True) and not any(shiboken6.isValid(o) for p in parts for o in p),
                    timeout=5000)
    assert win.findChildren(Task) == [] and win.findChildren(QThread) == []
    assert win.tasks.started == 8


def test_closing_the_window_stops_a_running_job(qtbot, example):
    win = open_window(qtbot, *example)
    gate = Gate()
    win.tasks.run(gate, "Holding", lambda _r: None)
    assert gate.started.wait(5)
    assert win.close()  # waits for the cancel (bounded), never for the job's natural end
    assert gate.stopped.is_set() and not win.busy


def test_a_job_that_ignores_cancel_is_detached_and_ends_on_its_own(qtbot):
    from desktop.main_window import MainWindow

    win = MainWindow()  # not held by qtbot: this test deletes it under the running job
    win.setProperty("quiet_errors", True)
    stubborn = Gate(obeys=False)
    task = win.tasks.run(stubborn, "Stubborn", lambda _r: None)
    assert stubborn.started.wait(5)
    assert not win.tasks.shutdown(50)  # did not stop in time: let go of, not waited for
    assert not win.busy and task.parent() is None
    win.close()
    win.deleteLater()
    _flush_deletes()
    assert shiboken6.isValid(task)  # outlives the window: deleting a running QThread would abort
    thread = task.qthread
    stubborn.opened.set()
    qtbot.waitUntil(lambda: (_flush_deletes() or True) and not shiboken6.isValid(task) and not shiboken6.isValid(thread),
                    timeout=5000)


def test_autosave_runs_on_the_runner_beside_the_busy_slot(qtbot, example):
    win = open_window(qtbot, *example)
    gate = Gate()
    win.tasks.run(gate, "Holding", lambda _r: None)
    win.session.push(SetLocked([1]), "Lock")
    autosaver = win.files.autosaver
    with qtbot.waitSignal(autosaver.written, timeout=10000) as written:
        assert autosaver.autosave_now()
        assert win.tasks.running("autosave") is not None and autosaver.busy
    assert win.busy  # the alignment-like job was never in the way
    assert Path(written.args[0]).is_file()
    gate.opened.set()
    wait_idle(qtbot, win)


def test_the_model_download_runs_on_the_runner_beside_the_busy_slot(qtbot, example, monkeypatch, tmp_path):
    import huggingface_hub.constants

    from desktop.alignment import AlignmentOptions
    from tests.core.fake_hub import FakeHub, fake_model_folder

    repo = "org/tiny-ctc"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))  # nothing cached: the model is missing
    with FakeHub({repo: fake_model_folder(tmp_path / "remote", weights_bytes=400_000)}) as hub:
        monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", hub.url)
        win = open_window(qtbot, *example)
        win.alignment.options = AlignmentOptions("ctc", repo, "cpu")
        assert win.alignment.offer_model()
        offer = win.alignment.download_dialog
        assert win.tasks.running("download") is offer.task and not win.busy  # the Hub lookup
        qtbot.waitUntil(offer.download_button.isEnabled, timeout=10000)
        gate = Gate()
        win.tasks.run(gate, "Holding", lambda _r: None)
        offer.download_button.click()
        assert win.tasks.running("download") is offer.task and win.busy
        qtbot.waitUntil(lambda: win.alignment.download_dialog is None, timeout=20000)
        assert win.tasks.running("download") is None
        assert win.alignment.options.model.endswith("org--tiny-ctc")
        gate.opened.set()
        wait_idle(qtbot, win)
