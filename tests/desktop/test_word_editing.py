"""Word editing on real widgets over the aligned JFK example: insert and delete words, cut/copy/paste
through the system clipboard, find and replace, and the spell-check walk with a real dictionary."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication

from aligner_core.clipboard import MIME_TYPE
from aligner_core.cues import get_profile, segment
from aligner_core.document import Flag
from aligner_core.edits import SetTokenText
from desktop import settings
from desktop.spell_check import FOLDER_KEY, personal_path
from desktop.word_editing import keep_plain_text_only

from .aligned_example import open_window


@pytest.fixture
def window(qtbot, example):
    win = open_window(qtbot, *example)
    return win


def _texts(win):
    return [t.text for t in win.document.tokens]


def _act(win, action_id):
    action = win.actions[action_id]
    assert action.isEnabled(), f"{action_id} is disabled"
    action.trigger()


def test_insert_word_after_through_the_dialog_is_one_undo_step(window, qtbot):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    window.view.select(tokens=(1, 1))  # "so,"
    _act(window, "edit.insert_word_after")
    dialog = window.word_editing.insert_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.setTextValue("then")
    dialog.accept()
    assert _texts(window)[:4] == ["And", "so,", "then", "my"]
    new = doc.tokens[2]
    assert new.flags & Flag.EDITED and window.view.tokens == (2, 2)
    if new.aligned:  # it filled the gap between "so," and "my"
        assert before.tokens[1].end <= new.start <= new.end <= before.tokens[2].start
    assert stack.count() == 1
    stack.undo()
    assert doc == before


def test_delete_key_in_the_word_table_deletes_the_selected_words(window, qtbot):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    window.tables.tabs.setCurrentWidget(window.tables.word_table)
    window.view.select(tokens=(3, 4))  # "fellow Americans,"
    table = window.tables.word_table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _texts(window)[:5] == ["And", "so,", "my", "ask", "not"]
    assert stack.count() == 1 and len(doc.tokens) == len(before.tokens) - 2
    stack.undo()
    assert doc == before


def test_copy_and_paste_words_through_the_system_clipboard(window, qtbot):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    window.view.select(tokens=(3, 4))
    table = window.tables.word_table
    window.tables.tabs.setCurrentWidget(table)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    data = QApplication.clipboard().mimeData()
    assert data.text() == "fellow Americans,"
    payload = json.loads(bytes(data.data(MIME_TYPE)))
    assert [w["text"] for w in payload["words"]] == ["fellow", "Americans,"] and payload["words"][0]["start"] == 0
    last = len(doc.tokens) - 1
    window.view.select(tokens=(last, last))
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _texts(window)[-2:] == ["fellow", "Americans,"]
    assert stack.count() == 1 and window.view.tokens == (last + 1, last + 2)
    assert not any(t.locked for t in doc.tokens[-2:])
    stack.undo()
    assert doc == before


def test_cut_removes_the_words_and_paste_puts_them_back_at_the_playhead(window):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    window.view.select(tokens=(5, 6))  # "ask not"
    gap = (before.tokens[4].end, before.tokens[7].start)
    _act(window, "edit.cut")
    assert "ask not" not in " ".join(_texts(window)[:7])
    assert window.stage_label.text() == "2 words cut." and stack.undoText() == "Cut words"  # not "deleted"
    window.view.clear()
    window.view.set_playhead(before.tokens[5].start)
    _act(window, "edit.paste")
    assert _texts(window) == [t.text for t in before.tokens]  # back where they were
    assert stack.count() == 2
    for i in (5, 6):  # at the playhead with their relative times: their own place
        assert doc.tokens[i].start == before.tokens[i].start and doc.tokens[i].end == before.tokens[i].end
        assert gap[0] <= doc.tokens[i].start
    stack.undo()
    stack.undo()
    assert doc == before


def test_a_cue_is_copied_with_its_words_and_pasted_as_a_cue(qtbot, example):
    audio, doc = example
    doc = doc.copy()
    doc.cues = segment(doc, get_profile("general"))
    win = open_window(qtbot, audio, doc)
    doc, stack = win.document, win.session.undo_stack
    n_cues = len(doc.cues)
    assert n_cues >= 2
    cue = doc.cues[0]
    win.view.select(cue=0, tokens=(cue.first, cue.last))
    _act(win, "edit.copy")
    assert QApplication.clipboard().text() == doc.cue_text(cue)
    win.view.select(cue=0, tokens=(cue.first, cue.last))
    _act(win, "edit.paste")
    assert len(doc.cues) == n_cues + 1 and stack.count() == 1
    pasted = doc.cues[1]
    assert doc.cue_text(pasted) == doc.cue_text(doc.cues[0])


def test_bad_clipboard_data_is_refused_in_one_sentence_and_plain_text_pastes_as_words(window):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    data = QMimeData()
    data.setData(MIME_TYPE, b'{"kind": "wordsync-words", "version": 1, "words": [{"text": ""}]}')
    QApplication.clipboard().setMimeData(data)
    window.view.select(tokens=(0, 0))
    _act(window, "edit.paste")
    assert doc == before and stack.count() == 0
    message = window.stage_label.text()
    assert "clipboard" in message and "\n" not in message
    QApplication.clipboard().setText("dear friends")
    _act(window, "edit.paste")
    assert _texts(window)[:3] == ["And", "dear", "friends"] and stack.count() == 1


def test_replace_all_with_a_regex_is_one_undo_step(window, qtbot):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    _act(window, "edit.replace")
    bar = window.tables.find_bar
    assert bar.isVisible() and bar.replace_row.isVisible()
    bar.field.setText(r"countr(y)")
    bar.replace_field.setText(r"nation\1")
    bar.regex_box.setChecked(True)
    bar.case_box.setChecked(True)
    qtbot.mouseClick(bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert _texts(window).count("nationy") == 1 and "nationy." in _texts(window)
    assert "2 replaced" in bar.status.text()
    assert window.stage_label.text() == bar.status.text()  # an edit: the status bar says it too
    changed = [i for i, t in enumerate(doc.tokens) if t.text.startswith("nation")]
    assert all(doc.tokens[i].start == before.tokens[i].start for i in changed)  # one word for one: times kept
    assert stack.count() == 1
    stack.undo()
    assert doc == before


def test_tab_goes_from_the_find_field_to_the_replacement(window, qtbot):
    bar = window.tables.find_bar
    _act(window, "edit.replace")
    qtbot.waitUntil(lambda: bar.field.hasFocus())
    qtbot.keyClick(bar.field, Qt.Key.Key_Tab)
    assert bar.replace_field.hasFocus()  # it went through Previous, Next, the options and Close first
    qtbot.keyClick(bar.replace_field, Qt.Key.Key_Backtab)
    assert bar.field.hasFocus()


def test_replace_one_within_the_selection_and_a_bad_pattern(window, qtbot):
    doc = window.document
    bar = window.tables.find_bar
    _act(window, "edit.replace")
    window.view.select(tokens=(11, len(doc.tokens) - 1))  # after the first "can"
    bar.within_box.setChecked(True)
    bar.whole_box.setChecked(True)
    bar.field.setText("can")
    bar.replace_field.setText("could")
    bar.find_next()
    first = window.view.tokens[0]
    assert first == 17 and doc.tokens[first].text == "can"
    bar.replace_one()
    assert doc.tokens[first].text == "could"
    assert doc.tokens[10].text == "can"  # outside the selection
    bar.regex_box.setChecked(True)
    bar.field.setText("(unclosed")
    bar.find_next()
    assert "regular expression" in bar.status.text() and "character 1" in bar.status.text()


def _dictionary(folder):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en_US.aff").write_text("SET UTF-8\nTRY esianrtolcdugmphbyfvkwzESIANRTOLCDUGMPHBYFVKWZ\n", encoding="utf-8")
    words = "and so my fellow americans ask not what your can do for you".split()
    (folder / "en_US.dic").write_text(f"{len(words) + 1}\ncountry\n" + "\n".join(words) + "\n", encoding="utf-8")


def test_spell_check_walk_add_ignore_and_replace(window, qtbot, tmp_path):
    folder = tmp_path / "dicts"
    _dictionary(folder)
    settings.set_value(FOLDER_KEY, str(folder))
    doc, session = window.document, window.session
    i = next(k for k, t in enumerate(doc.tokens) if t.text.startswith("country"))
    session.push(SetTokenText(3, "Kennedyish"))  # "fellow"
    session.push(SetTokenText(5, "asc"))  # "ask"
    session.push(SetTokenText(i, "countrry"))
    window.view.select(tokens=(0, 0))
    _act(window, "edit.spell_check")
    spell = window.spell_check
    qtbot.waitUntil(lambda: spell.dialog is not None and spell.dialog.isVisible(), timeout=20000)
    assert "Loading" not in window.stage_label.text()  # it stayed there after the load, the walk open
    dialog = spell.dialog
    model = window.tables.word_model
    assert model.data(model.index(i, 0), Qt.ItemDataRole.FontRole).underline()  # marked in the word table
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None
    assert window.view.tokens == (3, 3)
    dialog.add_button.click()  # Add: into the personal word list in the settings folder
    assert personal_path().read_text(encoding="utf-8").split() == ["Kennedyish"]
    assert window.view.tokens == (5, 5)
    dialog.ignore_button.click()  # Ignore: for this session
    assert window.view.tokens == (i, i)
    qtbot.waitUntil(lambda: dialog.suggestions.isEnabled(), timeout=20000)  # found in the background
    assert dialog.suggestions.item(0).text() == "country" and dialog.replacement.text() == "country"
    start, undo_steps = doc.tokens[i].start, session.undo_stack.count()
    dialog.replace_button.click()
    assert doc.tokens[i].text.startswith("country") and doc.tokens[i].start == start  # one word for one: times kept
    assert session.undo_stack.count() == undo_steps + 1
    assert not dialog.replace_button.isEnabled() and "No misspelt" in dialog.word_label.text()
    for k in (3, 5, i):
        assert model.data(model.index(k, 0), Qt.ItemDataRole.FontRole) is None


def test_spell_check_without_a_dictionary_says_so(window, qtbot, tmp_path):
    settings.set_value(FOLDER_KEY, str(tmp_path / "none"))
    window.session.document.language = "xx"
    _act(window, "edit.spell_check")
    qtbot.waitUntil(lambda: window.spell_check.problem is not None, timeout=20000)
    assert "xx" in window.stage_label.text()
    assert window.spell_check.dialog is None


def test_cut_paste_and_delete_keys_work_with_the_timeline_focused(window, qtbot):
    doc, stack = window.document, window.session.undo_stack
    before = doc.copy()
    qtbot.waitExposed(window)
    plot = window.timeline.plot
    plot.setFocus()
    qtbot.waitUntil(plot.hasFocus)
    window.view.select(tokens=(5, 6))  # "ask not"
    qtbot.keyClick(plot, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "ask not" and len(doc.tokens) == len(before.tokens) - 2
    window.view.select(tokens=(4, 4))  # paste after "Americans," at its end: the words' own place
    qtbot.keyClick(plot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [t.text for t in doc.tokens] == [t.text for t in before.tokens]
    window.view.select(tokens=(0, 1))
    qtbot.keyClick(plot, Qt.Key.Key_Delete)
    assert doc.tokens[0].text == "my" and stack.count() == 3
    for _ in range(3):
        stack.undo()
    assert doc == before


def test_finding_with_a_regex_ignores_a_replacement_still_being_typed(window):
    bar = window.tables.find_bar
    window.actions["edit.replace"].trigger()
    bar.regex_box.setChecked(True)
    bar.field.setText(r"(ask)")
    bar.replace_field.setText(r"\2")  # the pattern has one group: only replacing can fail
    bar.find_next()
    assert window.document.tokens[window.view.tokens[0]].text == "ask" and "of 2" in bar.status.text()
    bar.replace_all()
    assert "group" in bar.status.text() and [t.text for t in window.document.tokens].count("ask") == 2


def test_the_clipboard_keeps_the_text_when_the_window_goes(window):
    window.view.select(tokens=(0, 1))
    _act(window, "edit.copy")
    assert QApplication.clipboard().mimeData().hasFormat(MIME_TYPE)
    keep_plain_text_only()  # what the window's destruction and the application's quitting call
    data = QApplication.clipboard().mimeData()
    assert data.text() == "And so," and not data.hasFormat(MIME_TYPE)
