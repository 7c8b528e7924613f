"""Word files (JSON, TextGrid) put every word back in its cue, also in the hard cases.

The hard cases are repeated words (which of two equal words is the cue's?), words without times
or of zero length, words in no cue, and cue times that do not cover their words. Wordsync's own
JSON names each cue's words (``word_range``), so it comes back exactly; JSON from other tools
("foreign", without ``word_range``) and TextGrid are placed by matching the cue texts to the
words, which these properties check with small alphabets that make repeats likely.
"""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aligner_core.document import Document
from aligner_core.formats import ExportOptions, export_document, load_document_with_report
from aligner_core.formats.textgrid import SILENCE_LABELS

from .test_formats_roundtrip import FILE_OPTIONS, _check_word_file, nfc
from .test_formats_support import documents, fake_tokenize

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
REPEATS = st.sampled_from(["a", "b", "一", "二", "a,"])  # few distinct words: repeats everywhere


def _strip_word_ranges(path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for cue in data["cues"]:
        cue.pop("word_range", None)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@st.composite
def documents_with_words_outside_cues(draw, words=None, shrink=True):
    """Some cues dropped (their words belong to no cue), some cue times shrunk inside their words."""
    doc = draw(documents(words=words) if words is not None else documents())
    cues = []
    for c in doc.cues:
        if not draw(st.booleans()):
            continue
        s, e = doc.cue_times(c)
        if shrink and draw(st.booleans()):
            s = draw(st.integers(s, e - 1))
            e = draw(st.integers(s + 1, e))
        cues.append(replace(c, start=s, end=e))
    out = Document(doc.tokens, cues, doc.duration_ms, doc.language)
    assert not out.problems(), out.problems()
    return out


@SETTINGS
@given(doc=documents(words=REPEATS), options=FILE_OPTIONS)
def test_wordsync_json_with_repeated_words_comes_back_exactly(tmp_path_factory, doc, options):
    _check_word_file(tmp_path_factory.mktemp("j"), doc, options, "json")


@SETTINGS
@given(doc=documents(words=REPEATS), options=FILE_OPTIONS)
def test_textgrid_with_repeated_words_keeps_word_times(tmp_path_factory, doc, options):
    _check_word_file(tmp_path_factory.mktemp("t"), doc, options, "textgrid")


@SETTINGS
@given(doc=st.one_of(documents(), documents(words=REPEATS)))
def test_foreign_json_is_placed_by_its_cue_texts(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("f") / "words.json"
    export_document(doc, path)
    _strip_word_ranges(path)
    result = load_document_with_report(path, tokenizer=fake_tokenize)
    got = result.document
    assert not got.problems() and not result.warnings
    assert [(t.text, t.start, t.end, t.confidence) for t in got.tokens] == [(nfc(t.text), t.start, t.end, t.confidence) for t in doc.tokens]
    assert [(c.first, c.last, c.start, c.end, c.line_starts) for c in got.cues] == [
        (c.first, c.last, *doc.cue_times(c), c.line_starts) for c in doc.cues
    ]


def _check_json_outside(path, doc, foreign):
    export_document(doc, path)
    if foreign:
        _strip_word_ranges(path)
    result = load_document_with_report(path, tokenizer=fake_tokenize)
    got = result.document
    assert not got.problems() and not result.warnings
    # the words array is the token list as it stands, whatever the cues say
    assert [(t.text, t.start, t.end, t.confidence) for t in got.tokens] == [(nfc(t.text), t.start, t.end, t.confidence) for t in doc.tokens]
    assert [(c.start, c.end) for c in got.cues] == [(c.start, c.end) for c in doc.cues]
    assert [got.cue_lines(c) for c in got.cues] == [[nfc(x) for x in doc.cue_lines(c)] for c in doc.cues]
    # Without word_range, an equal word outside the cues can stand in for one inside: then only
    # the text of each cue is certain, not which of the equal words it holds.
    in_no_cue = any(not any(c.first <= k <= c.last for c in doc.cues) for k in range(len(doc.tokens)))
    if not foreign or not in_no_cue:
        assert [(c.first, c.last, c.line_starts) for c in got.cues] == [(c.first, c.last, c.line_starts) for c in doc.cues]


@SETTINGS
@given(doc=st.one_of(documents_with_words_outside_cues(), documents_with_words_outside_cues(words=REPEATS)))
def test_wordsync_json_words_outside_cues_and_shrunk_cue_times(tmp_path_factory, doc):
    _check_json_outside(tmp_path_factory.mktemp("o") / "words.json", doc, foreign=False)


# Without word_range and with cue times that do not cover their words, a cue of repeated words
# can be matched to the wrong ones (times are what tell equal words apart), so foreign files are
# checked with cue times as other tools write them: covering their words.
@SETTINGS
@given(doc=st.one_of(documents_with_words_outside_cues(shrink=False), documents_with_words_outside_cues(words=REPEATS, shrink=False)))
def test_foreign_json_words_outside_cues(tmp_path_factory, doc):
    _check_json_outside(tmp_path_factory.mktemp("o") / "words.json", doc, foreign=True)


@SETTINGS
@given(doc=st.one_of(documents_with_words_outside_cues(), documents_with_words_outside_cues(words=REPEATS)))
def test_textgrid_words_outside_cues_keep_their_times(tmp_path_factory, doc):
    assume(not any(t.text.strip().lower() in SILENCE_LABELS for t in doc.tokens))  # "#" may be a pause
    path = tmp_path_factory.mktemp("g") / "words.TextGrid"
    export_document(doc, path, options=ExportOptions(fix=True))
    got = load_document_with_report(path, tokenizer=fake_tokenize).document
    assert not got.problems()
    assert [got.cue_lines(c) for c in got.cues] == [[nfc(x) for x in doc.cue_lines(c)] for c in doc.cues]
    # a TextGrid's word tier holds only words with a proper interval
    timed = [(nfc(t.text), t.start, t.end) for t in doc.tokens if t.aligned and t.start < t.end]
    assert [(t.text, t.start, t.end) for t in got.tokens if t.aligned] == timed


def test_textgrid_word_past_its_cues_end_keeps_its_time(tmp_path):
    # Cue ends trimmed to keep a gap before the next cue can end before their last word starts;
    # the word is still the cue's (text decides), and a zero-length word elsewhere, which the
    # word tier cannot hold, sends the file through the full matcher.
    from aligner_core.document import Cue, Token

    tokens = [Token("on", ("on",), 0, 100), Token("he", ("he",), 150, 220), Token("x", ("x",), 300, 300), Token("y", ("y",), 310, 390)]
    doc = Document(tokens, [Cue(0, 1, 0, 140), Cue(2, 3, 250, 400)], 1000, "en")
    path = tmp_path / "words.TextGrid"
    export_document(doc, path)
    got = load_document_with_report(path, tokenizer=fake_tokenize).document
    assert [(t.text, t.start, t.end) for t in got.tokens] == [("on", 0, 100), ("he", 150, 220), ("x", None, None), ("y", 310, 390)]
    assert [(c.first, c.last) for c in got.cues] == [(0, 1), (2, 3)]
