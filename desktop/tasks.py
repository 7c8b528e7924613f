"""Run long core work (decode, align) in a worker object moved to a QThread.

The core reports through a plain ``progress(fraction, stage)`` callback and checks a
:class:`~aligner_core.progress.CancelToken`; the worker re-emits progress as signals. Cancel sets
the token directly from the GUI thread: a queued slot would never run while the worker is busy.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from aligner_core.progress import CancelToken, Cancelled

Job = Callable[[Callable[[float, str], None], CancelToken], Any]


class _Worker(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Job, token: CancelToken):
        super().__init__()
        self._job = job
        self._token = token

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._emit_progress, self._token)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # the GUI shows one sentence; a bug's trace goes to stderr
            if not _expected(exc):
                traceback.print_exc()
            self.failed.emit(self._sentence(exc))
        else:
            self.finished.emit(result)

    def _sentence(self, exc: Exception) -> str:
        """Our own errors are written for the user; anything else is a bug, and is named as one."""
        from .messages import core_message

        # a core message with a code arrives in the user's language
        text = next((line.strip() for line in core_message(exc).splitlines() if line.strip()), "")
        if _expected(exc) and text:
            return text
        # a bare KeyError would otherwise show as just "'units'"
        return self.tr("An unexpected error stopped this task ({0}: {1}); the document was not changed.").format(
            type(exc).__name__, text or "-"
        )

    def _emit_progress(self, fraction: float, stage: str) -> None:
        self.progress.emit(float(fraction), stage)


class Task(QObject):
    """One background job; signals arrive on the thread that created the Task (the GUI thread).

    A Task lives for one job: once it is done its thread, its worker and the Task itself are
    deleted (finished -> quit -> deleteLater, as superqt does), so a session of many jobs
    holds no finished threads.
    """

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any of the three outcomes

    def __init__(self, job: Job, parent: QObject | None = None):
        super().__init__(parent)
        self.token = CancelToken()
        self._thread = QThread()
        self._worker = _Worker(job, self.token)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        # the worker is deleted in its own thread as that thread ends, the thread object here
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.finished.connect(self._thread.deleteLater)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self.token.cancel()

    def wait(self, ms: int = 5000) -> bool:
        return self._thread.wait(ms)

    def shutdown(self, ms: int = 5000) -> bool:
        """Cancel and wait for the thread from the GUI thread (closing the window).

        The thread's event loop normally quits when the GUI thread handles the worker's last
        signal, which it cannot do while it blocks here: so ask it to quit directly (quit is
        thread-safe; the loop exits as soon as the job returns)."""
        self.token.cancel()
        self._thread.quit()
        return self._thread.wait(ms)

    @property
    def running(self) -> bool:
        return not self._ended and self._thread.isRunning()

    _ended = False

    @Slot(float, str)
    def _on_progress(self, fraction: float, stage: str) -> None:
        self.progress.emit(fraction, stage)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)
        self.done.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)
        self.done.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._stop()
        self.cancelled.emit()
        self.done.emit()

    def _stop(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self._ended = True
        self.deleteLater()  # after the outcome's signals below have been delivered


def _expected(exc: BaseException) -> bool:
    """An error the core words for the user (bad input, a missing model, a full disk), not a bug:
    FormatError, TranscriptError and ProjectError are ValueErrors with one-sentence texts."""
    from aligner_core.align.types import AlignmentError
    from aligner_core.audio import AudioError

    return isinstance(exc, (AlignmentError, AudioError, OSError, ValueError))
