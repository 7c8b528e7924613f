"""The word table: one row per token with its times, confidence, warnings and lock.

Typing a word's text pushes :func:`aligner_core.retext.retext` over that one word (several
words typed split it; nothing typed deletes it) and asks for it to be re-aligned; the Locked
check box pushes ``SetLocked``. Rows the core's review policy marks are tinted
(:func:`aligner_core.review.mark`), so they stand out while scrolling.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView

from aligner_core.document import Flag
from aligner_core.edits import EditError, SetLocked
from aligner_core.retext import retext
from aligner_core.review import Mark, mark, review_reasons

from .look import themed
from .messages import core_message
from .selection import select_words, selection
from .table_base import DocumentRowsModel, SyncedTableView, format_ms, tint

WORD, START, END, CONFIDENCE, FLAGS, LOCKED = range(6)

_EDITED = QColor(60, 120, 220, 60)  # text changed since the last alignment: translucent blue reads on any palette


def flag_names(flags: int) -> list[str]:
    """Translated names of a token's warning flags (or of the core's review reasons)."""
    names = {
        Flag.LOW_CONFIDENCE: QCoreApplication.translate("WordTable", "low confidence"),
        Flag.ZERO_DURATION: QCoreApplication.translate("WordTable", "zero length"),
        Flag.EQUAL_STARTS: QCoreApplication.translate("WordTable", "same start as a neighbour"),
        Flag.INTERPOLATED: QCoreApplication.translate("WordTable", "interpolated"),
        Flag.CLAMPED: QCoreApplication.translate("WordTable", "clamped"),
        Flag.NOT_FOUND: QCoreApplication.translate("WordTable", "not found"),
        Flag.GUESSED_PRONUNCIATION: QCoreApplication.translate("WordTable", "guessed pronunciation"),
        Flag.COLLAPSED: QCoreApplication.translate("WordTable", "collapsed"),
        Flag.EDITED: QCoreApplication.translate("WordTable", "edited"),
        Flag.DRAFT: QCoreApplication.translate("WordTable", "draft, not reviewed"),
    }
    return [name for flag, name in names.items() if flags & flag]


class WordTableModel(DocumentRowsModel):
    #: is a word's text misspelt (desktop/spell_check.py sets it once a dictionary is loaded)
    spelling: Callable[[str], bool] | None = None

    def set_spelling(self, misspelt: Callable[[str], bool] | None) -> None:
        self.spelling = misspelt
        if self.rowCount():
            self.dataChanged.emit(self.index(0, WORD), self.index(self.rowCount() - 1, WORD))

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Word"), self.tr("Start"), self.tr("End"), self.tr("Confidence"), self.tr("Flags"), self.tr("Locked"))

    def _items(self, doc):
        return doc.tokens

    def _changed_rows(self, changed) -> range:
        return changed.tokens

    def flags(self, index):
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == WORD:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == LOCKED:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        tok = self._item(index.row()) if index.isValid() else None
        if tok is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == WORD:
                return tok.text
            if col == START:
                return format_ms(tok.start)
            if col == END:
                return format_ms(tok.end)
            if col == CONFIDENCE:
                return "" if tok.confidence is None else f"{tok.confidence:.2f}"
            if col == FLAGS:
                return ", ".join(flag_names(review_reasons(tok)))
            return None
        if role == Qt.ItemDataRole.FontRole and col == WORD and self.spelling is not None and self.spelling(tok.text):
            font = QFont()
            font.setUnderline(True)  # misspelt: underlined and in the error colour, like a word processor
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == WORD and self.spelling is not None and self.spelling(tok.text):
            return themed("error")
        if role == Qt.ItemDataRole.CheckStateRole and col == LOCKED:
            return Qt.CheckState.Checked if tok.locked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            level = mark(tok)
            if level is Mark.MISSING:
                return tint("error")
            if level in (Mark.LOW, Mark.FLAGGED):
                return tint("warning")
            return _EDITED if level is Mark.EDITED else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (START, END, CONFIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(flag_names(review_reasons(tok))) or None
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        tok = self._item(index.row()) if index.isValid() else None
        if tok is None:
            return False
        if index.column() == WORD and role == Qt.ItemDataRole.EditRole:
            return self.set_text(index.row(), str(value))
        if index.column() == LOCKED and role == Qt.ItemDataRole.CheckStateRole:
            locked = Qt.CheckState(value) == Qt.CheckState.Checked
            if locked == tok.locked:
                return False
            text = self.tr("Lock word") if locked else self.tr("Unlock word")
            return self.session.push(SetLocked([index.row()], locked), text)
        return False

    def set_text(self, row: int, text: str) -> bool:
        """New text for word ``row`` (one undo step), then ask for it to be re-aligned."""
        doc = self.session.document
        try:
            edit, span = retext(doc, row, row, text)
        except EditError as exc:
            self.session.refused.emit(core_message(exc))
            return False
        if edit.noop:
            return False
        return self.session.push_text_edit(edit, self.tr("Edit word {0}").format(row + 1), span)


class WordTableView(SyncedTableView):
    """Selecting rows selects those words in ``view`` (and their cue when they share one)."""

    def __init__(self, model: WordTableModel, view, parent=None):
        super().__init__(model, view, parent)
        self.setObjectName("word-table")
        for col, width in ((WORD, 140), (START, 100), (END, 100), (CONFIDENCE, 80), (LOCKED, 60)):
            self.setColumnWidth(col, width)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(FLAGS, QHeaderView.ResizeMode.Stretch)

    def _select_in_view(self, first_row: int, last_row: int) -> None:
        doc = self.model().document
        if doc is not None:
            select_words(doc, self.view, first_row, last_row)

    def _rows_for_view(self) -> tuple[int, int] | None:
        return selection(self.model().document, self.view).bounds
