"""First run of a neural aligner: get its model without a terminal.

When Qwen3-ForcedAligner or a CTC model is chosen but not on disk, :class:`ModelDownloadDialog`
asks the Hub for the download size (a background job on the editor's task runner: even a
failing lookup must not freeze the window; it runs beside an alignment, never two at once),
then offers to download it with a progress bar and a cancel button. A cancelled or
broken download keeps its ``.part`` files and the next one resumes them (see
:mod:`aligner_core.align.download`). A model folder the user already has can be picked instead (it must hold config.json and safetensors weights). With no network the dialog
says so in one sentence, and offers the offline aligner only when it can align the document's
language (``offline_ok``): a Chinese document is never sent to an English-only aligner. The
controller remembers the resulting folder for the language, so the choice survives restarts
(see :mod:`desktop.alignment`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aligner_core.align.models import display_name

from .. import settings
from ..messages import say
from ..tasks import Task, TaskRunner

#: the task runner's background slot for the Hub lookup and the download
DOWNLOAD = "download"


def models_folder() -> Path:
    """Where new downloads go: <data>/Wordsync/models/<org>--<name>."""
    return settings.data_folder() / "models"


def _doubled_models_folder() -> Path:
    # where earlier versions downloaded (AppLocalDataLocation is …/Wordsync/Wordsync): users'
    # models there stay put and are still found
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)) / "models"


def model_folder(repo_id: str) -> Path:
    """The folder for ``repo_id``: an earlier download in the doubled folder (whole or partial,
    so it resumes), unless the single-name folder already holds one."""
    name = repo_id.replace("/", "--")
    new, old = models_folder() / name, _doubled_models_folder() / name
    return old if old.is_dir() and not new.is_dir() else new


@dataclass(frozen=True)
class _Outcome:
    """What a worker job returns: a value, or why it failed (``offline``: the Hub cannot be reached)."""

    value: object = None
    error: object = ""  # the core's error (worded in the interface language on the GUI thread) or a sentence
    offline: bool = False


class _PlanJob:
    def __init__(self, repo_id: str, endpoint: str | None, kind):
        self.repo_id, self.endpoint, self.kind = repo_id, endpoint, kind

    def __call__(self, context):
        from aligner_core.align.download import HubUnreachable, plan_download
        from aligner_core.align.types import ModelUnavailable

        try:
            return _Outcome(plan_download(self.repo_id, kind=self.kind, endpoint=self.endpoint))
        except HubUnreachable as exc:
            return _Outcome(error=exc, offline=True)
        except ModelUnavailable as exc:
            return _Outcome(error=exc)


class _DownloadJob:
    def __init__(self, plan, folder: Path):
        self.plan, self.folder = plan, folder

    def __call__(self, context):
        from aligner_core.align.download import HubUnreachable, download
        from aligner_core.align.types import ModelUnavailable

        try:
            return _Outcome(download(self.plan, self.folder, progress=context.progress, cancel=context.cancel))
        except HubUnreachable as exc:
            return _Outcome(error=exc, offline=True)
        except ModelUnavailable as exc:
            return _Outcome(error=exc)


class ModelDownloadDialog(QDialog):
    """Download ``repo_id`` (resumable), use a local folder, or switch to the offline aligner.

    Accepted with :attr:`model_folder` set (also stored as ``align/model``), or with
    :attr:`use_offline` True when the user chose the offline aligner.
    """

    def __init__(self, repo_id: str, parent: QWidget | None = None, *, endpoint: str | None = None,
                 folder: Path | None = None, offline_ok: bool = True, kind: str | None = None,
                 tasks: TaskRunner | None = None) -> None:
        from aligner_core.align.download import kind_for

        super().__init__(parent)
        # the editor's runner; a dialog opened on its own (tests) brings one (errors go to its status)
        self.tasks = tasks if tasks is not None else TaskRunner(self._set_status, self._set_status, self)
        self.setObjectName("model-download")
        self.repo_id = repo_id
        self.kind = kind_for(repo_id, kind)  # which files to fetch, and how a folder is checked
        self.offline_ok = offline_ok
        self.endpoint = endpoint
        self.folder = folder or model_folder(repo_id)
        self.model_folder: str | None = None
        self.use_offline = False
        self.plan = None
        self.task: Task | None = None
        name = display_name(repo_id)
        self.setWindowTitle(self.tr("Download {0}").format(name))
        self.setMinimumWidth(600)  # four buttons side by side in the no-network case

        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr(
            "{0} is not on this computer yet. Wordsync can download it once, or use a copy you already have."
        ).format(name))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.status = QLabel(self.tr("Asking the model hub for the download size…"))
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setVisible(False)
        layout.addWidget(self.bar)

        self.buttons = QDialogButtonBox()
        self.download_button = QPushButton(self.tr("&Download"))
        self.download_button.setEnabled(False)
        self.folder_button = QPushButton(self.tr("Use a &folder I already have…"))
        self.offline_button = QPushButton(self.tr("Use the &offline aligner"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        for button, role in ((self.download_button, QDialogButtonBox.ButtonRole.AcceptRole),
                             (self.folder_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.offline_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)):
            button.setAutoDefault(False)
            self.buttons.addButton(button, role)
        layout.addWidget(self.buttons)
        self.offline_button.setVisible(False)  # after addButton, which shows its buttons
        # the box's accepted/rejected would close the dialog; each button does its own thing
        self.download_button.clicked.connect(self.start_download)
        self.folder_button.clicked.connect(self._choose_folder)
        self.offline_button.clicked.connect(self.choose_offline)
        self.cancel_button.clicked.connect(self.reject)

        self._run(_PlanJob(repo_id, endpoint, self.kind), self._planned)

    # -- tasks -------------------------------------------------------------------------------------
    def _run(self, job, on_finished) -> None:
        self.task = self.tasks.run(job, self.windowTitle(), on_finished, background=DOWNLOAD,
                                   on_failed=self._failed, on_cancelled=self._download_cancelled,
                                   on_progress=self._on_progress)
        if self.task is None:  # another dialog's download still ends: this one can try again
            self._failed(self.tr("Another model download is still stopping; try again in a moment."))

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.adjustSize()  # grow with the wrapped text (and the bar) rather than clip them

    def _size(self, n: int | None) -> str:
        return QLocale().formattedDataSize(n) if n is not None else self.tr("unknown size")

    @Slot(object)
    def _planned(self, outcome: _Outcome) -> None:
        if outcome.error:
            self._show_error(outcome)
            return
        self.plan = outcome.value
        total = self.plan.total_bytes
        left = self.plan.missing_bytes(self.folder)
        if left is not None and total and 0 < left < total:
            self._set_status(self.tr("Download size: {0}; {1} are still to fetch (an earlier download is resumed).")
                                .format(self._size(total), self._size(left)))
            self.download_button.setText(self.tr("&Resume download"))
        else:
            self._set_status(self.tr("Download size: {0}, saved in {1}.").format(self._size(total), str(self.folder)))
        self.download_button.setEnabled(True)
        self.download_button.setDefault(True)

    def _show_error(self, outcome: _Outcome) -> None:
        if outcome.offline and self.offline_ok:
            self._set_status(self.tr(
                "The model hub cannot be reached, so {0} cannot be downloaded now; the offline aligner "
                "(English) works without a network."
            ).format(display_name(self.repo_id)))
            self.offline_button.setVisible(True)
            self.offline_button.setDefault(True)
        elif outcome.offline:
            self._set_status(self.tr(
                "The model hub cannot be reached, so {0} cannot be downloaded now. Connect to the network and "
                "try again, or use a model folder you already have."
            ).format(display_name(self.repo_id)))
            self.folder_button.setDefault(True)
        else:
            self._set_status(say(outcome.error))
        if self.plan is not None:  # a download that broke off can be resumed later
            self.download_button.setText(self.tr("&Resume download"))
            self.download_button.setEnabled(True)

    @Slot(float, str)
    def _on_progress(self, fraction: float, _stage: str) -> None:
        self.bar.setValue(round(fraction * 1000))
        if self.plan is not None and self.plan.total_bytes:
            done = round(fraction * self.plan.total_bytes)
            self.bar.setFormat(self.tr("{0} of {1}").format(self._size(done), self._size(self.plan.total_bytes)))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._show_error(_Outcome(error=message))
        self._idle()

    # -- download ----------------------------------------------------------------------------------
    @Slot()
    def start_download(self) -> None:
        if self.plan is None or self.busy:
            return
        self.bar.setVisible(True)
        self.download_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.cancel_button.setText(self.tr("&Stop download"))
        self._set_status(self.tr("Downloading into {0}…").format(str(self.folder)))
        self._run(_DownloadJob(self.plan, self.folder), self._downloaded)

    @Slot(object)
    def _downloaded(self, outcome: _Outcome) -> None:
        self._idle()
        if outcome.error:
            self._show_error(outcome)
            return
        self._remember(str(outcome.value))

    @Slot()
    def _download_cancelled(self) -> None:
        self._idle()
        self._set_status(self.tr("Download stopped. What arrived is kept: Resume download continues from there."))
        self.download_button.setText(self.tr("&Resume download"))

    def _idle(self) -> None:
        self.download_button.setEnabled(self.plan is not None)
        self.folder_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel"))

    def reject(self) -> None:
        # the first press stops a running download (kept for resuming); the next one closes
        if self.busy and self.plan is not None and self.bar.isVisible():
            self.task.cancel()
            return
        self._stop_task()
        super().reject()

    def done(self, result: int) -> None:
        self._stop_task()
        super().done(result)

    def _stop_task(self) -> None:
        if self.busy:
            # let it end on its own, outliving this dialog: waiting here would block the event
            # loop that delivers the worker's last signal, which is what lets its thread quit
            self.tasks.detach(DOWNLOAD)

    # -- other choices -----------------------------------------------------------------------------
    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"))
        if folder:
            self.use_folder(folder)

    def use_folder(self, folder: str) -> bool:
        """Take a folder the user has: it must be a model of the kind asked for (a transformers
        model: config.json and safetensors weights; SenseVoice: the ONNX export and tokens.txt)."""
        from aligner_core.align.types import ModelUnavailable

        try:
            self.kind.check(Path(folder), folder)
        except ModelUnavailable as exc:
            self._set_status(self.tr("That folder cannot be used: {0}").format(say(exc)))
            return False
        self._remember(folder)
        return True

    def _remember(self, folder: str) -> None:
        self.model_folder = folder
        self.accept()

    @Slot()
    def choose_offline(self) -> None:
        if not self.offline_ok:
            return
        self.use_offline = True
        self.accept()
