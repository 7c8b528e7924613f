"""load_document: subtitles become a transcript for re-timing, word files keep their times."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings

from aligner_core.document import Break
from aligner_core.formats import export_document, load_document, load_document_with_report
from aligner_core.formats.build import document_from_subtitles, document_from_words
from aligner_core.formats.common import SubtitleCue, WordRecord
from aligner_core.text import MARKUP_RE as _MARKUP

from .test_formats_support import documents, expected_cues, fake_tokenize

text_mod = pytest.importorskip("aligner_core.text")
tokenize = text_mod.tokenize


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_srt_becomes_a_transcript_with_cue_hints(tmp_path):
    path = write(tmp_path, "film.srt", "1\n00:00:01,000 --> 00:00:02,500\n<i>Hello,</i> world!\n- Second line\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n")
    doc = load_document(path)
    assert doc.language == "en" and doc.duration_ms is None
    assert [t.text for t in doc.tokens] == ["<i>Hello,</i>", "world!", "- Second", "line", "Bye."]
    assert [t.units for t in doc.tokens][:2] == [("hello",), ("world",)]  # the tags are shown, never aligned
    assert all(not t.aligned for t in doc.tokens)
    assert [t.brk for t in doc.tokens] == [Break.NONE, Break.NONE, Break.LINE, Break.NONE, Break.PARAGRAPH]
    assert [(c.first, c.last, c.start, c.end, c.line_starts) for c in doc.cues] == [(0, 3, 1000, 2500, (2,)), (4, 4, 3000, 4000, ())]
    assert [doc.cue_lines(c) for c in doc.cues] == [["<i>Hello,</i> world!", "- Second line"], ["Bye."]]


def test_chinese_subtitles_in_gb18030(tmp_path):
    path = write(tmp_path, "zh.srt", "1\r\n00:00:01,000 --> 00:00:02,000\r\n你好，世界。\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,000\r\n再见。\r\n", "gb18030")
    doc = load_document(path)
    assert doc.language == "zh"
    assert [t.text for t in doc.tokens] == ["你", "好，", "世", "界。", "再", "见。"]
    assert doc.tokens[4].sep == ""  # no space across a cue boundary between CJK characters
    assert [doc.cue_text(c) for c in doc.cues] == ["你好，世界。", "再见。"]


def test_messy_subtitles_are_repaired_and_reported(tmp_path):
    path = write(
        tmp_path,
        "messy.ass",
        "[Events]\nFormat: Start, End, Text\n"
        "Dialogue: 0:00:05.00,0:00:06.00,later\n"
        "Dialogue: 0:00:01.00,0:00:03.00,first\n"
        "Dialogue: 0:00:02.00,0:00:04.00,overlapping\n"
        "Dialogue: 0:00:07.00,0:00:08.00,{\\i1}{\\i0}\n"
        "Dialogue: 0:00:09.00,0:00:08.50,♪ ♪\n",
    )
    result = load_document_with_report(path)
    doc = result.document
    assert not doc.problems()
    assert [(doc.cue_text(c), c.start, c.end) for c in doc.cues] == [
        ("first", 1000, 2000),
        ("overlapping", 2000, 4000),
        ("later", 5000, 6000),
        ("♪ ♪", 9000, 9000),
    ]
    assert doc.tokens[-1].units == ()  # kept as text, nothing to align
    warnings = "\n".join(result.warnings)
    for needle in ("sorted by start time", "before the previous one ends", "line 6 has no words and was skipped", "ends before it starts", "no words to align"):
        assert needle in warnings


def test_json_words_outside_cues_and_without_times(tmp_path):
    data = {
        "audio_duration": 10,
        "language": "English",
        "words": [
            {"word": "Intro", "start": 0.2, "end": 0.6},
            {"word": "Hello,", "start": 1.0, "end": 1.4, "confidence": 0.9},
            {"word": "big", "start": None, "end": None},
            {"word": "world!", "start": 1.6, "end": 2.0},
            {"word": "outro", "start": 9.0, "end": 9.5},
        ],
        "cues": [{"start": 1.0, "end": 2.2, "text": "Hello,\nbig world!"}],
    }
    path = write(tmp_path, "w.json", json.dumps(data))
    result = load_document_with_report(path)
    doc = result.document
    assert not result.warnings and doc.language == "en" and doc.duration_ms == 10_000
    assert [(t.text, t.start, t.end) for t in doc.tokens] == [
        ("Intro", 200, 600), ("Hello,", 1000, 1400), ("big", None, None), ("world!", 1600, 2000), ("outro", 9000, 9500)
    ]
    assert doc.tokens[1].confidence == 0.9 and doc.tokens[1].units == ("hello",)
    assert [(c.first, c.last, c.start, c.end, c.line_starts) for c in doc.cues] == [(1, 3, 1000, 2200, (1,))]


def test_json_repairs_are_reported(tmp_path):
    data = {"words": [
        {"word": "a", "start": -0.1, "end": 0.2, "confidence": 1.5},
        {"word": "b", "start": 0.1, "end": 0.3},
        {"word": "c", "start": 0.5, "end": 0.4},
        {"word": "d", "start": 0.6},
        {"word": " ", "start": 0.7, "end": 0.8},
    ], "audio_duration": 0.45}
    result = load_document_with_report(write(tmp_path, "bad.json", json.dumps(data)), "en")
    doc = result.document
    assert [(t.text, t.start, t.end, t.confidence) for t in doc.tokens] == [
        ("a", 0, 200, 1.0), ("b", 200, 300, None), ("c", 500, 500, None), ("d", None, None, None)
    ]
    assert doc.duration_ms == 500 and not doc.problems()
    assert len(result.warnings) == 7


def test_textgrid_missing_words_come_back_from_the_cue_text(tmp_path):
    grid = (
        'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n3\n<exists>\n2\n'
        '"IntervalTier"\n"words"\n0\n3\n4\n0\n0.5\n"The"\n0.5\n1.5\n""\n1.5\n2\n"sat."\n2\n3\n""\n'
        '"IntervalTier"\n"cues"\n0\n3\n2\n0\n2.5\n"The cat\nsat."\n2.5\n3\n""\n'
    )
    result = load_document_with_report(write(tmp_path, "g.TextGrid", grid))
    doc = result.document
    assert [(t.text, t.start, t.end) for t in doc.tokens] == [("The", 0, 500), ("cat", None, None), ("sat.", 1500, 2000)]
    assert doc.cues[0].line_starts == (2,) and doc.duration_ms == 3000
    assert "'cat'" in result.warnings[0]


def test_textgrid_of_sentences_only_gives_cues_and_mfa_gives_words(tmp_path):
    sentences = (
        'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n3\n<exists>\n1\n'
        '"IntervalTier"\n"transcript"\n0\n3\n2\n0\n2\n"How are you today"\n2\n3\n"Fine thanks"\n'
    )
    doc = load_document(write(tmp_path, "s.TextGrid", sentences))
    assert [doc.cue_text(c) for c in doc.cues] == ["How are you today", "Fine thanks"]
    assert all(not t.aligned for t in doc.tokens)
    mfa = (
        'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n3\n<exists>\n2\n'
        '"IntervalTier"\n"spk - words"\n0\n3\n3\n0\n1\n"hi"\n1\n2\n"sil"\n2\n3\n"you"\n'
        '"IntervalTier"\n"spk - phones"\n0\n3\n1\n0\n3\n"HH AY"\n'
    )
    result = load_document_with_report(write(tmp_path, "m.TextGrid", mfa))
    assert [(t.text, t.start, t.end) for t in result.document.tokens] == [("hi", 0, 1000), ("you", 2000, 3000)]
    assert result.document.cues == [] and "silence" in result.warnings[0]


def test_plain_text_file(tmp_path):
    path = write(tmp_path, "t.txt", "\ufeffFirst line,\r\nsecond.\r\n\r\n你好\r\n")
    doc = load_document(path)
    assert [t.text for t in doc.tokens] == ["First", "line,", "second.", "你", "好"]
    assert doc.cues == [] and [t.brk for t in doc.tokens][2:4] == [Break.LINE, Break.PARAGRAPH]


def test_builders_take_records_directly():
    doc, warnings = document_from_subtitles([SubtitleCue(0, 1000, "a b\nc")], "en", fake_tokenize)
    assert doc.cues[0].line_starts == (2,) and not warnings
    doc, warnings = document_from_words([WordRecord("a", 0, 100), WordRecord("b", 100, 200)], [], "en", fake_tokenize)
    assert [t.text for t in doc.tokens] == ["a", "b"] and doc.cues == []


# -- with the real tokenizer: cue text and times survive every format ------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=documents(max_tokens=12))
def test_round_trip_with_the_real_tokenizer(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("real", numbered=True)
    want = expected_cues(doc)
    text = "\n".join(t for _, _, t in want)
    assume(not _MARKUP.search(text) and "-->" not in text)
    for name in ("a.srt", "a.vtt", "a.ass", "a.TextGrid", "a.json"):
        path = folder / name
        export_document(doc, path)
        loaded = load_document(path, doc.language)
        assert not loaded.problems()
        # A cue without a letter or digit keeps its text as a token with no units.
        got = [(c.start, c.end, loaded.cue_text(c)) for c in loaded.cues]
        norm = [(s, e, unicodedata.normalize("NFC", t)) for s, e, t in want]
        tol = 10 if name.endswith(".ass") else 0
        assert len(got) == len(norm), name
        for (gs, ge, gt), (s, e, t) in zip(got, norm):
            assert abs(gs - s) < tol + 1 and abs(ge - e) < tol + 1 and gt == t, name
