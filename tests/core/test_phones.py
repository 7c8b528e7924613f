"""The phone tier (issue 17 part 3): PocketSphinx's phones per word, kept on the word through
edits, saved in projects, written to TextGrid and word JSON and read back. Real PocketSphinx on
the bundled JFK clip; no mocks."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.align.api import AlignRequest, align
from aligner_core.align.backends.sphinx import SphinxBackend, SphinxParams
from aligner_core.boundaries import Boundary, move_boundary, window
from aligner_core.document import MIN_PHONE_MS, Document, Phone, Token, fit_phones, move_phone_boundary
from aligner_core.edits import EditError, MovePhoneBoundary, SetTokenText
from aligner_core.formats import ExportOptions, export_document, load_document, parse_textgrid, render_document
from aligner_core.project import Project, load_project, save_project

from .test_longform import JFK_AUDIO, JFK_TEXT, jfk, tokens_of


@pytest.fixture(scope="module")
def aligned() -> Document:
    doc = Document(tokens_of(JFK_TEXT), [], len(jfk()) * 1000 // 16000, "en")
    align(AlignRequest.from_document(doc, jfk(), phones=True)).to_edit().apply(doc)
    return doc


def _dictionary(words: set[str]) -> dict[str, set[tuple[str, ...]]]:
    """Every reading (alternates included) of ``words`` in the dictionary the aligner uses."""
    backend = SphinxBackend(SphinxParams(phones=True))
    backend.align_window(jfk()[:8000], [("and",)], "en")  # loads the shared lexicon
    out: dict[str, set[tuple[str, ...]]] = {}
    with open(backend._lexicon.dict_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if parts and re.sub(r"\(\d+\)$", "", parts[0]) in words:
                out.setdefault(re.sub(r"\(\d+\)$", "", parts[0]), set()).add(tuple(parts[1:]))
    return out


def test_every_aligned_jfk_word_has_its_phones_tiling_it(aligned):
    spoken = [t for t in aligned.tokens if t.aligned]
    assert len(spoken) == 22
    readings = _dictionary({t.units[0] for t in spoken})
    for tok in spoken:
        assert tok.phones, tok.text
        assert tok.phones[0].start == tok.start and tok.phones[-1].end == tok.end
        assert all(a.end == b.start for a, b in zip(tok.phones, tok.phones[1:]))
        assert all(p.start <= p.end for p in tok.phones)
        # the labels are one of the dictionary's pronunciations of the word: the one the aligner used
        assert tuple(p.label for p in tok.phones) in readings[tok.units[0]], tok.text
    assert aligned.problems() == []
    # the inner boundaries are measured, not an even split of the word
    fellow = next(t for t in spoken if t.text == "fellow")
    lengths = {p.end - p.start for p in fellow.phones}
    assert len(lengths) > 1


def test_phones_never_change_the_word_times():
    words = [tuple(t.units) for t in tokens_of(JFK_TEXT)]
    with_phones = SphinxBackend(SphinxParams(phones=True)).align_window(jfk(), words, "en")
    without = SphinxBackend().align_window(jfk(), words, "en")  # off unless asked for
    assert [(t.start, t.end, t.confidence, t.flags) for t in with_phones] == [(t.start, t.end, t.confidence, t.flags) for t in without]
    assert all(t.phones for t in with_phones if t.aligned) and not any(t.phones for t in without)


# -- the rule that keeps phones on their word -----------------------------------------------------

P3 = (Phone("K", 100, 150), Phone("AE", 150, 260), Phone("N", 260, 300))


def test_fit_moves_a_whole_word_and_clamps_a_moved_edge():
    assert fit_phones(P3, 100, 300) is P3
    assert fit_phones(P3, 200, 400) == (Phone("K", 200, 250), Phone("AE", 250, 360), Phone("N", 360, 400))
    # only the start moved: inner boundaries stay where they were measured...
    assert fit_phones(P3, 120, 300) == (Phone("K", 120, 150), Phone("AE", 150, 260), Phone("N", 260, 300))
    # ...unless the edge passes them: pushed along, each pushed phone keeps MIN_PHONE_MS
    assert fit_phones(P3, 280, 300) == (Phone("K", 280, 286), Phone("AE", 286, 292), Phone("N", 292, 300))  # 20 ms: 6 each
    squeezed = fit_phones(P3, 270, 320)
    assert [p.end - p.start for p in squeezed] == [MIN_PHONE_MS, MIN_PHONE_MS, 30]
    assert fit_phones(P3, None, None) == ()
    assert Token("can", ("can",), 100, 300, phones=P3).with_times(None, None).phones == ()


phones_st = st.lists(st.integers(1, 80), min_size=1, max_size=6).map(
    lambda lengths: tuple(Phone(f"P{k}", 1000 + sum(lengths[:k]), 1000 + sum(lengths[: k + 1])) for k in range(len(lengths)))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phones_st, st.integers(0, 2000), st.integers(0, 2000))
def test_fit_always_tiles_the_word_in_order(phones, a, b):
    start, end = min(a, b), max(a, b)
    fitted = fit_phones(phones, start, end)
    assert [p.label for p in fitted] == [p.label for p in phones]
    assert fitted[0].start == start and fitted[-1].end == end
    assert all(x.end == y.start and x.start <= x.end for x, y in zip(fitted, fitted[1:]))
    if end - start >= MIN_PHONE_MS * len(phones):
        moved_one_edge = (start == phones[0].start) != (end == phones[-1].end)
        if moved_one_edge:
            assert all(p.end - p.start >= min(MIN_PHONE_MS, q.end - q.start) for p, q in zip(fitted, phones))


def _doc() -> Document:
    toks = [
        Token("Can", ("can",), 100, 300, phones=P3),
        Token("you,", ("you",), 300, 500, phones=(Phone("Y", 300, 380), Phone("UW", 380, 500))),
        Token("see", ("see",), 600, 800),
    ]
    return Document(toks, [], 1000, "en")


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_boundary_moves_keep_the_tier_and_undo_restores_it(data):
    doc = _doc()
    before = doc.copy()
    done = []
    for _ in range(data.draw(st.integers(1, 6))):
        choices = [Boundary.token(i, s) for i in range(3) for s in ("start", "end")]
        choices += [Boundary.phone(i, k) for i, t in enumerate(doc.tokens) for k in range(1, len(t.phones))]
        b = data.draw(st.sampled_from(choices))
        w = window(doc, b)
        if w is None:
            continue
        edit = move_boundary(doc, b, data.draw(st.integers(w.lo, w.hi)))
        edit.apply(doc)
        done.append(edit)
        assert doc.problems() == []
        for tok in doc.tokens:
            if tok.phones:
                assert tok.phones[0].start == tok.start and tok.phones[-1].end == tok.end
    for edit in reversed(done):
        edit.revert(doc)
    assert doc == before and doc.tokens[0].phones == P3


def test_a_phone_drag_is_one_undoable_correction_inside_its_window():
    doc = _doc()
    b = Boundary.phone(0, 1)
    w = window(doc, b)
    assert (w.ms, w.lo, w.hi) == (150, 110, 250)
    with pytest.raises(EditError):
        move_boundary(doc, b, 260)
    edit = move_boundary(doc, b, 200)
    edit.apply(doc)
    assert doc.tokens[0].phones[:2] == (Phone("K", 100, 200), Phone("AE", 200, 260)) and doc.tokens[0].locked
    assert (doc.tokens[0].start, doc.tokens[0].end) == (100, 300)
    edit.revert(doc)
    assert doc == _doc()
    # the shared word boundary moves the outer phones of both words
    move_boundary(doc, Boundary.token(0, "end"), 320).apply(doc)
    assert doc.tokens[0].phones[-1] == Phone("N", 260, 320) and doc.tokens[1].phones[0] == Phone("Y", 320, 380)


def test_one_rule_moves_a_phone_boundary_for_the_edit_and_the_preview():
    """document.move_phone_boundary is what MovePhoneBoundary applies (the timeline's drag
    preview calls it too): only the two phones that share the boundary change."""
    assert move_phone_boundary(P3, 1, 120) == (Phone("K", 100, 120), Phone("AE", 120, 260), Phone("N", 260, 300))
    assert move_phone_boundary(P3, 2, 290) == (Phone("K", 100, 150), Phone("AE", 150, 290), Phone("N", 290, 300))
    doc = _doc()
    MovePhoneBoundary(0, 2, 290).apply(doc)
    assert doc.tokens[0].phones == move_phone_boundary(P3, 2, 290)


def test_new_text_clears_the_phones_and_undo_brings_them_back():
    doc = _doc()
    edit = SetTokenText(0, "Cannot", ("cannot",))
    edit.apply(doc)
    assert doc.tokens[0].phones == () and (doc.tokens[0].start, doc.tokens[0].end) == (100, 300)
    edit.revert(doc)
    assert doc.tokens[0].phones == P3


def test_broken_phones_are_a_document_problem():
    doc = _doc()
    doc.tokens[0] = replace(doc.tokens[0], phones=(Phone("K", 100, 200), Phone("AE", 150, 300)))
    assert any("phones" in p for p in doc.problems())


# -- files -------------------------------------------------------------------------------------------


def test_project_keeps_the_phones(aligned, tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(Project(aligned, audio_path=JFK_AUDIO, transcript_text=JFK_TEXT), path)
    assert load_project(path).document.tokens == aligned.tokens
    bare = Document([replace(t, phones=()) for t in aligned.tokens], [], aligned.duration_ms, "en")
    save_project(Project(bare, audio_path=JFK_AUDIO, transcript_text=JFK_TEXT), path)
    assert '"phones"' not in path.read_text()  # only written when there are phones


def test_project_with_broken_phones_is_refused_in_one_sentence(aligned, tmp_path):
    from aligner_core.project import ProjectError

    path = tmp_path / "p.wordsync"
    save_project(Project(aligned, audio_path=JFK_AUDIO, transcript_text=JFK_TEXT), path)
    text = path.read_text()
    path.write_text(text.replace('["AE"', '["AE", 5, 3, "x"]]], [["AE"', 1) if '["AE"' in text else text + "x")
    with pytest.raises(ProjectError):
        load_project(path)


def test_word_json_has_phones_in_gentle_and_mfa_shape_and_reads_back(aligned, tmp_path):
    import json

    path = tmp_path / "w.json"
    export_document(aligned, path)
    words = json.loads(path.read_text())["words"]
    first = words[0]
    assert first["phones"][0] == {"phone": aligned.tokens[0].phones[0].label, "start": aligned.tokens[0].start / 1000, "end": aligned.tokens[0].phones[0].end / 1000}
    back = load_document(path)
    assert [t.phones for t in back.tokens] == [t.phones for t in aligned.tokens]
    # Gentle's shape: durations from the word's start
    gentle = {"words": [{"word": "can", "start": 0.1, "end": 0.3, "phones": [{"phone": "k_B", "duration": 0.05}, {"phone": "ae_I", "duration": 0.11}, {"phone": "n_E", "duration": 0.04}]}]}
    path.write_text(json.dumps(gentle))
    assert load_document(path).tokens[0].phones == (Phone("k_B", 100, 150), Phone("ae_I", 150, 260), Phone("n_E", 260, 300))


def _check_tiles(grid) -> None:
    """What a strict reader (Praat) demands of every interval tier: it starts at xmin, ends at
    xmax, and each interval starts where the last ended, with no zero-length interval."""
    for tier in grid.tiers:
        ivs = tier.intervals
        assert ivs[0].start_ms == grid.xmin_ms and ivs[-1].end_ms == grid.xmax_ms, tier.name
        assert all(a.end_ms == b.start_ms for a, b in zip(ivs, ivs[1:])), tier.name
        assert all(iv.start_ms < iv.end_ms for iv in ivs), tier.name


def test_textgrid_has_a_phone_tier_that_tiles_and_reads_back(aligned, tmp_path):
    text, _ = render_document(aligned, "textgrid")
    grid = parse_textgrid(text)
    assert [t.name for t in grid.tiers] == ["words", "phones", "cues"]
    _check_tiles(grid)
    labels = [iv.text for iv in grid.tier("phones").intervals if iv.text]
    assert labels == [p.label for t in aligned.tokens for p in t.phones if p.end > p.start]
    path = tmp_path / "out.TextGrid"
    export_document(aligned, path)
    back = load_document(path)
    assert [t.phones for t in back.tokens] == [tuple(p for p in t.phones) for t in aligned.tokens]


def test_export_without_phones_leaves_the_tier_out(aligned):
    grid = parse_textgrid(render_document(aligned, "textgrid", options=ExportOptions(phones=False))[0])
    assert [t.name for t in grid.tiers] == ["words", "cues"]
    text, _ = render_document(aligned, "json", options=ExportOptions(phones=False))
    assert '"phones"' not in text and aligned.tokens[0].phones  # the document keeps them


def test_textgrid_word_labels_without_punctuation(aligned):
    plain, _ = render_document(aligned, "textgrid")
    bare, _ = render_document(aligned, "textgrid", options=ExportOptions(bare_word_labels=True))
    words = [iv.text for iv in parse_textgrid(bare).tier("words").intervals if iv.text]
    assert "Americans" in words and "country" in words and not any(re.search(r"[,.]$", w) for w in words)
    assert "Americans," in [iv.text for iv in parse_textgrid(plain).tier("words").intervals]
    # the cue tier keeps what the user wrote
    assert parse_textgrid(bare).tier("cues").intervals == parse_textgrid(plain).tier("cues").intervals


def test_cli_bare_word_labels_only_for_textgrid(tmp_path):
    from tests.reliability_cases import JFK_TXT

    out = tmp_path / "out.srt"
    r = subprocess.run(
        [sys.executable, "-m", "aligner_core.cli", "align", str(JFK_AUDIO), str(JFK_TXT), "-o", str(out), "--bare-word-labels"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and r.stderr.startswith("wordsync: error: ")
    assert not out.exists()
