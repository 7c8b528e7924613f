"""The find bar: type to find text in the cues and words; F3 / Shift+F3 walk the matches.

A match is a run of words (see :mod:`aligner_core.find`); finding one selects it in ``view``
and brings it into sight, so the tables and the timeline all show it. The index of the
document's folded text is rebuilt only when the document's revision changed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from aligner_core.find import SearchIndex

from .look import themed
from .selection import select_words, selection


class FindBar(QWidget):
    def __init__(self, session, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("find-bar")
        self.session = session
        self.view = view
        self._index: SearchIndex | None = None
        self._index_doc = None

        self.field = QLineEdit()
        self.field.setObjectName("find-field")
        self.field.setPlaceholderText(self.tr("Find in cues and words"))
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(self._on_text_edited)
        self.field.returnPressed.connect(self.find_next)
        self.field.installEventFilter(self)
        previous = QToolButton()
        previous.setText(self.tr("Previous"))
        previous.setArrowType(Qt.ArrowType.UpArrow)
        previous.setToolTip(self.tr("Previous match (Shift+F3)"))
        previous.clicked.connect(self.find_previous)
        following = QToolButton()
        following.setText(self.tr("Next"))
        following.setArrowType(Qt.ArrowType.DownArrow)
        following.setToolTip(self.tr("Next match (F3)"))
        following.clicked.connect(self.find_next)
        close = QToolButton()
        close.setText(self.tr("Close"))
        close.setToolTip(self.tr("Close the find bar (Esc)"))
        close.clicked.connect(self.close_bar)
        self.status = QLabel()
        self.status.setObjectName("find-status")
        self.status.setMinimumWidth(120)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel(self.tr("Find:")))
        layout.addWidget(self.field, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.status)
        layout.addWidget(close)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.hide()

    def install_actions(self, window) -> None:
        window.add_action("edit.find", self.tr("&Find…"), self.open_bar, "edit")
        window.add_action("edit.find_next", self.tr("Find &next"), self.find_next, "edit")
        window.add_action("edit.find_previous", self.tr("Find pre&vious"), self.find_previous, "edit")

    # -- showing -------------------------------------------------------------------------------------
    @Slot()
    def open_bar(self) -> None:
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self.status.clear()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.field and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            shifted = key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and shifted:
                self.find_previous()
                return True
        return super().eventFilter(obj, event)

    # -- finding -------------------------------------------------------------------------------------
    def matches(self) -> list[tuple[int, int]]:
        doc = self.session.document
        if doc is None:
            return []
        if self._index is None or self._index_doc is not doc or self._index.revision != doc.revision:
            self._index = SearchIndex(doc)
            self._index_doc = doc
        return self._index.matches(self.field.text())

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        # as the user types, stay on the match at the selection if it still matches
        self._go(+1, inclusive=True)

    @Slot()
    def find_next(self) -> None:
        self._go(+1)

    @Slot()
    def find_previous(self) -> None:
        self._go(-1)

    def _go(self, step: int, *, inclusive: bool = False) -> None:
        if not self.field.text().strip():
            self.status.clear()
            self.open_bar()  # F3 with nothing to find: ask what to find
            return
        found = self.matches()
        if not found:
            self.status.setText(self.tr("No match"))
            self.status.setStyleSheet(f"color: {themed('error').name()}")
            return
        self.status.setStyleSheet("")
        here = selection(self.session.document, self.view).bounds
        at = here[0] if here is not None else None
        # from a selection that is not a match (a cue, a word), a match starting there is next
        inclusive = inclusive or here not in found
        wrapped = False
        if at is None:
            k = 0 if step > 0 else len(found) - 1
        elif step > 0:
            k = next((i for i, m in enumerate(found) if m[0] > at or (inclusive and m[0] == at)), None)
            if k is None:
                k, wrapped = 0, True
        else:
            k = next((i for i in range(len(found) - 1, -1, -1) if found[i][0] < at), None)
            if k is None:
                k, wrapped = len(found) - 1, True
        first, last = found[k]
        self._select(first, last)
        text = self.tr("{0} of {1}").format(k + 1, len(found))
        if wrapped:
            text = self.tr("{0} of {1} (wrapped)").format(k + 1, len(found))
        self.status.setText(text)

    def _select(self, first: int, last: int) -> None:
        select_words(self.session.document, self.view, first, last)
