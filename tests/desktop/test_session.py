"""The session's undo stack over core edits: one step per push, merged nudges, refused edits."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from aligner_core.document import Cue, Document, Token
from aligner_core.edits import MoveBoundary, SetTokenText
from desktop.actions import SHORTCUTS
from desktop.session import Session


def _doc() -> Document:
    toks = [Token("one", ("one",), 0, 100), Token("two", ("two",), 100, 200), Token("three", ("three",), 250, 400)]
    return Document(toks, [Cue(0, 2)], 1000, "en")


def test_push_undo_redo_restore_the_document(qtbot):
    s = Session()
    s.set_document(_doc())
    original = s.document.copy()
    seen = []
    s.changed.connect(seen.append)
    assert s.push(MoveBoundary(0, 120), "drag")
    assert s.document.tokens[0].end == 120 and s.document.tokens[1].start == 120
    assert s.modified
    s.undo_stack.undo()
    assert s.document == original and not s.modified
    s.undo_stack.redo()
    assert s.document.tokens[1].start == 120
    assert [list(c.tokens) for c in seen] == [[0, 1]] * 3


def test_nudges_with_one_key_merge_into_one_step(qtbot):
    s = Session()
    s.set_document(_doc())
    original = s.document.copy()
    for ms in (110, 120, 130):
        assert s.push(MoveBoundary(0, ms), "nudge", merge_key=("boundary", 0))
    assert s.push(SetTokenText(2, "three!"), "text")
    assert s.undo_stack.count() == 2
    s.undo_stack.undo()
    s.undo_stack.undo()
    assert s.document == original


def test_refused_edit_leaves_no_step_and_says_why(qtbot):
    s = Session()
    s.set_document(_doc())
    reasons = []
    s.refused.connect(reasons.append)
    assert not s.push(MoveBoundary(0, 5000), "drag")
    assert s.undo_stack.count() == 0 and reasons and not s.modified


def test_no_two_actions_share_a_shortcut():
    seen: dict[str, str] = {}
    for action_id, keys in SHORTCUTS.items():
        for key in keys:
            norm = QKeySequence(key).toString()
            assert norm, f"{action_id}: {key!r} is not a key sequence"
            assert norm not in seen, f"{key} is used by {seen.get(norm)} and {action_id}"
            seen[norm] = action_id
