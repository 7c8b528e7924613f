"""Timing → Improve the aligner from my corrections… (issue 15).

The dialog says how many verified (locked) words the open document and any other chosen projects
hold, which aligner would learn from them (the offline aligner's boundary offsets, or a LoRA
adapter of Qwen3-ForcedAligner) and about how long that takes here; it then runs the work as a
background task with progress and cancel (:mod:`aligner_core.learn.improve`), shows the
before/after numbers on the held-out part and offers to use the result for the document's
language. The output folder is remembered.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from .. import settings
from ..messages import core_message, say
from ..tasks import Task

#: the task runner's background slot for training: it reads a copy of the corrections and writes
#: a folder of its own, so it runs beside alignments, one training at a time
IMPROVE = "improve"

FOLDER_KEY = "learn/folder"


def default_folder(language: str, aligner: str) -> Path:
    return settings.data_folder() / "improved" / f"{language or 'en'}-{aligner}"


class ImproveController(QObject):
    """Adds the Timing menu's action and opens the dialog on the editor's document."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.dialog: ImproveDialog | None = None
        self.action = host.add_action("timing.improve", self.tr("&Improve the aligner from my corrections…"), self.show, "timing")

    @Slot()
    def show(self) -> None:
        if self.dialog is None:
            self.dialog = ImproveDialog(self.host)
        self.dialog.refresh()
        self.dialog.open()


class _Job:
    def __init__(self, plan, dataset, out: Path, device: str):
        self.plan, self.dataset, self.out, self.device = plan, dataset, out, device

    def __call__(self, context):
        from aligner_core.learn.improve import run

        # said here, on the worker thread: the signal carries plain text, not the stage's code
        return run(self.plan, self.dataset, self.out, self.device, lambda f, stage: context.progress(f, say(stage)), context.cancel)


class ImproveDialog(QDialog):
    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.setWindowTitle(self.tr("Improve the aligner"))
        self.setObjectName("improve-dialog")
        self.others: list[Path] = []
        self.plan = None
        self.dataset = None
        self.task: Task | None = None
        self.outcome = None

        self.words_label = QLabel()
        self.words_label.setWordWrap(True)
        self.projects = QListWidget()
        self.projects.setMaximumHeight(90)
        add = QPushButton(self.tr("Add other projects…"))
        add.clicked.connect(self.choose_projects)
        self.aligner_label = QLabel()
        self.aligner_label.setWordWrap(True)
        self.time_label = QLabel()
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        change = QPushButton(self.tr("Change…"))
        change.clicked.connect(self.choose_folder)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.stage = QLabel()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(self.tr("Start"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel training"), QDialogButtonBox.ButtonRole.ActionRole)
        self.use_button = self.buttons.addButton(self.tr("Use it for this language"), QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self.use)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.words_label)
        layout.addWidget(self.projects)
        layout.addWidget(add)
        layout.addWidget(self.aligner_label)
        layout.addWidget(self.time_label)
        row = QHBoxLayout()
        row.addWidget(self.folder_label, 1)
        row.addWidget(change)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.stage)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self._update_buttons()

    # -- what would be learned ---------------------------------------------------------------------
    def _choice(self):
        """(aligner kind, Qwen3 base or None, why not) for the window's current aligner settings."""
        from aligner_core.align.registry import choose
        from aligner_core.learn.lora import is_adapter

        alignment = self.host.alignment
        options = alignment.options
        try:
            choice = choose(options.aligner, alignment.effective_language, options.model or None)
        except Exception as exc:  # noqa: BLE001 - the reason is shown, not raised
            return None, None, core_message(exc)
        if choice.aligner == "sphinx":
            return "sphinx", None, ""
        if choice.aligner == "qwen3":
            base = choice.model or ""
            if base and is_adapter(base):  # improving an improved model: start again from its base
                base = json.loads((Path(base) / "adapter_config.json").read_text(encoding="utf-8")).get("base_model_name_or_path", base)
            return "qwen3", base, ""
        return None, None, self.tr("Only the offline aligner and Qwen3-ForcedAligner can learn from corrections; choose one in Alignment settings.")

    def _sources(self):
        from aligner_core.project import Project, load_project

        session = self.host.session
        doc = session.document
        sources = []
        if doc is not None and session.audio_path is not None:
            sources.append((self.tr("the open document"), Project(doc.copy(), audio_path=session.audio_path)))
        for path in self.others:
            sources.append((path.name, load_project(path)))
        return sources

    def refresh(self) -> None:
        from aligner_core.learn.dataset import is_verified

        doc = self.host.session.document
        open_words = sum(1 for t in doc.tokens if is_verified(t)) if doc is not None else 0
        self.projects.clear()
        self.projects.addItems([str(p) for p in self.others])
        aligner, base, why = self._choice()
        self.plan = self.dataset = None
        text = self.tr("The open document holds {0} verified (locked) words.").format(open_words)
        if aligner is None:
            self.aligner_label.setText(why)
        else:
            from aligner_core.learn.improve import plan

            self.aligner_label.setText(
                self.tr("The offline aligner learns boundary offsets from them.") if aligner == "sphinx"
                else self.tr("Qwen3-ForcedAligner ({0}) gets a LoRA adapter trained on them.").format(base)
            )
            try:
                self.plan, self.dataset = plan(self._sources(), aligner, base, self.host.alignment.options.device)
            except Exception as exc:  # noqa: BLE001 - one sentence in the dialog, nothing lost
                text += " " + core_message(exc)
            else:
                p = self.plan
                text = self.tr("{0} verified words in {1} segment(s) for training and {2} held out.").format(p.verified_words, p.train_segments, p.eval_segments)
                if p.tail_held_out:
                    text += " " + self.tr("With one recording, its last part is held out to measure the result.")
        self.words_label.setText(text)
        if self.plan is None or self.plan.estimate_s is None:
            self.time_label.setText(self.tr("Expected time on this machine: unknown."))
        else:
            self.time_label.setText(self.tr("Expected time on this machine: about {0}.").format(_duration(self.plan.estimate_s)))
        self.folder_label.setText(self.tr("Saved in: {0}").format(self.folder()))
        self._update_buttons()

    def folder(self) -> Path:
        saved = settings.value(FOLDER_KEY, "")
        if saved:
            return Path(saved)
        language = self.plan.language if self.plan else self.host.alignment.effective_language
        return default_folder(language, self.plan.aligner if self.plan else "aligner")

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the improved aligner"), str(self.folder().parent))
        if folder:
            settings.set_value(FOLDER_KEY, folder)
            self.refresh()

    @Slot()
    def choose_projects(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Projects with corrections"), "", self.tr("Wordsync projects (*.wordsync)"))
        self.add_projects([Path(f) for f in files])

    def add_projects(self, paths: list[Path]) -> None:
        self.others += [p for p in paths if p not in self.others]
        self.refresh()

    # -- running ----------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        if self.plan is None or self.task is not None:
            return
        out = self.folder()
        settings.set_value(FOLDER_KEY, str(out))
        self.outcome = None
        self.result_label.clear()
        self.task = self.host.tasks.run(
            _Job(self.plan, self.dataset, out, self.host.alignment.options.device), self.windowTitle(), self._on_finished,
            background=IMPROVE, on_failed=self._on_failed, on_cancelled=self._on_cancelled, on_progress=self._on_progress,
        )
        if self.task is None:
            return
        self.task.done.connect(self._on_done)
        self.progress.setValue(0)
        self.progress.show()
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    @Slot(float, str)
    def _on_progress(self, fraction: float, stage: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.stage.setText(stage)

    @Slot(object)
    def _on_finished(self, outcome) -> None:
        self.outcome = outcome
        self.stage.setText(self.tr("Done: saved in {0}").format(outcome.out))
        self.result_label.setText(self._table(outcome.before, outcome.after))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.stage.setText(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.stage.setText(self.tr("Cancelled; starting again resumes where it stopped."))

    @Slot()
    def _on_done(self) -> None:
        self.task = None
        self.progress.hide()
        self._update_buttons()

    @Slot()
    def use(self) -> None:
        """The improved aligner becomes the document language's aligner (remembered, as a model folder)."""
        from ..alignment import AlignmentOptions

        if self.outcome is None:
            return
        alignment = self.host.alignment
        alignment.options = AlignmentOptions("auto", str(self.outcome.out), alignment.options.device)
        alignment.options.save(alignment.effective_language)
        self.stage.setText(self.tr("The improved aligner is used for {0} from now on.").format(alignment.effective_language))
        self.use_button.setEnabled(False)

    def _update_buttons(self) -> None:
        running = self.task is not None
        self.start_button.setEnabled(self.plan is not None and not running)
        self.cancel_button.setEnabled(running)
        self.use_button.setEnabled(self.outcome is not None and not running)

    def _table(self, before: dict | None, after: dict | None) -> str:
        if before is None or after is None:
            return self.tr("Nothing was held out, so the result was not measured.")
        heads = (self.tr("mean error"), self.tr("within 20 ms"), self.tr("within 50 ms"))
        rows = ["<tr><th></th>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"]
        for name, r in ((self.tr("before"), before), (self.tr("after"), after)):
            a = r["all"]
            if not a.get("n"):
                rows.append(f"<tr><td>{name}</td><td colspan=3>-</td></tr>")
                continue
            rows.append(f"<tr><td>{name}</td><td>{a['mean_ms']:.1f} ms</td><td>{a['within_20ms']:.1f}%</td><td>{a['within_50ms']:.1f}%</td></tr>")
        return "<table cellspacing=6>" + "".join(rows) + "</table>"

    def reject(self) -> None:
        if self.task is not None:  # closing cancels the training; its checkpoint stays for next time
            self.task.shutdown()  # a bounded wait, as before: the next start must not race its checkpoint
            self.host.tasks.detach(IMPROVE)
            self.task = None
            self.progress.hide()
            self._update_buttons()
        super().reject()


def _duration(seconds: float) -> str:
    from aligner_core.learn.improve import duration_words

    return duration_words(seconds)
