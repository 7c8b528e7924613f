"""Untranscribed spans live in the document (issues 11 and 14): edited, undone, saved, read back,
and filled by an alignment and by a transcribed span."""

from __future__ import annotations

import numpy as np
import pytest

from aligner_core.align.api import AlignRequest, align, align_span
from aligner_core.document import Document, normalize_spans
from aligner_core.edits import CompositeEdit, SetUntranscribed
from aligner_core.formats import ExportOptions, load_text, render_document
from aligner_core.project import Project, load_project, save_project
from aligner_core.text import tokenize
from aligner_core.transcribe.api import SpanTranscription, TranscriptionSummary

from .test_longform import JFK_TEXT, background, espeak, jfk
from .test_mismatch import INTRO, _covers, _join


def _doc(spans=()) -> Document:
    return Document(tokenize("one two three", "en"), [], 60_000, "en", untranscribed=list(spans))


def test_spans_are_part_of_equality_copy_and_problems():
    doc = _doc([(1000, 2000)])
    assert doc.copy() == doc and doc.copy().untranscribed is not doc.untranscribed
    assert doc != _doc()
    assert _doc([(2000, 1000)]).problems() and _doc([(0, 3000), (2000, 4000)]).problems()
    assert _doc([(59_000, 61_000)]).problems() == ["untranscribed span 0 ends after the audio (61000 > 60000 ms)"]
    assert normalize_spans([(5000, 7000), (-10, 100), (6000, 8000), (9, 9), (59_000, 70_000)], 60_000) == [(0, 100), (5000, 8000), (59_000, 60_000)]


def test_set_untranscribed_replaces_only_inside_its_window_and_reverts_exactly():
    doc = _doc([(1000, 3000), (10_000, 12_000), (20_000, 25_000)])
    before = doc.copy()
    edit = SetUntranscribed(2000, 22_000, [(15_000, 16_000), (21_000, 30_000)])
    changed = edit.apply(doc)
    assert changed.spans and not changed.tokens and not changed.structural
    # outside parts of spans crossing the window stay; the new ones are clipped to it and merged
    assert doc.untranscribed == [(1000, 2000), (15_000, 16_000), (21_000, 25_000)]
    assert doc.revision == before.revision + 1
    assert edit.revert(doc).spans
    assert doc == before
    same = SetUntranscribed(0, 60_000, before.untranscribed)
    assert not same.apply(doc).spans  # nothing changed, and it says so


def test_set_untranscribed_is_one_step_inside_a_composite_and_refuses_a_backwards_window():
    doc = _doc([(1000, 2000)])
    before = doc.copy()
    step = CompositeEdit([SetUntranscribed(0, 60_000, [(5000, 6000)]), SetUntranscribed(0, 3000, [(100, 200)])])
    step.apply(doc)
    assert doc.untranscribed == [(100, 200), (5000, 6000)]
    step.revert(doc)
    assert doc == before
    with pytest.raises(ValueError):
        SetUntranscribed(20_000, 10_000, [])


def test_project_round_trip_keeps_spans_and_writes_the_key_only_when_there_are_some(tmp_path):
    doc = _doc([(1000, 2000), (30_000, 45_500)])
    save_project(Project(doc, transcript_text="one two three"), tmp_path / "a.wordsync")
    assert load_project(tmp_path / "a.wordsync").document == doc
    save_project(Project(_doc(), transcript_text="one two three"), tmp_path / "b.wordsync")
    assert "untranscribed" not in (tmp_path / "b.wordsync").read_text()
    assert load_project(tmp_path / "b.wordsync").document.untranscribed == []


@pytest.mark.parametrize("bad", ['{"x": 1}', "[[1, 2, 3]]", '[[1.5, 2]]', "[[3000, 1000]]", "[[0, 99999999]]"])
def test_a_project_with_broken_spans_is_refused_in_one_sentence(tmp_path, bad):
    from aligner_core.project import ProjectError

    save_project(Project(_doc([(1000, 2000)]), transcript_text="x"), tmp_path / "p.wordsync")
    path = tmp_path / "p.wordsync"
    path.write_text(path.read_text().replace("[[1000,2000]]", bad))
    assert bad in path.read_text()
    with pytest.raises(ProjectError) as caught:
        load_project(path)
    assert "\n" not in str(caught.value) and "untranscribed" in str(caught.value)


def test_word_json_round_trip_fills_the_document():
    doc = _doc([(500, 1500)])
    doc.tokens = [t.with_times(2000 + 400 * i, 2300 + 400 * i) for i, t in enumerate(doc.tokens)]
    text, _ = render_document(doc, "json", options=ExportOptions(untranscribed=tuple(doc.untranscribed)))
    back = load_text(text, "json").document
    assert back.untranscribed == [(500, 1500)]
    assert [(t.start, t.end) for t in back.tokens] == [(t.start, t.end) for t in doc.tokens]
    broken = text.replace('"untranscribed": [{"start": 0.5, "end": 1.5}]', '"untranscribed": [{"start": "soon"}]')
    assert broken != text
    from aligner_core.formats import FormatError

    with pytest.raises(FormatError):
        load_text(broken, "json")


def _span_result(doc: Document, lo: int, hi: int) -> SpanTranscription:
    draft = tokenize("good evening", "en")
    draft = [draft[0].with_times(lo + 100, lo + 400), draft[1].with_times(lo + 450, lo + 900)]
    summary = TranscriptionSummary(2, 1, 0, 0, "sphinx", None, "en", True, "sphinx", (hi - lo) / 1000, 0.1)
    return SpanTranscription(Document(draft, [], doc.duration_ms, "en"), lo, hi, summary, doc.revision)


def test_a_transcribed_span_removes_the_span_it_filled_in_the_same_undo_step():
    doc = _doc([(0, 1500), (30_000, 31_000)])
    doc.tokens = [t.with_times(2000 + 400 * i, 2300 + 400 * i) for i, t in enumerate(doc.tokens)]
    before = doc.copy()
    edit = _span_result(doc, 0, 1500).to_edit(doc)
    changed = edit.apply(doc)
    assert changed.spans and [t.text for t in doc.tokens[:2]] == ["good", "evening"]
    assert doc.untranscribed == [(30_000, 31_000)]
    edit.revert(doc)
    assert doc == before


# -- a real alignment (PocketSphinx) of speech the transcript leaves out -----------------------


@pytest.fixture(scope="module")
def intro_recording():
    rng = np.random.default_rng(1)
    audio, (_, _, _, speech_at) = _join(background(0.3, rng), espeak(INTRO), background(0.7, rng), jfk())
    return audio, speech_at


def test_an_alignment_puts_its_untranscribed_intro_into_the_document_as_one_step(intro_recording):
    audio, speech_at = intro_recording
    doc = Document(tokenize(JFK_TEXT, "en"), [], len(audio) * 1000 // 16000, "en", untranscribed=[(0, 50)])
    before = doc.copy()
    result = align(AlignRequest.from_document(doc, audio))
    assert result.window == (0, doc.duration_ms)
    edit = result.to_edit()
    changed = edit.apply(doc)
    assert changed.spans and changed.tokens
    assert doc.untranscribed == list(result.summary.untranscribed)  # the old span was in the aligned window
    assert _covers(doc.untranscribed, 500, speech_at - 900), doc.untranscribed
    assert not doc.problems()
    edit.revert(doc)
    assert doc == before

    # re-aligning a selection touches only the spans between its fixed neighbours
    edit.apply(doc)
    doc.untranscribed.append((doc.duration_ms - 20, doc.duration_ms))  # beyond the selection's window
    kept = doc.untranscribed[-1]
    i = 5
    sub = align_span(AlignRequest.from_document(doc, audio), i, i + 3)
    assert sub.window == (doc.tokens[i - 1].end, doc.tokens[i + 4].start)
    sub.to_edit().apply(doc)
    assert kept in doc.untranscribed and doc.untranscribed[0][0] < doc.tokens[0].start


def test_a_whole_transcription_leaves_no_span_behind_and_undo_brings_them_back():
    from aligner_core.transcribe.api import TranscriptionResult

    doc = _doc([(0, 1500), (30_000, 31_000)])
    before = doc.copy()
    draft = _span_result(doc, 0, 60_000).document
    summary = TranscriptionSummary(2, 1, 0, 0, "sphinx", None, "en", True, "sphinx", 60.0, 0.1)
    edit = TranscriptionResult(draft, (), summary, doc.revision).to_edit(doc)
    assert edit.apply(doc).spans
    assert doc.untranscribed == [] and [t.text for t in doc.tokens] == ["good", "evening"]
    edit.revert(doc)
    assert doc == before
