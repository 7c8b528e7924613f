"""The cue table, the word table and the find bar over a real session, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from aligner_core.cues import get_profile
from aligner_core.document import Cue, Document, Flag, Token
from aligner_core.edits import MoveCueEdge
from aligner_core.formats import load_document
from desktop import cue_table as ct
from desktop import word_table as wt
from desktop.session import Session
from desktop.table_base import format_ms, parse_time
from desktop.tables_panel import TablesPanel
from desktop.view_state import ViewState

SRT = """1
00:00:00,500 --> 00:00:02,000
And so my fellow
Americans, ask not

2
00:00:02,500 --> 00:00:05,000
what your country can do for you
"""


@pytest.fixture
def srt_path(tmp_path):
    path = tmp_path / "two.srt"
    path.write_text(SRT, encoding="utf-8")
    return path


@pytest.fixture
def panel(qtbot, srt_path):
    session, view = Session(), ViewState()
    panel = TablesPanel(session, view)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    session.set_document(load_document(srt_path))
    panel.session, panel.view = session, view  # keep them alive with the widget
    return panel


def _cell(model, row, col, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, col).data(role)


def test_times_parse_and_format_both_ways():
    assert format_ms(62_345) == "0:01:02.345" and format_ms(None) == "—"
    assert parse_time("0:01:02.345") == 62_345
    assert parse_time("1:02.3") == 62_300
    assert parse_time(" 62,345 ") == 62_345
    assert parse_time("2") == 2000 and parse_time(".5") == 500
    assert parse_time("1:00:00") == 3_600_000
    assert parse_time("abc") is None and parse_time("-1") is None and parse_time("") is None


def test_cue_rows_show_number_times_duration_cps_and_text(panel):
    m = panel.cue_model
    assert m.rowCount() == 2 and m.columnCount() == 8  # Emotion and Language hidden until a cue has them
    assert [_cell(m, 0, c) for c in (ct.NUMBER, ct.START, ct.END, ct.DURATION, ct.CPS, ct.TEXT)] == [
        "1", "0:00:00.500", "0:00:02.000", "1.500", "22.7", "And so my fellow ⏎ Americans, ask not",
    ]
    assert [_cell(m, 1, c) for c in range(5)] == ["2", "0:00:02.500", "0:00:05.000", "2.500", "12.8"]
    assert _cell(m, 0, ct.TEXT, Qt.ItemDataRole.EditRole) == "And so my fellow\nAmericans, ask not"
    assert panel.tabs.currentWidget() is panel.cue_table


def test_violations_are_coloured_with_sentences_and_follow_the_profile(panel):
    m, session = panel.cue_model, panel.session
    session.set_profile(get_profile("netflix-en"))
    assert _cell(m, 0, ct.CPS, Qt.ItemDataRole.BackgroundRole) is not None
    assert _cell(m, 0, ct.NUMBER, Qt.ItemDataRole.BackgroundRole) is not None
    assert "22.7 characters per second (at most 20)" in _cell(m, 0, ct.CPS, Qt.ItemDataRole.ToolTipRole)
    assert _cell(m, 0, ct.TEXT, Qt.ItemDataRole.BackgroundRole) is None
    assert _cell(m, 1, ct.CPS, Qt.ItemDataRole.BackgroundRole) is None
    assert _cell(m, 1, ct.NUMBER, Qt.ItemDataRole.ToolTipRole) is None
    # karaoke has no reading-speed rule but one line per cue
    session.set_profile(get_profile("karaoke"))
    assert _cell(m, 0, ct.CPS, Qt.ItemDataRole.BackgroundRole) is None
    assert _cell(m, 0, ct.TEXT, Qt.ItemDataRole.BackgroundRole) is not None
    assert "2 lines (at most 1)" in _cell(m, 0, ct.TEXT, Qt.ItemDataRole.ToolTipRole)


def test_text_edit_is_one_undo_step_and_asks_to_realign_the_changed_words(qtbot, panel):
    m, session = panel.cue_model, panel.session
    original = session.document.copy()
    requests = []
    session.realign_requested.connect(lambda a, b: requests.append((a, b)))
    assert m.setData(m.index(0, ct.TEXT), "And so my dear\nAmericans, ask not")
    assert session.undo_stack.count() == 1
    assert requests == [(3, 3)]
    assert _cell(m, 0, ct.TEXT) == "And so my dear ⏎ Americans, ask not"
    assert _cell(panel.word_model, 3, wt.WORD) == "dear"
    assert session.document.tokens[3].flags & Flag.EDITED
    # inserting a word shifts the rows after it
    assert m.setData(m.index(1, ct.TEXT), "what your own country can do for you")
    assert requests[-1] == (9, 9) and panel.word_model.rowCount() == 15
    assert _cell(panel.word_model, 14, wt.WORD) == "you"
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.document == original
    assert _cell(m, 0, ct.TEXT) == "And so my fellow ⏎ Americans, ask not"
    assert panel.word_model.rowCount() == 14 and _cell(panel.word_model, 3, wt.WORD) == "fellow"
    # the same text again is no edit at all
    assert not m.setData(m.index(0, ct.TEXT), "And so  my fellow\nAmericans, ask not")
    assert session.undo_stack.count() == 2 and session.undo_stack.index() == 0


def test_clearing_a_cue_text_removes_the_cue(panel):
    m, session = panel.cue_model, panel.session
    assert m.setData(m.index(0, ct.TEXT), "")
    assert m.rowCount() == 1 and _cell(m, 0, ct.NUMBER) == "1"
    assert _cell(m, 0, ct.TEXT) == "what your country can do for you"
    assert panel.word_model.rowCount() == 7
    session.undo_stack.undo()
    assert m.rowCount() == 2 and panel.word_model.rowCount() == 14


def test_start_and_end_edits_move_the_cue_and_bad_times_are_refused(panel):
    m, session = panel.cue_model, panel.session
    reasons = []
    session.refused.connect(reasons.append)
    assert m.setData(m.index(0, ct.START), "0.25")
    assert session.document.cues[0].start == 250 and _cell(m, 0, ct.DURATION) == "1.750"
    assert not m.setData(m.index(0, ct.END), "soon")
    assert reasons and "soon" in reasons[-1]
    assert not m.setData(m.index(1, ct.START), "0:00:00.100")  # before it would end: refused by the core
    assert session.undo_stack.count() == 1


def test_editor_takes_lines_shift_enter_breaks_enter_commits(qtbot, panel):
    table, session = panel.cue_table, panel.session
    requests = []
    session.realign_requested.connect(lambda a, b: requests.append((a, b)))
    rect = table.visualRect(panel.cue_model.index(1, ct.CPS))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = table.findChild(QPlainTextEdit, "cue-text-editor")
    assert editor is not None and editor.toPlainText() == "what your country can do for you"
    editor.setPlainText("what your country")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "can do for you")
    assert editor.toPlainText() == "what your country\ncan do for you"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert session.document.cue_lines(session.document.cues[1]) == ["what your country", "can do for you"]
    assert session.undo_stack.count() == 1 and requests == []  # the layout changed, no word did


def test_rows_and_the_shared_selection_follow_each_other(qtbot, panel):
    table, view = panel.cue_table, panel.view
    with qtbot.waitSignal(view.reveal_requested) as revealed:
        table.selectRow(1)
    assert view.cue == 1 and view.tokens == (7, 13)
    assert revealed.args == [2500, 5000]
    # the word table shows the cue's words
    assert sorted({i.row() for i in panel.word_table.selectionModel().selectedRows()}) == list(range(7, 14))
    # a word picked elsewhere (the timeline) selects its cue's row, and the selection stays the word
    view.select(tokens=(2, 2))
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]
    assert [i.row() for i in panel.word_table.selectionModel().selectedRows()] == [2]
    assert view.tokens == (2, 2) and view.cue is None
    # a word row selected by hand selects the word and names its cue
    panel.word_table.selectRow(9)
    assert view.tokens == (9, 9) and view.cue == 1
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    # words across two cues select both rows
    view.select(tokens=(5, 8))
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0, 1]
    view.clear()
    assert not table.selectionModel().selectedRows()


def test_word_table_edits_text_and_lock_and_tints_doubtful_words(qtbot, panel):
    m, session = panel.word_model, panel.session
    requests = []
    session.realign_requested.connect(lambda a, b: requests.append((a, b)))
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == ["Word", "Start", "End", "Confidence", "Flags", "Locked"]
    assert _cell(m, 0, wt.WORD) == "And" and _cell(m, 0, wt.START) == "—"
    assert m.setData(m.index(3, wt.WORD), "fine fellow")  # two words: the row splits
    assert m.rowCount() == 15 and requests == [(3, 3)]
    assert [_cell(m, r, wt.WORD) for r in (3, 4)] == ["fine", "fellow"]
    assert _cell(m, 3, wt.FLAGS) == "edited" and _cell(m, 3, wt.WORD, Qt.ItemDataRole.BackgroundRole) is not None
    assert session.document.cues[0] == Cue(0, 7, 500, 2000, (5,))
    assert m.setData(m.index(0, wt.LOCKED), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert session.document.tokens[0].locked
    assert _cell(m, 0, wt.LOCKED, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert m.rowCount() == 14 and _cell(m, 3, wt.WORD) == "fellow"


def test_enter_edits_a_word_from_the_keyboard(qtbot, panel):
    from PySide6.QtWidgets import QLineEdit

    panel.tabs.setCurrentWidget(panel.word_table)
    table = panel.word_table
    table.selectRow(3)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "fellow"
    editor.selectAll()
    qtbot.keyClicks(editor, "dear")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits a line edit on the next event loop turn
    qtbot.waitUntil(lambda: panel.session.document.tokens[3].text == "dear")
    assert panel.session.undo_stack.count() == 1


def test_word_rows_tint_low_confidence_and_aligner_warnings(qtbot):
    toks = [
        Token("sure", ("sure",), 0, 100, 0.95),
        Token("maybe", ("maybe",), 100, 200, 0.2),
        Token("lost", ("lost",), 200, 300, 0.9, int(Flag.NOT_FOUND)),
    ]
    session = Session()
    model = wt.WordTableModel(session)
    session.set_document(Document(toks, [Cue(0, 2)], 1000, "en"))
    backgrounds = [_cell(model, r, wt.WORD, Qt.ItemDataRole.BackgroundRole) for r in range(3)]
    assert backgrounds[0] is None and backgrounds[1] is not None and backgrounds[2] is not None
    assert backgrounds[1] != backgrounds[2]
    assert _cell(model, 1, wt.CONFIDENCE) == "0.20" and _cell(model, 2, wt.FLAGS) == "not found"


def test_an_edit_refreshes_only_its_rows_and_neighbours(qtbot):
    toks = [Token(f"w{i}", (f"w{i}",), 1000 * i, 1000 * i + 500) for i in range(10)]
    cues = [Cue(i, i) for i in range(10)]
    session = Session()
    model = ct.CueTableModel(session)
    session.set_document(Document(toks, cues, 20_000, "en"))
    rows = []
    model.dataChanged.connect(lambda a, b: rows.append((a.row(), b.row())))
    assert session.push(MoveCueEdge(5, "end", 1200 + 5000))
    assert rows == [(4, 6)]
    assert _cell(model, 5, ct.END) == "0:00:06.200"
    # the next cue now starts before this one ends: its row says so
    assert "Overlaps the previous cue by 200 ms." in _cell(model, 6, ct.START, Qt.ItemDataRole.ToolTipRole)
    assert _cell(model, 6, ct.START, Qt.ItemDataRole.BackgroundRole) is not None
    assert _cell(model, 7, ct.START, Qt.ItemDataRole.BackgroundRole) is None


def test_find_walks_matches_in_cues_and_words(qtbot, panel):
    bar, view = panel.find_bar, panel.view
    bar.open_bar()
    assert bar.isVisible()
    qtbot.keyClicks(bar.field, "WHAT")
    assert view.tokens == (7, 7) and view.cue == 1 and bar.status.text() == "1 of 1"
    bar.field.clear()
    qtbot.keyClicks(bar.field, "o")  # "so", "fellow", "not", "your", "country", "do", "for", "you"
    assert view.tokens == (8, 8) and bar.status.text() == "4 of 8"  # from where the selection was
    view.clear()
    bar.find_next()
    assert view.tokens == (1, 1) and bar.status.text() == "1 of 8"
    bar.find_next()
    assert view.tokens == (3, 3) and bar.status.text() == "2 of 8"
    bar.find_previous()
    assert view.tokens == (1, 1)
    bar.find_previous()  # wraps to the last match
    assert view.tokens == (13, 13) and bar.status.text() == "8 of 8 (wrapped)"
    bar.find_next()
    assert view.tokens == (1, 1) and "wrapped" in bar.status.text()
    assert [i.row() for i in panel.cue_table.selectionModel().selectedRows()] == [0]
    bar.field.clear()
    qtbot.keyClicks(bar.field, "fellow americans")  # across a line break
    assert view.tokens == (3, 4)
    qtbot.keyClicks(bar.field, "zzz")
    assert bar.status.text() == "No match" and view.tokens == (3, 4)
    # the index follows edits
    assert panel.cue_model.setData(panel.cue_model.index(1, ct.TEXT), "what your zebra can do for you")
    bar.field.clear()
    qtbot.keyClicks(bar.field, "ZEBRA")
    assert view.tokens == (9, 9) and bar.status.text() == "1 of 1"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_main_window_shows_both_tables_and_the_find_actions(qtbot, srt_path):
    from desktop.main_window import MainWindow

    win = MainWindow()
    win.setProperty("quiet_errors", True)
    qtbot.addWidget(win)
    win.open_files([str(srt_path)])
    assert win.cue_model.rowCount() == 2 and win.word_model.rowCount() == 14
    assert win.word_model.index(0, 0).data() == "And"
    for action_id in ("edit.find", "edit.find_next", "edit.find_previous"):
        assert action_id in win.actions
    win.show()
    win.actions["edit.find"].trigger()
    assert win.tables.find_bar.isVisible()


@pytest.fixture
def aligned(example):
    return example


def test_editing_an_aligned_cue_realigns_just_the_new_word_on_real_audio(qtbot, aligned):
    from aligner_core.cues import segment
    from tests.desktop.aligned_example import open_window, wait_idle

    audio, doc = aligned
    doc = doc.copy()
    doc.cues = segment(doc, get_profile("general"))
    win = open_window(qtbot, audio, doc)
    m = win.cue_model
    assert m.rowCount() == len(doc.cues) >= 2
    assert all(_cell(m, r, ct.CPS) not in ("", "∞") for r in range(m.rowCount()))
    text = _cell(m, 0, ct.TEXT, Qt.ItemDataRole.EditRole)
    assert "fellow" in text
    before = {i: t for i, t in enumerate(win.document.tokens)}
    assert m.setData(m.index(0, ct.TEXT), text.replace("fellow", "dear"))
    index = next(i for i, t in enumerate(win.document.tokens) if t.text == "dear")
    assert win.document.tokens[index].start is None
    wait_idle(qtbot, win)  # the alignment controller re-aligns the edited span in the background
    dear = win.document.tokens[index]
    assert dear.aligned and not dear.flags & Flag.EDITED
    assert before[index - 1].start <= dear.start and dear.end <= before[index + 1].end
    far = [i for i in range(len(before)) if abs(i - index) > 1]
    assert all(win.document.tokens[i] == before[i] for i in far)  # words away from the edit keep their times
    assert win.session.undo_stack.count() == 1  # the text with its re-alignment: one undo step
    assert _cell(win.word_model, index, wt.START) != "—"
