"""The find bar: type to find text in the cues and words; F3 / Shift+F3 walk the matches.

A match is a run of words (see :mod:`aligner_core.find`); finding one selects it in ``view``
and brings it into sight, so the tables and the timeline all show it. The index of the
document's folded text is rebuilt only when the document's revision changed.

Replace (Ctrl+H) opens a second row: Replace changes the selected match and finds the next,
Replace all changes every match as one undo step. With an option ticked (regular expression,
match case, whole words, in selection) matching is the core's :mod:`aligner_core.replace`
(Python ``re``, on the words' surface text); a bad pattern is one sentence in the bar. "In
selection" keeps the words selected when it was ticked, since finding moves the selection.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from aligner_core.find import SearchIndex
from aligner_core.replace import ReplaceError, ReplaceQuery, find_groups, plan_replace, replace_all

from .look import themed
from .messages import core_message
from .selection import select_words, selection


class FindBar(QWidget):
    def __init__(self, session, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("find-bar")
        self.session = session
        self.view = view
        self._index: SearchIndex | None = None
        self._index_doc = None
        #: the words "In selection" keeps to (first, last), taken when it was ticked
        self._within: tuple[int, int] | None = None
        self._host = None  # the window, once install_actions gave it

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

        self.regex_box = QCheckBox(self.tr("Regex"))
        self.regex_box.setToolTip(self.tr("Find with a Python regular expression; \\1 in the replacement is its first group"))
        self.case_box = QCheckBox(self.tr("Match case"))
        self.whole_box = QCheckBox(self.tr("Whole words"))
        self.within_box = QCheckBox(self.tr("In selection"))
        self.within_box.setToolTip(self.tr("Find and replace only in the words selected when this was ticked"))
        for box in (self.regex_box, self.case_box, self.whole_box):
            box.toggled.connect(self._on_options_changed)
        self.within_box.toggled.connect(self._on_within_toggled)

        self.replace_field = QLineEdit()
        self.replace_field.setObjectName("replace-field")
        self.replace_field.setPlaceholderText(self.tr("Replace with"))
        self.replace_field.returnPressed.connect(self.replace_one)
        self.replace_button = QToolButton()
        self.replace_button.setText(self.tr("Replace"))
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button = QToolButton()
        self.replace_all_button.setText(self.tr("Replace all"))
        self.replace_all_button.clicked.connect(self.replace_all)
        self.replace_row = QWidget()
        row2 = QHBoxLayout(self.replace_row)
        row2.setContentsMargins(0, 0, 0, 0)
        row2.addWidget(QLabel(self.tr("Replace:")))
        row2.addWidget(self.replace_field, 1)
        row2.addWidget(self.replace_button)
        row2.addWidget(self.replace_all_button)
        self.replace_row.hide()

        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.addWidget(QLabel(self.tr("Find:")))
        row1.addWidget(self.field, 1)
        row1.addWidget(previous)
        row1.addWidget(following)
        for box in (self.regex_box, self.case_box, self.whole_box, self.within_box):
            row1.addWidget(box)
        row1.addWidget(self.status)
        row1.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(row1)
        layout.addWidget(self.replace_row)
        # Tab from what to find goes to what to put instead (the hidden row is skipped), then the
        # buttons and options: through the seven controls of the first row it was a long way round
        order = (self.field, self.replace_field, self.replace_button, self.replace_all_button, previous, following,
                 self.regex_box, self.case_box, self.whole_box, self.within_box, close)
        for before, after in zip(order, order[1:]):
            QWidget.setTabOrder(before, after)
        session.document_reset.connect(self._forget_within)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.hide()

    def install_actions(self, window) -> None:
        self._host = window  # Replace all is an edit: its count goes to the status bar too
        window.add_action("edit.find", self.tr("&Find…"), self.open_bar, "edit")
        window.add_action("edit.find_next", self.tr("Find &next"), self.find_next, "edit")
        window.add_action("edit.find_previous", self.tr("Find pre&vious"), self.find_previous, "edit")
        window.add_action("edit.replace", self.tr("R&eplace…"), self.open_replace, "edit")

    # -- showing -------------------------------------------------------------------------------------
    @Slot()
    def open_bar(self) -> None:
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    @Slot()
    def open_replace(self) -> None:
        self.replace_row.show()
        self.open_bar()
        if self.field.text():
            self.replace_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.replace_field.selectAll()

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self.replace_row.hide()
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
    def query(self) -> ReplaceQuery:
        return ReplaceQuery(self.field.text(), self.replace_field.text(), self.regex_box.isChecked(),
                            self.case_box.isChecked(), self.whole_box.isChecked())

    def _uses_core_matching(self) -> bool:
        return any(b.isChecked() for b in (self.regex_box, self.case_box, self.whole_box, self.within_box))

    def matches(self) -> list[tuple[int, int]]:
        doc = self.session.document
        if doc is None:
            return []
        if self._uses_core_matching():
            # raises ReplaceError for a bad pattern: _go says it in the bar
            # finding only: a replacement still being typed ("\2" of a pattern with one group) must not stop it
            finding = replace(self.query(), replace_with="")
            return [(g.first, g.last) for g in find_groups(doc, finding, self._within_now())]
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
        try:
            found = self.matches()
        except ReplaceError as exc:
            self._say_error(core_message(exc))
            return
        if not found:
            self._say_error(self.tr("No match"))
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

    def _say_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)
        self.status.setStyleSheet(f"color: {themed('error').name()}")

    # -- options -------------------------------------------------------------------------------------
    @Slot(bool)
    def _on_options_changed(self, _checked: bool) -> None:
        if self.field.text().strip():
            self._go(+1, inclusive=True)

    @Slot(bool)
    def _on_within_toggled(self, checked: bool) -> None:
        self._within = selection(self.session.document, self.view).bounds if checked else None
        if checked and self._within is None:
            self.within_box.setChecked(False)  # nothing selected: nothing to stay within
            self._say_error(self.tr("Select the words to search in first."))
            return
        self._on_options_changed(checked)

    @Slot()
    def _forget_within(self) -> None:
        self.within_box.setChecked(False)
        self._within = None

    def _within_now(self) -> tuple[int, int] | None:
        doc = self.session.document
        if self._within is None or doc is None:
            return None
        first, last = self._within
        return (min(first, len(doc.tokens) - 1), min(last, len(doc.tokens) - 1)) if doc.tokens else None

    # -- replacing -----------------------------------------------------------------------------------
    @Slot()
    def replace_one(self) -> None:
        """Replace the selected match (one undo step), then select the next one."""
        doc = self.session.document
        if doc is None or not self.field.text():
            return
        try:
            groups = find_groups(doc, self.query(), self._within_now())
        except ReplaceError as exc:
            self._say_error(core_message(exc))
            return
        here = selection(doc, self.view).bounds
        group = next((g for g in groups if (g.first, g.last) == here), None)
        if group is not None:
            n_before = len(doc.tokens)
            edit, spans = plan_replace(doc, [group])
            if edit is not None:
                if not self.session.push_text_edit(edit, self.tr("Replace"), spans[0] if spans else None):
                    return
                self._shift_within(len(doc.tokens) - n_before)
                # go on from the replaced words, not from a match inside the new text
                end = group.last + len(doc.tokens) - n_before
                select_words(doc, self.view, max(end, group.first), max(end, group.first))
        self._go(+1)

    @Slot()
    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many groups of words changed."""
        doc = self.session.document
        if doc is None or not self.field.text():
            return 0
        try:
            edit, spans, count = replace_all(doc, self.query(), self._within_now())
        except ReplaceError as exc:
            self._say_error(core_message(exc))
            return 0
        if edit is None:
            self._say_error(self.tr("No match") if not count else self.tr("Nothing to change"))
            return 0
        n_before = len(doc.tokens)
        # one span is re-aligned at once, as after F2; several wait for Timing → Align
        if not self.session.push_text_edit(edit, self.tr("Replace all"), spans[0] if len(spans) == 1 else None):
            return 0
        self._shift_within(len(doc.tokens) - n_before)
        self.status.setStyleSheet("")
        text = self.tr("{0} replaced").format(count)
        if len(spans) > 1:
            text = self.tr("{0} replaced; re-align to time the changed words").format(count)
        self.status.setText(text)
        if self._host is not None:
            self._host.status(text)
        return count

    def _shift_within(self, delta: int) -> None:
        if self._within is not None and delta:
            first, last = self._within
            self._within = (first, max(first, last + delta))
