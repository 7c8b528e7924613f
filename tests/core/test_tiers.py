"""User-defined annotation tiers (issue 17 part 4): invertible edits, invariants, the project file
and TextGrid both ways."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.document import Annotation, Cue, Document, Tier, Token
from aligner_core.edits import EditError
from aligner_core.formats import load_text, render_document
from aligner_core.messages import message_of
from aligner_core.project import Project, ProjectError, load_project, save_project
from aligner_core.tier_edits import AddAnnotation, AddTier, DeleteAnnotation, RemoveTier, RenameTier, SetAnnotation, annotation_at


def doc_with(*tiers: Tier) -> Document:
    tokens = [Token(w, (w.lower(),), 400 * i, 400 * i + 300) for i, w in enumerate(["So", "my", "fellow", "Americans"])]
    return Document(tokens, [Cue(0, 3)], duration_ms=2000, tiers=list(tiers))


def roundtrip(doc: Document, edit):
    before = copy.deepcopy(doc)
    changed = edit.apply(doc)
    assert changed.tiers and not changed.tokens and not changed.cues
    assert doc.problems() == []
    after = copy.deepcopy(doc)
    edit.revert(doc)
    assert doc == before
    edit.apply(doc)  # redo gives the same again
    assert doc == after
    return doc


def code(err) -> str:
    return message_of(err.value).code


def test_add_rename_remove_tiers_undo_exactly():
    doc = roundtrip(doc_with(), AddTier("gesture"))
    roundtrip(doc, AddTier("clicks", points=True))
    assert [(t.name, t.points) for t in doc.tiers] == [("gesture", False), ("clicks", True)]
    roundtrip(doc, RenameTier(0, "hands"))
    roundtrip(doc, RemoveTier(1))
    assert [t.name for t in doc.tiers] == ["hands"]


@pytest.mark.parametrize("name,expected", [
    ("", "tier_name_bad"), (" pad", "tier_name_bad"), ("a\nb", "tier_name_bad"),
    ("words", "tier_name_reserved"), ("Cues", "tier_name_reserved"), ("speaker - phones", "tier_name_reserved"),
    ("GESTURE", "tier_name_taken"),
])
def test_bad_tier_names_are_refused_with_a_sentence(name, expected):
    doc = doc_with(Tier("gesture"))
    with pytest.raises(EditError) as err:
        AddTier(name).apply(doc)
    assert code(err) == expected
    assert [t.name for t in doc.tiers] == ["gesture"]


def test_renaming_to_its_own_name_in_other_case_is_fine_but_not_to_another_tiers():
    doc = doc_with(Tier("gesture"), Tier("notes"))
    roundtrip(doc, RenameTier(0, "Gesture"))
    with pytest.raises(EditError) as err:
        RenameTier(1, "gesture").apply(doc)
    assert code(err) == "tier_name_taken"


def test_intervals_are_kept_in_order_and_never_overlap():
    doc = doc_with(Tier("gesture"))
    roundtrip(doc, AddAnnotation(0, 900, 1200, "wave"))
    roundtrip(doc, AddAnnotation(0, 100, 500, "point"))
    roundtrip(doc, AddAnnotation(0, 500, 900, "rest"))  # touching both neighbours is fine
    assert [a.label for a in doc.tiers[0].items] == ["point", "rest", "wave"]
    for start, end, expected in ((450, 600, "tier_item_overlaps"), (1000, 1100, "tier_item_overlaps"),
                                 (1500, 1500, "tier_interval_empty"), (1600, 1500, "tier_interval_empty"),
                                 (1900, 2100, "tier_item_outside")):
        with pytest.raises(EditError) as err:
            AddAnnotation(0, start, end, "x").apply(doc)
        assert code(err) == expected
    assert len(doc.tiers[0].items) == 3


def test_points_are_points_at_distinct_times():
    doc = doc_with(Tier("clicks", points=True))
    roundtrip(doc, AddAnnotation(0, 700, 900, "click"))
    assert doc.tiers[0].items == (Annotation(700, 700, "click"),)
    with pytest.raises(EditError) as err:
        AddAnnotation(0, 700, 700, "again").apply(doc)
    assert code(err) == "tier_item_overlaps"
    roundtrip(doc, AddAnnotation(0, 300, 300, "first"))
    assert annotation_at(doc.tiers[0], 420) == 0 and annotation_at(doc.tiers[0], 650) == 1


def test_edit_and_delete_items():
    doc = doc_with(Tier("gesture", (Annotation(100, 500, "point"), Annotation(600, 900, "wave"))))
    roundtrip(doc, SetAnnotation(0, 1, "big wave"))
    assert doc.tiers[0].items[1] == Annotation(600, 900, "big wave")
    roundtrip(doc, SetAnnotation(0, 0, "point", start=50, end=600))  # may grow up to its neighbour
    with pytest.raises(EditError):
        SetAnnotation(0, 0, "point", end=700).apply(doc)
    roundtrip(doc, DeleteAnnotation(0, 0))
    assert doc.tiers[0].items == (Annotation(600, 900, "big wave"),)
    assert annotation_at(doc.tiers[0], 700) == 0 and annotation_at(doc.tiers[0], 950) is None


def test_broken_tiers_are_document_problems():
    doc = doc_with(Tier("a", (Annotation(100, 500), Annotation(400, 600))), Tier("b", (Annotation(5, 6),), True), Tier("a"))
    problems = " ".join(doc.problems())
    assert "overlaps" in problems and "not a point" in problems and "already a tier named" in problems


# -- the project file ------------------------------------------------------------------------------


TIERS = (
    Tier("gesture", (Annotation(100, 500, "point"), Annotation(900, 1400, 'a "quoted" wave'))),
    Tier("clicks", (Annotation(300, 300, "click"), Annotation(1700, 1700, "")), True),
    Tier("empty"),
)


def test_tiers_are_saved_in_the_project(tmp_path):
    path = tmp_path / "t.wordsync"
    save_project(Project(doc_with(*TIERS)), path)
    assert load_project(path).document == doc_with(*TIERS)
    save_project(Project(doc_with()), path)
    assert '"tiers"' not in path.read_text()  # none: older versions' file
    assert load_project(path).document.tiers == []


@pytest.mark.parametrize("bad,words", [
    ('"tiers": 3', "document.tiers"),
    ('"tiers": [{"name": "g", "items": [[1, 2]]}]', "items"),
    ('"tiers": [{"name": "g", "items": [[500, 100, "x"]]}]', "empty or ends before it starts"),
    ('"tiers": [{"name": "words", "items": []}]', "words"),
])
def test_a_broken_tier_in_a_project_is_one_sentence(tmp_path, bad, words):
    path = tmp_path / "t.wordsync"
    save_project(Project(doc_with()), path)
    path.write_text(path.read_text().replace('"language": "en",', f'"language": "en", {bad},', 1))
    with pytest.raises(ProjectError) as err:
        load_project(path)
    assert words in str(err.value) and "\n" not in str(err.value)


# -- TextGrid ---------------------------------------------------------------------------------------


def test_textgrid_writes_the_tiers_after_the_words_and_cues_and_reads_them_back():
    text, report = render_document(doc_with(*TIERS), "textgrid")
    names = [line.split('"')[1] for line in text.splitlines() if line.strip().startswith("name =")]
    assert names == ["words", "cues", "gesture", "clicks", "empty"]
    assert 'class = "TextTier"' in text and "size = 5" in text
    result = load_text(text, "textgrid")
    back = result.document
    assert [t.text for t in back.tokens] == ["So", "my", "fellow", "Americans"]
    # empty labels are Praat's padding: they do not come back as items
    assert back.tiers == [TIERS[0], Tier("clicks", (Annotation(300, 300, "click"),), True), Tier("empty")]
    assert not any("not used" in w for w in result.warnings)


def test_textgrid_export_offsets_the_tiers_like_the_words():
    text, _ = render_document(doc_with(*TIERS), "textgrid", offset_ms=-200)
    back = load_text(text, "textgrid").document
    assert back.tiers[0].items[0] == Annotation(0, 300, "point")  # clipped at 0, as words are
    assert back.tiers[1].items == (Annotation(100, 100, "click"),)


def test_a_praat_textgrid_s_extra_tiers_become_annotation_tiers_with_repairs():
    grid = """File type = "ooTextFile"
Object class = "TextGrid"
xmin = 0
xmax = 2
tiers? <exists>
size = 4
item []:
    item [1]:
        class = "IntervalTier"
        name = "words"
        xmin = 0
        xmax = 2
        intervals: size = 2
        intervals [1]:
            xmin = 0
            xmax = 1
            text = "hello"
        intervals [2]:
            xmin = 1
            xmax = 2
            text = "world"
    item [2]:
        class = "IntervalTier"
        name = "tones"
        xmin = 0
        xmax = 2
        intervals: size = 2
        intervals [1]:
            xmin = 0
            xmax = 0.5
            text = "H*"
        intervals [2]:
            xmin = 0.5
            xmax = 2
            text = ""
    item [3]:
        class = "TextTier"
        name = "tones"
        xmin = 0
        xmax = 2
        points: size = 2
        points [1]:
            number = 0.7
            mark = "L%"
        points [2]:
            number = 0.7
            mark = "again"
    item [4]:
        class = "IntervalTier"
        name = "sentences"
        xmin = 0
        xmax = 2
        intervals: size = 1
        intervals [1]:
            xmin = 0
            xmax = 2
            text = "hello world"
"""
    result = load_text(grid, "textgrid")
    doc = result.document
    assert doc.problems() == []
    assert [(t.name, t.points, t.items) for t in doc.tiers] == [
        ("tones", False, (Annotation(0, 500, "H*"),)),
        ("tones (2)", True, (Annotation(700, 700, "L%"),)),
    ]
    assert any("renamed 'tones (2)'" in w for w in result.warnings)
    assert any("left out" in w for w in result.warnings)


_LABELS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8).filter(str.strip)


@st.composite
def _tiers(draw):
    out = []
    for k in range(draw(st.integers(0, 3))):
        points = draw(st.booleans())
        cuts = sorted(draw(st.sets(st.integers(0, 2000), max_size=12)))
        if points:
            items = tuple(Annotation(t, t, draw(_LABELS)) for t in cuts)
        else:
            items = tuple(Annotation(a, b, draw(_LABELS)) for a, b in zip(cuts[::2], cuts[1::2]))
        out.append(Tier(f"tier {k}", items, points))
    return out


@settings(max_examples=40, deadline=None)
@given(_tiers())
def test_any_tiers_survive_the_project_and_textgrid(tmp_path_factory, tiers):
    doc = doc_with(*tiers)
    assert doc.problems() == []
    path = tmp_path_factory.mktemp("p") / "t.wordsync"
    save_project(Project(doc), path)
    assert load_project(path).document.tiers == tiers
    back = load_text(render_document(doc, "textgrid")[0], "textgrid").document
    assert back.tiers == tiers
