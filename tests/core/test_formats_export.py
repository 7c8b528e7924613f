"""Export: validation instead of silent loss, offsets, options, writing."""

from __future__ import annotations

import json

import pytest
import srt as srt_lib

from aligner_core.document import Break, Cue, Document, Token
from aligner_core.formats import (
    FORMATS,
    ExportOptions,
    ExportValidationError,
    FormatError,
    NoCuesError,
    export_document,
    file_filter,
    format_for_path,
    render_document,
)
from aligner_core.formats.ass import parse_ass
from aligner_core.formats.srt import parse_srt
from aligner_core.formats.textgrid import parse_textgrid
from aligner_core.formats.words_json import parse_words_json


def tok(text, start=None, end=None, sep=" ", conf=None):
    return Token(text, (text.lower(),), start, end, conf, sep=sep)


def broken_doc() -> Document:
    """Cue 2 has no text, cue 3 no times, cue 4 zero length; cues 1 and 5 are fine."""
    tokens = [
        tok("one", 1000, 1500),
        Token("", (), None, None),  # an empty token: nothing to show
        tok("untimed"),
        tok("zero", 4000, 4000),
        tok("five", 6000, 6500),
    ]
    cues = [Cue(0, 0), Cue(1, 1, 2000, 2500), Cue(2, 2), Cue(3, 3), Cue(4, 4, 5900, 7000)]
    doc = Document(tokens, cues, 10_000, "en")
    assert not doc.problems()
    return doc


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "textgrid", "json"])
def test_refuses_by_default_listing_every_broken_cue(tmp_path, fmt):
    path = tmp_path / f"out.{FORMATS[fmt].extensions[0][1:]}"
    path.write_text("previous contents", encoding="utf-8")
    with pytest.raises(ExportValidationError) as err:
        export_document(broken_doc(), path)
    report = err.value.report
    assert [(p.cue, p.action) for p in report.blocking] == [(2, None), (3, None), (4, None)]
    message = str(err.value)
    for needle in ("cue 2: has no text", "cue 3: has no times", "cue 4: has zero length", "fix=True"):
        assert needle in message
    assert path.read_text(encoding="utf-8") == "previous contents"  # nothing was written
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left


def test_fixing_repairs_or_drops_with_a_report(tmp_path):
    path = tmp_path / "out.srt"
    report = export_document(broken_doc(), path, options=ExportOptions(fix=True))
    assert [(p.cue, p.action) for p in report.blocking] == [(2, "dropped"), (3, "dropped"), (4, "end set to 4500 ms")]
    got = parse_srt(path.read_text(encoding="utf-8"))
    assert [(c.start_ms, c.end_ms, c.text) for c in got] == [(1000, 1500, "one"), (4000, 4500, "zero"), (5900, 7000, "five")]
    assert report.cues_written == 3 and report.path == str(path)
    assert "cue 3: has no times" in report.summary()


def test_fixing_a_zero_length_cue_stops_at_the_next_cue():
    doc = Document([tok("a", 1000, 1000), tok("b", 1100, 1400)], [Cue(0, 0), Cue(1, 1)], None, "en")
    text, report = render_document(doc, "srt", options=ExportOptions(fix=True))
    assert [(c.start_ms, c.end_ms) for c in parse_srt(text)] == [(1000, 1100), (1100, 1400)]
    doc = Document([tok("a", 1000, 1000), tok("b", 1000, 1400)], [Cue(0, 0), Cue(1, 1)], None, "en")
    text, report = render_document(doc, "srt", options=ExportOptions(fix=True))
    assert [c.text for c in parse_srt(text)] == ["b"] and report.blocking[0].action == "dropped"


def test_srt_library_would_have_dropped_these_silently():
    """The reason for validating: srt.compose skips bad subtitles without a word."""
    from datetime import timedelta

    subs = [srt_lib.Subtitle(1, timedelta(seconds=1), timedelta(seconds=1), "zero"), srt_lib.Subtitle(2, timedelta(seconds=2), timedelta(seconds=3), "")]
    assert srt_lib.compose(subs) == ""


def test_empty_line_inside_a_cue_is_blocking_for_every_format():
    doc = Document([tok("a", 0, 500), Token("", (), None, None), tok("b", 600, 900)], [Cue(0, 2, None, None, (1, 2))], None, "en")
    with pytest.raises(ExportValidationError, match="empty line"):
        render_document(doc, "vtt")
    text, report = render_document(doc, "vtt", options=ExportOptions(fix=True))
    assert "a\nb\n" in text and report.blocking[0].action == "empty line removed"


def test_negative_offset_clamps_starts_and_refuses_cues_before_zero():
    doc = Document([tok("early", 100, 300), tok("later", 900, 1500)], [Cue(0, 0), Cue(1, 1, 800, None)], 2000, "en")
    text, report = render_document(doc, "srt", offset_ms=-200)
    assert [(c.start_ms, c.end_ms) for c in parse_srt(text)] == [(0, 100), (600, 1300)]
    assert any(p.cue == 1 and p.action == "start clamped to 0" for p in report.problems)
    assert not report.blocking
    with pytest.raises(ExportValidationError) as err:
        render_document(doc, "srt", offset_ms=-400)
    assert err.value.report.blocking[0].cue == 1 and "ends before 0" in err.value.report.blocking[0].reason
    text, report = render_document(doc, "srt", offset_ms=-400, options=ExportOptions(fix=True))
    assert [(c.start_ms, c.end_ms, c.text) for c in parse_srt(text)] == [(400, 1100, "later")]
    data = parse_words_json(render_document(doc, "json", offset_ms=-400, options=ExportOptions(fix=True))[0])
    assert [(w.start_ms, w.end_ms) for w in data.words] == [(0, 0), (500, 1100)]


def test_positive_offset_in_every_format():
    doc = Document([tok("a", 0, 500), tok("b", 600, 900)], [Cue(0, 1, None, None, (1,))], 1000, "en")
    assert parse_srt(render_document(doc, "srt", offset_ms=1234)[0])[0].start_ms == 1234
    assert parse_ass(render_document(doc, "ass", offset_ms=1234)[0])[0].start_ms == 1230
    grid = parse_textgrid(render_document(doc, "textgrid", offset_ms=1234)[0])
    assert [(w.start_ms, w.end_ms) for w in grid.tier("words").words()] == [(1234, 1734), (1834, 2134)]
    assert grid.xmax_ms == 2134  # tiers reach the last shifted time even past the audio's duration


def test_subtitle_formats_need_cues_word_formats_do_not():
    doc = Document([tok("a", 0, 500), tok("b", 600, 900)], [], 1000, "en")
    for fmt in ("srt", "vtt", "ass"):
        with pytest.raises(NoCuesError, match="segment"):
            render_document(doc, fmt)
    data = json.loads(render_document(doc, "json")[0])
    assert data["cues"] == [] and [w["word"] for w in data["words"]] == ["a", "b"]
    grid = parse_textgrid(render_document(doc, "textgrid")[0])
    assert grid.tier("cues").cues() == [] and len(grid.tier("words").words()) == 2
    with pytest.raises(NoCuesError, match="empty"):
        render_document(Document([], [], None, "en"), "srt")


def test_a_cue_profile_segments_and_checks():
    cues_mod = pytest.importorskip("aligner_core.cues")
    doc = Document([tok("Hello", 0, 400), tok("world.", 450, 900), tok("Bye.", 5000, 5200)], [], 6000, "en")
    text, report = render_document(doc, "srt", profile=cues_mod.get_profile("general"))
    got = parse_srt(text)
    assert "\n".join(c.text for c in got).split() == ["Hello", "world.", "Bye."]
    assert "were made with the 'general' profile" in report.problems[0].reason
    # with the document's own cues, rule violations are reported (not blocking)
    doc.cues = [Cue(0, 1, 0, 300), Cue(2, 2)]
    _, report = render_document(doc, "srt", profile=cues_mod.get_profile("general"))
    reasons = [(p.cue, p.reason) for p in report.problems]
    assert (1, "lasts 300 ms (at least 1000 ms)") in reasons and not report.blocking


def test_words_outside_cues_are_reported():
    doc = Document([tok("a", 0, 500), tok("b", 600, 900), tok("c", 1000, 1100)], [Cue(1, 1)], None, "en")
    text, report = render_document(doc, "vtt")
    assert "2 word(s) are in no cue and are not exported: 1, 3" in report.summary()
    data = parse_words_json(render_document(doc, "json")[0])
    assert len(data.words) == 3  # the word list has them all


def test_formatting_tags_are_written_in_each_formats_syntax():
    # tokens keep the tags of the subtitles they came from (aligner_core.text.MARKUP_RE)
    doc = Document(
        [tok("{\\an8}<i>really</i>", 0, 500), tok("a-->b", 600, 900), tok('<font color="#ff8000">warm</font>', 1000, 1500), tok("x<y", 1600, 1900)],
        [Cue(0, 0), Cue(1, 1), Cue(2, 3)], None, "en",
    )
    text, report = render_document(doc, "srt")
    assert "{\\an8}<i>really</i>" in text and '<font color="#ff8000">warm</font> x<y' in text
    reasons = [p.reason for p in report.problems]
    assert not any("formatting tag" in r for r in reasons)  # formatting, not text a player would hide
    text, report = render_document(doc, "vtt")
    # VTT: its own tags kept, the others left out (and said), all other text escaped
    assert "\n<i>really</i>\n" in text and "a--&gt;b" in text and "\nwarm x&lt;y\n" in text
    assert "an8" not in text and "font" not in text
    assert any("3 formatting tag(s) WebVTT cannot show" in p.reason for p in report.problems)
    text, report = render_document(doc, "ass")
    assert ",{\\an8}{\\i1}really{\\i0}\n" in text and "{\\c&H0080FF&}warm{\\c} x<y" in text
    assert not any("formatting tag" in p.reason for p in report.problems)
    kara, _ = render_document(doc, "ass", karaoke=True)
    assert "{\\an8}{\\i1}really{\\i0}" in kara


def test_options_bom_crlf_and_atomic_write(tmp_path):
    doc = Document([tok("héllo", 0, 500)], [Cue(0, 0)], None, "fr")
    path = tmp_path / "x.srt"
    export_document(doc, path, options=ExportOptions(bom=True, newline="\r\n"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf1\r\n00:00:00,000 --> 00:00:00,500\r\nh\xc3\xa9llo\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    jpath = tmp_path / "x.json"
    export_document(doc, jpath, options=ExportOptions(bom=True))
    assert json.loads(jpath.read_bytes().decode("utf-8"))["language"] == "fr"  # no BOM in JSON
    with pytest.raises(ValueError):
        ExportOptions(newline="\r")


def test_ass_style_and_karaoke_details():
    tokens = [tok("Ka", 1004, 1296), tok("ra", 1500, 1505, sep=""), tok("o", None, None, sep=""), tok("ke", 1800, 2000, sep="")]
    doc = Document(tokens, [Cue(0, 3, 1000, 2400)], None, "ja")
    text, report = render_document(doc, "ass", karaoke=True)
    line = [ln for ln in text.splitlines() if ln.startswith("Dialogue:")][0]
    assert line == "Dialogue: 0,0:00:01.00,0:00:02.40,Default,,0,0,0,,{\\k30}Ka{\\k20}{\\k1}rao{\\k29}{\\k20}ke"
    assert any("without times share" in p.reason for p in report.problems)
    assert "PlayResX: 1920" in text and "PlayResY: 1080" in text and "Style: Default,Arial,72," in text
    # a 3 ms cue keeps a positive length in centiseconds
    doc = Document([tok("x", 1001, 1004)], [Cue(0, 0)], None, "en")
    got = parse_ass(render_document(doc, "ass")[0])[0]
    assert (got.start_ms, got.end_ms) == (1000, 1010)


def test_ass_escapes_braces_and_backslashes():
    doc = Document([tok("{not", 0, 500), tok("a\\Ntag}", 600, 900), tok("C:\\path", 900, 1000)], [Cue(0, 2)], None, "en")
    text, _ = render_document(doc, "ass")
    assert "\\{not a\\\u2060N" in text
    assert parse_ass(text)[0].text == "{not a\\Ntag} C:\\path"


def test_textgrid_escapes_quotes_and_reports_what_it_cannot_hold():
    doc = Document([tok('say "hi"', 0, 500), tok("zero", 500, 500), tok("none")], [Cue(0, 2, 0, 900)], None, "en")
    text, report = render_document(doc, "textgrid")
    assert 'text = "say ""hi""" ' in text
    reasons = " ".join(p.reason for p in report.problems)
    assert "1 word(s) have no times" in reasons and "1 word(s) last 0 ms" in reasons
    grid = parse_textgrid(text)
    assert grid.tier("cues").cues()[0].text == 'say "hi" zero none'
    assert report.words_written == 1


def test_json_layout_is_one_word_per_line():
    doc = Document([tok("a", 0, 500, conf=0.25), tok("b")], [Cue(0, 1)], 3000, "en")
    text, report = render_document(doc, "json", options=ExportOptions(aligner="qwen3-forced-aligner"))
    assert text.splitlines()[5:7] == [
        '    {"word": "a", "start": 0.0, "end": 0.5, "confidence": 0.25},',
        '    {"word": "b", "start": null, "end": null, "confidence": null}',
    ]
    data = json.loads(text)
    assert data["audio_duration"] == 3.0 and data["aligner"] == "qwen3-forced-aligner"
    assert data["cues"] == [{"start": 0.0, "end": 0.5, "text": "a b", "word_range": [0, 1]}]
    assert report.words_written == 2


def test_plain_text_keeps_the_transcripts_breaks():
    tokens = [tok("One"), tok("two."), Token("Three", ("three",), brk=Break.LINE), Token("你", ("你",), brk=Break.PARAGRAPH), Token("好", ("好",), sep="")]
    text, report = render_document(Document(tokens, [], None, "en"), "txt")
    assert text == "One two.\nThree\n\n你好\n" and report.cues_written == 0
    text, report = render_document(broken_doc(), "txt")  # cue problems do not matter here
    assert text == "one  untimed zero five\n" and report.ok


def test_registry_and_unknown_formats(tmp_path):
    assert format_for_path("a/b/Film.SRT").name == "srt"
    assert format_for_path("x.TextGrid").name == "textgrid"
    assert format_for_path("x.ssa").name == "ass"
    assert format_for_path("x.bin", "vtt").name == "vtt"
    with pytest.raises(FormatError, match="cannot tell the format"):
        format_for_path("x.bin")
    with pytest.raises(FormatError, match="unknown format"):
        render_document(Document(), "docx")
    assert file_filter("subtitles") == "SubRip subtitles (*.srt);;WebVTT subtitles (*.vtt);;Advanced SubStation Alpha (*.ass *.ssa)"
    doc = Document([tok("a", 0, 500)], [Cue(0, 0)], None, "en")
    _, report = render_document(doc, "srt", karaoke=True)
    assert "no karaoke" in report.problems[0].reason
