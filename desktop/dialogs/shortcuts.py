"""Help → Keyboard shortcuts: every command of the window with its keys, grouped by menu, searchable.

Built from the window's live actions, so it shows what the user really has: the translated
text, the keys after any override in the settings, and commands that live in no menu
(keyboard-only ones such as nudging a boundary).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole
_MNEMONIC = re.compile(r"&(.)")
_CJK_MNEMONIC = re.compile(r"\s*\(&\w\)")  # Chinese menus write "文件(&F)"


def plain_text(text: str) -> str:
    """Menu text without its mnemonic marks ("&&" stays a literal "&") and trailing ellipsis."""
    text = _MNEMONIC.sub(r"\1", _CJK_MNEMONIC.sub("", text))
    for tail in ("…", "..."):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text.strip()


def key_text(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty())


def _menu_actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found.extend(_menu_actions(sub))
        elif not action.isSeparator():
            found.append(action)
    return found


class ShortcutsDialog(QDialog):
    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent if parent is not None else window)
        self.setObjectName("shortcuts-dialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 620)
        self._window = window

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search commands or keys"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Shortcut")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.itemActivated.connect(self._run_item)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.populate()

    def groups(self) -> list[tuple[str, list[tuple[str, QAction]]]]:
        """(menu title, [(action id, action)]) in menu order; actions in no menu come last."""
        actions: dict[str, QAction] = dict(self._window.actions)
        placed: set[str] = set()
        result: list[tuple[str, list[tuple[str, QAction]]]] = []
        for menu in self._window.menus.values():
            members = []
            for action in _menu_actions(menu):
                action_id = action.objectName()
                if actions.get(action_id) is action and action_id not in placed:
                    members.append((action_id, action))
                    placed.add(action_id)
            if members:
                result.append((plain_text(menu.title()), members))
        rest = [(i, a) for i, a in actions.items() if i not in placed]
        if rest:
            result.append((self.tr("Other commands"), sorted(rest, key=lambda pair: pair[0])))
        return result

    def populate(self) -> None:
        self.tree.clear()
        for title, members in self.groups():
            group = QTreeWidgetItem(self.tree, [title])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for action_id, action in members:
                item = QTreeWidgetItem(group, [plain_text(action.text()), key_text(action)])
                item.setData(0, ID_ROLE, action_id)
                item.setToolTip(0, action.toolTip() if action.toolTip() != action.text() else action_id)
        self.tree.expandAll()
        self._filter(self.search.text())

    def items(self) -> list[QTreeWidgetItem]:
        """Every command row (not the group headers)."""
        root = self.tree.invisibleRootItem()
        return [root.child(g).child(i) for g in range(root.childCount()) for i in range(root.child(g).childCount())]

    def visible_ids(self) -> list[str]:
        return [item.data(0, ID_ROLE) for item in self.items() if not item.isHidden() and not item.parent().isHidden()]

    @Slot(str)
    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        root = self.tree.invisibleRootItem()
        for g in range(root.childCount()):
            group = root.child(g)
            group_hit = needle in group.text(0).casefold()
            shown = 0
            for i in range(group.childCount()):
                item = group.child(i)
                action = self._window.actions.get(item.data(0, ID_ROLE))
                # Search by "ctrl+s" also where the native text is "⌘S" (macOS)
                portable = "" if action is None else ", ".join(
                    k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()
                ).casefold()
                hit = not needle or group_hit or needle in item.text(0).casefold() or needle in item.text(1).casefold() or needle in portable
                item.setHidden(not hit)
                shown += hit
            group.setHidden(shown == 0)

    @Slot(QTreeWidgetItem, int)
    def _run_item(self, item: QTreeWidgetItem, _column: int) -> None:
        action = self._window.actions.get(item.data(0, ID_ROLE))
        if action is not None and action.isEnabled():
            self.accept()
            action.trigger()
