"""Keyboard access: within each menu (and the menu bar) no two entries share their &-letter, in
English and in Chinese, so Alt+letter reaches the one entry it names; the F1 list's tooltips say
something a user can read; the new dialogs' fields and buttons have their letters too."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QFormLayout

from desktop.dialogs.cue_look import CueLookDialog
from desktop.dialogs.shortcuts import ShortcutsDialog

from .conftest import new_window

_MNEMONIC = re.compile(r"&([^&])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(actions) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    found = []
    for action in actions:
        key = None if action.isSeparator() or not action.isVisible() else mnemonic(action.text())
        if key is None:
            continue
        if key in seen:
            found.append((seen[key], action.text()))
        else:
            seen[key] = action.text()
    return found


def menu_clashes(win) -> dict[str, list[tuple[str, str]]]:
    menus = [("menu bar", win.menuBar())]
    stack = [a.menu() for a in win.menuBar().actions() if a.menu()]
    while stack:
        menu = stack.pop()
        menus.append((menu.title(), menu))
        stack += [a.menu() for a in menu.actions() if a.menu()]
    return {title: found for title, menu in menus if (found := clashes(menu.actions()))}


def test_no_two_entries_of_a_menu_share_a_letter(qtbot):
    assert menu_clashes(new_window(qtbot)) == {}


def test_no_two_entries_of_a_menu_share_a_letter_in_chinese(qtbot, chinese):
    assert menu_clashes(new_window(qtbot)) == {}


def test_the_shortcut_list_shows_no_action_ids(qtbot):
    win = new_window(qtbot)
    dialog = ShortcutsDialog(win)
    qtbot.addWidget(dialog)
    tips = {item.text(0): item.toolTip(0) for item in dialog.items()}
    assert not {name: tip for name, tip in tips.items() if tip in win.actions}
    # a tooltip that says more than the name stays (Align names the aligner it uses)
    assert tips["Align"] == win.align_action.toolTip() != ""


def test_the_cue_look_and_tiers_dialogs_have_their_letters(qtbot):
    dialog = CueLookDialog()
    qtbot.addWidget(dialog)
    form = dialog.layout()
    assert isinstance(form, QFormLayout)
    for field in (dialog.align, dialog.style):
        label = form.labelForField(field)
        assert mnemonic(label.text()) and label.buddy() is field
    assert mnemonic(dialog.use_pos.text())
    win = new_window(qtbot)
    win.tiers.show_dialog()
    tiers = win.tiers.dialog
    letters = [mnemonic(b.text()) for b in (tiers.new_button, tiers.rename_button, tiers.remove_button)]
    assert None not in letters and len(set(letters)) == 3
    tiers.close()


def _dialog_letters(dialog) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    texts = [w.text() for w in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel)]
    return [k for k in map(mnemonic, texts) if k]


def test_every_choice_of_the_timing_post_processor_has_its_own_letter(qtbot, example):
    """'Snap to &shot changes within' and '&Selected cues' both took S; 'Lengthen cues read faster
    than' had none."""
    from fractions import Fraction

    from desktop.dialogs.timing_tools import TimingToolsDialog

    from .aligned_example import open_window

    win = open_window(qtbot, *example)
    doc = win.document
    dialog = TimingToolsDialog(lambda: doc, [0], win.session.profile, shots=[1000], fps=Fraction(25), parent=win)
    qtbot.addWidget(dialog)
    assert all(mnemonic(box.text()) for box in dialog.checks.values())
    letters = _dialog_letters(dialog)
    assert len(letters) == len(set(letters)), letters
