"""Timing → Timing post-processor… on the aligned JFK example: the preview is the core's plan, made once
typing pauses, Apply is one undo step (of the choices shown, even before the preview caught up), the
scope follows the selection, the choices are remembered, snapping needs a picture."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionButton

from aligner_core.cues import get_profile
from aligner_core.timing_tools import TimingSettings, plan
from desktop.dialogs.timing_tools import TimingToolsDialog
from desktop.table_base import format_ms

from .aligned_example import open_window


def _window(qtbot, example):
    win = open_window(qtbot, *example)
    win.session.set_profile(get_profile("one-line"))  # three cues from JFK's sentence
    win.actions["timing.resegment"].trigger()
    assert len(win.document.cues) >= 3
    return win


def _rows(dialog):
    model = dialog.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _settled(qtbot, dialog):
    """Wait for the preview of the last change (its timer runs out within PREVIEW_DELAY_MS)."""
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=5000)


def _check(qtbot, dialog, key, value=None):
    box = dialog.checks[key]
    if not box.isChecked():
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=indicator.center())
    assert box.isChecked()
    if value is not None:
        dialog.values[key].setValue(value)
    _settled(qtbot, dialog)


def test_preview_is_the_core_plan_and_apply_is_one_undo_step(qtbot, example):
    win = _window(qtbot, example)
    doc = win.document
    before = doc.copy()
    win.view.clear()
    win.actions["timing.post_processor"].trigger()
    dialog = win.timing_tools.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.scope_all.isChecked() and not dialog.scope_selected.isEnabled()  # nothing selected
    for key in dialog.checks:
        if dialog.checks[key].isChecked():
            dialog.checks[key].click()
    _settled(qtbot, dialog)
    assert dialog.model.rowCount() == 0 and not dialog.apply_button.isEnabled()

    _check(qtbot, dialog, "lead_in", 150)
    _check(qtbot, dialog, "lead_out", 400)
    _check(qtbot, dialog, "min_gap", 120)
    expected = plan(doc, None, TimingSettings(lead_in_ms=150, lead_out_ms=400, min_gap_ms=120))
    assert expected and dialog.changes == expected
    rows = _rows(dialog)
    assert [r[0] for r in rows] == [str(c.index + 1) for c in expected]
    assert [r[1:5] for r in rows] == [[format_ms(t) for t in (*c.old, *c.new)] for c in expected]
    assert all("lead-in/out" in r[5] for r in rows)
    # live: a new value is a new plan as soon as typing pauses
    dialog.values["lead_in"].setValue(300)
    _settled(qtbot, dialog)
    assert dialog.changes == plan(doc, None, TimingSettings(lead_in_ms=300, lead_out_ms=400, min_gap_ms=120))
    expected = dialog.changes
    undo_count = win.session.undo_stack.count()

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert win.session.undo_stack.count() == undo_count + 1
    assert [doc.cue_times(doc.cues[c.index]) for c in expected] == [c.new for c in expected]
    assert doc.tokens == before.tokens
    win.actions["edit.undo"].trigger()
    assert doc == before and doc.cues == before.cues
    win.actions["edit.redo"].trigger()
    assert [doc.cue_times(doc.cues[c.index]) for c in expected] == [c.new for c in expected]

    # the choices are remembered for the next time
    win.actions["timing.post_processor"].trigger()
    again = win.timing_tools.dialog
    assert again is not dialog
    assert again.checks["lead_in"].isChecked() and again.values["lead_in"].value() == 300
    assert again.checks["min_gap"].isChecked() and again.values["min_gap"].value() == 120
    assert not again.checks["chain"].isChecked()
    again.reject()


def test_scope_is_the_selected_cues_or_the_whole_document(qtbot, example):
    win = _window(qtbot, example)
    doc = win.document
    win.view.select(tokens=(doc.cues[1].first, doc.cues[2].last))
    win.actions["timing.post_processor"].trigger()
    dialog = win.timing_tools.dialog
    assert dialog.scope_selected.isChecked() and "2" in dialog.scope_selected.text()
    for key in dialog.checks:
        if dialog.checks[key].isChecked():
            dialog.checks[key].click()
    _check(qtbot, dialog, "lead_out", 500)
    _check(qtbot, dialog, "min_duration", 5000)
    settings = TimingSettings(lead_out_ms=500, min_duration_ms=5000)
    assert dialog.changes == plan(doc, [1, 2], settings)
    assert {c.index for c in dialog.changes} <= {1, 2} and dialog.changes
    dialog.scope_all.click()
    _settled(qtbot, dialog)
    assert dialog.changes == plan(doc, None, settings)
    assert {c.index for c in dialog.changes} - {1, 2}
    dialog.scope_selected.click()
    _settled(qtbot, dialog)
    expected = dialog.changes
    before = [doc.cue_times(c) for c in doc.cues]
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    after = [doc.cue_times(c) for c in doc.cues]
    assert [(k, b) for k, (a, b) in enumerate(zip(before, after)) if a != b] == [(c.index, c.new) for c in expected]


def test_contradicting_durations_are_said_and_apply_is_off(qtbot, example):
    win = _window(qtbot, example)
    win.actions["timing.post_processor"].trigger()
    dialog = win.timing_tools.dialog
    _check(qtbot, dialog, "min_duration", 5000)
    _check(qtbot, dialog, "max_duration", 2000)
    assert "minimum duration is longer" in dialog.summary.text()
    assert not dialog.apply_button.isEnabled() and dialog.model.rowCount() == 0
    dialog.values["max_duration"].setValue(6000)
    _settled(qtbot, dialog)
    assert "minimum duration is longer" not in dialog.summary.text()
    dialog.reject()


def test_snapping_needs_a_picture_and_then_follows_the_shots_and_frames(qtbot, example):
    win = _window(qtbot, example)
    win.actions["timing.post_processor"].trigger()
    no_video = win.timing_tools.dialog
    assert not no_video.checks["shots"].isEnabled() and not no_video.checks["frames"].isEnabled()
    no_video.reject()

    doc = win.document
    cuts = [doc.cue_times(c)[0] - 90 for c in doc.cues[1:]]  # a cut a little before each later cue
    dialog = TimingToolsDialog(lambda: doc, [], win.session.profile, shots=cuts, fps=Fraction(25), parent=win)
    qtbot.addWidget(dialog)
    dialog.show()
    for key in dialog.checks:
        if dialog.checks[key].isChecked():
            dialog.checks[key].click()
    _check(qtbot, dialog, "shots", 100)
    assert dialog.changes == plan(doc, None, TimingSettings(shots=tuple(cuts), shot_tolerance_ms=100))
    assert any("shot change" in r[5] for r in _rows(dialog))
    _check(qtbot, dialog, "frames")
    assert dialog.changes == plan(doc, None, TimingSettings(shots=tuple(cuts), shot_tolerance_ms=100, fps=Fraction(25)))
    assert all((ms % 40) == 0 for c in dialog.changes if "frames" in c.reasons for ms in c.new if ms not in cuts)


def test_snapping_remembered_with_a_picture_opens_without_one(qtbot, example):
    from desktop import settings

    win = _window(qtbot, example)
    settings.set_value("timing_tools/shots", True)  # applied once with a video open
    settings.set_value("timing_tools/frames", True)
    win.actions["timing.post_processor"].trigger()
    dialog = win.timing_tools.dialog
    assert dialog is not None and dialog.isVisible()
    for key in ("shots", "frames"):
        assert not dialog.checks[key].isChecked() and not dialog.checks[key].isEnabled()
    _settled(qtbot, dialog)
    assert dialog.changes == plan(win.document, None, dialog.timing_settings())
    dialog.reject()


def test_the_dialog_speaks_chinese(qtbot, example):
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

    from aligner_core.cues import segment
    from desktop import i18n

    from .english import english_sentences

    doc = example[1].copy()
    doc.cues = segment(doc, get_profile("one-line"))
    app = QApplication.instance()
    assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
    try:
        dialog = TimingToolsDialog(lambda: doc, [0, 1], get_profile("one-line"), shots=[1000], fps=Fraction(25))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        for key in ("lead_in", "lead_out", "min_duration", "max_duration"):
            _check(qtbot, dialog, key)
        dialog.values["max_duration"].setValue(300)  # contradicts the minimum: that sentence too
        _settled(qtbot, dialog)
        texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton) if w.text()]
        texts += [w.suffix() for w in dialog.values.values()] + [dialog.bias.suffix(), dialog.windowTitle()]
        dialog.values["max_duration"].setValue(7000)
        _settled(qtbot, dialog)
        texts += [dialog.summary.text()] + [r[5] for r in _rows(dialog)]
        model = dialog.model
        texts += [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert dialog.changes and english_sentences(texts) == [], english_sentences(texts)
        assert any("提前/延后" in t for t in texts)
    finally:
        i18n.install_translators(app, i18n.ENGLISH)


def test_typing_is_planned_once_it_pauses_and_apply_takes_what_is_shown(qtbot, example):
    win = _window(qtbot, example)
    doc = win.document
    win.view.clear()
    win.actions["timing.post_processor"].trigger()
    dialog = win.timing_tools.dialog
    for key in dialog.checks:
        if dialog.checks[key].isChecked():
            dialog.checks[key].click()
    _check(qtbot, dialog, "lead_out", 100)
    shown = dialog.changes
    assert shown == plan(doc, None, TimingSettings(lead_out_ms=100)) and shown
    spin = dialog.values["lead_out"]
    # typing "450" after selecting the value: three values, and no plan until the keys stop
    spin.lineEdit().selectAll()
    for key in (Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_0):
        qtbot.keyClick(spin.lineEdit(), key)
    assert spin.value() == 450
    assert dialog.preview_pending and dialog.changes == shown  # the keys did not wait for a plan
    _settled(qtbot, dialog)
    assert dialog.changes == plan(doc, None, TimingSettings(lead_out_ms=450))
    assert [r[0] for r in _rows(dialog)] == [str(c.index + 1) for c in dialog.changes]
    # the document changing while the dialog is open is planned the same way
    win.actions["edit.undo"].trigger()  # the re-segmentation: other cues
    assert dialog.preview_pending
    _settled(qtbot, dialog)
    assert dialog.changes == plan(doc, None, TimingSettings(lead_out_ms=450))
    # Apply while a plan is waiting, and nothing changes: the dialog stays and says so
    spin.setValue(0)
    assert dialog.preview_pending
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and not dialog.changes and not dialog.apply_button.isEnabled()
    assert dialog.summary.text() == "Nothing changes with these choices."
    # Apply before the preview caught up applies the value in the box, not the one in the table
    win.actions["edit.redo"].trigger()
    spin.setValue(250)
    assert dialog.preview_pending
    expected = plan(doc, None, TimingSettings(lead_out_ms=250))
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [doc.cue_times(doc.cues[c.index]) for c in expected] == [c.new for c in expected] and expected
