"""Word editing: insert and delete words, cut/copy/paste words and cues through the clipboard.

Each action is one core edit pushed as one undo step. What new words' times are (the gap rule),
what a pasted word keeps and how a clip is checked are the core's (aligner_core.word_insert,
aligner_core.clipboard); this component only reads the selection, the playhead and the
clipboard, and says what happened in one sentence.

Copy puts two forms on the system clipboard: the words as JSON under a private MIME type
(never pickle) and their plain text for other programs. Paste prefers the JSON; plain text from
another program is pasted as new words, like typed ones. A selection that is exactly whole cues
(a cue clicked in the cue table) is copied with its cues and pasted as cues of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMimeData, QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit

from aligner_core.clipboard import MIME_TYPE, ClipboardError, copy_clip, parse_payload, plain_text, to_json
from aligner_core.edits import DeleteTokens, EditError
from aligner_core.word_insert import insert_index_at, insert_words_edit, paste_edit

from .messages import core_message
from .selection import selection


def keep_plain_text_only() -> None:
    """Put Qt's own copy of the text on the clipboard in place of our QMimeData (see the caller)."""
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(MIME_TYPE):
        clipboard.setText(data.text())


class WordEditingController(QObject):
    """Edit → Insert word before/after, Delete words, Cut, Copy, Paste."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        self.view = host.view
        self.insert_dialog: QInputDialog | None = None
        self._insert_at: int | None = None
        self._insert_after = False

        add, menu = host.add_action, "edit"
        host.menus[menu].addSeparator()
        self.insert_before_action = add("edit.insert_word_before", self.tr("Insert word &before…"), self.insert_before, menu)
        self.insert_after_action = add("edit.insert_word_after", self.tr("&Insert word after…"), self.insert_after, menu)
        self.delete_action = add("edit.delete_words", self.tr("&Delete words"), self.delete_words, menu)
        self.cut_action = add("edit.cut", self.tr("Cu&t"), self.cut, menu)
        self.copy_action = add("edit.copy", self.tr("&Copy"), self.copy, menu)
        self.paste_action = add("edit.paste", self.tr("&Paste"), self.paste, menu)

        # PySide6 6.11 crashes at exit while the clipboard holds a QMimeData made in Python: as
        # the window goes (or the application quits) the clipboard keeps the plain text only
        host.widget.destroyed.connect(keep_plain_text_only)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(keep_plain_text_only)

        self.session.document_reset.connect(self._update_actions)
        self.session.changed.connect(self._on_changed)
        self.view.selection_changed.connect(self._update_actions)
        host.actions_changed.connect(self._update_actions)
        self._update_actions()

    # -- what is selected --------------------------------------------------------------------------
    def _words(self) -> range:
        return selection(self.session.document, self.view).tokens

    def _whole_cues(self) -> range:
        """The selected cues when the selection is exactly their words, else nothing."""
        doc = self.session.document
        sel = selection(doc, self.view)
        if not sel.tokens or not sel.cues:
            return range(0)
        first, last = doc.cues[sel.cues.start], doc.cues[sel.cues[-1]]
        return sel.cues if (first.first, last.last) == (sel.tokens.start, sel.tokens[-1]) else range(0)

    # -- insert ------------------------------------------------------------------------------------
    @Slot()
    def insert_before(self) -> None:
        words = self._words()
        self._ask_insert(words.start if words else self._playhead_index(), after=False)

    @Slot()
    def insert_after(self) -> None:
        words = self._words()
        self._ask_insert(words.stop if words else self._playhead_index(), after=bool(words))

    def _playhead_index(self) -> int:
        return insert_index_at(self.session.document, self.view.playhead_ms)

    def _ask_insert(self, index: int, *, after: bool) -> None:
        if self.session.document is None:
            return
        self._insert_at, self._insert_after = index, after
        if self.insert_dialog is None:
            self.insert_dialog = QInputDialog(self.host.widget)
            self.insert_dialog.setObjectName("insert-word-dialog")
            self.insert_dialog.setInputMode(QInputDialog.InputMode.TextInput)
            self.insert_dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
            self.insert_dialog.setWindowTitle(self.tr("Insert words"))
            self.insert_dialog.textValueSelected.connect(self._on_insert_text)
        if index < len(self.session.document.tokens):
            self.insert_dialog.setLabelText(self.tr("Words to insert before word {0}:").format(index + 1))
        else:
            self.insert_dialog.setLabelText(self.tr("Words to insert at the end:"))
        self.insert_dialog.setTextValue("")
        self.insert_dialog.open()

    @Slot(str)
    def _on_insert_text(self, text: str) -> None:
        if self._insert_at is not None:
            self.insert_words(self._insert_at, text, after=self._insert_after)

    def insert_words(self, index: int, text: str, *, after: bool = False) -> bool:
        """Insert the words of ``text`` before word ``index`` as one undo step and select them
        (``after``: they follow word ``index - 1`` and join its cue)."""
        doc = self.session.document
        if doc is None or not 0 <= index <= len(doc.tokens):
            return False
        planned = insert_words_edit(doc, index, text, after=after)
        if planned is None:
            self.host.status(self.tr("There are no words to insert."))
            return False
        edit, where = planned
        if not self.session.push(edit, self.tr("Insert words")):
            return False
        self.view.select(tokens=(where.start, where.stop - 1))
        timed = doc.tokens[where.start].aligned
        self.host.status(
            self.tr("{0} words inserted in the gap; re-align to measure them.").format(len(where)) if timed
            else self.tr("{0} words inserted without times; re-align to place them.").format(len(where))
        )
        return True

    # -- delete ------------------------------------------------------------------------------------
    @Slot()
    def delete_words(self) -> bool:
        """Delete the selected words (cues left empty go with them) as one undo step."""
        return self._delete(self.tr("Delete words"), self.tr("{0} words deleted."))

    def _delete(self, label: str, said: str) -> bool:
        words = self._words()
        if not words:
            return False
        ok = self.session.push(DeleteTokens(words.start, len(words)), label)
        if ok:
            self.view.clear()
            self.host.status(said.format(len(words)))
        return ok

    # -- clipboard ---------------------------------------------------------------------------------
    @Slot()
    def copy(self) -> bool:
        doc = self.session.document
        words = self._words()
        if doc is None or not words:
            return False
        cues = self._whole_cues()
        data = QMimeData()
        data.setData(MIME_TYPE, to_json(copy_clip(doc, words.start, words[-1], cues)).encode("utf-8"))
        data.setText(plain_text(doc, words.start, words[-1], cues))
        QGuiApplication.clipboard().setMimeData(data)
        if cues:
            self.host.status(self.tr("{0} cues copied.").format(len(cues)))
        else:
            self.host.status(self.tr("{0} words copied.").format(len(words)))
        return True

    @Slot()
    def cut(self) -> bool:
        # the words went to the clipboard: the undo step and the status bar say Cut, not Delete
        return self.copy() and self._delete(self.tr("Cut words"), self.tr("{0} words cut."))

    @Slot()
    def paste(self) -> bool:
        """Paste after the selection (its earliest time at the end of the selected words), or at
        the playhead when nothing is selected."""
        doc = self.session.document
        if doc is None:
            return False
        data = QGuiApplication.clipboard().mimeData()
        words = self._words()
        if words:
            index = words.stop
            last = doc.tokens[words[-1]]
            anchor = last.end if last.aligned else None
        else:
            index, anchor = self._playhead_index(), self.view.playhead_ms
        if data is not None and data.hasFormat(MIME_TYPE):
            try:
                clip = parse_payload(bytes(data.data(MIME_TYPE)))
            except ClipboardError as exc:
                self.host.status(core_message(exc))
                return False
            try:
                edit, where, timed = paste_edit(doc, clip, index, anchor, after=bool(words))
            except EditError as exc:
                self.host.status(core_message(exc))
                return False
            if not self.session.push(edit, self.tr("Paste")):
                return False
            self.view.select(tokens=(where.start, where.stop - 1))
            self.host.status(
                self.tr("{0} words pasted with their times.").format(len(where)) if timed
                else self.tr("{0} words pasted without times (they do not fit there); re-align to place them.").format(len(where))
            )
            return True
        text = data.text() if data is not None and data.hasText() else ""
        if not text.strip():
            self.host.status(self.tr("The clipboard holds no words to paste."))
            return False
        return self.insert_words(index, text, after=bool(words))

    # -- state -------------------------------------------------------------------------------------
    @Slot(object)
    def _on_changed(self, _changed) -> None:
        self._update_actions()

    @Slot()
    def _update_actions(self) -> None:
        has_doc = self.session.document is not None
        has_words = bool(self._words()) if has_doc else False
        for action in (self.delete_action, self.cut_action, self.copy_action):
            action.setEnabled(has_words)
        for action in (self.insert_before_action, self.insert_after_action, self.paste_action):
            action.setEnabled(has_doc)
