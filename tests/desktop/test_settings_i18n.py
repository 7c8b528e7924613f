"""Settings persistence, translations, the shortcuts and about dialogs."""

from __future__ import annotations

import os
import re

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from desktop import settings
from desktop.main_window import MainWindow

_alive: list[MainWindow] = []


def _window(qtbot) -> MainWindow:
    win = MainWindow()
    win.setProperty("quiet_errors", True)
    qtbot.addWidget(win)
    _alive.append(win)
    return win


@pytest.fixture(autouse=True)
def _windows_die_in_order():
    """Hold every window until Qt has deleted it.

    pytest-qt keeps only weak references: a window made in an expression would be collected
    mid-test, its C++ side torn down at a random moment while its children still get events.
    """
    yield
    for win in _alive:
        win.close()
        win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _alive.clear()


def test_settings_values_come_back_as_the_default_type(qapp):
    assert settings.value("test/flag", True) is True  # unset: the default
    settings.set_value("test/flag", False)
    settings.set_value("test/count", 12)
    settings.set_value("test/name", "x")
    assert settings.value("test/flag", True) is False
    assert settings.value("test/count", 0) == 12
    assert settings.value("test/name", "") == "x"
    settings.set_value("test/count", "not a number")
    assert settings.value("test/count", 7) == 7  # unreadable: the default, not a crash
    settings.remove("test/flag")
    assert settings.value("test/flag", True) is True


def test_geometry_and_splitter_sizes_are_restored(qtbot):
    first = _window(qtbot)
    first.show()
    qtbot.waitExposed(first)
    first.resize(700, 520)  # inside the 800x600 offscreen screen: restoring clamps to it
    first.splitter.setSizes([150, 400])
    qtbot.waitUntil(lambda: first.width() == 700)
    sizes = first.splitter.sizes()
    assert first.close()

    second = _window(qtbot)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (700, 520)
    assert second.splitter.sizes() == sizes
    assert sizes[0] < sizes[1]


def test_first_start_has_default_layout(qtbot):
    win = _window(qtbot)
    assert settings.restore_window(win) is False
    assert win.width() == 1200


# -- language ---------------------------------------------------------------------------------------
from PySide6.QtCore import QLocale  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from desktop import i18n  # noqa: E402


@pytest.fixture
def english_after(qapp):
    yield
    i18n.install_translators(qapp, i18n.ENGLISH)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("zh_CN", "zh_CN"), ("zh-CN", "zh_CN"), ("zh_SG", "zh_CN"), ("zh_Hans", "zh_CN"), ("zh_Hans_HK", "zh_CN"),
     ("zh_CN.UTF-8", "zh_CN"), ("zh_TW", "en"), ("zh_HK", "en"), ("en_GB", "en"), ("fr_FR", "en"), ("C", "en"),
     ("", None), (None, None)],
)
def test_locale_names_map_to_a_shipped_language(name, expected):
    assert i18n.resolve(name) == expected


def test_env_beats_setting_beats_system():
    chinese, english = QLocale("zh_CN"), QLocale("en_US")
    assert i18n.choose_language(None, None, chinese) == "zh_CN"
    assert i18n.choose_language(None, "en", chinese) == "en"
    assert i18n.choose_language("zh_CN", "en", english) == "zh_CN"
    assert i18n.choose_language("en", "zh_CN", chinese) == "en"
    assert i18n.choose_language("", "", english) == "en"


def test_env_zh_cn_gives_chinese_menus_and_qt_buttons(qtbot, qapp, monkeypatch, english_after):
    monkeypatch.setenv("WORDSYNC_LANG", "zh_CN")
    assert i18n.install_translators(qapp) == "zh_CN"
    assert any(path.endswith("wordsync_zh_CN.qm") for path in i18n.installed_files())
    win = _window(qtbot)
    assert win.menus["file"].title() == "文件(&F)"
    assert win.menus["help"].title() == "帮助(&H)"
    assert win.actions["help.shortcuts"].text() == "键盘快捷键(&K)"
    # Qt's own strings come from qtbase_zh_CN.qm
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "关闭"


def test_env_en_gives_english_menus_even_where_the_setting_says_chinese(qtbot, qapp, monkeypatch, english_after):
    settings.set_value(settings.LANGUAGE, "zh_CN")
    i18n.install_translators(qapp)
    assert _window(qtbot).menus["file"].title() == "文件(&F)"
    monkeypatch.setenv("WORDSYNC_LANG", "en")
    assert i18n.install_translators(qapp) == "en"
    assert i18n.installed_files() == []
    assert _window(qtbot).menus["file"].title() == "&File"


def _toolbar_tips(win) -> dict[str, str]:
    from PySide6.QtWidgets import QToolBar

    return {action.objectName(): action.toolTip() for bar in win.findChildren(QToolBar)
            for action in bar.actions() if action.text()}  # not the speed box's widget action


def test_toolbar_tooltips_leave_out_the_mnemonic_in_chinese_and_english(qtbot, qapp, monkeypatch, english_after):
    monkeypatch.setenv("WORDSYNC_LANG", "zh_CN")
    i18n.install_translators(qapp)
    win = _window(qtbot)
    tips = _toolbar_tips(win)
    assert win.actions["file.open"].text() == "打开音频和文稿(&O)…"
    assert tips["file.open"] == "打开音频和文稿"  # Qt's own read "打开音频和文稿(O)"
    assert tips["play.loop"] == "循环播放"
    assert not [tip for tip in tips.values() if "&" in tip or re.search(r"\([A-Z]\)", tip)], tips
    # a tooltip in its own words stays through a change of text
    own = win.actions["timing.align_phones"].toolTip()
    win.actions["timing.align_phones"].setText("对齐音素")
    assert win.actions["timing.align_phones"].toolTip() == own

    monkeypatch.setenv("WORDSYNC_LANG", "en")
    i18n.install_translators(qapp)
    tips = _toolbar_tips(_window(qtbot))
    assert tips["file.open"] == "Open audio and transcript" and tips["play.loop"] == "Loop"
    assert not [tip for tip in tips.values() if "&" in tip], tips


def test_a_tooltip_follows_the_text_it_was_made_from(qtbot):
    from desktop.actions import make_action

    win = _window(qtbot)
    action = make_action(win, "file.open", "打开(&O)…")
    assert action.toolTip() == "打开"
    action.setText("&Pause")
    assert action.toolTip() == "Pause"
    action.setToolTip("Play or pause from the playhead")
    action.setText("&Play")
    assert action.toolTip() == "Play or pause from the playhead"  # its own words are kept


def test_language_menu_stores_the_choice_for_the_next_start(qtbot):
    win = _window(qtbot)
    menu = win.language_menu
    chinese = next(a for a in menu.group.actions() if a.data() == "zh_CN")
    chinese.trigger()
    assert settings.value(settings.LANGUAGE, "") == "zh_CN"
    assert "简体中文" in win.stage_label.text()
    assert i18n.current_choice() == "zh_CN"
    system = next(a for a in menu.group.actions() if a.data() == "")
    system.trigger()
    assert settings.value(settings.LANGUAGE, "x") == ""


# -- shortcuts and about ----------------------------------------------------------------------------
from PySide6.QtGui import QColor, QKeySequence, QPalette  # noqa: E402

from desktop.actions import SHORTCUTS  # noqa: E402
from desktop.dialogs.shortcuts import ShortcutsDialog, plain_text  # noqa: E402


def test_shortcuts_dialog_lists_every_action_with_its_keys(qtbot):
    win = _window(qtbot)
    win.actions["edit.undo"].setText("&Undo Move boundary")  # as the undo stack names its next step
    dialog = win.help_menu.show_shortcuts()
    rows = {item.data(0, Qt.ItemDataRole.UserRole): item for item in dialog.items()}
    assert set(rows) == set(win.actions)
    for action_id, action in win.actions.items():
        item = rows[action_id]
        if action_id not in ("edit.undo", "edit.redo"):
            assert item.text(0) == plain_text(action.text())
        for key in SHORTCUTS[action_id]:
            assert QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) in item.text(1)
    assert rows["help.shortcuts"].text(1) == "F1"
    assert rows["file.open"].parent().text(0) == "File"
    assert rows["file.open"].text(0) == "Open audio and transcript"
    assert rows["edit.undo"].text(0) == "Undo"


def test_shortcuts_dialog_search_by_name_or_key(qtbot):
    win = _window(qtbot)
    dialog = ShortcutsDialog(win)
    qtbot.keyClicks(dialog.search, "undo")
    assert dialog.visible_ids() == ["edit.undo"]
    dialog.search.setText("ctrl+o")
    assert "file.open" in dialog.visible_ids() and "file.quit" not in dialog.visible_ids()
    dialog.search.setText("F1")
    assert "help.shortcuts" in dialog.visible_ids()
    dialog.search.setText("no such command")
    assert dialog.visible_ids() == []
    dialog.search.clear()
    assert len(dialog.visible_ids()) == len(win.actions)


def test_user_override_shows_in_the_dialog(qtbot):
    settings.set_value("shortcuts/help.about", "Ctrl+Shift+F1")
    win = _window(qtbot)
    dialog = ShortcutsDialog(win)
    row = next(i for i in dialog.items() if i.data(0, Qt.ItemDataRole.UserRole) == "help.about")
    assert row.text(1) == QKeySequence("Ctrl+Shift+F1").toString(QKeySequence.SequenceFormat.NativeText)


def test_f1_opens_the_shortcuts_dialog(qtbot):
    win = _window(qtbot)
    assert win.actions["help.shortcuts"].shortcuts() == [QKeySequence("F1")]
    win.actions["help.shortcuts"].trigger()  # offscreen windows are not reliably activated, so no key press
    qtbot.waitUntil(lambda: win.help_menu.shortcuts_dialog is not None and win.help_menu.shortcuts_dialog.isVisible())
    win.help_menu.shortcuts_dialog.close()


def test_about_names_version_and_licences(qtbot):
    from desktop.dialogs.about import wordsync_version

    win = _window(qtbot)
    about = win.help_menu.show_about()
    text = about.details.toPlainText().split("Built with", 1)[1]
    assert wordsync_version() in about.heading.text()
    for name, licence in (("PySide6", "LGPL-3.0"), ("PocketSphinx", "BSD-2-Clause"), ("pyqtgraph", "MIT")):
        assert re.search(re.escape(name) + r"\s+[\w.+]+\s+" + re.escape(licence), text), (name, text)
    about.close()


def test_about_names_every_runtime_dependency():
    """spylls (MPL-2.0, the spell checker) and sherpa-onnx came in as dependencies without a line
    in About, which is where the licences of what ships are said."""
    import tomllib
    from pathlib import Path

    from desktop.dialogs.about import COMPONENTS

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    needed = {norm(re.match(r"[A-Za-z0-9_.-]+", dep).group(0)) for dep in project["project"]["dependencies"]}
    named = {norm(dist) for _name, dist, _licence in COMPONENTS if dist}
    assert needed - named == set()


def test_window_has_the_application_icon(qtbot):
    win = _window(qtbot)
    assert not win.windowIcon().isNull()
    assert 16 in {s.width() for s in win.windowIcon().availableSizes()}


def test_meaningful_colours_follow_light_and_dark_palettes(qapp):
    import pyqtgraph as pg

    from desktop import look

    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    dark = look.dark_palette()
    assert not look.is_dark(light) and look.is_dark(dark)
    for name in look.COLORS:
        on_light, on_dark = look.themed(name, light), look.themed(name, dark)
        # readable: each variant is far from its own background in lightness
        assert abs(on_light.lightness() - light.color(QPalette.ColorRole.Window).lightness()) > 90, name
        assert abs(on_dark.lightness() - dark.color(QPalette.ColorRole.Window).lightness()) > 90, name
    look.apply_look(qapp)
    assert pg.getConfigOption("antialias") is True
    assert not qapp.windowIcon().isNull()


# -- translation files ------------------------------------------------------------------------------
import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def translations():
    spec = importlib.util.spec_from_file_location("wordsync_translations", ROOT / "packaging" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lint_finds_text_lupdate_cannot_see(translations):
    found = translations.lint_source(
        "label.setText('Hello world')\n"
        "label.setText(f'{n} words')\n"
        "self.tr(name)\n"
        "x = f'{self.tr(\"Built with\")}'\n"
        "ok = self.tr('Fine {0}').format(1); label.setText('{0}×'); plot.setLabel('bottom', self.tr('time'))\n"
        "painter.translate(10, 0); QCoreApplication.translate('Ctx', 'Fine')\n"
        "tr = QCoreApplication.translate; tr('Ctx', 'aliased')\n"
    )
    assert [line.split(":")[1] for line in found] == ["1", "2", "3", "4", "7"]


def test_all_desktop_text_goes_through_tr(translations):
    assert translations.lint() == []


def test_every_string_in_desktop_has_a_chinese_translation(translations):
    """lupdate over desktop/ finds nothing new or unfinished: add the Chinese to the .ts and release."""
    assert translations.untranslated("zh_CN") == []


def test_shipped_qm_is_the_ts_compiled(translations):
    assert translations.stale("zh_CN") == []


def test_translations_keep_placeholders_and_mnemonics(translations):
    for context, source, text in translations.messages(translations.ts_path("zh_CN")):
        if text is None:
            continue
        fields = r"\{\d+[^}]*\}|%n"
        assert sorted(re.findall(fields, source)) == sorted(re.findall(fields, text)), (context, source)
        assert ("&" in source.replace("&&", "")) == ("&" in text.replace("&&", "")), (context, source, text)


def test_screenshot_script_photographs_every_state_offscreen(tmp_path):
    """The README pictures can be remade on a machine without a display (about 10 s: a real alignment)."""
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, str(ROOT / "packaging" / "screenshots.py"), "--out", str(tmp_path)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    for name in ("aligned", "zoomed", "export", "shortcuts", "chinese", "dark"):
        path = tmp_path / f"{name}.png"
        image = QImage(str(path))
        assert not image.isNull(), name
        assert image.width() <= 1280 and image.height() <= 800, name
        assert path.stat().st_size < 200_000, name


def _select(dialog, action_id):
    item = next(i for i in dialog.items() if i.data(0, Qt.ItemDataRole.UserRole) == action_id)
    dialog.tree.setCurrentItem(item)
    return item


def test_changing_a_shortcut_applies_now_and_at_the_next_start(qtbot):
    win = _window(qtbot)
    dialog = ShortcutsDialog(win)
    dialog.show()
    item = _select(dialog, "help.about")
    assert dialog.key_edit.isEnabled() and dialog.key_edit.keySequence().isEmpty()
    dialog.key_edit.setFocus()
    with qtbot.waitSignal(dialog.key_edit.editingFinished):
        qtbot.keyClick(dialog.key_edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    wanted = QKeySequence("Ctrl+Alt+K")
    assert win.actions["help.about"].shortcuts() == [wanted]
    assert item.text(1) == wanted.toString(QKeySequence.SequenceFormat.NativeText)
    assert settings.value("shortcuts/help.about", "") == "Ctrl+Alt+K"
    assert _window(qtbot).actions["help.about"].shortcuts() == [wanted]  # the next start

    _select(dialog, "help.shortcuts")
    dialog.reset_current()
    assert win.actions["help.shortcuts"].shortcuts() == [QKeySequence("F1")]


def test_a_key_in_use_is_refused_with_the_other_command_named(qtbot):
    win = _window(qtbot)
    dialog = ShortcutsDialog(win)
    _select(dialog, "help.about")
    assert not dialog.set_keys("help.about", [QKeySequence("Ctrl+O")])
    assert "Open audio and transcript" in dialog.message.text()
    assert win.actions["help.about"].shortcuts() == []
    assert settings.value("shortcuts/help.about", None) is None
    # clearing a key frees it for another command; reset brings the default back
    _select(dialog, "file.open")
    assert dialog.set_keys("file.open", [])
    assert win.actions["file.open"].shortcuts() == []
    assert dialog.set_keys("help.about", [QKeySequence("Ctrl+O")])
    _select(dialog, "file.open")
    dialog.reset_current()
    assert "already used" in dialog.message.text() and win.actions["file.open"].shortcuts() == []
