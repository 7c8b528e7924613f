"""The shortcut editor: a key another command uses is refused and the command keeps its own key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from desktop import settings
from desktop.dialogs.shortcuts import ShortcutsDialog

from .conftest import new_window


def test_refusing_a_key_in_use_keeps_the_commands_own_key(qtbot):
    win = new_window(qtbot)
    dialog = ShortcutsDialog(win)
    dialog.show()
    qtbot.waitExposed(dialog)
    own = list(win.actions["help.shortcuts"].shortcuts())
    assert own == [QKeySequence("F1")]
    item = next(i for i in dialog.items() if i.data(0, Qt.ItemDataRole.UserRole) == "help.shortcuts")
    dialog.tree.setCurrentItem(item)
    dialog.key_edit.setFocus()
    with qtbot.waitSignal(dialog.key_edit.editingFinished):
        qtbot.keyClick(dialog.key_edit, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # "Open audio and transcript"
    assert "already used" in dialog.message.text()
    assert win.actions["help.shortcuts"].shortcuts() == own
    assert item.text(1) == "F1" and dialog.key_edit.keySequence() == own[0]
    dialog.tree.setFocus()  # leaving the key field must not store what it showed while refusing
    qtbot.wait(50)
    assert win.actions["help.shortcuts"].shortcuts() == own
    assert settings.value("shortcuts/help.shortcuts", None) is None
    assert win.actions["file.open"].shortcuts() == [QKeySequence("Ctrl+O")]
    # the field's clear button still removes the key
    dialog.key_edit.clear()
    qtbot.waitUntil(lambda: win.actions["help.shortcuts"].shortcuts() == [])
    assert item.text(1) == ""
