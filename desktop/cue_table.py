"""The cue table: one row per subtitle, with its times, reading speed and rule violations.

Editing never touches the document directly: text goes through
:func:`aligner_core.retext.retext` and Start/End through ``MoveCueEdge``, each pushed as one
undo step; a text edit then asks for the changed words to be re-aligned
(``session.realign_requested``). Violations of the session's cue profile are checked per row
and rechecked only for the rows an edit touched (and their neighbours, for the gap rule), when
they are next shown.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Slot
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit, QStyledItemDelegate

from aligner_core.cues import Rule, check_cue, display_len
from aligner_core.edits import EditError, MoveCueEdge
from aligner_core.retext import retext
from aligner_core.transcribe.events import is_sound_cue

from .messages import core_message, localize
from .selection import selection
from .table_base import (
    DocumentRowsModel,
    SyncedTableView,
    format_ms,
    parse_time,
    tint,
)

NUMBER, START, END, DURATION, CPS, EMOTION, LANGUAGE, TEXT = range(8)
#: shown only while some cue has a recogniser's emotion or language (most documents have none)
ATTR_COLUMNS = {EMOTION: "emotion", LANGUAGE: "language"}
#: what a line break looks like in the one-line Text column (the editor shows real lines)
LINE_MARK = " ⏎ "

#: tinted "error" (the rest "warning"): the cue is broken, not just hard to read
_SERIOUS_RULES = {Rule.OVERLAP, Rule.EMPTY, Rule.UNALIGNED}
#: which column shows a broken rule (the # column shows every one)
_RULE_COLUMN = {
    Rule.EMPTY: TEXT, Rule.LINES: TEXT, Rule.LINE_LENGTH: TEXT, Rule.UNALIGNED: START,
    Rule.TOO_SHORT: DURATION, Rule.TOO_LONG: DURATION, Rule.CPS: CPS, Rule.GAP: START, Rule.OVERLAP: START,
}


class CueTableModel(DocumentRowsModel):
    def __init__(self, session, parent=None):
        self._violations: list[list | None] = []
        super().__init__(session, parent)
        session.profile_changed.connect(self._on_profile_changed)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("#"), self.tr("Start"), self.tr("End"), self.tr("Duration"), self.tr("CPS"),
                self.tr("Emotion"), self.tr("Language"), self.tr("Text"))

    def emotion_name(self, code: str) -> str:
        """A recogniser's emotion code ("HAPPY") in the interface language; unknown codes as they are."""
        names = {
            "HAPPY": self.tr("Happy"), "SAD": self.tr("Sad"), "ANGRY": self.tr("Angry"),
            "FEARFUL": self.tr("Fearful"), "DISGUSTED": self.tr("Disgusted"),
            "SURPRISED": self.tr("Surprised"), "NEUTRAL": self.tr("Neutral"),
        }
        return names.get(code, code)

    def has_attr(self, column: int, rows: range | None = None) -> bool:
        """Whether some cue (of ``rows``, else all) has the attribute column ``column`` shows."""
        doc = self.session.document
        if doc is None:
            return False
        cues = doc.cues if rows is None else doc.cues[rows.start:rows.stop]
        return any(getattr(c, ATTR_COLUMNS[column], None) for c in cues)

    # -- rows ----------------------------------------------------------------------------------------
    def _items(self, doc):
        return doc.cues

    def _changed_rows(self, changed) -> range:
        return changed.cues

    def _dependent_rows(self, changed, lo: int, hi: int) -> tuple[int, int]:
        doc = self.session.document
        if changed.tokens and doc is not None and doc.cues:
            # a cue shows its words' text and times: the cues over the changed words changed too
            firsts = [c.first for c in doc.cues]
            a = max(bisect.bisect_right(firsts, changed.tokens.start) - 1, 0)
            b = bisect.bisect_right(firsts, changed.tokens.stop - 1)
            lo, hi = (a, b) if hi <= lo else (min(lo, a), max(hi, b))
        if hi <= lo:
            return lo, hi
        return lo - 1, hi + 1  # the gap rule looks at the previous cue's end

    # Violations are checked when a row is first shown after a change, not when it changes:
    # re-aligning 30,000 words then costs only the rows in sight. ``None`` marks a stale row.
    def _rows_reset(self) -> None:
        self._violations = [None] * self._rows

    def _rows_moved(self, lo: int, old_hi: int, new_hi: int) -> None:
        self._violations[lo:old_hi] = [None] * (new_hi - lo)

    def _rows_refreshed(self, lo: int, hi: int) -> None:
        self._violations[lo:hi] = [None] * (hi - lo)

    @Slot()
    def _on_profile_changed(self) -> None:
        self._rows_reset()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, TEXT))

    def violations(self, row: int) -> list:
        """The cue profile's rules that cue ``row`` breaks (checked now if the row is stale)."""
        doc = self.session.document
        if doc is None or not 0 <= row < min(self._rows, len(doc.cues)):
            return []
        found = self._violations[row]
        if found is None:
            found = self._violations[row] = check_cue(doc, row, self.session.profile)
        return list(found)

    # -- Qt API --------------------------------------------------------------------------------------
    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and index.column() in (START, END, TEXT):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        cue = self._item(index.row()) if index.isValid() else None
        if cue is None:
            return None
        doc, col, row = self.session.document, index.column(), index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(doc, row, cue, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == TEXT:
                return doc.cue_text(cue)
            if col in (START, END):
                return format_ms(doc.cue_times(cue)[0 if col == START else 1])
            return self._display(doc, row, cue, col)
        if role == Qt.ItemDataRole.FontRole:
            # a sound cue ("[music]") reads as a description, not as speech: italic, as SDH writes it
            if is_sound_cue(doc, cue):
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col not in (TEXT, EMOTION, LANGUAGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            rules = [v.rule for v in self.violations(row) if col == NUMBER or _RULE_COLUMN.get(v.rule) == col]
            if rules:
                return tint("error") if any(r in _SERIOUS_RULES for r in rules) else tint("warning")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.describe(v) for v in self.violations(row)]
            if col == TEXT:
                lines.insert(0, doc.cue_text(cue))
                if is_sound_cue(doc, cue):
                    lines.insert(1, self.tr("A sound, not speech: it keeps its own times."))
            return "\n".join(lines) or None
        return None

    def _display(self, doc, row, cue, col):
        if col == NUMBER:
            return str(row + 1)
        if col == TEXT:
            return LINE_MARK.join(doc.cue_lines(cue))
        if col == EMOTION:
            return self.emotion_name(cue.emotion) if cue.emotion else ""
        if col == LANGUAGE:
            return cue.language or ""
        start, end = doc.cue_times(cue)
        if col == START:
            return format_ms(start)
        if col == END:
            return format_ms(end)
        if start is None or end is None:
            return ""
        dur = end - start
        if col == DURATION:
            return f"{dur / 1000:.3f}"
        chars = sum(display_len(line) for line in doc.cue_lines(cue))
        return f"{chars * 1000 / dur:.1f}" if dur > 0 else "∞"

    def describe(self, v) -> str:
        """A violation as a sentence in the interface language (the core's words, translated)."""
        return self.tr("{0}.").format(localize(v.reason))

    # -- edits: pushed, never applied here -----------------------------------------------------------
    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        cue = self._item(index.row()) if index.isValid() else None
        if cue is None or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() == TEXT:
            return self.set_text(index.row(), str(value))
        if index.column() in (START, END):
            return self.set_time(index.row(), "start" if index.column() == START else "end", str(value))
        return False

    def set_text(self, row: int, text: str) -> bool:
        """New text for cue ``row`` as one undo step; the changed words are then re-aligned."""
        doc = self.session.document
        cue = doc.cues[row]
        try:
            edit, span = retext(doc, cue.first, cue.last, text)
        except EditError as exc:
            self.session.refused.emit(core_message(exc))
            return False
        if edit.noop:
            return False
        return self.session.push_text_edit(edit, self.tr("Edit cue {0} text").format(row + 1), span)

    def set_time(self, row: int, side: str, text: str) -> bool:
        ms = parse_time(text)
        if ms is None:
            self.session.refused.emit(self.tr("“{0}” is not a time (for example 0:01:02.345 or 62.3).").format(text.strip()))
            return False
        if self.session.document.cue_times(self.session.document.cues[row])[0 if side == "start" else 1] == ms:
            return False
        label = self.tr("Move cue {0} start") if side == "start" else self.tr("Move cue {0} end")
        return self.session.push(MoveCueEdge(row, side, ms), label.format(row + 1))


class CueTextDelegate(QStyledItemDelegate):
    """Edits a cue's text on real lines: Enter commits, Shift+Enter starts a new line."""

    def createEditor(self, parent, option, index):
        if index.column() != TEXT:
            return super().createEditor(parent, option, index)
        editor = QPlainTextEdit(parent)
        editor.setObjectName("cue-text-editor")
        editor.setTabChangesFocus(True)
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor, index):
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor, option, index):
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):
            lines = max(2, editor.toPlainText().count("\n") + 1)
            rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * (lines + 1) + 8))
        editor.setGeometry(rect)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(obj, QPlainTextEdit) and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    obj.insertPlainText("\n")
                else:
                    self.commitData.emit(obj)
                    self.closeEditor.emit(obj, QStyledItemDelegate.EndEditHint.NoHint)
                return True
        return super().eventFilter(obj, event)


class CueTableView(SyncedTableView):
    """Selecting rows selects their cues' words in ``view`` and brings them into sight."""

    text_column = TEXT

    def __init__(self, model: CueTableModel, view, parent=None):
        super().__init__(model, view, parent)
        self.setObjectName("cue-table")
        self.setItemDelegate(CueTextDelegate(self))
        # a double click edits the text, or the time it was on
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.doubleClicked.connect(self._on_double_clicked)
        for col, width in ((NUMBER, 44), (START, 100), (END, 100), (DURATION, 70), (CPS, 56), (EMOTION, 80), (LANGUAGE, 64)):
            self.setColumnWidth(col, width)
        model.modelReset.connect(self._show_attr_columns)
        model.dataChanged.connect(self._reveal_attr_columns)
        self._show_attr_columns()

    @Slot()
    def _show_attr_columns(self) -> None:
        model = self.model()
        for col in ATTR_COLUMNS:
            self.setColumnHidden(col, not model.has_attr(col))

    @Slot(QModelIndex, QModelIndex)
    def _reveal_attr_columns(self, top: QModelIndex, bottom: QModelIndex) -> None:
        # only the changed rows are looked at (no document scan per edit); a column that lost its
        # last value stays until the next document
        rows = range(top.row(), bottom.row() + 1)
        model = self.model()
        for col in ATTR_COLUMNS:
            if self.isColumnHidden(col) and model.has_attr(col, rows):
                self.setColumnHidden(col, False)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.column() in (START, END):
            self.edit(index)
        else:
            self.edit_text(index.row())

    def _select_in_view(self, first_row: int, last_row: int) -> None:
        doc = self.model().document
        if doc is None:
            return
        a, b = doc.cues[first_row], doc.cues[last_row]
        self.view.select(cue=first_row, tokens=(a.first, b.last))
        start, end = doc.cue_times(a)[0], doc.cue_times(b)[1]
        if start is not None and end is not None:
            self.view.reveal(start, end)

    def _rows_for_view(self) -> tuple[int, int] | None:
        cues = selection(self.model().document, self.view).cues
        return (cues.start, cues.stop - 1) if cues else None
