"""Property-based fuzzing of every reader: raw bytes and format-shaped text go in, and only the
documented error type may come out (FormatError for subtitle/timing files, ProjectError for
projects, TranscriptError for transcripts) - never IndexError, KeyError, RecursionError...

The text strategies splice real syntax (timing lines, headers, JSON keys, TextGrid fields) with
garbage, so the fuzzing reaches the parsers' inner branches, not only their first check.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.formats import (
    FormatError,
    load_document,
    read_subtitles,
    read_word_timings,
)
from aligner_core.formats.ass import parse_ass
from aligner_core.formats.srt import parse_srt
from aligner_core.formats.textgrid import parse_textgrid
from aligner_core.formats.vtt import parse_vtt
from aligner_core.formats.words_json import parse_words_json
from aligner_core.project import ProjectError, load_project
from aligner_core.text import TranscriptError, decode_transcript_bytes, tokenize

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = {
    "srt": ["1", "2", "00:00:01,000 --> 00:00:02,500", "00:00:0x,000 --> 00:00:01,000", "-00:00:01,000 --> 00:00:00,000",
            "99:99:99,999 --> 00:00:00,000", "-->", "<i>And</i> so", "{\\an8}my", ""],
    "vtt": ["WEBVTT", "WEBVTT - title", "NOTE x", "STYLE", "REGION", "00:01.000 --> 00:02.000 align:start",
            "01:00:00.000 --> 00:00.500", "<00:00:01.200><c>fellow</c>", "id-1", "&amp;&lt;", ""],
    "ass": ["[Script Info]", "[V4+ Styles]", "[Events]", "Format: Layer, Start, End, Style, Text",
            "Format: Text", "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\k20}And so",
            "Dialogue: 0,9:99:99.99,x,Default,,,,,,", "Dialogue:", "Comment: 0,0:00:00.00", ""],
    "textgrid": ['File type = "ooTextFile"', 'Object class = "TextGrid"', "xmin = 0", "xmax = 2.5", "xmax = -1",
                 "tiers? <exists>", "size = 2", "item []:", "item [1]:", 'class = "IntervalTier"', 'class = "TextTier"',
                 'name = "words"', "intervals: size = 3", "intervals [1]:", 'text = "and"', 'text = "un""closed',
                 "points: size = 1", "number = 1.0", "mark = \"x\"", "xmin = nan", "1e309", ""],
}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.sampled_from([10**400, -(10**400)]) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8) | st.sampled_from(["And", "", "so"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["words", "cues", "segments", "text", "word", "start", "end", "language", "duration",
                         "confidence", "first", "last", "version", "x"]), inner, max_size=5),
    max_leaves=20,
)


def shaped_text(fmt: str):
    line = st.one_of(st.sampled_from(FRAGMENTS[fmt]), st.text(max_size=30))
    return st.lists(line, max_size=25).map("\n".join)


def _write(data: bytes | str, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="wordsync-fuzz-"))
    path = folder / f"f{suffix}"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(data)
    return path


def _only(errors, call, *args) -> None:
    try:
        call(*args)
    except errors as exc:
        assert str(exc).strip(), "an error must say something"


PARSERS = {"srt": parse_srt, "vtt": parse_vtt, "ass": parse_ass, "textgrid": parse_textgrid}


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@FUZZ
@given(data=st.data())
def test_parsers_raise_only_format_errors(fmt, data):
    text = data.draw(st.one_of(shaped_text(fmt), st.text(max_size=200)))
    _only(FormatError, PARSERS[fmt], text)


@FUZZ
@given(value=JSON_VALUES)
def test_words_json_raises_only_format_errors(value):
    _only(FormatError, parse_words_json, json.dumps(value))


@FUZZ
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".srt", ".vtt", ".ass", ".TextGrid", ".json", ".txt", ".sub"]))
def test_file_readers_on_raw_bytes(raw, suffix):
    path = _write(raw, suffix)
    _only(FormatError, read_subtitles, path)
    _only(FormatError, read_word_timings, path)
    _only((FormatError, TranscriptError), load_document, path)


@FUZZ
@given(data=st.data(), fmt=st.sampled_from(sorted(FRAGMENTS)))
def test_load_document_on_shaped_files(data, fmt):
    suffix = {"textgrid": ".TextGrid"}.get(fmt, "." + fmt)
    path = _write(data.draw(shaped_text(fmt)), suffix)
    _only((FormatError, TranscriptError), load_document, path)


@FUZZ
@given(value=JSON_VALUES)
def test_load_document_on_json_values(value):
    _only((FormatError, TranscriptError), load_document, _write(json.dumps(value), ".json"))


@FUZZ
@given(raw=st.binary(max_size=600))
def test_transcript_decoding_raises_only_transcript_errors(raw):
    try:
        text, _encoding = decode_transcript_bytes(raw, "t.txt")
    except TranscriptError:
        return
    assert isinstance(text, str)
    tokenize(text, "en")


@FUZZ
@given(text=st.text(max_size=300), language=st.sampled_from(["en", "zh", "ja", "fr", "ar", "xx"]))
def test_tokenize_takes_any_text(text, language):
    tokens = tokenize(text, language)
    assert all(t.text for t in tokens)


def _project_dict(draw) -> dict:
    n = draw(st.integers(0, 3))
    col = lambda elem: st.lists(elem, min_size=n, max_size=n) | JSON_VALUES
    return {
        "format": draw(st.sampled_from(["wordsync-project", "x", None])),
        "version": draw(st.sampled_from([1, 2, 3, 0, -1, "2", 2.0, None])),
        "audio": draw(st.none() | st.fixed_dictionaries({"path": st.none() | st.sampled_from(["a.wav", "../a.wav", "/a.wav", "", "C:\\a.wav"]),
                                                         "absolute": st.none() | st.text(max_size=10)}) | JSON_VALUES),
        "document": draw(st.fixed_dictionaries({
            "language": st.sampled_from(["en", None, 3]),
            "duration_ms": st.none() | st.integers(-5, 10**6) | st.floats(),
            "tokens": st.fixed_dictionaries({k: col(JSON_VALUES) for k in ("text", "units", "start", "end", "confidence", "flags", "locked", "sep", "brk")}),
            "cues": st.fixed_dictionaries({k: col(JSON_VALUES) for k in ("first", "last", "start", "end", "line_starts")}),
        }) | JSON_VALUES),
        "words": draw(JSON_VALUES),
        "view": draw(JSON_VALUES),
    }


@FUZZ
@given(data=st.data())
def test_project_reader_raises_only_project_errors(data):
    kind = data.draw(st.sampled_from(["bytes", "json", "shaped"]))
    if kind == "bytes":
        raw: bytes | str = data.draw(st.binary(max_size=300))
    elif kind == "json":
        raw = json.dumps(data.draw(JSON_VALUES))
    else:
        raw = json.dumps(_project_dict(data.draw))
    _only(ProjectError, load_project, _write(raw, ".wordsync"))
