"""Round trips for every format: random valid documents -> export -> read back -> same content.

Same cue times (ASS: within its 10 ms precision), same text lines, and for the word formats the
same word times; then the same through files (BOM, CRLF) and through ``load_document``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aligner_core.document import Break
from aligner_core.formats import (
    ExportOptions,
    export_document,
    load_document_with_report,
    read_subtitles,
    read_word_timings,
    render_document,
)
from aligner_core.formats.ass import parse_ass
from aligner_core.formats.build import document_from_text
from aligner_core.formats.srt import parse_srt
from aligner_core.text import MARKUP_RE as _MARKUP
from aligner_core.formats.textgrid import parse_textgrid
from aligner_core.formats.vtt import parse_vtt
from aligner_core.formats.words_json import parse_words_json

from .test_formats_support import documents, expected_cues, fake_tokenize, line_token_texts

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FILE_OPTIONS = st.builds(ExportOptions, newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())


def nfc(text):
    return unicodedata.normalize("NFC", text)


def _records(cues):
    return [(c.start_ms, c.end_ms, c.text) for c in cues]


def _srt_safe(doc):
    """SRT has no escapes: text that looks like tags or a timing line cannot survive it."""
    text = "\n".join(t for _, _, t in expected_cues(doc))
    return not _MARKUP.search(text) and "-->" not in text


def _markup_free(doc):
    """Tags in a token are formatting (aligner_core.text.MARKUP_RE): VTT and ASS write them in their
    own syntax and their readers strip them, so only text without them comes back unchanged."""
    return not _MARKUP.search("\n".join(t for _, _, t in expected_cues(doc)))


# -- subtitle formats -------------------------------------------------------------------------------


@SETTINGS
@given(documents())
def test_srt_round_trip(doc):
    assume(_srt_safe(doc))
    text, report = render_document(doc, "srt")
    assert not report.blocking
    assert _records(parse_srt(text)) == expected_cues(doc)
    assert report.cues_written == len(doc.cues)


@SETTINGS
@given(documents(), st.booleans())
def test_vtt_round_trip(doc, karaoke):
    assume(_markup_free(doc))
    text, _ = render_document(doc, "vtt", karaoke=karaoke)
    assert text.startswith("WEBVTT\n")
    assert _records(parse_vtt(text)) == expected_cues(doc)
    for stamp in re.findall(r"<(\d\d:\d\d:\d\d\.\d\d\d)>", text):
        assert re.fullmatch(r"\d{2,}:[0-5]\d:[0-5]\d\.\d{3}", stamp)


_K = re.compile(r"\{\\k(\d+)\}")


def _karaoke_syllables(ass_text: str, start_cs: int) -> list[tuple[int, int, str]]:
    """(start cs, end cs, text) of each \\k syllable of a Dialogue text."""
    out = []
    cursor = start_cs
    parts = _K.split(ass_text)
    for k in range(1, len(parts), 2):
        dur = int(parts[k])
        out.append((cursor, cursor + dur, parts[k + 1]))
        cursor += dur
    return out


@SETTINGS
@given(documents(), st.booleans())
def test_ass_round_trip_within_a_centisecond(doc, karaoke):
    assume(_markup_free(doc))
    text, _ = render_document(doc, "ass", karaoke=karaoke)
    got = parse_ass(text)
    want = expected_cues(doc)
    assert [c.text for c in got] == [t for _, _, t in want]
    for c, (s, e, _) in zip(got, want):
        assert abs(c.start_ms - s) < 10 and abs(c.end_ms - e) < 10
        assert c.end_ms > c.start_ms
        assert c.start_ms % 10 == 0 and c.end_ms % 10 == 0
    assert [(a.start_ms, a.end_ms) for a in got] == sorted((a.start_ms, a.end_ms) for a in got)
    if karaoke:
        dialogue = [ln.split(",", 9)[9] for ln in text.splitlines() if ln.startswith("Dialogue:")]
        for cue, line, parsed in zip(doc.cues, dialogue, got):
            syllables = [syl for syl in _karaoke_syllables(line, parsed.start_ms // 10) if syl[2]]
            timed = [t for t in doc.tokens[cue.first : cue.last + 1] if t.aligned]
            assert len(syllables) == len(timed)
            for (a, b, _), tok in zip(syllables, timed):
                # inside the cue each syllable is the word's time rounded to centiseconds
                assert a * 10 <= parsed.end_ms and b * 10 <= parsed.end_ms
                if parsed.start_ms <= tok.start and tok.end <= parsed.end_ms:
                    assert abs(a * 10 - tok.start) <= 5 and abs(b * 10 - tok.end) <= 5


# -- word formats -----------------------------------------------------------------------------------


def _timed_words(doc):
    return [(t.text, t.start, t.end) for t in doc.tokens if t.aligned and t.start < t.end]


@SETTINGS
@given(documents())
def test_textgrid_round_trip(doc):
    text, _ = render_document(doc, "textgrid")
    grid = parse_textgrid(text)
    words, cues = grid.tier("words"), grid.tier("cues")
    assert [(w.text, w.start_ms, w.end_ms) for w in words.words()] == _timed_words(doc)
    assert _records(cues.cues()) == expected_cues(doc)
    for tier in (words, cues):  # tiers tile xmin..xmax
        assert tier.intervals[0].start_ms == grid.xmin_ms == 0 and tier.intervals[-1].end_ms == grid.xmax_ms
        assert all(a.end_ms == b.start_ms for a, b in zip(tier.intervals, tier.intervals[1:]))
        assert all(iv.start_ms < iv.end_ms for iv in tier.intervals)


@SETTINGS
@given(documents())
def test_json_round_trip(doc):
    text, _ = render_document(doc, "json")
    data = parse_words_json(text)
    assert [(w.text, w.start_ms, w.end_ms) for w in data.words] == [(t.text, t.start, t.end) for t in doc.tokens]
    assert [w.confidence for w in data.words] == [t.confidence for t in doc.tokens]
    assert _records(data.cues) == expected_cues(doc)
    assert data.language == doc.language and data.aligner == "wordsync"


# -- through files and load_document ----------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("roundtrip")


@SETTINGS
@given(doc=documents(), options=FILE_OPTIONS, fmt=st.sampled_from(["srt", "vtt", "ass"]))
def test_subtitle_files_load_as_documents_for_retiming(folder, doc, options, fmt):
    assume(_srt_safe(doc) if fmt == "srt" else _markup_free(doc))
    path = folder / f"subs.{fmt}"
    export_document(doc, path, options=options)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == options.bom
    assert (b"\r\n" in raw) == (options.newline == "\r\n")
    assert len(read_subtitles(path)) == len(doc.cues)
    result = load_document_with_report(path, tokenizer=fake_tokenize)
    loaded = result.document
    assert not loaded.problems()
    # ASS keeps a cue shorter than 10 ms one centisecond long, which may touch the next cue
    assert all(fmt == "ass" and "before the previous one ends" in w for w in result.warnings)
    tol = 10 if fmt == "ass" else 0
    assert len(loaded.cues) == len(doc.cues)
    for got, (s, e, text) in zip(loaded.cues, expected_cues(doc)):
        assert loaded.cue_text(got) == nfc(text)  # files are read as NFC text
        assert abs(got.start - s) <= tol and abs(got.end - e) <= tol
        assert all(t.start is None for t in loaded.tokens[got.first : got.last + 1])
    assert [line_token_texts(loaded, c) for c in loaded.cues] == [[[nfc(t) for t in line] for line in line_token_texts(doc, c)] for c in doc.cues]
    assert all(loaded.tokens[c.first].brk == (Break.PARAGRAPH if k else Break.NONE) for k, c in enumerate(loaded.cues))


@SETTINGS
@given(doc=documents(), options=FILE_OPTIONS)
def test_textgrid_loads_with_its_word_times(folder, doc, options):
    _check_word_file(folder, doc, options, "textgrid")


@SETTINGS
@given(doc=documents(), options=FILE_OPTIONS)
def test_json_words_load_with_their_word_times(folder, doc, options):
    _check_word_file(folder, doc, options, "json")


def _check_word_file(folder, doc, options, fmt):
    path = folder / ("words.TextGrid" if fmt == "textgrid" else "words.json")
    export_document(doc, path, options=options)
    if fmt == "json":
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = load_document_with_report(path, tokenizer=fake_tokenize)
    loaded = result.document
    assert not loaded.problems()
    assert [t.text for t in loaded.tokens] == [nfc(t.text) for t in doc.tokens]
    if fmt == "json":
        assert [(t.start, t.end, t.confidence) for t in loaded.tokens] == [(t.start, t.end, t.confidence) for t in doc.tokens]
        assert loaded.language == doc.language
        assert not result.warnings
    else:
        # A TextGrid holds no unaligned or zero-length words: they come back from the cue text
        # without times. Which of two equal words next to each other had the time is lost with
        # them, so positions are exact only when every word has a proper interval.
        assert [(t.text, t.start, t.end) for t in loaded.tokens if t.aligned] == [(nfc(w), s, e) for w, s, e in _timed_words(doc)]
        if all(t.aligned and t.start < t.end for t in doc.tokens):
            assert [(t.start, t.end) for t in loaded.tokens] == [(t.start, t.end) for t in doc.tokens]
    assert [(c.first, c.last, c.start, c.end, c.line_starts) for c in loaded.cues] == [
        (c.first, c.last, *doc.cue_times(c), c.line_starts) for c in doc.cues
    ]
    assert [loaded.cue_lines(c) for c in loaded.cues] == [[nfc(ln) for ln in doc.cue_lines(c)] for c in doc.cues]
    timings = read_word_timings(path)
    assert [(w.start_ms, w.end_ms) for w in timings.words if w.start_ms is not None and w.start_ms < w.end_ms] == [
        (s, e) for _, s, e in _timed_words(doc)
    ]


@SETTINGS
@given(documents(unaligned=False, zero_length=False), st.integers(-3000, 3000))
def test_offset_shifts_every_time_and_clamps_at_zero(doc, offset):
    cues = expected_cues(doc)
    assume(all(e + offset > 0 for _, e, _ in cues))
    text, report = render_document(doc, "json", offset_ms=offset)
    data = parse_words_json(text)
    assert _records(data.cues) == [(max(0, s + offset), e + offset, t) for s, e, t in cues]
    assert [(w.start_ms, w.end_ms) for w in data.words] == [(max(0, t.start + offset), max(0, t.end + offset)) for t in doc.tokens]
    clamped = any(s + offset < 0 for s, _, _ in cues)
    assert clamped == any("starts before 0" in p.reason for p in report.problems)
    assert not report.blocking


@SETTINGS
@given(documents(), st.data())
def test_plain_text_round_trip(doc, data):
    brks = [Break.NONE] + data.draw(st.lists(st.sampled_from(list(Break)), min_size=len(doc.tokens) - 1, max_size=len(doc.tokens) - 1))
    doc.tokens = [replace(t, brk=b) for t, b in zip(doc.tokens, brks)]
    text, _ = render_document(doc, "txt")
    loaded = document_from_text(text, "en", fake_tokenize)
    assert [t.text for t in loaded.tokens] == [t.text for t in doc.tokens]
    assert [t.brk for t in loaded.tokens] == [t.brk for t in doc.tokens]
