"""After Align the subtitles are there: cues made with the session's profile in the same undo
step; a user's line breaks and an imported subtitle file's cues are kept."""

from __future__ import annotations

import pytest

from aligner_core.cues import segment
from aligner_core.document import Break

from desktop.alignment import AlignmentOptions

from .aligned_example import AUDIO, wait_idle
from .conftest import new_window

LINES = "And so, my fellow Americans,\nask not what your country can do for you,\nask what you can do for your country.\n"


@pytest.fixture
def window(qtbot):
    win = new_window(qtbot)
    win.alignment.options = AlignmentOptions("sphinx", "", "cpu")
    return win


def _open_and_align(qtbot, win, transcript):
    win.open_files([str(AUDIO), str(transcript)])
    wait_idle(qtbot, win)
    assert win.session.audio is not None and win.document is not None
    assert win.actions["timing.align"].isEnabled()
    win.actions["timing.align"].trigger()
    wait_idle(qtbot, win)


def test_align_makes_the_cues_with_the_profile_in_one_undo_step(qtbot, window, tmp_path):
    transcript = tmp_path / "jfk.txt"
    transcript.write_text(LINES, encoding="utf-8")
    _open_and_align(qtbot, window, transcript)
    doc, stack = window.document, window.session.undo_stack
    assert all(t.aligned for t in doc.tokens)
    assert doc.cues and doc.cues == segment(doc, window.session.profile)
    assert all(c.start is not None and c.end is not None for c in doc.cues)
    breaks = [i for i, t in enumerate(doc.tokens) if t.brk >= Break.LINE]
    assert breaks and set(breaks) <= {c.first for c in doc.cues}  # the user's lines start cues
    # the cue table and the timeline's cue lane show them
    assert window.cue_model.rowCount() == len(doc.cues)
    assert window.timeline.plot.shown_cues
    assert stack.count() == 1
    stack.undo()
    assert doc.cues == [] and not any(t.aligned for t in doc.tokens)
    assert window.cue_model.rowCount() == 0
    stack.redo()
    assert doc.cues == segment(doc, window.session.profile)


def test_align_keeps_an_imported_subtitle_files_cues(qtbot, window, tmp_path):
    srt = tmp_path / "jfk.srt"
    srt.write_text(
        "1\n00:00:00,000 --> 00:00:04,000\nAnd so, my fellow Americans, ask not\n\n"
        "2\n00:00:04,000 --> 00:00:11,000\nwhat your country can do for you, ask what you can do for your country.\n",
        encoding="utf-8",
    )
    _open_and_align(qtbot, window, srt)
    doc = window.document
    assert all(t.aligned for t in doc.tokens)
    assert [(c.first, c.last) for c in doc.cues] == [(0, 6), (7, 21)]
