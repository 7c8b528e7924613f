"""What a new user hit in the first hour (issue 13, item 8): status after undo, F8's zoom, cue
blocks at whole-file zoom, the word table's scroll on a new file, the export folder, the
recovery list's names, the save question's wording, and audio + transcript in Open recent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from aligner_core.document import Document
from aligner_core.edits import SetTokenText
from desktop import settings
from desktop.dialogs.export_dialog import APP_RESOURCES
from desktop.main_window import EXAMPLE_DIR
from desktop.recent import entry_files, recent_files
from desktop.session import Session
from desktop.timeline import TimelineWidget
from desktop.view_state import Boundary, ViewState

from .aligned_example import AUDIO, open_window, wait_idle
from .conftest import new_window
from .test_timeline import _three_hours


@pytest.fixture
def window(qtbot, example):
    return open_window(qtbot, *example)


def test_undo_and_redo_replace_the_status_of_the_step(window):
    window.view.select(tokens=(2, 2), boundary=Boundary("token", 2, "end"))
    window.actions["edit.nudge_right"].trigger()
    assert window.stage_label.text().startswith("Boundary at")
    window.actions["edit.undo"].trigger()
    assert window.stage_label.text() == "Undone: Nudge boundary"
    window.actions["edit.redo"].trigger()
    assert window.stage_label.text() == "Redone: Nudge boundary"


def test_f8_zooms_in_to_a_readable_scale(window):
    doc = window.document
    assert window.session.push(SetTokenText(12, "four"))  # edited: worth a look
    window.timeline.zoom_all()
    t0, t1 = window.timeline.range_ms()
    assert t1 - t0 > 10_000
    window.view.select(tokens=(11, 11))
    window.actions["edit.next_flagged"].trigger()
    assert window.view.tokens == (12, 12)
    t0, t1 = window.timeline.range_ms()
    tok = doc.tokens[12]
    assert t1 - t0 <= 8_000 and t0 <= tok.start and tok.end <= t1
    assert 12 in window.timeline.plot.shown_words  # drawn as a word with its label, not a tick


def test_cue_blocks_are_drawn_at_whole_file_zoom(qtbot):
    audio, doc = _three_hours()
    session, view = Session(), ViewState()
    session.set_audio(audio, None)
    session.set_document(doc)
    widget = TimelineWidget(session, view)
    widget._keep = (session, view)
    qtbot.addWidget(widget)
    widget.resize(1200, 380)
    widget.show()
    widget.zoom_all()
    plot = widget.plot
    assert plot.batch.isVisible() and not plot.shown_cues
    from PySide6.QtCore import QRectF

    rect = QRectF()
    for block in plot.cue_blocks:
        rect = rect.united(block)
    assert plot.batch.blocks == plot.cue_blocks  # drawn by the batch, filled in the cue colour
    assert rect.width() >= 0.9 * plot.width_px() and rect.height() > 10  # the cues cover the whole file
    widget.set_range_ms(0, 10_000)
    assert not plot.batch.isVisible() and plot.shown_cues


def test_a_new_document_starts_the_word_table_at_its_top(qtbot, window, example):
    table = window.tables.word_table
    window.tables.tabs.setCurrentWidget(table)
    _audio, doc = example
    long = Document([t for _ in range(40) for t in doc.tokens], [], None, "en")
    window.session.set_document(long)
    table.scrollToBottom()
    qtbot.waitUntil(lambda: table.verticalScrollBar().value() > 0)
    window.session.set_document(doc.copy())
    assert table.verticalScrollBar().value() == 0


def test_export_starts_in_the_last_export_folder_never_in_the_apps_own(qtbot, tmp_path, window):
    win = window
    assert win.session.audio_path.resolve().is_relative_to(APP_RESOURCES)  # the example
    win.actions["timing.resegment"].trigger()
    dialog = win.files.export()
    first = Path(dialog.path_edit.text())
    assert not first.resolve().is_relative_to(APP_RESOURCES) and first.name == "jfk.srt"
    target = tmp_path / "subs" / "talk.srt"
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    assert dialog.export_now() and target.is_file()
    dialog = win.files.export()
    assert Path(dialog.path_edit.text()) == target.parent / "jfk.srt"
    assert settings.value("export/folder", "") == str(target.parent)


def test_recovery_names_unsaved_work_after_its_audio(qtbot, example):
    from aligner_core.project import Project
    from aligner_core.recovery import AutosaveSession, write_autosave

    audio, doc = example
    session = AutosaveSession()
    write_autosave(Project(doc.copy(), audio_path=AUDIO, transcript_text="x"), session, None)
    os.close(session._lock_fd)  # the process "dies": its lock is released without the clean exit
    session._lock_fd = None
    win = open_window(qtbot, audio, doc)
    win.session.set_document(None)
    dialog = win.files.check_recovery()
    assert dialog.list.count() == 1
    text = dialog.list.item(0).text()
    assert "jfk.flac" in text and "Untitled" not in text
    dialog.discard_button.click()


def test_the_save_question_names_the_open_work(window):
    window.view.select(tokens=(2, 2))
    window.actions["edit.lock"].trigger()
    window.files.when_saved_or_discarded(lambda: None)
    box = window.files.save_prompt
    assert box is not None
    assert "jfk.flac" in box.text() and "new project" not in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()


def test_open_recent_offers_audio_and_transcript_together(qtbot, tmp_path):
    win = new_window(qtbot)
    transcript = tmp_path / "talk.txt"
    transcript.write_text((EXAMPLE_DIR / "jfk.txt").read_text(encoding="utf-8"), encoding="utf-8")
    win.open_files([str(AUDIO), str(transcript)])
    wait_idle(qtbot, win)
    assert entry_files(recent_files()[0]) == [str(AUDIO), str(transcript)]
    menu = win.files.recent_menu
    menu.refresh()
    action = next(a for a in menu.actions() if a.data() == recent_files()[0])
    assert "jfk.flac + talk.txt" in action.text()
    win.session.set_audio(None, None)
    win.session.set_document(None)
    action.trigger()
    wait_idle(qtbot, win)
    assert win.session.audio_path == AUDIO and win.session.transcript_path == transcript
    assert win.document is not None and len(win.document.tokens) == 22
