"""Transcription in the editor: File → Transcribe… drafts the words from the audio alone (issue 14).

The dialog picks the recogniser, language and sound events; the core's :func:`transcribe` runs on
the editor's task runner (progress, cancel) and, back on the GUI thread, its draft replaces the
document as ONE undo step, or is dropped when the document changed meanwhile. Unsaved work is
saved or given up first (the files controller's prompt), as when a transcript is opened.

Review: drafted words carry :attr:`~aligner_core.document.Flag.DRAFT` until a person accepts them
(Edit → Accept words, one :class:`~aligner_core.edits.MarkReviewed` step); a permanent label in
the status bar counts them, or, when audio is open without words, says how to draft some. F8
already stops at any flagged word, DRAFT included (:func:`aligner_core.review.needs_review`); the
session keeps the drafts' indices (``session.drafts``) from each change, so nothing here scans.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from aligner_core.align.registry import base_language
from aligner_core.document import Document
from aligner_core.edits import Changed, MarkReviewed

from . import settings
from .messages import as_message, localize, say
from .selection import selection

#: recognisers offered, in the core's names (aligner_core.transcribe.RECOGNISERS)
RECOGNISERS = ("auto", "sensevoice", "qwen3-asr", "sphinx")
#: languages offered (any other code can be typed); "auto" lets the recogniser tell
LANGUAGES = ("auto", "en", "zh", "yue", "ja", "ko", "de", "fr", "es", "it", "pt", "ru")


def _recogniser_title(name: str) -> str:
    titles = {
        "auto": QCoreApplication.translate("Transcription", "Automatic (best installed)"),
        "sensevoice": QCoreApplication.translate("Transcription", "SenseVoiceSmall"),
        "qwen3-asr": QCoreApplication.translate("Transcription", "Qwen3-ASR"),
        "sphinx": QCoreApplication.translate("Transcription", "Offline English (rough)"),
    }
    return titles.get(name, name)


class TranscribeDialog(QDialog):
    """Recogniser, language and sound events for one transcription."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcribe-dialog")
        self.setWindowTitle(self.tr("Transcribe"))
        form = QFormLayout(self)
        self.recogniser = QComboBox()
        for name in RECOGNISERS:
            self.recogniser.addItem(_recogniser_title(name), name)
        form.addRow(self.tr("&Recogniser:"), self.recogniser)
        self.language = QComboBox()
        self.language.setEditable(True)  # any code the recogniser knows can be typed
        for code in LANGUAGES:
            self.language.addItem(self.tr("Automatic") if code == "auto" else code, code)
        form.addRow(self.tr("&Language:"), self.language)
        self.events = QCheckBox(self.tr("Sound &events (music, laughter, applause) become cues"))
        self.events.setChecked(True)
        form.addRow(self.events)
        note = QLabel(self.tr("The draft replaces the open words (one undo step); every drafted word waits for your review."))
        note.setWordWrap(True)
        form.addRow(note)
        # the last choices, so a second recording is transcribed the same way
        asr = settings.value("transcribe/asr", "auto")
        self.recogniser.setCurrentIndex(max(0, self.recogniser.findData(asr)))
        language = settings.value("transcribe/language", "auto")
        found = self.language.findData(language)
        if found >= 0:
            self.language.setCurrentIndex(found)
        else:
            self.language.setEditText(language)
        self.events.setChecked(settings.value("transcribe/events", True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> dict:
        index = self.language.currentIndex()
        typed = self.language.currentText().strip()
        # an item's shown text may be translated ("自动"); a typed code is taken as written
        if index >= 0 and typed == self.language.itemText(index):
            language = self.language.itemData(index)
        else:
            language = typed or "auto"
        return {"asr": self.recogniser.currentData(), "language": language, "events": self.events.isChecked()}

    def remember(self) -> None:
        chosen = self.options()
        settings.set_value("transcribe/asr", chosen["asr"])
        settings.set_value("transcribe/language", chosen["language"])
        settings.set_value("transcribe/events", chosen["events"])


def installed_models() -> tuple[tuple[str, str], ...]:
    """The recognisers' model folders the editor downloaded (or the user picked), by recogniser."""
    found = []
    for asr in ("sensevoice", "qwen3-asr"):
        folder = settings.value(f"transcribe/model/{asr}", "")
        if folder:
            found.append((asr, str(folder)))
    return tuple(found)


def stage_text(label: str, stage: object) -> str:
    """The job's label, and the core's stage in the user's language when the stage carries its
    code (aligner_core.progress.Stage); a stage in English only (the aligner's) is left out."""
    if as_message(stage) is None:
        return label
    return QCoreApplication.translate("Transcription", "{0}: {1}").format(label, say(stage))


class _TranscribeJob:
    """Runs on the worker thread; reports its own (translated) label and stage, the core's fraction."""

    def __init__(self, request, stage: str):
        self.request, self.stage = request, stage

    def __call__(self, context):
        from aligner_core.transcribe import transcribe

        return transcribe(self.request, lambda fraction, stage: context.progress(fraction, stage_text(self.stage, stage)), context.cancel)


class TranscriptionController(QObject):
    """Adds File → Transcribe…, Edit → Accept words and the review count to the window."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        self.view = host.view
        self.dialog: TranscribeDialog | None = None
        self.download_dialog = None  # the model download offered before a first transcription
        self._after_download: tuple[str, dict] = ("", {})
        self._from_nothing = False  # the running job started with no document open

        self.transcribe_action = host.add_action("file.transcribe", self.tr("&Transcribe…"), self.show_dialog)
        file_menu = host.menus["file"]
        entries = file_menu.actions()
        open_action = host.actions["file.open"]
        after_open = entries.index(open_action) + 1 if open_action in entries else len(entries)
        # next to opening: the other way to get words for the audio
        if after_open < len(entries):
            file_menu.insertAction(entries[after_open], self.transcribe_action)
        else:
            file_menu.addAction(self.transcribe_action)
        self.accept_action = host.add_action("edit.accept_words", self.tr("&Accept words"), self.accept_words, "edit")
        self.hint_label = QLabel()
        self.hint_label.setObjectName("review-hint")
        host.add_status_widget(self.hint_label)

        self.session.document_reset.connect(self._recount)
        self.session.audio_changed.connect(self._on_audio_changed)
        self.session.changed.connect(self._on_changed)
        self.view.selection_changed.connect(self._update_actions)
        host.actions_changed.connect(self._update_actions)
        self._recount()

    # -- transcribing ------------------------------------------------------------------------------
    def _can_run(self) -> bool:
        return self.session.audio is not None and not self.host.tasks.busy

    @Slot()
    def show_dialog(self) -> None:
        """Open the (window-modal, non-blocking) dialog; OK transcribes."""
        if not self._can_run():
            return
        if self.dialog is None:
            self.dialog = TranscribeDialog(self.host.widget)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    @Slot()
    def _on_dialog_accepted(self) -> None:
        options = self.dialog.options()
        self.dialog.remember()
        doc = self.session.document
        if doc is not None and doc.tokens:
            # the draft replaces these words: unsaved work is saved or given up first
            self.host.when_saved_or_discarded(lambda: self.start(**options))
        else:
            self.start(**options)

    def start(self, asr: str = "auto", language: str = "auto", events: bool = True) -> None:
        from aligner_core.transcribe import TranscribeRequest

        if not self._can_run() or self.download_dialog is not None:
            return
        if self.offer_model(asr, language, events):
            return  # the transcription starts by itself once the model is in
        audio = self.session.audio
        doc = self.session.document
        name = self.session.audio_path.name if self.session.audio_path is not None else "the audio"
        options = dict(asr=asr, language=language, events=events, profile=self.session.profile.name, name=name, installed=installed_models())
        chosen = self.host.alignment.options
        options["device"] = chosen.device
        # the aligner chosen for the document's language times the draft only when the draft is
        # in that language (the offline aligner chosen for English would fail on a Chinese draft)
        same = language != "auto" and base_language(language) == base_language(self.host.alignment.effective_language)
        if chosen.aligner != "auto" and same:
            options.update(aligner=chosen.aligner, aligner_model=chosen.model or None)
        self._from_nothing = doc is None
        if doc is None:
            request = TranscribeRequest(audio=audio.samples, **options)
        else:
            request = TranscribeRequest.from_document(doc, audio.samples, **options)
        stage = self.tr("Transcribing {0}").format(name)
        self.host.tasks.run(_TranscribeJob(request, stage), stage, self._finished)

    # -- a recogniser's first run ------------------------------------------------------------------
    def offer_model(self, asr: str, language: str, events: bool) -> bool:
        """Offer the download dialog (as Align does) when the recogniser's model is missing; True when open."""
        from aligner_core.transcribe.registry import choose
        from aligner_core.transcribe.types import RecogniserUnavailable, TranscribeError

        try:
            choose(asr, language, None, dict(installed_models()))
            return False
        except RecogniserUnavailable as exc:
            if not exc.model:
                return False  # nothing to download (a package is missing): the task says so
            needed, repo = exc.asr, exc.model
        except TranscribeError:
            return False  # explained by the transcription itself, in the user's language
        from .dialogs.model_download import ModelDownloadDialog

        # the offline choice there is the English aligner, not a recogniser
        self.download_dialog = ModelDownloadDialog(repo, self.host.widget, offline_ok=False, tasks=self.host.tasks)
        self._after_download = (needed, dict(asr=asr, language=language, events=events))
        self.download_dialog.finished.connect(self._on_model_dialog_finished)
        self.download_dialog.open()
        return True

    @Slot(int)
    def _on_model_dialog_finished(self, result: int) -> None:
        dialog, self.download_dialog = self.download_dialog, None
        needed, options = self._after_download
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or not dialog.model_folder:
            return
        settings.set_value(f"transcribe/model/{needed}", dialog.model_folder)
        QTimer.singleShot(0, partial(self.start, **options))

    @Slot(object)
    def _finished(self, result) -> None:
        doc = self.session.document
        if doc is None and self._from_nothing:
            # nothing was open: the draft goes into an empty document, so Undo leaves it empty
            self.session.set_document(Document([], [], self.session.audio.duration_ms if self.session.audio else None, result.document.language))
            doc = self.session.document
        elif doc is None or self._from_nothing or not result.is_current(doc):
            self.host.status(self.tr("The document changed during transcription; the draft was dropped."))
            return
        if self.session.push(result.to_edit(doc), self.tr("Transcribe")):
            s = result.summary
            self.host.status(" ".join([localize(s.line()), *(say(w) for w in s.warnings)]))

    # -- review ------------------------------------------------------------------------------------
    @Slot()
    def accept_words(self) -> None:
        words = selection(self.session.document, self.view).tokens
        drafts = self.session.drafts.between(words.start, words.stop - 1) if words else []
        if drafts and self.session.push(MarkReviewed(drafts), self.tr("Accept words")):
            self.host.status(self.tr("Accepted {0} word(s).").format(len(drafts)))

    @Slot()
    def _recount(self) -> None:
        self._show_hint()
        self._update_actions()

    @Slot(object)
    def _on_changed(self, _changed: Changed) -> None:
        self._recount()  # the session's draft index is already up to date: no scan on a drag

    @property
    def unreviewed(self) -> int:
        return len(self.session.drafts)

    @Slot()
    def _on_audio_changed(self) -> None:
        self._show_hint()
        self._update_actions()

    @Slot()
    def _show_hint(self) -> None:
        doc = self.session.document
        if self.unreviewed:
            self.hint_label.setText(self.tr("%n drafted word(s) to review", "", self.unreviewed))
        elif self.session.audio is not None and (doc is None or not doc.tokens):
            self.hint_label.setText(self.tr("No transcript: File → Transcribe… drafts one"))
        else:
            self.hint_label.setText("")
        self.hint_label.setVisible(bool(self.hint_label.text()))

    @Slot()
    def _update_actions(self) -> None:
        self.transcribe_action.setEnabled(self._can_run())
        words = selection(self.session.document, self.view).tokens
        self.accept_action.setEnabled(bool(words) and self.session.drafts.count_in(words.start, words.stop - 1) > 0)
