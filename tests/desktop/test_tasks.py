"""Background tasks: closing the window stops a running job at once, without waiting out a timeout.

How fast is measured by bench/responsiveness.py; here a stop that had to wait out the timeout
returns False."""

from __future__ import annotations

import time

from desktop.tasks import Task


def _until_cancelled(context):
    while True:
        context.cancel.raise_if_cancelled()
        context.progress(0.5, "working")
        time.sleep(0.005)


def test_shutdown_from_the_gui_thread_returns_as_soon_as_the_job_stops(qtbot):
    task = Task(_until_cancelled)
    task.start()
    qtbot.waitUntil(lambda: task.running, timeout=2000)
    assert task.shutdown(3000)  # blocks the GUI thread, as closeEvent does; False had it timed out
    assert not task.running


def _raises(exc: Exception):
    def job(context):
        raise exc

    return job


def test_a_worded_error_is_one_sentence_and_only_a_bug_prints_its_trace(qtbot, capfd):
    from aligner_core.align.types import AlignmentError

    for exc, traced in ((AlignmentError("The model is missing."), False), (KeyError("units"), True)):
        task = Task(_raises(exc))
        with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
            task.start()
        message = blocker.args[0]
        qtbot.waitUntil(lambda task=task: not task.running, timeout=5000)
        err = capfd.readouterr().err
        assert ("Traceback" in err) == traced, err
        if traced:
            assert "KeyError" in message and "unexpected" in message
        else:
            assert message == "The model is missing."
