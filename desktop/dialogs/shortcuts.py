"""Help → Keyboard shortcuts: every command of the window with its keys, grouped by menu, searchable.

Built from the window's live actions, so it shows what the user really has: the translated
text, the keys after any override in the settings, and commands that live in no menu
(keyboard-only ones such as nudging a boundary). A command's key can be changed here: the new
key applies at once and is stored as ``shortcuts/<id>`` (read by :func:`desktop.actions.shortcuts_for`
at the next start); a key another command already uses is refused, naming that command.
"""

from __future__ import annotations


from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..actions import SHORTCUTS, plain_text, qt_tooltip, shortcuts_for

ID_ROLE = Qt.ItemDataRole.UserRole
def own_tooltip(action: QAction) -> str:
    """The action's tooltip where it says more than its name, else "": Qt derives one from the text
    ("打开项目(P)", with the mnemonic's letter left in), make_action gives the plain name, and the
    action's id is no words for a user."""
    tip = action.toolTip()
    return "" if tip in (action.text(), qt_tooltip(action.text()), plain_text(action.text())) else tip


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
    """``window`` is what holds the commands: the window's host, or the window (both have
    ``actions``, id -> QAction, and ``menus``); ``parent`` defaults to it when it is a widget."""

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
        self.tree.currentItemChanged.connect(self._on_current)

        self.key_edit = QKeySequenceEdit()
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.setToolTip(self.tr("Press the new key for the selected command"))
        self.key_edit.editingFinished.connect(self._key_entered)
        self.key_edit.keySequenceChanged.connect(self._key_changed)
        self.reset_button = QPushButton(self.tr("&Reset to default"))
        self.reset_button.clicked.connect(self.reset_current)
        self.message = QLabel()
        self.message.setWordWrap(True)
        key_row = QHBoxLayout()
        key_row.addWidget(QLabel(self.tr("Shortcut:")))
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.reset_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        layout.addLayout(key_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.populate()
        self._on_current(None, None)

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

    def command_name(self, action_id: str) -> str:
        # The undo stack's actions name the next step ("Undo Move boundary"): list the command itself
        if action_id == "edit.undo":
            return self.tr("Undo")
        if action_id == "edit.redo":
            return self.tr("Redo")
        return plain_text(self._window.actions[action_id].text())

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
                item = QTreeWidgetItem(group, [self.command_name(action_id), key_text(action)])
                item.setData(0, ID_ROLE, action_id)
                item.setToolTip(0, own_tooltip(action))
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

    # -- changing a key ----------------------------------------------------------------------------
    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        action = self._window.actions.get(self.current_id())
        self.key_edit.setEnabled(action is not None)
        self.reset_button.setEnabled(action is not None)
        self.key_edit.blockSignals(True)
        keys = action.shortcuts() if action is not None else []
        self.key_edit.setKeySequence(keys[0] if keys else QKeySequence())
        self.key_edit.blockSignals(False)

    @Slot(QKeySequence)
    def _key_changed(self, key: QKeySequence) -> None:
        if key.isEmpty():
            # A key press empties the field before it records the key: only a field still empty
            # once that press is handled was cleared by the user (the clear button)
            QTimer.singleShot(0, self, self._cleared)

    @Slot()
    def _cleared(self) -> None:
        if self.key_edit.keySequence().isEmpty():
            self._key_entered()

    @Slot()
    def _key_entered(self) -> None:
        action_id = self.current_id()
        if action_id is None:
            return
        key = self.key_edit.keySequence()
        self.set_keys(action_id, [] if key.isEmpty() else [key])

    @Slot()
    def reset_current(self) -> None:
        action_id = self.current_id()
        if action_id is not None:
            self.set_keys(action_id, [QKeySequence(k) for k in SHORTCUTS.get(action_id, ())], reset=True)

    def set_keys(self, action_id: str, keys: list[QKeySequence], *, reset: bool = False) -> bool:
        """Give ``action_id`` these keys now and for the next start; False (and why) on a clash."""
        action = self._window.actions[action_id]
        for other_id, other in self._window.actions.items():
            clash = next((k for k in keys if other_id != action_id and k in other.shortcuts()), None)
            if clash is not None:
                self.message.setText(self.tr("{0} is already used by “{1}”.").format(
                    clash.toString(QKeySequence.SequenceFormat.NativeText), self.command_name(other_id)))
                self._on_current(self.tree.currentItem(), None)
                return False
        if reset:
            settings.remove(f"shortcuts/{action_id}")
        else:
            settings.set_value(f"shortcuts/{action_id}", ";".join(k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys))
        action.setShortcuts(shortcuts_for(action_id))
        self.message.setText(self.tr("“{0}”: {1}").format(self.command_name(action_id), key_text(action) or self.tr("no shortcut")))
        for item in self.items():
            if item.data(0, ID_ROLE) == action_id:
                item.setText(1, key_text(action))
        self._on_current(self.tree.currentItem(), None)
        return True

    @Slot(QTreeWidgetItem, int)
    def _run_item(self, item: QTreeWidgetItem, _column: int) -> None:
        action = self._window.actions.get(item.data(0, ID_ROLE))
        if action is not None and action.isEnabled():
            self.accept()
            action.trigger()
