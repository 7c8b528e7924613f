"""Opening an audio file on its own while a timed document is open.

The words and times belong to the recording they were aligned to; drawn over another one they
would look right and be wrong. So the open work is saved or given up first (the window's usual
save prompt), then the user says whether the new recording starts a fresh document or keeps the
transcript (its words and cues, with the old times removed, ready to align), and the status bar
says which happened.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from aligner_core.document import Cue, Document


def untimed(doc: Document) -> Document:
    """The document's words and cues without times, flags, confidences or locks (for new audio)."""
    tokens = [replace(t, start=None, end=None, confidence=None, flags=0, locked=False) for t in doc.tokens]
    # a cue's look (alignment, position, style) is the user's layout, not the old recording's: it stays
    cues = [Cue(c.first, c.last, None, None, c.line_starts, align=c.align, pos=c.pos, style=c.style) for c in doc.cues]
    return Document(tokens, cues, None, doc.language)


class AudioOpener(QObject):
    """Asks what a newly opened recording does to the open document, then opens it."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        self.question: QMessageBox | None = None
        self._path: Path | None = None
        self.new_button: QAbstractButton | None = None
        self.keep_button: QAbstractButton | None = None

    def needs_question(self) -> bool:
        """Only a document timed to other audio is in the way (a transcript waiting for its
        audio, or timed subtitles opened without any, simply get the recording)."""
        return self.session.audio is not None and self.session.timed_until_ms() > 0

    def open(self, path: Path) -> None:
        """Save or discard the open work, then ask what to keep, then open ``path``."""
        self.host.when_saved_or_discarded(lambda: self.ask(Path(path)))

    def ask(self, path: Path) -> None:
        if self.question is not None:
            self.question.deleteLater()
        self._path = path
        box = QMessageBox(self.host.widget)
        box.setObjectName("new-audio-prompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Wordsync"))
        box.setText(self.tr("Open {0} as a new document?").format(path.name))
        box.setInformativeText(self.tr(
            "The open words are timed to {0}. Keep the transcript to align it to the new recording "
            "(its times are removed), or start a new document."
        ).format(self.session.audio_path.name if self.session.audio_path is not None else self.tr("other audio")))
        self.new_button = box.addButton(self.tr("&New document"), QMessageBox.ButtonRole.AcceptRole)
        self.keep_button = box.addButton(self.tr("&Keep the transcript"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(self.new_button)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(self._answered)
        self.question = box
        box.open()

    @Slot(QAbstractButton)
    def _answered(self, button: QAbstractButton) -> None:
        box, path, self.question = self.question, self._path, None
        if box is None or path is None:
            return
        box.deleteLater()
        if button is self.keep_button:
            prepare = self._keep_transcript
            note = self.tr("The transcript was kept without its times: align it to this recording.")
        elif button is self.new_button:
            prepare = self._new_document
            note = self.tr("A new document: open its transcript.")
        else:
            return
        # the document changes once the recording decoded: a file that fails to open loses nothing
        self.host.load_audio(path, note, prepare)

    def _keep_transcript(self) -> None:
        s = self.session
        doc = untimed(s.document) if s.document is not None else None
        s.project_path = None
        s.set_audio(None, None)  # else the old audio's length would be taken for the document's
        s.set_document(doc, clean=False)  # not saved anywhere yet

    def _new_document(self) -> None:
        s = self.session
        s.transcript_path = None
        s.project_path = None
        s.set_audio(None, None)
        s.set_document(None)
