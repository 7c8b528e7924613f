"""What the cue table and the word table share: time text, row bookkeeping and selection sync.

Rows mirror a list in ``session.document`` (cues or tokens). After an edit the session reports
a :class:`~aligner_core.edits.Changed` in the new indexing; the model turns it into row
inserts/removes at the end of the changed slice plus ``dataChanged`` for the rest of it, so
the views keep their selection, scroll position and open editors instead of resetting.
"""

from __future__ import annotations

import re

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QTableView

from aligner_core.document import Document

from .look import themed

#: the parent of every row: these models are flat tables
NO_PARENT = QModelIndex()

_TIME_RE = re.compile(r"^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:[.,]\d*)?|[.,]\d+)\s*$")


def format_ms(ms: int | None) -> str:
    """``1:02:03.456`` style (hours always shown: the column width stays the same)."""
    if ms is None:
        return "—"
    s, ms = divmod(int(ms), 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}.{ms:03d}"


def parse_time(text: str) -> int | None:
    """Milliseconds from what a user types: ``0:01:02.345``, ``1:02.3``, ``62.345``, ``62,345``
    (SRT style) or whole seconds; ``None`` when it is not a time."""
    m = _TIME_RE.match(text or "")
    if m is None:
        return None
    a, b, sec = m.groups()
    hours, minutes = (int(a), int(b)) if b is not None else (0, int(a) if a is not None else 0)
    seconds = float(sec.replace(",", "."))
    return round(((hours * 60 + minutes) * 60 + seconds) * 1000)


def tint(name: str, alpha: int = 80) -> QColor:
    """A translucent background from the themed colour ``name`` ("error", "warning"): the row's
    text keeps the palette's colour and stays readable on light and dark palettes alike."""
    color = QColor(themed(name))
    color.setAlpha(alpha)
    return color


class DocumentRowsModel(QAbstractTableModel):
    """Base for a table over one list of the session's document; subclasses say which list."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._rows = 0
        session.document_reset.connect(self._on_reset)
        session.changed.connect(self._on_changed)
        self._on_reset()

    # -- what subclasses provide -------------------------------------------------------------------
    def _items(self, doc: Document) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def _changed_rows(self, changed) -> range:
        """The changed slice of this model's list (new indexing)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _rows_reset(self) -> None:
        """Hook: recompute everything derived (after a reset)."""

    def _rows_moved(self, lo: int, old_hi: int, new_hi: int) -> None:
        """Hook: rows lo..old_hi-1 became lo..new_hi-1 (called between begin/end of the change)."""

    def _rows_refreshed(self, lo: int, hi: int) -> None:
        """Hook: rows lo..hi-1 may show something else now (called before ``dataChanged``)."""

    def headers(self) -> tuple[str, ...]:  # pragma: no cover - abstract
        """The column titles, translated in the subclass's own context."""
        raise NotImplementedError

    # -- Qt API ------------------------------------------------------------------------------------
    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=NO_PARENT) -> int:
        # Qt asks for every index it makes: count the columns once, not by translating the headers
        if parent.isValid():
            return 0
        count = getattr(self, "_column_count", None)
        if count is None:
            count = self._column_count = len(self.headers())
        return count

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    @property
    def document(self) -> Document | None:
        return self.session.document

    def _item(self, row: int):
        doc = self.session.document
        if doc is None:
            return None
        items = self._items(doc)
        # a view may ask for a row that is being removed: the list is already shorter
        return items[row] if 0 <= row < len(items) and row < self._rows else None

    # -- following the session ---------------------------------------------------------------------
    @Slot()
    def _on_reset(self) -> None:
        self.beginResetModel()
        doc = self.session.document
        self._rows = 0 if doc is None else len(self._items(doc))
        self._rows_reset()
        self.endResetModel()

    @Slot(object)
    def _on_changed(self, changed) -> None:
        doc = self.session.document
        if doc is None:
            return
        new_n = len(self._items(doc))
        rows = self._changed_rows(changed)
        delta = new_n - self._rows
        lo, new_hi = rows.start, rows.stop
        old_hi = new_hi - delta
        if old_hi < lo or new_hi > new_n or old_hi > self._rows:
            self._on_reset()  # the edit did not say where rows went: reload all
            return
        if delta < 0:
            self.beginRemoveRows(QModelIndex(), new_hi, old_hi - 1)
            self._rows = new_n
            self._rows_moved(lo, old_hi, new_hi)
            self.endRemoveRows()
        elif delta > 0:
            self.beginInsertRows(QModelIndex(), old_hi, new_hi - 1)
            self._rows = new_n
            self._rows_moved(lo, old_hi, new_hi)
            self.endInsertRows()
        # an empty slice may be a default Changed() that says nothing: refresh the rest
        lo, hi = self._dependent_rows(changed, lo, new_hi if rows else (self._rows if delta else new_hi))
        lo, hi = max(lo, 0), min(hi, self._rows)
        if hi > lo:
            self._rows_refreshed(lo, hi)
            self.dataChanged.emit(self.index(lo, 0), self.index(hi - 1, self.columnCount() - 1))

    def _dependent_rows(self, changed, lo: int, hi: int) -> tuple[int, int]:
        """Hook: widen the rows to refresh (rows whose content depends on changed items)."""
        return lo, hi


class SyncedTableView(QTableView):
    """A table whose selected rows follow ``view`` (the shared selection) and drive it.

    ``_syncing`` is raised while one side updates the other, so a row selected because the
    timeline selected a word does not turn around and select the whole cue.
    """

    #: the column Enter edits (the text)
    text_column = 0

    def __init__(self, model: DocumentRowsModel, view, parent=None):
        super().__init__(parent)
        self.view = view
        self._syncing = False
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # one line of text per row: more rows in sight than the style's roomy default
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(True)
        self.selectionModel().selectionChanged.connect(self._on_rows_selected)
        view.selection_changed.connect(self._follow_view)
        # another document starts at its top, not at the previous one's scroll position
        model.session.document_reset.connect(self.scrollToTop)

    def keyPressEvent(self, event) -> None:
        # Enter edits the current row's text (F2 is the window's word-text action)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            current = self.currentIndex()
            if current.isValid():
                self.edit_text(current.row())
                return
        super().keyPressEvent(event)

    def edit_text(self, row: int) -> None:
        index = self.model().index(row, self.text_column)
        if index.isValid():
            self.setCurrentIndex(index)
            self.edit(index)

    # -- subclasses map rows to the shared selection -----------------------------------------------
    def _select_in_view(self, first_row: int, last_row: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _rows_for_view(self) -> tuple[int, int] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- both directions ---------------------------------------------------------------------------
    @Slot(QItemSelection, QItemSelection)
    def _on_rows_selected(self, _selected, _deselected) -> None:
        if self._syncing:
            return
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        if not rows:
            return
        self._syncing = True
        try:
            self._select_in_view(rows[0], rows[-1])
        finally:
            self._syncing = False

    @Slot()
    def _follow_view(self) -> None:
        if self._syncing:
            return
        rows = self._rows_for_view()
        self.select_rows(rows)

    def select_rows(self, rows: tuple[int, int] | None) -> None:
        """Select rows first..last (or none) without telling ``view``."""
        model, sel = self.model(), self.selectionModel()
        current = sorted({i.row() for i in sel.selectedRows()})
        if rows is None:
            if current:
                self._syncing = True
                try:
                    sel.clearSelection()
                finally:
                    self._syncing = False
            return
        first, last = rows
        if not (0 <= first <= last < model.rowCount()):
            return
        if current and (current[0], current[-1]) == (first, last):
            return
        self._syncing = True
        try:
            selection = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            sel.select(selection, flags)
            sel.setCurrentIndex(model.index(first, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._syncing = False
        self.scrollTo(model.index(first, 0))
