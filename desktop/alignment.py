"""Alignment in the editor: full align, re-align a selection, re-align after a text edit.

Each run snapshots the document (:class:`~aligner_core.align.api.AlignRequest`), aligns on a
worker thread through the host's task runner and, back on the GUI thread, applies the result as ONE
undo step, or drops it when the document changed meanwhile (the user kept editing). Locked
words are constraints the engine never moves, so re-aligning a span around them is safe.

The aligner and model are remembered per language in QSettings (``align/<language>/aligner``,
``align/<language>/model``; the device in ``align/device``): choosing Qwen3 for Chinese never
traps the next English document, and the offline aligner is never offered for a language it
cannot align. Align on a language whose aligner is not downloaded yet offers the download right
there, and aligns once the model is in. The language comes from the document and can be
overridden for this document in the settings dialog (the document model has no undoable
language edit). Errors from the core arrive as messages with codes and are shown translated
(:mod:`desktop.messages`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from aligner_core.align.registry import ALIGNERS, OFFLINE, base_language, choose, offline_knows
from aligner_core.align.types import AlignmentError, ModelNeeded
from aligner_core.messages import Message, message_of
from aligner_core.progress import Cancelled

from . import settings
from .messages import localize, summary_text
from .selection import selection
from .transcription import stage_text

#: languages offered in the chooser (any other code can be typed): what the offline aligner
#: and Qwen3-ForcedAligner know, plus common CTC (wav2vec2/MMS) targets
LANGUAGES = ("en", "zh", "yue", "ja", "ko", "de", "fr", "es", "it", "pt", "ru", "nl", "pl", "tr", "ar", "hi", "vi", "uk")
DEVICES = ("auto", "cpu", "cuda")
NEURAL = ("qwen3", "ctc")


def _aligner_title(name: str) -> str:
    titles = {
        "auto": QCoreApplication.translate("Alignment", "Automatic (best installed)"),
        "sphinx": QCoreApplication.translate("Alignment", "Offline (sphinx, English)"),
        "qwen3": QCoreApplication.translate("Alignment", "Qwen3-ForcedAligner"),
        "ctc": QCoreApplication.translate("Alignment", "CTC model (wav2vec2 / MMS)"),
    }
    return titles.get(name, name)


def _device_title(name: str) -> str:
    titles = {
        "auto": QCoreApplication.translate("Alignment", "Automatic"),
        "cpu": QCoreApplication.translate("Alignment", "CPU"),
        "cuda": QCoreApplication.translate("Alignment", "GPU (CUDA)"),
    }
    return titles.get(name, name)


#: remembered: whether Align also measures each word's phones (the phone tier); off by default,
#: since the offline aligner takes about twice as long with them and subtitles never show them
PHONES_KEY = "align/phones"


def _key(language: str | None, name: str) -> str:
    return f"align/{base_language(language) or 'en'}/{name}"


@dataclass
class AlignmentOptions:
    """The aligner and model chosen for one language, and the device (for all)."""

    aligner: str = "auto"
    model: str = ""  # a Hub id or a local folder; empty: the aligner's default
    device: str = "auto"

    @classmethod
    def load(cls, language: str | None = "en") -> "AlignmentOptions":
        aligner = settings.value(_key(language, "aligner"), "")
        model = settings.value(_key(language, "model"), "")
        if not aligner and offline_knows(language):
            # what earlier versions stored for every language: still good for English
            aligner, model = settings.value("align/aligner", "auto"), settings.value("align/model", "")
        if aligner not in ALIGNERS or (aligner == OFFLINE and not offline_knows(language)):
            aligner, model = "auto", ""
        device = settings.value("align/device", "auto")
        return cls(aligner, model if aligner != OFFLINE else "", device if device in DEVICES else "auto")

    def save(self, language: str | None = "en") -> None:
        settings.set_value(_key(language, "aligner"), self.aligner)
        settings.set_value(_key(language, "model"), self.model)
        settings.set_value("align/device", self.device)


@dataclass(frozen=True)
class _Failure:
    """An alignment that raised: returned (not raised) so the controller can explain it."""

    message: str  # the English sentence
    aligner: str
    coded: Message | None = None  # the same, as data to translate
    language: str = ""


class _AlignJob:
    """Runs on the worker thread: align ``first..last`` of the request's snapshot."""

    def __init__(self, request, first: int, last: int):
        self.request, self.first, self.last = request, first, last

    def __call__(self, context):
        from aligner_core.align.api import align_span

        try:
            # the job's label and the core's stage in the user's language (a Qt signal would drop its code)
            progress = lambda fraction, stage: context.progress(fraction, stage_text(context.label, stage))  # noqa: E731
            return align_span(self.request, self.first, self.last, progress, context.cancel)
        except Cancelled:
            raise
        except Exception as exc:  # shown as one sentence; the offline aligner is the way out (for English)
            return _Failure(str(exc) or exc.__class__.__name__, self.request.aligner, message_of(exc), self.request.language or "")


class AlignmentController(QObject):
    """Adds Timing → Align, Re-align selection and Alignment settings to the editor."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        self.view = host.view
        #: a language chosen for this document in the settings (None: the document's own)
        self.language: str | None = None
        self.options = AlignmentOptions.load(self.effective_language)
        self._after_download = False  # Align asked for the model: align once it is in
        self._needed_aligner = "qwen3"  # the aligner the offered model is for
        self.settings_dialog: AlignmentSettingsDialog | None = None
        self.download_dialog = None  # a ModelDownloadDialog while one is open
        self._pending: tuple[int, int] | None = None  # a re-align asked for while busy
        self._undo_text = ""

        self.align_action = host.add_action("timing.align", self.tr("&Align"), self.align_all, "timing")
        self._show_aligner()
        self.realign_action = host.add_action(
            "timing.realign_selection", self.tr("Re-align &selection"), self.realign_selection, "timing"
        )
        host.add_action("timing.align_settings", self.tr("Alignment se&ttings…"), self.show_settings, "timing")
        self.phones_action = host.add_action("timing.align_phones", self.tr("A&lign phones (phone tier)"), None, "timing", checkable=True)
        self.phones_action.setToolTip(self.tr("Align also measures each word's phones, for a phone tier in TextGrid or JSON (slower)"))
        self.phones_action.setChecked(settings.value(PHONES_KEY, False))
        self.phones_action.toggled.connect(self._on_phones_toggled)
        host.menus["timing"].addSeparator()
        host.toolbar.addAction(self.align_action)

        self.session.document_reset.connect(self._on_document_reset)
        self.session.realign_requested.connect(self._on_realign_requested)
        self.view.selection_changed.connect(self._update_actions)
        host.actions_changed.connect(self._on_host_state)
        self._update_actions()

    # -- what to align -----------------------------------------------------------------------------
    @property
    def effective_language(self) -> str:
        doc = self.session.document
        return self.language or (doc.language if doc is not None else "en")

    def selected_span(self) -> tuple[int, int] | None:
        """The selected words (a cue's, or the aligned words inside the time selection) as an inclusive pair."""
        return selection(self.session.document, self.view).bounds

    def _can_run(self) -> bool:
        return self.session.document is not None and self.session.audio is not None and not self.host.tasks.busy

    # -- actions -----------------------------------------------------------------------------------
    @Slot()
    def align_all(self) -> None:
        doc = self.session.document
        if not self._can_run() or not doc.tokens or self.offer_model(align_after=True):
            return
        self._start(0, len(doc.tokens) - 1, self.tr("Align"), self.tr("Aligning"))

    @Slot()
    def realign_selection(self) -> None:
        span = self.selected_span()
        if span is None or not self._can_run() or self.offer_model():
            return
        first, last = span
        self._start(first, last, self.tr("Re-align words {0}–{1}").format(first + 1, last + 1),
                    self.tr("Re-aligning words {0}–{1}").format(first + 1, last + 1))

    @Slot(int, int)
    def _on_realign_requested(self, first: int, last: int) -> None:
        doc = self.session.document
        if doc is None or self.session.audio is None or not any(t.aligned for t in doc.tokens):
            return  # nothing aligned yet: the next full alignment covers the edit
        # an edited word usually changes length, so its neighbours' shared boundaries may move
        # too (locked neighbours stay put: the engine keeps them fixed)
        first, last = max(0, first - 1), min(len(doc.tokens) - 1, last + 1)
        if self.host.tasks.busy:
            if self._pending is not None:
                first, last = min(first, self._pending[0]), max(last, self._pending[1])
            self._pending = (first, last)
            return
        self._start(first, last, self.tr("Re-align edited words"), self.tr("Re-aligning edited words"))

    @Slot()
    def _start_pending(self) -> None:
        if self._pending is None or not self._can_run():
            return
        first, last = self._pending
        self._pending = None
        n = len(self.session.document.tokens)
        first, last = min(first, n - 1), min(last, n - 1)
        if first >= 0:
            self._start(first, last, self.tr("Re-align edited words"), self.tr("Re-aligning edited words"))

    def _jobs(self) -> int:
        """Worker processes: one per core for the offline aligner (the engine starts them only for
        recordings long enough to repay it, POOL_MIN_S); one for a neural model, which would be
        loaded once per process (on a GPU, several copies would compete for its memory)."""
        try:
            name = choose(self.options.aligner, self.effective_language, self.options.model or None).aligner
        except Exception:  # noqa: BLE001 - the alignment itself reports a bad choice
            return 1
        return (os.cpu_count() or 1) if name == OFFLINE else 1

    def _start(self, first: int, last: int, undo_text: str, stage: str) -> None:
        from aligner_core.align.api import AlignRequest

        doc = self.session.document
        request = AlignRequest.from_document(
            doc,
            self.session.audio.samples,
            language=self.effective_language,
            aligner=self.options.aligner,
            model=self.options.model or None,
            device=self.options.device,
            jobs=self._jobs(),
            phones=self.phones_action.isChecked(),
        )
        self._undo_text = undo_text
        self.host.tasks.run(_AlignJob(request, first, last), stage, self._finished)

    @Slot(object)
    def _finished(self, result) -> None:
        if isinstance(result, _Failure):
            if isinstance(result.coded, Message) and result.coded.code == "model_needed" and self.offer_model(align_after=True):
                return  # the model went missing since the check: offer it again
            self.host.error(self._explain(result))
            return
        doc = self.session.document
        if doc is None or not result.is_current(doc):
            self.host.status(self.tr("The document changed during alignment; the result was dropped."))
            return
        from aligner_core.edits import CompositeEdit, MakeCues

        # the first alignment also makes the cues (one undo step); a re-align after a text edit
        # joins that edit's step
        edit = CompositeEdit([result.to_edit(), MakeCues(self.session.profile)], self._undo_text)
        push = self.session.push_follow_up if self._undo_text == self.tr("Re-align edited words") else self.session.push
        if push(edit, self._undo_text):
            s = result.summary
            self.session.aligner_info = {"name": s.aligner, "version": s.version, "settings": dict(s.settings)}
            text = summary_text(s)
            # counted among the aligned, yet nothing to see between two boundaries: say so
            zero = sum(1 for t in result.timings if t.start is not None and t.start == t.end)
            if zero:
                text += " " + self.tr("{0} words have no length: they are marked on the timeline, and F8 finds them.").format(zero)
            self.host.status(text)

    def _explain(self, failure: _Failure) -> str:
        text = localize(failure.coded) if failure.coded is not None else failure.message
        if failure.aligner == OFFLINE or not offline_knows(failure.language or self.effective_language):
            return self.tr("Alignment failed: {0}").format(text)
        return self.tr(
            "Alignment failed: {0} The offline aligner (sphinx) needs no model and no GPU: choose it in "
            "Timing → Alignment settings (it knows English only)."
        ).format(text.rstrip() if text.rstrip().endswith((".", "。")) else text.rstrip() + ".")

    # -- state -------------------------------------------------------------------------------------
    @Slot()
    def _on_document_reset(self) -> None:
        self.language = None
        self._pending = None
        self.options = AlignmentOptions.load(self.effective_language)
        self._show_aligner()
        self._update_actions()

    @Slot()
    def _on_host_state(self) -> None:
        self._update_actions()
        if self._pending is not None and not self.host.tasks.busy:
            QTimer.singleShot(0, self._start_pending)  # after the finished task has let go

    @Slot()
    def _update_actions(self) -> None:
        can = self._can_run()
        self.align_action.setEnabled(can and bool(self.session.document.tokens))
        self.realign_action.setEnabled(can and self.selected_span() is not None)

    @Slot(bool)
    def _on_phones_toggled(self, on: bool) -> None:
        settings.set_value(PHONES_KEY, bool(on))

    def _show_aligner(self) -> None:
        self.align_action.setToolTip(self.tr("Align every word with {0}").format(_aligner_title(self.options.aligner)))

    # -- settings ----------------------------------------------------------------------------------
    @Slot()
    def show_settings(self) -> None:
        """Open the (window-modal, non-blocking) settings dialog; OK applies and remembers."""
        if self.settings_dialog is None:
            self.settings_dialog = AlignmentSettingsDialog(self.host.widget)
            self.settings_dialog.accepted.connect(self._apply_settings)
        self.settings_dialog.set_values(self.effective_language, self.options)
        self.settings_dialog.open()

    @Slot()
    def _apply_settings(self) -> None:
        dialog = self.settings_dialog
        language, self.options = dialog.values()
        doc = self.session.document
        own = doc.language if doc is not None else None
        self.language = None if not language or language == own else language
        self.options.save(self.effective_language)
        self._show_aligner()
        self.host.status(
            self.tr("Aligner: {0}, language {1}").format(_aligner_title(self.options.aligner), self.effective_language)
        )
        self.offer_model()

    # -- first run of a neural aligner -------------------------------------------------------------
    def missing_model(self) -> tuple[str, str] | None:
        """(aligner, Hub id) of the model the next alignment needs when it is not on disk yet."""
        from aligner_core.align.models import is_model_available, looks_like_repo_id
        from aligner_core.align.registry import default_model

        if self.options.aligner == "auto":
            try:
                choose("auto", self.effective_language, self.options.model or None)
            except ModelNeeded as exc:
                return exc.aligner, exc.model
            except AlignmentError:
                return None  # explained by the alignment itself, in the user's language
            return None
        if self.options.aligner not in NEURAL:
            return None
        model = self.options.model or default_model(self.options.aligner)
        if not model or not looks_like_repo_id(model) or is_model_available(model):
            return None  # a missing local folder is explained by the alignment error instead
        return self.options.aligner, model

    def offer_model(self, align_after: bool = False) -> bool:
        """Offer to download the model the next alignment needs; True when the offer is open.

        From Align (``align_after``), the alignment starts by itself once the model is in."""
        if self.download_dialog is not None:
            return True
        missing = self.missing_model()
        if missing is None:
            return False
        aligner, repo = missing
        from .dialogs.model_download import ModelDownloadDialog

        self._after_download = align_after
        self._needed_aligner = aligner
        self.download_dialog = ModelDownloadDialog(repo, self.host.widget, tasks=self.host.tasks, offline_ok=offline_knows(self.effective_language))
        self.download_dialog.finished.connect(self._on_model_dialog_finished)
        self.download_dialog.open()
        return True

    @Slot(int)
    def _on_model_dialog_finished(self, result: int) -> None:
        dialog, self.download_dialog = self.download_dialog, None
        dialog.deleteLater()
        align_after, self._after_download = self._after_download, False
        if result != QDialog.DialogCode.Accepted:
            return
        if dialog.use_offline and offline_knows(self.effective_language):
            self.options.aligner, self.options.model = OFFLINE, ""
        elif dialog.model_folder:
            self.options.aligner, self.options.model = self._needed_aligner, dialog.model_folder
        self.options.save(self.effective_language)
        self._show_aligner()
        self.host.status(
            self.tr("Aligner: {0}, language {1}").format(_aligner_title(self.options.aligner), self.effective_language)
        )
        if align_after:
            QTimer.singleShot(0, self.align_all)


class AlignmentSettingsDialog(QDialog):
    """Language, aligner, model (Hub id or folder) and device for the next alignments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alignment-settings")
        self.setWindowTitle(self.tr("Alignment settings"))
        self.setMinimumWidth(440)
        form = QFormLayout(self)

        self.language = QComboBox()
        self.language.setEditable(True)
        for code in LANGUAGES:
            self.language.addItem(self._language_label(code), code)
        self.language.setToolTip(self.tr("The transcript's language; type another code (ISO 639) for a CTC model."))
        form.addRow(self.tr("&Language:"), self.language)

        self.aligner = QComboBox()
        for name in ALIGNERS:
            self.aligner.addItem(_aligner_title(name), name)
        form.addRow(self.tr("&Aligner:"), self.aligner)

        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("Default model, or a Hub id or a local folder"))
        self.browse = QPushButton(self.tr("&Folder…"))
        self.browse.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(self.browse)
        model_label = QLabel(self.tr("&Model:"))
        model_label.setBuddy(self.model)
        form.addRow(model_label, row)

        self.device = QComboBox()
        for name in DEVICES:
            self.device.addItem(_device_title(name), name)
        form.addRow(self.tr("&Device:"), self.device)

        self.choice = QLabel()
        self.choice.setWordWrap(True)
        form.addRow(self.choice)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

        self.aligner.currentIndexChanged.connect(self._refresh)
        self.language.currentTextChanged.connect(self._refresh)
        self.model.textChanged.connect(self._refresh)

    @staticmethod
    def _language_label(code: str) -> str:
        # each language in its own name, as language pickers do ("en" alone would say "American English")
        name = {"en": "English", "yue": "粵語"}.get(code) or QLocale(code).nativeLanguageName()
        return f"{code} — {name}" if name else code

    def set_values(self, language: str, options: AlignmentOptions) -> None:
        index = self.language.findData(base_language(language) or language)
        if index >= 0:
            self.language.setCurrentIndex(index)
        else:
            self.language.setEditText(language)
        self.aligner.setCurrentIndex(max(0, self.aligner.findData(options.aligner)))
        self.model.setText(options.model)
        self.device.setCurrentIndex(max(0, self.device.findData(options.device)))
        self._refresh()

    def values(self) -> tuple[str, AlignmentOptions]:
        text = self.language.currentText().strip()
        index = self.language.findText(text)
        language = self.language.itemData(index) if index >= 0 else text.split("—")[0].strip()
        aligner = self.aligner.currentData()
        model = self.model.text().strip() if aligner != OFFLINE else ""
        return language, AlignmentOptions(aligner, model, self.device.currentData())

    def _offer_offline(self, language: str) -> None:
        """The offline aligner is listed only for a language it can align."""
        index = self.aligner.findData(OFFLINE)
        knows = offline_knows(language)
        if knows and index < 0:
            self.aligner.insertItem(ALIGNERS.index(OFFLINE), _aligner_title(OFFLINE), OFFLINE)
        elif not knows and index >= 0:
            if self.aligner.currentIndex() == index:
                self.aligner.setCurrentIndex(self.aligner.findData("auto"))
            self.aligner.removeItem(index)

    @Slot()
    def _refresh(self) -> None:
        language, _options = self.values()
        self._offer_offline(language)
        aligner = self.aligner.currentData()
        neural = aligner != OFFLINE
        self.model.setEnabled(neural)
        self.browse.setEnabled(neural)
        self.device.setEnabled(neural)
        language, options = self.values()
        try:
            picked = choose(options.aligner, language, options.model or None)
        except ModelNeeded as exc:
            self.choice.setText(self.tr("{0} is not on this computer yet: Align offers to download it.").format(_aligner_title(exc.aligner)))
        except AlignmentError as exc:
            message = message_of(exc)
            self.choice.setText(localize(message) if message is not None else str(exc))
        except Exception as exc:  # noqa: BLE001 - whatever the registry says, it says it here
            self.choice.setText(str(exc))
        else:
            if options.aligner == "auto":
                text = self.tr("Automatic: {0} aligns “{1}”.")
            else:
                text = self.tr("{0} aligns “{1}”.")
            self.choice.setText(text.format(_aligner_title(picked.aligner), language))

    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"), self.model.text())
        if folder:
            self.model.setText(folder)
