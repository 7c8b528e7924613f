"""Every background job of the editor runs through one :class:`TaskRunner`.

The core reports through a plain ``progress(fraction, stage)`` callback and checks a
:class:`~aligner_core.progress.CancelToken`; each job gets its own :class:`JobContext` holding
both (and its label), so nothing about a running job is stored on the window. The worker
re-emits progress as signals. Cancel sets the token directly from the GUI thread: a queued slot
would never run while the worker is busy.

What may run alongside what: jobs that read or replace the document or the audio (align,
re-align, transcribe, transcribe a span, decode audio) share ONE busy slot, so two results can
never race for the same document; a second one is refused in one sentence. Background jobs
(``background="autosave"``, ``background="download"``) work on a copy or on files of their own,
so they run alongside the busy slot, one at a time per name, and never take the status bar.
"""

from __future__ import annotations

import traceback
import warnings
from functools import partial
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QPushButton

from aligner_core.progress import CancelToken, Cancelled


class JobContext:
    """What one job gets: its label, its own cancel token and a progress callback.

    Made on the GUI thread before the job starts. The worker thread only calls :meth:`progress`
    (a queued signal) and reads :attr:`cancel` (a threading.Event): both are thread-safe.
    :attr:`preview` is for a job that shows work in progress (the waveform of a file being
    decoded): the job sets it once, as one reference, and the GUI thread reads it.
    """

    def __init__(self, label: str, report: Callable[[float, str], None] | None = None,
                 token: CancelToken | None = None) -> None:
        self.label = label
        self.cancel = token if token is not None else CancelToken()
        self.preview: object = None
        self._report = report

    def progress(self, fraction: float, stage: str | None = None) -> None:
        """The core's ``progress(fraction, stage)``; without a stage the job's own label shows."""
        if self._report is not None:
            self._report(float(fraction), stage or self.label)


Job = Callable[[JobContext], Any]


class _Worker(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: Job, label: str, token: CancelToken):
        super().__init__()
        self._job = job
        self.context = JobContext(label, self.progress.emit, token)

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.context)
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


#: tasks whose window closed before they stopped: held here (not by a parent that is being
#: deleted) until they end, since a QThread destroyed while running aborts the process
_detached: set["Task"] = set()


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

    def __init__(self, job: Job, parent: QObject | None = None, label: str = ""):
        super().__init__(parent)
        self.token = CancelToken()
        self._thread = QThread()
        self._worker = _Worker(job, label, self.token)
        self.context = self._worker.context
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        # the worker is deleted in its own thread as that thread ends, the thread object here
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.finished.connect(self._thread.deleteLater)

    @property
    def label(self) -> str:
        return self.context.label

    @property
    def qthread(self) -> QThread:
        """The thread the job runs on (deleted with the worker once the job ended)."""
        return self._thread

    @property
    def worker(self) -> QObject:
        return self._worker

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

    def detach(self) -> None:
        """Outlive the parent (a closing window): end on its own, then delete itself."""
        self.token.cancel()
        # its outcome has no one left to go to: the handlers belong to what is closing
        with warnings.catch_warnings():  # PySide warns for a signal that had no one connected
            warnings.simplefilter("ignore", RuntimeWarning)
            for signal in (self.progress, self.finished, self.failed, self.cancelled, self.done):
                signal.disconnect()
        self.setParent(None)
        _detached.add(self)
        self.done.connect(self._forget)

    @Slot()
    def _forget(self) -> None:
        _detached.discard(self)

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


#: the busy slot's name in :meth:`TaskRunner.running`
MAIN = ""


class TaskRunner(QObject):
    """Owns the busy slot, the progress bar and cancel button, errors and every task's lifetime.

    ``status`` and ``error`` say one sentence to the user (the status bar; the error dialog).
    The window puts :attr:`progress_bar` and :attr:`cancel_button` in its status bar.
    """

    #: the busy slot was taken or freed: components re-check which actions can apply
    busy_changed = Signal()

    def __init__(self, status: Callable[[str], None], error: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = status
        self._error = error
        self._slots: dict[str, Task] = {}
        self._started = 0
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("task-progress")
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("task-cancel")
        self.cancel_button.setToolTip(self.tr("Cancel the running task (Esc)"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)

    # -- what runs -----------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A job holds the busy slot (the document or audio may change when it ends)."""
        return MAIN in self._slots

    def running(self, background: str = MAIN) -> Task | None:
        """The task in the busy slot, or in the background slot of that name."""
        return self._slots.get(background)

    @property
    def current(self) -> JobContext | None:
        task = self._slots.get(MAIN)
        return task.context if task is not None else None

    @property
    def started(self) -> int:
        """How many tasks this runner started (tests count the threads left behind against it)."""
        return self._started

    def refuse_if_busy(self) -> bool:
        """Say so in one sentence and return True while the busy slot is taken (for work that
        would replace the document under a running job, such as opening a project)."""
        if not self.busy:
            return False
        self._error(self.tr("Please wait for the current task to finish or cancel it."))
        return True

    def run(self, job: Job, label: str, on_finished: Callable[[object], None], *,
            background: str | None = None,
            on_failed: Callable[[str], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            on_progress: Callable[[float, str], None] | None = None) -> Task | None:
        """Start ``job(context)`` on a worker thread; ``on_finished(result)`` on the GUI thread.

        Without ``background`` the job takes the busy slot, shows its progress and cancel button,
        and is refused in one sentence while another holds the slot. A ``background`` job runs
        beside it, at most one per name (a second is refused quietly: None), shows nothing, and
        says its errors through ``on_failed`` when given. Returns the started task or None.
        """
        slot = MAIN if background is None else background
        if not slot and background is not None:
            raise ValueError("a background job needs a name")
        if slot == MAIN and self.refuse_if_busy():
            return None
        if slot in self._slots:
            return None
        task = Task(job, self, label)
        self._slots[slot] = task
        self._started += 1
        task.finished.connect(on_finished)
        task.failed.connect(on_failed if on_failed is not None else self._error)
        if on_cancelled is not None:
            task.cancelled.connect(on_cancelled)
        if on_progress is not None:
            task.progress.connect(on_progress)
        # freed after the outcome's handlers ran (they still see the slot taken) and before the
        # busy state is announced, so what listens to it can start the next job
        task.done.connect(partial(self._free, slot, task))
        if slot == MAIN:
            task.progress.connect(self._on_progress)
            task.cancelled.connect(self._on_cancelled)
            task.done.connect(self._on_main_done)
            self._status(label)
            self.progress_bar.setValue(0)
            self.progress_bar.show()
            self.cancel_button.show()
            self.busy_changed.emit()
        task.start()
        return task

    def _free(self, slot: str, task: Task) -> None:
        if self._slots.get(slot) is task:
            del self._slots[slot]

    # -- cancel, wait, shut down ---------------------------------------------------------------------
    @Slot()
    def cancel(self) -> None:
        """Cancel the job in the busy slot (the Cancel button, Esc)."""
        task = self._slots.get(MAIN)
        if task is not None:
            task.cancel()

    def wait(self, background: str = MAIN, ms: int = 10_000) -> bool:
        """Turn the event loop until the slot's task is done (or ``ms`` passed); True if it is.

        Its outcome reaches us as queued signals and its thread only stops once they are handled,
        so blocking here instead would never see it end."""
        task = self._slots.get(background)
        if task is None:
            return True
        loop = QEventLoop()
        task.done.connect(loop.quit)
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(ms)
        loop.exec()
        guard.stop()
        return self._slots.get(background) is not task

    def detach(self, background: str) -> None:
        """Cancel a background job whose owner goes away (a closed download dialog): it frees
        its slot now, ends on its own and deletes itself; its outcome goes nowhere."""
        task = self._slots.pop(background, None)
        if task is not None:
            task.detach()

    def shutdown(self, ms: int = 5000) -> bool:
        """Closing: cancel every task and wait up to ``ms`` for each (detached ones too); one that
        does not stop in time is detached (it ends on its own and deletes itself). True if all
        stopped."""
        stopped = True
        for slot, task in list(self._slots.items()):
            if not task.shutdown(ms):
                stopped = False
                task.detach()
            self._slots.pop(slot, None)
        for task in list(_detached):
            stopped = task.shutdown(ms) and stopped
        self._hide_progress()
        return stopped

    # -- the busy slot's progress --------------------------------------------------------------------
    @Slot(float, str)
    def _on_progress(self, fraction: float, stage: str) -> None:
        self.progress_bar.setValue(int(fraction * 1000))
        self._status(stage)

    @Slot()
    def _on_cancelled(self) -> None:
        self._status(self.tr("Cancelled"))

    @Slot()
    def _on_main_done(self) -> None:
        self._hide_progress()
        self.busy_changed.emit()

    def _hide_progress(self) -> None:
        self.progress_bar.hide()
        self.cancel_button.hide()


def _expected(exc: BaseException) -> bool:
    """An error the core words for the user (bad input, a missing model, a full disk), not a bug:
    FormatError, TranscriptError and ProjectError are ValueErrors with one-sentence texts."""
    from aligner_core.align.types import AlignmentError
    from aligner_core.audio import AudioError

    return isinstance(exc, (AlignmentError, AudioError, OSError, ValueError))
