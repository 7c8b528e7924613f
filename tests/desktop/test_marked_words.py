"""Words of no length and words without times are drawn as a mark the user can grab, are flagged,
and no drag makes a word shorter than the core's minimum."""

from __future__ import annotations

from aligner_core.document import Flag
from aligner_core.edits import MIN_WORD_MS, MoveBoundary, SetTokenTimes
from desktop.timeline.items import CUE_BAND, LABEL_BAND

from .test_timeline import SHIFT, WORD_Y, drag, jfk  # noqa: F401 - the fixture

MARK_Y = CUE_BAND + LABEL_BAND / 2


def _mark_xs(plot, selected=False):
    """The x of each flag drawn (a flag is a triangle around its word's x)."""
    if plot.marks is None:
        return []
    path = plot.marks.selected if selected else plot.marks.plain
    xs = [path.elementAt(k).x for k in range(path.elementCount())]
    return sorted({round((xs[k] + xs[k + 1]) / 2, 1) for k in range(0, len(xs), 4)})


def test_a_word_dragged_to_nothing_keeps_the_minimum_length(jfk):
    widget, session, _view = jfk
    plot, doc = widget.plot, session.document
    start = doc.tokens[3].start
    drag(plot, doc.tokens[3].end, WORD_Y, -400, SHIFT)  # far past the word's own start
    assert doc.tokens[3].end - doc.tokens[3].start == MIN_WORD_MS and doc.tokens[3].start == start
    assert not doc.tokens[3].flags & Flag.ZERO_DURATION
    assert plot.shown_words[3].isVisible()


def test_a_word_of_no_length_is_marked_flagged_and_grows_when_its_mark_is_dragged(jfk):
    widget, session, view = jfk
    plot, doc = widget.plot, session.document
    assert plot.marks is None  # no item at all while no word needs a mark
    t = doc.tokens[3].start
    assert session.push(MoveBoundary(3, t))  # what an aligner's answer can look like
    assert doc.tokens[3].start == doc.tokens[3].end == t and doc.tokens[3].flags & Flag.ZERO_DURATION
    xs = _mark_xs(plot)
    assert xs and min(abs(x - plot.x_of(t)) for x in xs) <= 6  # drawn where the word is
    drag(plot, t, MARK_Y, 30, SHIFT)  # grab the mark and pull
    assert doc.tokens[3].end > doc.tokens[3].start == t
    assert not doc.tokens[3].flags & Flag.ZERO_DURATION
    assert view.tokens == (3, 3)
    assert plot.marks is None


def test_an_unaligned_word_is_marked_in_its_gap_and_a_click_selects_it(jfk):
    widget, session, view = jfk
    plot, doc = widget.plot, session.document
    lo, hi = doc.tokens[5].start, doc.tokens[7].end
    assert session.push(SetTokenTimes(6, None, None))
    mark = (doc.tokens[5].end + doc.tokens[7].start) / 2
    assert lo < mark < hi
    assert _mark_xs(plot)
    drag(plot, mark, MARK_Y, 0)  # a click on the mark
    assert view.tokens == (6, 6)
    assert _mark_xs(plot, selected=True) and not _mark_xs(plot)  # drawn as selected
