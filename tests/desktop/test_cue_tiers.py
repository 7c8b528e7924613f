"""Cue editing and annotation tiers in the editor (issue 17 part 4), on real widgets offscreen with
the JFK example aligned for real: create/delete cues and merge with the previous one from the
Edit menu (one undo step each), a cue's position and style in the ASS export, and a tier with
an interval made from a time selection, drawn on the timeline and exported to TextGrid."""

from __future__ import annotations

from aligner_core.formats import load_document, read_subtitles
from aligner_core.project import load_project

from .aligned_example import open_window


def _menu_ids(win, key):
    return [a.objectName() for a in win.menus[key].actions()]


def test_create_delete_and_merge_previous_from_the_edit_menu(qtbot, example):
    win = open_window(qtbot, *example)
    win.actions["timing.resegment"].trigger()
    doc, stack = win.session.document, win.session.undo_stack
    assert {"edit.create_cue", "edit.delete_cue", "edit.merge_previous", "edit.cue_look"} <= set(_menu_ids(win, "edit"))
    original = list(doc.cues)
    cue = doc.cues[1]
    assert cue.last - cue.first >= 3
    # two words from the middle of the second cue become a cue: the rest stays as cues around it
    win.view.select(tokens=(cue.first + 1, cue.first + 2))
    assert win.actions["edit.create_cue"].isEnabled()
    depth = stack.count()
    win.actions["edit.create_cue"].trigger()
    assert stack.count() == depth + 1
    assert [(c.first, c.last) for c in doc.cues[1:4]] == [(cue.first, cue.first), (cue.first + 1, cue.first + 2), (cue.first + 3, cue.last)]
    assert win.view.cue == 2 and win.cue_model.rowCount() == len(original) + 2
    # merge the new cue with the previous one, then delete that cue: its words stay, uncued
    win.actions["edit.merge_previous"].trigger()
    assert (doc.cues[1].first, doc.cues[1].last) == (cue.first, cue.first + 2) and win.view.cue == 1
    win.actions["edit.delete_cue"].trigger()
    assert doc.cue_index_of(cue.first) is None and len(doc.tokens) == len(example[1].tokens)
    assert not win.actions["edit.merge_previous"].isEnabled()  # nothing selected any more
    for _ in range(3):
        win.actions["edit.undo"].trigger()
    assert doc.cues == original
    win.view.select(cue=0)
    assert not win.actions["edit.merge_previous"].isEnabled()  # the first cue has none before it


def test_a_time_selection_over_silence_makes_a_labelled_sound_cue(qtbot, example):
    win = open_window(qtbot, *example)
    win.actions["timing.resegment"].trigger()
    doc = win.session.document
    # the longest pause between two words
    gap, k = max((doc.tokens[i + 1].start - doc.tokens[i].end, i) for i in range(len(doc.tokens) - 1))
    assert gap >= 200
    lo, hi = doc.tokens[k].end + 20, doc.tokens[k + 1].start - 20
    if doc.cue_index_of(k) == doc.cue_index_of(k + 1):  # a pause inside a cue: split it there first
        win.view.select(tokens=(k + 1, k + 1))
        win.actions["edit.split_cue"].trigger()
    win.view.select(time_range=(lo, hi))
    win.actions["edit.create_cue"].trigger()
    dialog = win.cue_editing.sound_dialog
    assert dialog is not None and dialog.isVisible() and dialog.textValue() == "[music]"
    dialog.setTextValue("[applause]")
    dialog.accept()
    c = doc.cue_index_of(k + 1)
    assert doc.tokens[k + 1].text == "[applause]" and (doc.cues[c].start, doc.cues[c].end) == (lo, hi)
    assert win.view.cue == c


def test_cue_look_dialog_sets_the_ass_overrides_in_the_export(qtbot, example, tmp_path):
    win = open_window(qtbot, *example)
    win.actions["timing.resegment"].trigger()
    win.view.select(cue=1)
    win.actions["edit.cue_look"].trigger()
    dialog = win.cue_editing.look_dialog
    assert dialog.isVisible()
    dialog.align.setCurrentIndex(dialog.align.findData(8))
    dialog.use_pos.setChecked(True)
    dialog.x.setValue(960)
    dialog.y.setValue(90)
    dialog.style.setText("Sign")
    dialog.accept()
    cue = win.session.document.cues[1]
    assert (cue.align, cue.pos, cue.style) == (8, (960, 90), "Sign")

    export = win.files.export()
    export.set_format("ass")
    out = tmp_path / "look.ass"
    export.path_edit.setText(str(out))
    export.export_button.click()
    text = out.read_text(encoding="utf-8-sig")
    dialogue = [line for line in text.splitlines() if line.startswith("Dialogue:")]
    assert ",Sign,,0,0,0,,{\\an8\\pos(960,90)}" in dialogue[1]
    assert all("{\\an" not in line for k, line in enumerate(dialogue) if k != 1)
    assert any(line.startswith("Style: Sign,") for line in text.splitlines())
    assert load_document(out).cues[1].style == "Sign"
    assert [c.text for c in read_subtitles(out)][1] == win.session.document.cue_text(cue)  # no tag in the text
    # one undo step puts the default look back
    win.actions["edit.undo"].trigger()
    assert win.session.document.cues[1].align is None


def test_a_tier_interval_from_a_time_selection_is_drawn_saved_and_exported(qtbot, example, tmp_path):
    win = open_window(qtbot, *example)
    win.actions["timing.resegment"].trigger()
    tiers = win.tiers
    assert {"tiers.add_tier", "tiers.add_interval", "tiers.edit_label", "tiers.manage"} <= set(_menu_ids(win, "tiers"))
    assert not win.actions["tiers.add_interval"].isEnabled()  # no tier yet
    win.actions["tiers.add_tier"].trigger()
    tiers.name_dialog.setTextValue("gesture")
    tiers.name_dialog.accept()
    doc = win.session.document
    assert [t.name for t in doc.tiers] == ["gesture"] and tiers.lane is not None
    # a reserved name is refused with its sentence in the status bar
    win.actions["tiers.add_tier"].trigger()
    tiers.name_dialog.setTextValue("words")
    tiers.name_dialog.accept()
    assert len(doc.tiers) == 1 and "words" in win.stage_label.text()

    win.view.select(time_range=(1000, 2500))
    assert win.actions["tiers.add_interval"].isEnabled()
    win.actions["tiers.add_interval"].trigger()
    tiers.label_dialog.setTextValue("raise hand")
    tiers.label_dialog.accept()
    assert [(a.start, a.end, a.label) for a in doc.tiers[0].items] == [(1000, 2500, "raise hand")]
    # the lane draws it where the timeline shows that time
    win.timeline.set_range_ms(0, 5000)
    qtbot.waitUntil(lambda: bool(tiers.lane.bands and tiers.lane.bands[0][2]))
    (rect, label, _chosen), = tiers.lane.bands[0][2]
    plot = win.timeline.plot
    assert label == "raise hand" and abs(rect.left() - plot.x_of(1000)) < 1 and abs(rect.right() - plot.x_of(2500)) < 1
    # the interval at the playhead is the one whose label is edited
    win.view.set_playhead(1800)
    assert win.actions["tiers.edit_label"].isEnabled()
    win.actions["tiers.edit_label"].trigger()
    assert tiers.label_dialog.textValue() == "raise hand"
    tiers.label_dialog.setTextValue("wave")
    tiers.label_dialog.accept()
    assert doc.tiers[0].items[0].label == "wave" and tiers.lane.bands[0][2][0][1] == "wave"

    export = win.files.export()
    export.set_format("textgrid")
    out = tmp_path / "tiers.TextGrid"
    export.path_edit.setText(str(out))
    export.export_button.click()
    back = load_document(out)
    assert [(t.name, [(a.start, a.end, a.label) for a in t.items]) for t in back.tiers] == [("gesture", [(1000, 2500, "wave")])]

    project = tmp_path / "tiers.wordsync"
    assert win.files.save_to(project)
    assert load_project(project).document.tiers == doc.tiers

    win.actions["tiers.delete_interval"].trigger()
    assert doc.tiers[0].items == ()
    win.actions["edit.undo"].trigger()
    assert doc.tiers[0].items[0].label == "wave"


def test_the_tiers_dialog_renames_and_removes(qtbot, example):
    win = open_window(qtbot, *example)
    tiers = win.tiers
    assert tiers.add_tier("notes") and tiers.add_tier("clicks", points=True)
    win.actions["tiers.manage"].trigger()
    dialog = tiers.dialog
    assert dialog.isVisible() and dialog.list.count() == 2 and dialog.list.currentRow() == 1
    dialog.list.setCurrentRow(0)
    assert tiers.current == 0
    dialog.rename_button.click()
    tiers.name_dialog.setTextValue("remarks")
    tiers.name_dialog.accept()
    assert [t.name for t in win.session.document.tiers] == ["remarks", "clicks"]
    assert dialog.list.item(0).text() == "remarks"
    dialog.list.setCurrentRow(1)
    dialog.remove_button.click()
    assert [t.name for t in win.session.document.tiers] == ["remarks"] and dialog.list.count() == 1
    win.actions["edit.undo"].trigger()
    assert dialog.list.count() == 2


def test_the_tier_lane_reads_over_a_loud_waveform(qapp):
    """The lane's band is the plot's background first: a loud (or amplitude-zoomed) waveform under
    it showed through a 16 % wash and drowned the tier names and labels."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from aligner_core.document import Annotation, Tier
    from desktop.timeline.tiers import TIER_BAND, TierLane

    lane = TierLane(None)
    tier = Tier("notes", (Annotation(1000, 2000, "raise hand"),))
    background, waveform = QColor(255, 255, 255), QColor(31, 119, 180)
    lane.set_tiers([tier], 0, None, 0.0, 4000.0, 400.0, 100.0, QColor(0, 0, 0), background)
    image = QImage(400, 100, QImage.Format.Format_RGB32)
    image.fill(waveform)  # the waveform filling the plot behind the lane
    painter = QPainter(image)
    lane.paint(painter, None)
    painter.end()
    band_y = int(100 - TIER_BAND / 2)
    empty = QColor(image.pixel(350, band_y))  # the band beside the interval: no label there
    assert empty.lightness() > 180 and abs(empty.blue() - empty.red()) < 60, empty.name()
    assert QColor(image.pixel(350, 10)) == waveform  # above the lane the waveform is untouched
