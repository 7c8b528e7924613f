"""Export options for a recogniser's emotion (``emotion_tags``, off by default) and for sound cues
(``sound_cues``, on by default) in SRT, VTT and ASS."""

from __future__ import annotations

import pytest

from aligner_core.document import Cue, Document
from aligner_core.formats import ExportOptions, parse_ass, parse_vtt, render_document
from aligner_core.formats.srt import parse_srt
from aligner_core.text import tokenize


def _doc() -> Document:
    """A happy line, "[music]" with its own times, a sad line in Chinese-tagged English, a neutral one."""
    toks = tokenize("And so my [music] fellow Americans ask not", "en")
    timed = [(300, 700), (700, 1100), (1100, 1500), (None, None), (3500, 4000), (4000, 4700), (5000, 5400), (5400, 5900)]
    toks = [t.with_times(s, e) for t, (s, e) in zip(toks, timed)]
    cues = [Cue(0, 2, emotion="HAPPY", language="en"), Cue(3, 3, 1800, 3200), Cue(4, 5, emotion="SAD"), Cue(6, 7)]
    return Document(toks, cues, 6000, "en")


def _render(fmt: str, **opts) -> str:
    text, report = render_document(_doc(), fmt, options=ExportOptions(**opts))
    assert not report.blocking
    return text


def test_defaults_write_sound_cues_and_no_emotion():
    opts = ExportOptions()
    assert opts.sound_cues and not opts.emotion_tags
    srt = _render("srt")
    assert [c.text for c in parse_srt(srt)] == ["And so my", "[music]", "fellow Americans", "ask not"]
    assert "HAPPY" not in srt and "SAD" not in srt
    assert "<c." not in _render("vtt")
    assert all(line.split(",")[4] == "" for line in _render("ass").splitlines() if line.startswith("Dialogue:"))


def test_srt_emotion_tag_leads_the_first_line():
    srt = _render("srt", emotion_tags=True)
    assert "[HAPPY] And so my" in srt and "[SAD] fellow Americans" in srt
    cues = parse_srt(srt)  # and is read back as the cue's emotion
    assert [(c.text, c.emotion) for c in cues] == [("And so my", "HAPPY"), ("[music]", None), ("fellow Americans", "SAD"), ("ask not", None)]


def test_vtt_emotion_is_a_class_span_the_text_reads_unchanged():
    vtt = _render("vtt", emotion_tags=True)
    assert "<c.happy>And so my</c>" in vtt and "<c.sad>fellow Americans</c>" in vtt
    assert "<c.happy>[music]" not in vtt and "<c>ask not" not in vtt
    # the reader takes the span back as the cue's emotion: the words read unchanged
    read = parse_vtt(vtt)
    assert [c.text for c in read] == ["And so my", "[music]", "fellow Americans", "ask not"]
    assert [c.emotion for c in read] == ["HAPPY", None, "SAD", None]


def test_vtt_emotion_span_wraps_karaoke_timestamps_too():
    text, _ = render_document(_doc(), "vtt", karaoke=True, options=ExportOptions(emotion_tags=True))
    assert "<c.happy>And <00:00:00.700>so <00:00:01.100>my</c>" in text
    first = parse_vtt(text)[0]
    assert (first.text, first.emotion) == ("And so my", "HAPPY")


def test_ass_emotion_goes_in_the_name_field_not_the_text():
    ass = _render("ass", emotion_tags=True)
    dialogue = [line for line in ass.splitlines() if line.startswith("Dialogue:")]
    assert [line.split(",")[4] for line in dialogue] == ["HAPPY", "", "SAD", ""]
    assert [c.text for c in parse_ass(ass)] == ["And so my", "[music]", "fellow Americans", "ask not"]


@pytest.mark.parametrize("fmt,read", [("srt", parse_srt), ("vtt", parse_vtt), ("ass", parse_ass)])
def test_sound_cues_can_be_left_out(fmt, read):
    text, report = render_document(_doc(), fmt, options=ExportOptions(sound_cues=False))
    assert [c.text for c in read(text)] == ["And so my", "fellow Americans", "ask not"]
    assert report.cues_written == 3 and not report.problems  # asked for: nothing to report


def test_a_typed_sound_line_counts_as_a_sound_cue_and_both_options_combine():
    toks = tokenize("(laughter) good evening", "en")
    toks = [toks[0]] + [t.with_times(s, e) for t, (s, e) in zip(toks[1:], [(1000, 1400), (1400, 1900)])]
    doc = Document(toks, [Cue(0, 0, 0, 800), Cue(1, 2, emotion="HAPPY")], 2000, "en")
    text, _ = render_document(doc, "srt", options=ExportOptions(sound_cues=False, emotion_tags=True))
    assert [(c.text, c.emotion) for c in parse_srt(text)] == [("good evening", "HAPPY")]


def test_leaving_out_sound_cues_when_there_is_nothing_else_is_refused_in_one_sentence():
    from aligner_core.formats import NoCuesError

    toks = tokenize("[music] (applause)", "en")
    doc = Document(toks, [Cue(0, 0, 0, 2000), Cue(1, 1, 2500, 3000)], 4000, "en")
    with pytest.raises(NoCuesError) as caught:
        render_document(doc, "vtt", options=ExportOptions(sound_cues=False))
    assert str(caught.value) == (
        "every cue is a sound cue such as [music], and sound cues are left out: there is nothing to export as VTT"
    )
    text, report = render_document(doc, "vtt")  # kept by default
    assert report.cues_written == 2 and "[music]" in text


@pytest.mark.parametrize("fmt,read", [("srt", parse_srt), ("vtt", parse_vtt), ("ass", parse_ass)])
def test_an_emotion_read_from_a_file_cannot_forge_cues_or_fields(fmt, read):
    toks = tokenize("good evening", "en")
    toks = [t.with_times(s, e) for t, (s, e) in zip(toks, [(1000, 1400), (1400, 1900)])]
    hostile = "HAPPY\n\n2\n00:00:03,000 --> 00:00:04,000\nforged,</c>{\\an8}"
    doc = Document(toks, [Cue(0, 1, emotion=hostile)], 5000, "en")
    text, _ = render_document(doc, fmt, options=ExportOptions(emotion_tags=True))
    cues = read(text)
    assert len(cues) == 1 and "good evening" in cues[0].text
    # the tag keeps letters, digits, "_" and "-" (at most 32): no line break, comma, brace or tag end
    tag = "HAPPY2000003000--000004000forged"
    if fmt == "ass":
        dialogue = [line for line in text.splitlines() if line.startswith("Dialogue:")]
        assert len(dialogue) == 1 and dialogue[0].split(",")[4] == tag
    else:
        assert text.count("-->") == 1
        assert f"[{tag}] good evening" in text if fmt == "srt" else f"<c.{tag.lower()}>good evening</c>" in text


# -- reading the emotion back: export -> import keeps each cue's emotion ------------------------------


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass"])
def test_export_then_import_round_trips_cue_emotion(fmt, tmp_path):
    from aligner_core.formats import load_document

    original = _doc()
    text, _ = render_document(original, fmt, options=ExportOptions(emotion_tags=True))
    path = tmp_path / f"tagged.{fmt}"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path, "en")
    assert [doc.cue_text(c) for c in doc.cues] == [original.cue_text(c) for c in original.cues]  # no tag left in the words
    assert [c.emotion for c in doc.cues] == ["HAPPY", None, "SAD", None]
    # and exporting the import again writes the same tags, once
    again, _ = render_document(doc, fmt, options=ExportOptions(emotion_tags=True))
    assert again.lower().count("happy") == text.lower().count("happy") == 1
    assert "[HAPPY] [HAPPY]" not in again and "<c.happy><c.happy>" not in again


@pytest.mark.parametrize(
    "fmt,text",
    [
        ("srt", "1\n00:00:01,000 --> 00:00:02,000\n[APPLAUSE] thank you\n"),  # an SDH sound tag, not an emotion
        ("srt", "1\n00:00:01,000 --> 00:00:02,000\n[HAPPY]\n"),  # a tag alone is the text
        ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<c.loud>thank you</c>\n"),  # a styling class
        ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<c.happy>thank</c> you\n"),  # a span on part of the line
        ("ass", "[Script Info]\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
                "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Alice,0,0,0,,thank you\n"),  # an actor
    ],
)
def test_only_an_emotion_tag_is_read_as_an_emotion(fmt, text):
    read = {"srt": parse_srt, "vtt": parse_vtt, "ass": parse_ass}[fmt]
    (cue,) = read(text)
    assert cue.emotion is None
    assert "thank" in cue.text or cue.text == "[HAPPY]"
