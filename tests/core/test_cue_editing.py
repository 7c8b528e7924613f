"""Cue editing (issue 17 part 4): create a cue from words or a time stretch, delete a cue, merge
with the previous one, per-cue look overrides, and how each format carries the look."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.cue_edits import CreateCue, CreateSoundCue, DeleteCue, SetCueLook, cue_for_stretch, tokens_in_stretch
from aligner_core.document import Break, Cue, Document, Token
from aligner_core.edits import EditError, MergeCues, SplitCue
from aligner_core.formats import load_text, render_document
from aligner_core.messages import message_of
from aligner_core.project import Project, load_project, save_project
from aligner_core.transcribe.events import is_sound_cue


def doc_of(n: int = 9, cues: tuple[tuple[int, int], ...] = ((0, 2), (3, 5), (6, 8))) -> Document:
    """n words of 300 ms with 100 ms gaps, in the given cues."""
    tokens = [Token(f"w{i}", (f"w{i}",), i * 400, i * 400 + 300, brk=Break.PARAGRAPH if any(a == i for a, _ in cues) and i else Break.NONE) for i in range(n)]
    return Document(tokens, [Cue(a, b) for a, b in cues], duration_ms=n * 400 + 1000)


def apply_and_undo(doc: Document, edit) -> Document:
    before = copy.deepcopy(doc)
    changed = edit.apply(doc)
    assert doc.problems() == []
    after = copy.deepcopy(doc)
    edit.revert(doc)
    assert doc == before
    return after, changed


def ranges(doc: Document) -> list[tuple[int, int]]:
    return [(c.first, c.last) for c in doc.cues]


# -- create from words ----------------------------------------------------------------------------


def test_words_inside_one_cue_cut_it_in_three():
    doc = doc_of()
    after, changed = apply_and_undo(doc, CreateCue(4, 4))
    assert ranges(after) == [(0, 2), (3, 3), (4, 4), (5, 5), (6, 8)]
    assert changed.cues == range(1, 4) and changed.structural


def test_words_across_cues_take_them_and_leave_the_rest_as_cues():
    doc = doc_of()
    after, _ = apply_and_undo(doc, CreateCue(2, 6))
    assert ranges(after) == [(0, 1), (2, 6), (7, 8)]


def test_words_covering_whole_cues_replace_them():
    doc = doc_of()
    after, _ = apply_and_undo(doc, CreateCue(0, 5))
    assert ranges(after) == [(0, 5), (6, 8)]


def test_uncued_words_become_a_cue_and_cued_neighbours_stay():
    doc = doc_of(cues=((0, 2), (6, 8)))
    after, changed = apply_and_undo(doc, CreateCue(3, 5))
    assert ranges(after) == [(0, 2), (3, 5), (6, 8)]
    assert changed.cues == range(1, 2)


def test_a_cue_that_already_is_one_is_refused_with_a_sentence():
    doc = doc_of()
    with pytest.raises(EditError) as err:
        CreateCue(3, 5).apply(doc)
    assert message_of(err.value).code == "edit_cue_exists" and "4..6" in str(err.value)
    assert ranges(doc) == [(0, 2), (3, 5), (6, 8)]


def test_cut_parts_keep_their_own_times_look_and_lines_where_they_keep_an_edge():
    doc = doc_of()
    doc.cues[1] = Cue(3, 5, 1150, 2400, (1, 2), "en", "HAPPY", 8, (10, 20), "Top")
    after, _ = apply_and_undo(doc, CreateCue(4, 4))
    left, mid, right = after.cues[1:4]
    assert (left.start, left.end) == (1150, doc.tokens[3].end)  # the cut end takes the word's time
    assert (right.start, right.end) == (doc.tokens[5].start, 2400)
    assert (left.align, left.pos, left.style, left.emotion) == (8, (10, 20), "Top", "HAPPY")
    assert (right.align, right.style) == (8, "Top")
    assert mid == Cue(4, 4)  # a new cue has the profile's look and its words' times
    assert left.line_starts == () and right.line_starts == ()


def test_line_breaks_the_user_wrote_stay_inside_the_new_cue():
    doc = doc_of(cues=())
    doc.tokens[2] = Token("w2", ("w2",), 800, 1100, brk=Break.LINE)
    after, _ = apply_and_undo(doc, CreateCue(0, 3))
    assert after.cues == [Cue(0, 3, line_starts=(2,))]


# -- create from a time stretch --------------------------------------------------------------------


def test_a_stretch_selects_the_words_at_least_half_inside_it():
    doc = doc_of()
    assert tokens_in_stretch(doc, 1250, 2100) == range(3, 5)  # w3 1200-1500 mostly in, w5 2000-2300 mostly out
    assert tokens_in_stretch(doc, 310, 390) == range(0)  # a gap
    after, _ = apply_and_undo(doc, cue_for_stretch(doc, 1250, 2100))
    assert ranges(after) == [(0, 2), (3, 4), (5, 5), (6, 8)]


def test_a_stretch_without_words_and_without_a_label_is_refused():
    doc = doc_of(n=3, cues=((0, 2),))
    doc.duration_ms = 10_000
    with pytest.raises(EditError) as err:
        cue_for_stretch(doc, 5000, 7000)
    assert message_of(err.value).code == "edit_cue_no_words"


def test_a_stretch_without_words_becomes_a_sound_cue_placed_by_time():
    doc = doc_of(n=6, cues=((0, 2), (3, 5)))
    doc.tokens[3:] = [t.with_times(t.start + 3000, t.end + 3000) for t in doc.tokens[3:]]
    doc.duration_ms = 9000
    edit = cue_for_stretch(doc, 1500, 3500, "[music]")
    assert isinstance(edit, CreateSoundCue)
    after, changed = apply_and_undo(doc, edit)
    assert [t.text for t in after.tokens] == ["w0", "w1", "w2", "[music]", "w3", "w4", "w5"]
    assert after.cues[1] == Cue(3, 3, 1500, 3500) and is_sound_cue(after, after.cues[1])
    assert ranges(after) == [(0, 2), (3, 3), (4, 6)]
    assert changed.structural and changed.tokens == range(3, 4)


def test_a_sound_cue_at_the_end_and_refusals_inside_or_over_a_cue():
    doc = doc_of(n=3, cues=((0, 2),))
    after, _ = apply_and_undo(doc, CreateSoundCue(1500, 2000, "(applause)"))
    assert after.tokens[-1].text == "(applause)" and after.cues[-1] == Cue(3, 3, 1500, 2000)
    doc.cues[0] = Cue(0, 2, 0, 1500)
    with pytest.raises(EditError) as over:
        CreateSoundCue(1400, 2000, "[music]").apply(doc)
    assert message_of(over.value).code == "edit_sound_overlaps"
    wide = doc_of(n=3, cues=((0, 2),))
    wide.tokens[2] = wide.tokens[2].with_times(3000, 3300)
    with pytest.raises(EditError) as inside:
        CreateSoundCue(1000, 1500, "[music]").apply(wide)
    assert message_of(inside.value).code == "edit_sound_inside_cue"


# -- delete, merge with previous, look ---------------------------------------------------------------


def test_delete_cue_keeps_its_words_uncued():
    doc = doc_of()
    after, changed = apply_and_undo(doc, DeleteCue(1))
    assert ranges(after) == [(0, 2), (6, 8)] and after.tokens == doc.tokens
    assert changed.structural and changed.cues == range(1, 1)


def test_merge_with_previous_is_merge_of_the_one_before():
    doc = doc_of()
    doc.cues[1] = Cue(3, 5, align=8)
    after, _ = apply_and_undo(doc, MergeCues(1))
    assert ranges(after) == [(0, 2), (3, 8)]
    assert after.cues[1].align == 8  # the first cue's look, or the second's where it has none


def test_split_keeps_the_look_on_both_halves():
    doc = doc_of()
    doc.cues[0] = Cue(0, 2, style="Top", pos=(5, 6))
    after, _ = apply_and_undo(doc, SplitCue(0, 1))
    assert [(c.style, c.pos) for c in after.cues[:2]] == [("Top", (5, 6))] * 2


def test_set_cue_look_and_bad_values_are_refused():
    doc = doc_of()
    after, changed = apply_and_undo(doc, SetCueLook(2, align=7, pos=(100, 200), style=" Sign "))
    assert (after.cues[2].align, after.cues[2].pos, after.cues[2].style) == (7, (100, 200), "Sign")
    assert changed.cues == range(2, 3) and not changed.structural
    for bad in (dict(align=0), dict(align=10), dict(style="a,b"), dict(pos=(-1, 3))):
        with pytest.raises(EditError):
            SetCueLook(0, **bad).apply(doc)
    assert doc.cues[0] == Cue(0, 2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["create", "delete", "merge", "look"]), st.integers(0, 11), st.integers(0, 11)), max_size=8))
def test_any_sequence_of_cue_edits_keeps_the_invariants_and_undoes_exactly(steps):
    doc = doc_of(n=12, cues=((0, 3), (4, 4), (7, 10)))
    history = [copy.deepcopy(doc)]
    done = []
    for kind, a, b in steps:
        if kind == "create":
            edit = CreateCue(min(a, b), max(a, b))
        elif kind == "delete":
            edit = DeleteCue(a % max(1, len(doc.cues)))
        elif kind == "merge":
            edit = MergeCues(a % max(1, len(doc.cues)))
        else:
            edit = SetCueLook(a % max(1, len(doc.cues)), align=b % 9 + 1)
        try:
            edit.apply(doc)
        except EditError:
            assert doc == history[-1]
            continue
        assert doc.problems() == []
        done.append(edit)
        history.append(copy.deepcopy(doc))
    for edit in reversed(done):
        history.pop()
        edit.revert(doc)
        assert doc == history[-1]


# -- saving and formats ------------------------------------------------------------------------------


def styled_doc() -> Document:
    doc = doc_of()
    doc.cues[0] = Cue(0, 2, align=8, pos=(960, 80), style="Top")
    doc.cues[1] = Cue(3, 5, align=7)
    return doc


def test_the_look_is_saved_in_the_project_and_older_projects_load(tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(Project(styled_doc()), path)
    assert load_project(path).document == styled_doc()
    plain = tmp_path / "old.wordsync"
    save_project(Project(doc_of()), plain)
    assert '"align"' not in plain.read_text()  # no look: the file is what older versions wrote
    assert load_project(plain).document.cues == doc_of().cues


def test_a_bad_look_in_a_project_is_one_sentence(tmp_path):
    path = tmp_path / "p.wordsync"
    save_project(Project(styled_doc()), path)
    path.write_text(path.read_text().replace('"align": [8', '"align": [12'))
    with pytest.raises(ValueError) as err:
        load_project(path)
    assert "alignment 12" in str(err.value) and "\n" not in str(err.value)


def test_ass_writes_and_reads_back_the_look():
    text, report = render_document(styled_doc(), "ass")
    assert "Dialogue: 0,0:00:00.00,0:00:01.10,Top,,0,0,0,,{\\an8\\pos(960,80)}w0 w1 w2" in text
    assert ",Default,,0,0,0,,{\\an7}w3 w4 w5" in text
    assert sum(line.startswith("Style: Top,") for line in text.splitlines()) == 1  # a style line to name
    back = load_text(text, "ass").document
    assert [(c.align, c.pos, c.style) for c in back.cues] == [(8, (960, 80), "Top"), (7, None, None), (None, None, None)]
    assert [t.text for t in back.tokens] == [t.text for t in styled_doc().tokens]  # no tag left in the words


def test_ass_reader_keeps_other_tags_and_takes_only_the_leading_placement():
    text = ("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            "Dialogue: 0,0:00:01.00,0:00:02.00,*Default,,0,0,0,,{\\i1\\an9\\pos(10.6,20)}Hi {\\an1}there\n")
    doc = load_text(text, "ass").document
    cue = doc.cues[0]
    assert (cue.align, cue.pos, cue.style) == (9, (11, 20), None)
    assert doc.cue_text(cue) == "{\\i1}Hi {\\an1}there"


def test_vtt_maps_alignment_to_cue_settings_and_reads_it_back():
    text, _ = render_document(styled_doc(), "vtt")
    timing = [line for line in text.splitlines() if "-->" in line]
    assert timing[1].endswith("--> 00:00:02.300 line:0 align:start")
    assert timing[2].endswith("00:00:03.500")  # the default look writes no settings
    assert "position:50%,center line:7.407%,start" in timing[0]
    back = load_text(text, "vtt").document
    assert [c.align for c in back.cues] == [None, 7, None]  # a point position is the player's: not read back


def test_srt_writes_the_an_convention_and_says_the_position_is_left_out():
    text, report = render_document(styled_doc(), "srt")
    assert "{\\an8}w0 w1 w2" in text and "{\\an7}w3 w4 w5" in text and "{\\an" not in text.split("w6")[0].split("w5")[1]
    assert [str(p.reason) for p in report.problems] == [
        "1 cue position(s) left out: SubRip cannot place a subtitle at a point (the alignment is kept)"]


def test_word_json_carries_the_look():
    text, _ = render_document(styled_doc(), "json")
    back = load_text(text, "json").document
    look = lambda d: [(c.first, c.last, c.align, c.pos, c.style) for c in d.cues]  # noqa: E731
    assert look(back) == look(styled_doc())


_LOOKS = st.tuples(
    st.one_of(st.none(), st.integers(1, 9)),
    st.one_of(st.none(), st.tuples(st.integers(0, 4000), st.integers(0, 4000))),
    st.one_of(st.none(), st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters=" _-*"), min_size=1, max_size=12)
              .map(str.strip).filter(lambda s: s and s.lower() != "default" and not s.startswith("*"))),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LOOKS, min_size=3, max_size=3), st.sampled_from(["ass", "json", "vtt"]))
def test_every_look_survives_its_formats_round_trip(looks, fmt):
    doc = doc_of()
    doc.cues = [Cue(c.first, c.last, align=a, pos=p, style=s) for c, (a, p, s) in zip(doc.cues, looks)]
    back = load_text(render_document(doc, fmt)[0], fmt).document
    got = [(c.align, c.pos, c.style) for c in back.cues]
    if fmt == "vtt":  # the alignment alone comes back, and only where no point was set
        assert got == [(a if p is None and a != 2 else None, None, None) for a, p, _ in looks]
    else:
        assert got == [tuple(look) for look in looks]
    assert [t.text for t in back.tokens] == [t.text for t in doc.tokens]
