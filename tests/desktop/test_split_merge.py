"""Split then merge in the cue table: the highlighted row is the selection, Merge is ready at once,
and merging puts back a two-line cue (the split's line break is not kept as a third line)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .aligned_example import open_window


def _click_row(qtbot, table, row):
    table.scrollTo(table.model().index(row, 0))
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _selected_rows(table):
    return sorted({i.row() for i in table.selectionModel().selectedRows()})


def test_split_inside_the_second_line_then_merge_gives_the_two_line_cue_back(qtbot, example):
    win = open_window(qtbot, *example)
    win.actions["timing.resegment"].trigger()
    doc, tables = win.document, win.tables
    c = next(k for k, cue in enumerate(doc.cues) if len(cue.line_starts) == 1)
    cue = doc.cues[c]
    at = cue.first + cue.line_starts[0] + 2  # a word inside the cue's second line
    cues_table, words_table = tables.cue_table, tables.word_table
    tables.tabs.setCurrentWidget(words_table)
    _click_row(qtbot, words_table, at)
    assert win.view.tokens == (at, at)
    assert win.actions["edit.split_cue"].isEnabled()
    win.actions["edit.split_cue"].trigger()
    assert doc.cues[c + 1].first == at
    tables.tabs.setCurrentWidget(cues_table)
    # the highlighted row is the selection, and Merge applies to it without clicking around
    assert win.view.cue == c and _selected_rows(cues_table) == [c]
    assert win.actions["edit.merge_cues"].isEnabled()
    win.actions["edit.merge_cues"].trigger()
    assert doc.cues[c] == cue and len(doc.cue_text(doc.cues[c]).splitlines()) == 2
    assert _selected_rows(cues_table) == [c] and win.view.cue == c
    # a row clicked in the table is what Split and Merge act on
    win.actions["timing.resegment"].trigger()
    _click_row(qtbot, cues_table, 0)
    assert win.view.cue == 0 and win.actions["edit.merge_cues"].isEnabled()
