"""The phone lane on the timeline (issue 17 part 3), on the JFK example aligned for real: drawn
under the words when zoomed in, inner phone boundaries dragged as one undo step, a word edge
dragged takes its outer phones along."""

from __future__ import annotations

import pytest

from aligner_core.document import MIN_PHONE_MS
from desktop.timeline.items import CUE_BAND, LABEL_BAND, PHONE_BAND

from .conftest import show_timeline
from .test_timeline import SHIFT, WORD_Y, drag

PHONE_Y = CUE_BAND + LABEL_BAND + PHONE_BAND / 2


@pytest.fixture
def timeline(qtbot, example):
    audio, doc = example
    return show_timeline(qtbot, audio, doc.copy())


def _fellow(doc) -> int:
    return next(i for i, t in enumerate(doc.tokens) if t.text == "fellow")


def test_phones_are_drawn_only_when_zoomed_in(timeline):
    widget, session, _view = timeline
    plot, doc = widget.plot, session.document
    i = _fellow(doc)
    tok = doc.tokens[i]
    widget.set_range_ms(0, 11_000)  # the whole clip: ~0.1 px per ms, 4 phones in ~40 px
    assert plot.shown_words[i]._phone_xs == []
    widget.set_range_ms(tok.start - 100, tok.end + 100)
    item = plot.shown_words[i]
    assert len(item._phone_xs) == len(tok.phones) - 1
    for x, p in zip(item._phone_xs, tok.phones[1:]):
        assert x + item.pos().x() == pytest.approx(plot.x_of(p.start), abs=0.5)
    assert [label for _, _, label in item._phone_labels] == [p.label for p in tok.phones]
    widget.grab()  # paints the lane without a Qt warning (the fixture fails on those)


def test_dragging_an_inner_phone_boundary_is_one_undo_step(timeline):
    widget, session, _view = timeline
    plot, doc = widget.plot, session.document
    i = _fellow(doc)
    tok = doc.tokens[i]
    widget.set_range_ms(tok.start - 100, tok.end + 100)
    before = doc.copy()
    inner = tok.phones[1].start
    drag(plot, inner, PHONE_Y, 25, SHIFT)
    after = doc.tokens[i]
    assert after.phones[1].start == pytest.approx(inner + 25 * plot.ms_per_px(), abs=plot.ms_per_px() + 1)
    assert (after.start, after.end) == (tok.start, tok.end) and after.locked
    assert session.undo_stack.count() == 1 and session.undo_stack.undoText() == "Move phone boundary"
    assert doc.problems() == []
    session.undo_stack.undo()
    assert doc == before
    # a drag past the next phone stops MIN_PHONE_MS short of its end
    drag(plot, inner, PHONE_Y, 2000, SHIFT)
    assert doc.tokens[i].phones[1].end - doc.tokens[i].phones[1].start == MIN_PHONE_MS


def test_a_word_edge_drag_moves_its_outer_phones(timeline):
    widget, session, _view = timeline
    plot, doc = widget.plot, session.document
    i = _fellow(doc)
    tok = doc.tokens[i]
    widget.set_range_ms(tok.start - 100, tok.end + 100)
    drag(plot, tok.end, WORD_Y, -15, SHIFT)
    now = doc.tokens[i]
    assert now.end < tok.end and now.phones[-1].end == now.end and now.phones[0].start == now.start
    assert now.phones[:-1] == tok.phones[:-1]  # the measured inner boundaries stay
    nxt = doc.tokens[i + 1]
    if nxt.phones:
        assert nxt.phones[0].start == nxt.start
    item = plot.shown_words[i]
    assert item._phone_xs[-1] + item.pos().x() == pytest.approx(plot.x_of(now.phones[-1].start), abs=0.5)


def test_export_dialog_writes_a_phone_tier_and_bare_word_labels(qtbot, example, tmp_path):
    from aligner_core.formats import parse_textgrid

    from .aligned_example import open_window

    audio, doc = example
    win = open_window(qtbot, audio, doc)
    dialog = win.files.export()
    dialog.set_format("srt")
    assert not dialog.bare_check.isEnabled()
    dialog.set_format("textgrid")
    assert dialog.bare_check.isEnabled() and not dialog.bare_check.isChecked()
    dialog.bare_check.setChecked(True)
    out = tmp_path / "jfk.TextGrid"
    dialog.path_edit.setText(str(out))
    assert dialog.export_now()
    grid = parse_textgrid(out.read_text(encoding="utf-8"))
    words = [iv.text for iv in grid.tier("words").intervals if iv.text]
    assert "Americans" in words and "Americans," not in words
    phones = [iv.text for iv in grid.tier("phones").intervals if iv.text]
    assert phones == [p.label for t in doc.tokens for p in t.phones if p.end > p.start]


def test_align_phones_is_a_remembered_choice_off_by_default(qtbot, example):
    """Timing → Align phones (phone tier): unchecked on a first start, so Align measures words
    only (the offline aligner's phone pass doubles its time); checked, the next Align gives
    every word its phones, and the next window starts checked."""
    from desktop import settings
    from desktop.alignment import PHONES_KEY

    from .aligned_example import open_window, wait_idle
    from .conftest import new_window

    audio, doc = example
    win = open_window(qtbot, audio, doc)
    action = win.actions["timing.align_phones"]
    assert action.isCheckable() and not action.isChecked() and action in win.menus["timing"].actions()
    assert action.text() == "A&lign phones (phone tier)"
    win.alignment.align_all()
    wait_idle(qtbot, win)
    tokens = win.session.document.tokens
    assert all(t.aligned for t in tokens) and not any(t.phones for t in tokens)
    action.setChecked(True)
    assert settings.value(PHONES_KEY, False) is True
    win.alignment.align_all()
    wait_idle(qtbot, win)
    tokens = win.session.document.tokens
    assert all(t.aligned and t.phones for t in tokens)
    assert new_window(qtbot).actions["timing.align_phones"].isChecked()


def test_export_asks_for_align_phones_instead_of_an_empty_phone_tier(qtbot, example, tmp_path):
    from dataclasses import replace

    from aligner_core.document import Document
    from aligner_core.formats import parse_textgrid

    from .aligned_example import open_window

    audio, doc = example
    bare = Document([replace(t, phones=()) for t in doc.tokens], list(doc.cues), doc.duration_ms, doc.language)
    win = open_window(qtbot, audio, bare)
    dialog = win.files.export()
    assert not dialog.phones_check.isChecked()  # no phones: not offered as on
    dialog.set_format("srt")
    assert not dialog.phones_check.isEnabled()
    dialog.set_format("textgrid")
    assert dialog.phones_check.isEnabled()
    out = tmp_path / "jfk.TextGrid"
    dialog.path_edit.setText(str(out))
    dialog.phones_check.setChecked(True)
    assert dialog.error_label.isVisible() and "Align phones" in dialog.error_label.text()
    assert dialog.error_label.text().count(".") == 1  # one sentence
    assert not dialog.export_button.isEnabled() and not dialog.export_now() and not out.exists()
    dialog.phones_check.setChecked(False)
    assert not dialog.error_label.isVisible() and dialog.export_button.isEnabled()
    assert dialog.export_now()
    assert [t.name for t in parse_textgrid(out.read_text(encoding="utf-8")).tiers] == ["words", "cues"]
