"""Background tasks: closing the window stops a running job at once, without waiting out a timeout.

How fast is measured by bench/responsiveness.py; here a stop that had to wait out the timeout
returns False."""

from __future__ import annotations

import time

from aligner_core.progress import CancelToken

from desktop.tasks import Task


def _until_cancelled(progress, cancel: CancelToken):
    while True:
        cancel.raise_if_cancelled()
        progress(0.5, "working")
        time.sleep(0.005)


def test_shutdown_from_the_gui_thread_returns_as_soon_as_the_job_stops(qtbot):
    task = Task(_until_cancelled)
    task.start()
    qtbot.waitUntil(lambda: task.running, timeout=2000)
    assert task.shutdown(3000)  # blocks the GUI thread, as closeEvent does; False had it timed out
    assert not task.running
