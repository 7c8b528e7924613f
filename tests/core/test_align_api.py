"""The alignment API: results, span re-alignment around fixed words, progress, cancel, mismatch,
and the aligner registry. Real PocketSphinx on the bundled JFK clip; no mocks."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.align import registry
from aligner_core.align.api import AlignRequest, align, align_span
from aligner_core.align.types import AlignmentError
from aligner_core.document import Document, Flag
from aligner_core.edits import EditError
from aligner_core.progress import CancelToken, Cancelled, run_with_heartbeat

from .test_longform import JFK_TEXT, espeak, jfk, tokens_of


@pytest.fixture(scope="module")
def jfk_doc() -> Document:
    return Document(tokens_of(JFK_TEXT), [], len(jfk()) * 1000 // 16000, "en")


@pytest.fixture(scope="module")
def aligned(jfk_doc):
    result = align(AlignRequest.from_document(jfk_doc, jfk()))
    doc = jfk_doc.copy()
    result.to_edit().apply(doc)
    return result, doc


def test_align_jfk_every_word_in_order_inside_the_audio(aligned, jfk_doc):
    result, doc = aligned
    assert len(result.timings) == len(jfk_doc.tokens) == 22
    assert result.first == 0 and result.last == 21 and result.revision == jfk_doc.revision
    prev = 0
    for t in result.timings:
        assert t.start is not None and t.end is not None
        assert prev <= t.start <= t.end <= jfk_doc.duration_ms
        assert 0.0 <= t.confidence <= 1.0
        prev = t.end
    s = result.summary
    assert (s.words, s.aligned, s.not_aligned, s.locked) == (22, 22, 0, 0)
    assert s.aligner == "sphinx" and "pocketsphinx" in s.version
    assert s.settings["refine"] is True and s.audio_s == pytest.approx(11.0, abs=0.1)
    assert s.speed > 1 and 0 < s.rtf < 1
    assert doc.problems() == []
    # "ask not what your country can do for you": the famous pause sits between "not" and "what"
    words = [t.text for t in doc.tokens]
    i = words.index("not")
    assert doc.tokens[i + 1].start - doc.tokens[i].end > 500


def test_a_result_is_one_undoable_edit_and_knows_its_revision(aligned, jfk_doc):
    result, _ = aligned
    doc = jfk_doc.copy()
    edit = result.to_edit()
    assert result.is_current(doc)
    changed = edit.apply(doc)
    assert changed.tokens == range(0, 22)
    assert not result.is_current(doc)  # the document moved on: a late result would be stale
    edit.revert(doc)
    assert doc == jfk_doc


def test_refine_off_and_empty_requests():
    doc = Document(tokens_of(JFK_TEXT), [], 11000, "en")
    result = align(AlignRequest.from_document(doc, jfk(), refine=False))
    assert result.summary.aligned == 22 and result.summary.settings["refine"] is False
    empty = align(AlignRequest(tokens=(), audio=jfk()))
    assert empty.timings == () and empty.summary.words == 0


def test_bad_requests_are_clear_errors(jfk_doc):
    with pytest.raises(AlignmentError, match="16000 Hz"):
        align(AlignRequest.from_document(jfk_doc, jfk(), sample_rate=44100))
    with pytest.raises(AlignmentError, match="mono"):
        align(AlignRequest.from_document(jfk_doc, np.stack([jfk(), jfk()], axis=1)))
    with pytest.raises(ValueError):
        align_span(AlignRequest.from_document(jfk_doc, jfk()), 5, 30)
    with pytest.raises(AlignmentError, match="Unknown aligner"):
        align(AlignRequest.from_document(jfk_doc, jfk(), aligner="whisper"))


# -- spans and locks ---------------------------------------------------------------------------------


def test_span_realignment_stays_between_its_fixed_neighbours(aligned):
    _, doc = aligned
    # move word 9 far off, then re-align 7..11: 6 and 12 stay, the span fits between them
    tokens = list(doc.tokens)
    tokens[9] = replace(tokens[9], start=tokens[9].start - 50, end=tokens[9].end + 40)
    request = AlignRequest(tuple(tokens), jfk(), revision=7)
    result = align_span(request, 7, 11)
    assert result.first == 7 and len(result.timings) == 5 and result.revision == 7
    lo, hi = doc.tokens[6].end, doc.tokens[12].start
    for t in result.timings:
        assert lo <= t.start <= t.end <= hi
    for ours, before in zip(result.timings, doc.tokens[7:12]):
        assert abs(ours.start - before.start) <= 60 and abs(ours.end - before.end) <= 60


def test_locked_words_split_the_work_and_never_move(aligned):
    _, doc = aligned
    tokens = list(doc.tokens)
    for i in (4, 13):
        tokens[i] = replace(tokens[i], locked=True, start=tokens[i].start + 30, end=tokens[i].end + 30)
    result = align(AlignRequest(tuple(tokens), jfk()))
    for i in (4, 13):
        t = result.timings[i]
        assert (t.start, t.end) == (tokens[i].start, tokens[i].end)
    for i in range(0, 4):
        assert result.timings[i].end <= tokens[4].start
    for i in range(5, 13):
        assert tokens[4].end <= result.timings[i].start <= result.timings[i].end <= tokens[13].start
    assert result.summary.locked == 2 and result.summary.aligned == 20


def test_no_room_between_fixed_neighbours_means_not_aligned(aligned):
    _, doc = aligned
    tokens = list(doc.tokens)
    tokens[3] = replace(tokens[3], locked=True)
    tokens[5] = replace(tokens[5], locked=True, start=tokens[3].end, end=tokens[5].end)
    result = align_span(AlignRequest(tuple(tokens), jfk()), 4, 4)
    t = result.timings[0]
    assert t.start is None and t.flags & Flag.NOT_FOUND
    assert result.summary.not_aligned == 1


@st.composite
def locks_and_span(draw):
    n = 22
    locked = draw(st.sets(st.integers(0, n - 1), max_size=6))
    first = draw(st.integers(0, n - 1))
    last = draw(st.integers(first, min(n - 1, first + draw(st.integers(0, 21)))))
    unaligned = draw(st.sets(st.integers(0, n - 1), max_size=3))
    return sorted(locked), first, last, sorted(unaligned - locked)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=locks_and_span())
def test_property_span_alignment_keeps_locked_and_outside_words_fixed(aligned, case):
    """Whatever is locked and whatever span is re-aligned: locked words and every word outside
    the span keep their times exactly, the span stays inside the window its fixed neighbours
    leave, and the result applies as a valid edit."""
    locked, first, last, unaligned = case
    _, base = aligned
    tokens = [replace(t, locked=i in locked) for i, t in enumerate(base.tokens)]
    for i in unaligned:
        tokens[i] = tokens[i].with_times(None, None)
    doc = Document(tokens, [], base.duration_ms, "en")
    result = align_span(AlignRequest.from_document(doc, jfk()), first, last)
    after = doc.copy()
    try:
        result.to_edit().apply(after)
    except EditError as exc:  # pragma: no cover - the property failing
        pytest.fail(f"the result does not apply: {exc}")
    assert after.problems() == []
    for i, (old, new) in enumerate(zip(doc.tokens, after.tokens)):
        if i < first or i > last or old.locked:
            assert (new.start, new.end) == (old.start, old.end), i
    lo = next((doc.tokens[j].end for j in range(first - 1, -1, -1) if doc.tokens[j].aligned), 0)
    hi = next((doc.tokens[j].start for j in range(last + 1, len(doc.tokens)) if doc.tokens[j].aligned), doc.duration_ms)
    for i in range(first, last + 1):
        t = after.tokens[i]
        if t.aligned and not t.locked:
            assert lo <= t.start <= t.end <= hi
            # and never across a locked word inside the span
            for j in range(first, last + 1):
                if doc.tokens[j].locked and doc.tokens[j].aligned:
                    assert t.end <= doc.tokens[j].start if i < j else t.start >= doc.tokens[j].end


# -- progress and cancel -----------------------------------------------------------------------------


def _long_jfk(copies: int) -> tuple[np.ndarray, str]:
    rng = np.random.default_rng(0)
    parts = []
    for _ in range(copies):
        parts += [(0.0015 * rng.standard_normal(int(rng.uniform(0.5, 2.5) * 16000))).astype(np.float32), jfk()]
    return np.concatenate(parts), "\n".join([JFK_TEXT] * copies)


def test_progress_climbs_to_the_end_through_a_long_alignment():
    audio, text = _long_jfk(6)
    doc = Document(tokens_of(text), [], len(audio) * 1000 // 16000, "en")
    calls: list[tuple[float, str]] = []
    result = align(AlignRequest.from_document(doc, audio), progress=lambda f, s: calls.append((f, s)))
    assert result.summary.aligned == len(doc.tokens)
    fractions = [c[0] for c in calls]
    assert len(calls) >= 2 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(isinstance(c[1], str) and c[1] for c in calls)


def test_progress_keeps_coming_while_the_work_reports_nothing():
    """align() runs the backend under a heartbeat: a decode or a model load that says nothing for
    a while still leaves the caller with its newest progress, again and again. The work here
    holds until three reports came (it would hold for a minute, and fail, without them)."""
    heard = threading.Event()
    calls: list[tuple[float, str]] = []

    def progress(fraction: float, stage: str) -> None:
        calls.append((fraction, stage))
        if len(calls) >= 3:
            heard.set()

    def work(report, token) -> bool:
        report(0.4, "stage_x")
        return heard.wait(60)

    assert run_with_heartbeat(work, progress, None, name="wordsync-test", done_stage="stage_done") is True
    assert len(calls) >= 4 and calls[-1] == (1.0, "stage_done")
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions)


def test_cancel_mid_alignment_stops_the_work_and_changes_nothing():
    audio, text = _long_jfk(12)
    doc = Document(tokens_of(text), [], len(audio) * 1000 // 16000, "en")
    before = doc.copy()
    token = CancelToken()

    def progress(fraction: float, stage: str) -> None:
        if fraction > 0.0:  # the backend is at work
            token.cancel()

    with pytest.raises(Cancelled):
        align(AlignRequest.from_document(doc, audio), progress=progress, cancel=token)
    # no helper thread is left behind aligning (it stops at its next check: test_sphinx)
    for thread in [t for t in threading.enumerate() if t.name == "wordsync-align"]:
        thread.join(60)
        assert not thread.is_alive()
    assert doc == before and doc.revision == before.revision
    # the backend is usable right after a cancel
    again = align(AlignRequest.from_document(Document(tokens_of(JFK_TEXT), [], 11000, "en"), jfk()))
    assert again.summary.aligned == 22


def test_cancel_before_start_raises_at_once(jfk_doc):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        align(AlignRequest.from_document(jfk_doc, jfk()), cancel=token)


# -- mismatch ----------------------------------------------------------------------------------------


def test_words_not_in_the_audio_do_not_drag_their_neighbours(aligned):
    reference, _ = aligned
    extra = "The weather report said heavy rain tomorrow."
    text = JFK_TEXT.replace("Americans, ", "Americans, " + extra + " ")
    tokens = tokens_of(text)
    result = align(AlignRequest(tuple(tokens), jfk()))
    k = len(extra.split())
    first_extra = [t.text for t in tokens].index("The")
    for i in range(first_extra, first_extra + k):
        t = result.timings[i]
        assert t.start is None or t.flags & (Flag.LOW_CONFIDENCE | Flag.NOT_FOUND)
    kept = [t for i, t in enumerate(result.timings) if not first_extra <= i < first_extra + k]
    _close(kept, reference.timings, lambda ref: 0)
    s = result.summary
    assert s.not_aligned + s.low_confidence >= k


def test_speech_not_in_the_transcript_does_not_drag_its_neighbours(aligned):
    reference, _ = aligned
    inserted = espeak("This sentence is not in the transcript at all, it is extra speech.")
    at = int(2.7 * 16000)  # in the pause after "Americans,"
    audio = np.concatenate([jfk()[:at], inserted, jfk()[at:]])
    shift = len(inserted) * 1000 // 16000
    result = align(AlignRequest(tuple(tokens_of(JFK_TEXT)), audio))
    _close(result.timings, reference.timings, lambda ref: shift if ref.start > 2700 else 0)


def _close(ours, reference, shift) -> None:
    """Every word found, none far from where it is without the mismatch (a short word's edge
    may move by a frame or two with the context), nearly all within 50 ms."""
    errors = []
    for t, ref in zip(ours, reference):
        assert t.start is not None
        errors += [abs(t.start - ref.start - shift(ref)), abs(t.end - ref.end - shift(ref))]
    assert max(errors) <= 150 and np.mean(np.array(errors) <= 50) >= 0.9, errors


# -- registry ----------------------------------------------------------------------------------------


def test_auto_chooses_the_offline_aligner_for_english():
    choice = registry.choose("auto", "en")
    assert choice.aligner == "sphinx" and choice.model is None
    assert registry.choose("auto", "en-US").aligner == "sphinx"


def test_auto_for_other_languages_needs_a_model(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(AlignmentError, match="Qwen3-ForcedAligner"):
        registry.choose("auto", "fr")
    with pytest.raises(AlignmentError, match="ctc"):
        registry.choose("auto", "sw")
    with pytest.raises(AlignmentError, match="only knows English"):
        registry.choose("sphinx", "de")


def test_auto_follows_a_given_model_folder(tmp_path):
    import json

    for name, config, kind in (
        ("q", {"model_type": "qwen3_asr", "architectures": ["Qwen3ASRForTokenClassification"], "timestamp_token_id": 7}, "qwen3"),
        ("w", {"model_type": "wav2vec2", "architectures": ["Wav2Vec2ForCTC"]}, "ctc"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps(config))
        assert registry.model_kind(str(folder)) == kind
        assert registry.choose("auto", "fr", str(folder)).aligner == kind
    (tmp_path / "nothing").mkdir()
    with pytest.raises(AlignmentError, match="Cannot tell"):
        registry.choose("auto", "fr", str(tmp_path / "nothing"))


def test_a_neural_aligner_through_the_same_api(tmp_path):
    """A (tiny, random) CTC model built here and loaded from disk, with refinement on top:
    the result keeps the API's promises even though its times mean nothing."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from .tiny_models import build_tiny_ctc

    folder = build_tiny_ctc(tmp_path / "ctc")
    assert registry.choose("auto", "en", str(folder)).aligner == "ctc"
    tokens = tokens_of(JFK_TEXT)
    tokens[5] = replace(tokens[5], locked=True, start=3000, end=3500)
    result = align(AlignRequest(tuple(tokens), jfk(), aligner="ctc", model=str(folder), device="cpu"))
    assert result.summary.aligner == "ctc" and "transformers" in result.summary.version
    assert (result.timings[5].start, result.timings[5].end) == (3000, 3500)
    doc = Document(tokens, [], 11000, "en")
    result.to_edit().apply(doc)
    assert doc.problems() == []
    for i, t in enumerate(doc.tokens):
        if t.aligned and i < 5:
            assert t.end <= 3000
        if t.aligned and i > 5:
            assert t.start >= 3500
    assert not any(t.phones for t in doc.tokens)  # not asked for
    # asked for: the model's character units become each word's phones, through refinement and
    # the window offsets to Token.phones, on the same word times
    with_units = align(AlignRequest(tuple(tokens), jfk(), aligner="ctc", model=str(folder), device="cpu", phones=True))
    assert [(t.start, t.end) for t in with_units.timings] == [(t.start, t.end) for t in result.timings]
    assert with_units.summary.settings["phones"] is True and result.summary.settings["phones"] is False
    doc = Document(tokens, [], 11000, "en")
    with_units.to_edit().apply(doc)
    assert doc.problems() == []
    for i, t in enumerate(doc.tokens):
        if t.aligned and i != 5:  # the locked word keeps what it had (none)
            assert "".join(p.label for p in t.phones) == "".join(ch for ch in t.units[0] if ch.isalpha() or ch == "'"), t.text
            assert t.phones[0].start == t.start and t.phones[-1].end == t.end


def test_phones_only_when_the_request_asks_for_them(aligned, jfk_doc):
    """The offline aligner's phone pass doubles its time: off by default, the same words on."""
    result, doc = aligned
    assert not any(t.phones for t in doc.tokens) and result.summary.settings["phones"] is False
    with_phones = align(AlignRequest.from_document(jfk_doc, jfk(), phones=True))
    assert [(t.start, t.end, t.flags) for t in with_phones.timings] == [(t.start, t.end, t.flags) for t in result.timings]
    assert all(t.phones for t in with_phones.timings if t.start is not None)
    assert registry.get_backend("sphinx", phones=True) is not registry.get_backend("sphinx")
