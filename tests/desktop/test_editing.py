"""Editing actions on a real alignment of the JFK example: nudges, boundary walking, split/merge,
lock, re-segmenting with a profile, walking flagged words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from aligner_core.document import Flag
from aligner_core.edits import MIN_WORD_MS, SetTokenText
from aligner_core.review import needs_review
from desktop import settings
from desktop.view_state import Boundary

from .aligned_example import open_window


@pytest.fixture
def window(qtbot, example):
    return open_window(qtbot, *example)


def _act(win, action_id):
    action = win.actions[action_id]
    assert action.isEnabled(), f"{action_id} is disabled"
    action.trigger()


def test_nudges_of_one_boundary_merge_into_one_undo_step(window):
    doc, stack = window.document, window.session.undo_stack
    original = doc.copy()
    end = doc.tokens[2].end
    assert doc.tokens[3].start == end  # "my|fellow": one shared boundary
    window.view.select(tokens=(2, 2))  # no boundary clicked: the selected word's end
    for action_id in ("edit.nudge_right", "edit.nudge_right", "edit.nudge_right", "edit.nudge_right_big", "edit.nudge_left"):
        _act(window, action_id)
    assert doc.tokens[2].end == doc.tokens[3].start == end + 120
    assert doc.tokens[2].locked and doc.tokens[3].locked  # a corrected boundary locks itself
    assert window.view.boundary == Boundary("token", 2, "end")  # the timeline marks what the keys move
    assert stack.count() == 1
    # a different boundary starts a new step
    window.view.select(tokens=(7, 7), boundary=Boundary("token", 7, "end"))
    _act(window, "edit.nudge_left")
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert doc == original


def test_nudge_stops_at_the_neighbour(window):
    doc, stack = window.document, window.session.undo_stack
    gap_end = doc.tokens[5].start
    assert doc.tokens[4].end < gap_end  # a pause after "Americans,"
    window.view.select(tokens=(4, 4), boundary=Boundary("token", 4, "end"))
    for _ in range(30):
        window.actions["edit.nudge_right_big"].trigger()
    assert doc.tokens[4].end == gap_end and doc.tokens[5].start == gap_end
    assert not doc.tokens[5].locked  # the neighbour was only touched, not corrected
    assert stack.count() == 1
    assert "cannot move" in window.stage_label.text()
    # the start of "fellow" is the end of "my": clicking either side moves the same boundary
    window.view.select(boundary=Boundary("token", 3, "start"))
    for _ in range(10):
        window.actions["edit.nudge_left_big"].trigger()
    # a word is never nudged shorter than the core's minimum
    assert doc.tokens[2].end == doc.tokens[3].start == doc.tokens[2].start + MIN_WORD_MS
    assert doc.problems() == []
    assert stack.count() == 2


def test_a_word_start_nudged_onto_its_neighbour_stops_there(window):
    doc, stack = window.document, window.session.undo_stack
    gap_start = doc.tokens[4].end
    assert gap_start < doc.tokens[5].start  # a pause after "Americans,"
    window.view.select(tokens=(5, 5), boundary=Boundary("token", 5, "start"))
    for _ in range(30):
        window.actions["edit.nudge_left_big"].trigger()
    # like a word end, the start keeps moving alone: it does not turn into the shared boundary
    assert doc.tokens[5].start == doc.tokens[4].end == gap_start
    assert doc.tokens[5].locked and not doc.tokens[4].locked
    assert stack.count() == 1 and "cannot move" in window.stage_label.text()
    # a new run takes the boundary as it now is: shared, both words move
    window.view.select(tokens=(5, 5), boundary=Boundary("token", 5, "start"))
    stack.undo()
    stack.redo()
    _act(window, "edit.nudge_left")
    assert doc.tokens[4].end == doc.tokens[5].start == gap_start - 10 and doc.tokens[4].locked
    assert stack.count() == 2


def test_a_drag_and_a_nudge_stop_at_the_same_place(window):
    from .test_timeline import WORD_Y, drag

    doc, stack, plot = window.document, window.session.undo_stack, window.timeline.plot
    start, end = doc.tokens[2].end, doc.tokens[3].end
    assert doc.tokens[3].start == start
    window.timeline.set_range_ms(max(start - 1000, 0), end + 1000)
    drag(plot, start, WORD_Y, 2000)  # far past "fellow"'s end
    dragged = doc.tokens[2].end
    assert dragged == end - MIN_WORD_MS and doc.tokens[2].locked and doc.tokens[3].locked
    stack.undo()
    assert doc.tokens[2].end == start and not doc.tokens[2].locked
    window.view.select(tokens=(2, 2), boundary=Boundary("token", 2, "end"))
    for _ in range(30):
        window.actions["edit.nudge_right_big"].trigger()
    assert doc.tokens[2].end == doc.tokens[3].start == dragged


def test_boundary_walk_treats_a_shared_boundary_as_one(window):
    doc, view = window.document, window.view
    view.select(tokens=(0, 0), boundary=Boundary("token", 0, "start"))
    revealed = []
    view.reveal_requested.connect(lambda a, b: revealed.append(a))
    _act(window, "edit.next_boundary")
    assert view.boundary == Boundary("token", 0, "end")
    _act(window, "edit.next_boundary")  # "And|so," share one boundary: no stop at 1's start
    assert view.boundary == Boundary("token", 1, "end") and view.tokens == (1, 1)
    view.select(tokens=(4, 4), boundary=Boundary("token", 4, "end"))
    _act(window, "edit.next_boundary")  # after a pause the next word's start is its own boundary
    assert view.boundary == Boundary("token", 5, "start")
    _act(window, "edit.previous_boundary")
    assert view.boundary == Boundary("token", 4, "end")
    assert revealed[-1] == doc.tokens[4].end
    # from a selected word: forward to its end, back to its start (shared with "my")
    view.select(tokens=(3, 3))
    _act(window, "edit.next_boundary")
    assert view.boundary == Boundary("token", 3, "end")
    view.select(tokens=(3, 3))
    _act(window, "edit.previous_boundary")
    assert view.boundary == Boundary("token", 2, "end")


def test_split_then_merge_gives_the_cues_back_with_undo_and_redo(window):
    doc, stack, view = window.document, window.session.undo_stack, window.view
    assert not window.actions["edit.split_cue"].isEnabled()  # no cues yet
    _act(window, "timing.resegment")
    cues = list(doc.cues)
    host = doc.cue_index_of(14)
    assert host is not None and doc.cues[host].first < 14
    view.select(tokens=(14, 14))
    _act(window, "edit.split_cue")
    assert len(doc.cues) == len(cues) + 1 and doc.cues[host + 1].first == 14
    view.select(tokens=(doc.cues[host].first, doc.cues[host].first))
    assert not window.actions["edit.split_cue"].isEnabled()  # a cue's first word cannot start a new one
    view.select(cue=host)
    _act(window, "edit.merge_cues")
    assert [(c.first, c.last) for c in doc.cues] == [(c.first, c.last) for c in cues]
    assert doc.cues == cues  # 14 began the second line: merging puts the line back too
    stack.undo()
    assert len(doc.cues) == len(cues) + 1
    stack.undo()
    assert doc.cues == cues
    stack.redo()
    stack.redo()
    assert doc.cues == cues and stack.count() == 3
    view.select(cue=len(doc.cues) - 1)
    assert not window.actions["edit.merge_cues"].isEnabled()  # the last cue has no next


def test_lock_and_unlock_the_selected_words(window):
    doc, stack, view = window.document, window.session.undo_stack, window.view
    view.select(tokens=(5, 7))
    assert not window.actions["edit.unlock"].isEnabled()
    _act(window, "edit.lock")
    assert [t.locked for t in doc.tokens[4:9]] == [False, True, True, True, False]
    assert stack.count() == 1 and not window.actions["edit.lock"].isEnabled()
    view.select(tokens=(6, 6))
    _act(window, "edit.unlock")
    assert [t.locked for t in doc.tokens[5:8]] == [True, False, True]
    stack.undo()
    stack.undo()
    assert not any(t.locked for t in doc.tokens)


def test_resegment_with_one_line_profile_is_one_undo_step(window):
    doc, stack = window.document, window.session.undo_stack
    _act(window, "timing.resegment")
    general = list(doc.cues)
    assert len(general) == 2 and any(c.line_starts for c in general)
    profile_action = window.findChild(type(window.actions["timing.resegment"]), "cues.profile.one-line")
    profile_action.trigger()
    assert window.session.profile.name == "one-line" and profile_action.isChecked()
    assert settings.value("cues/profile", "") == "one-line"
    _act(window, "timing.resegment")
    assert len(doc.cues) == 3 and not any(c.line_starts for c in doc.cues)
    assert [doc.cues[0].first, doc.cues[-1].last] == [0, 21]
    assert stack.count() == 2
    stack.undo()
    assert doc.cues == general


def test_the_chosen_profile_is_remembered(qtbot, example):
    settings.set_value("cues/profile", "karaoke")
    win = open_window(qtbot, *example)
    assert win.session.profile.name == "karaoke"
    assert win.findChild(type(win.actions["timing.resegment"]), "cues.profile.karaoke").isChecked()


def test_f8_walks_flagged_and_low_confidence_words(qtbot, window):
    doc, view = window.document, window.view
    assert window.session.push(SetTokenText(12, "four"))  # edited since alignment: worth a look
    assert doc.tokens[12].flags & Flag.EDITED
    flagged = [i for i, t in enumerate(doc.tokens) if needs_review(t)]
    assert 12 in flagged and len(flagged) >= 2
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    seen = []
    for _ in range(len(flagged) + 1):
        qtbot.keyClick(window, Qt.Key.Key_F8)
        seen.append(view.tokens[0])
    assert seen == flagged + flagged[:1]  # wraps around to the first
    qtbot.keyClick(window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert view.tokens == (flagged[-1], flagged[-1])
    assert "four" in window.stage_label.text() or doc.tokens[flagged[-1]].text in window.stage_label.text()


def test_actions_wait_for_a_selection(window):
    window.view.clear()
    for action_id in ("edit.nudge_left", "edit.word_text", "edit.lock", "edit.split_cue", "edit.merge_cues"):
        assert not window.actions[action_id].isEnabled(), action_id
    assert window.actions["edit.next_boundary"].isEnabled()
    window.session.set_document(None)
    assert not window.actions["timing.resegment"].isEnabled()
    assert not window.actions["edit.next_flagged"].isEnabled()
