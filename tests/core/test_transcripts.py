"""Opening transcripts safely, and markup that is shown but never aligned as speech.

Real files only: real devices (/dev/zero, /dev/urandom), a real FIFO with no writer, real
subtitle text saved under the wrong name, and the real PocketSphinx aligner on the JFK example.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from aligner_core.document import Cue, Document, Flag, Token
from aligner_core.formats import FormatError, detect_format, load_document, read_text
from aligner_core.formats.words_json import parse_words_json
from aligner_core.text import (
    TranscriptError,
    is_sound_label,
    is_speech,
    normalize_word,
    read_transcript,
    read_transcript_bytes,
    strip_markup,
    tokenize,
)
from aligner_core.transcripts import fit_silent_cues, for_retiming, load_transcript, load_transcript_with_report, transcript_format

posix_only = pytest.mark.skipif(os.name != "posix", reason="devices and FIFOs are POSIX")


def texts(tokens):
    return [t.text for t in tokens]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the one reader: regular files only, bounded reads -----------------------------------------------------


READERS = [read_transcript_bytes, read_transcript, read_text, load_document, load_transcript]


@posix_only
@pytest.mark.timeout(20)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("reader", READERS, ids=lambda f: f.__name__)
def test_devices_are_refused_without_reading_them(device, reader):
    with pytest.raises(TranscriptError) as info:
        reader(device)
    assert str(info.value) == f'"{Path(device).name}" is a device, not a transcript file.'
    assert info.value.code == "not_regular"


@posix_only
@pytest.mark.timeout(20)  # a regression blocks in open() forever: the timeout makes it a failure
@pytest.mark.parametrize("reader", READERS, ids=lambda f: f.__name__)
def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path, reader):
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    with pytest.raises(TranscriptError, match=r'^"notes.txt" is a named pipe \(FIFO\), not a transcript file\.$'):
        reader(fifo)


@posix_only
@pytest.mark.timeout(20)
def test_a_symlink_to_a_device_is_judged_by_what_it_points_at(tmp_path):
    link = tmp_path / "transcript.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(TranscriptError, match="is a device"):
        read_transcript_bytes(link)


def test_folder_missing_and_too_large(tmp_path):
    with pytest.raises(TranscriptError, match=r'^"notes.txt" is a folder, not a transcript file\.$'):
        (tmp_path / "notes.txt").mkdir()
        read_transcript_bytes(tmp_path / "notes.txt")
    with pytest.raises(TranscriptError, match="does not exist") as info:
        read_transcript_bytes(tmp_path / "nowhere.txt")
    assert info.value.code == "missing"
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    assert read_transcript_bytes(big, limit=5000) == b"word " * 1000  # exactly the limit is fine
    with pytest.raises(TranscriptError, match="too large to be a transcript") as info:
        read_transcript_bytes(big, limit=4999)
    assert info.value.code == "too_large"


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_the_cap_counts_bytes_read_not_the_size_the_file_reports():
    # a /proc file is regular and reports st_size 0, like a device; only the read itself can tell
    assert os.stat("/proc/self/maps").st_size == 0
    data = read_transcript_bytes("/proc/self/maps")
    assert len(data) > 200
    with pytest.raises(TranscriptError, match="too large to be a transcript"):
        read_transcript_bytes("/proc/self/maps", limit=200)


# -- formats by content, whatever the name ------------------------------------------------------------------

SRT = '1\n00:00:00,500 --> 00:00:02,000\n{\\an8}<i>And so my</i>\n\n2\n00:00:02,000 --> 00:00:04,000\n<font color="#ff0000">fellow Americans</font>\n'
VTT = "WEBVTT\n\n00:00.500 --> 00:02.000\n<v Kennedy>And so my\n\n00:02.000 --> 00:04.000\nfellow Americans\n"
WORDS_JSON = json.dumps({"words": [{"word": "And", "start": 0.3, "end": 0.6}, {"word": "so", "start": 0.6, "end": 0.9}]})


@pytest.mark.parametrize(
    "text, fmt",
    [
        (SRT, "srt"),
        ("00:00:01,000 --> 00:00:02,000\nno number\n", "srt"),
        (VTT, "vtt"),
        (WORDS_JSON, "json"),
        ("[]", "json"),
        ("[Script Info]\nTitle: x\n", "ass"),
        ("[music] And so my fellow Americans", None),
        ("{\\an8}And so my fellow Americans", None),
        ("{ this is not JSON } and so on", None),
        ("(laughs) And so, my fellow Americans", None),
        ("He wrote --> on the board at 00:00:01,000.", None),
        ("1984\nwas a good year", None),
    ],
)
def test_detect_format_by_content(text, fmt):
    assert detect_format(text) == fmt


@pytest.mark.parametrize("text, fmt", [(SRT, "srt"), (VTT, "vtt"), (WORDS_JSON, "json")])
def test_subtitles_saved_as_txt_are_read_as_subtitles(tmp_path, text, fmt):
    path = write(tmp_path, "transcript.txt", text)
    result = load_transcript_with_report(path)
    assert result.format == fmt
    units = [u for t in result.document.tokens for u in t.units]
    assert units[:5] == ["and", "so", "my", "fellow", "americans"][: len(units[:5])]
    for noise in ("font", "color", "an8", "webvtt", "00", "kennedy", "word", "start"):
        assert noise not in units


def test_a_vtt_named_srt_is_read_as_vtt(tmp_path):
    assert transcript_format(tmp_path / "film.srt", VTT) == "vtt"
    doc = load_transcript(write(tmp_path, "film.srt", VTT))
    assert texts(doc.tokens) == ["<v Kennedy>And", "so", "my", "fellow", "Americans"]  # the voice tag kept, not aligned
    assert [u for t in doc.tokens for u in t.units] == ["and", "so", "my", "fellow", "americans"]


def test_vtt_voice_tags_stay_in_vtt_and_are_left_out_of_srt(tmp_path):
    from aligner_core.formats import render_document

    doc = for_retiming(load_transcript(write(tmp_path, "film.vtt", VTT.replace("fellow", "<i>fellow</i>"))))
    times = iter([(300, 600), (600, 900), (1000, 1300), (1300, 1700), (1700, 2100)])
    doc.tokens = [t.with_times(*next(times)) for t in doc.tokens]
    vtt, _ = render_document(doc, "vtt")
    assert "\n<v Kennedy>And so my\n" in vtt and "\n<i>fellow</i> Americans\n" in vtt
    srt, report = render_document(doc, "srt")
    assert "\nAnd so my\n" in srt and "\n<i>fellow</i> Americans\n" in srt and "Kennedy" not in srt
    assert any("1 formatting tag(s) SubRip cannot show" in p.reason for p in report.problems)


@pytest.mark.parametrize("text", ["[music] And so my fellow Americans", "{ And so my fellow Americans }", "{\\an8}And so my fellow Americans"])
def test_plain_transcripts_starting_with_brackets_are_text(tmp_path, text):
    for name in ("t.txt", "t.transcript", "t"):
        doc = load_transcript(write(tmp_path, name, text))
        assert [u for t in doc.tokens for u in t.units] == ["and", "so", "my", "fellow", "americans"]


def test_damaged_json_and_srt_say_so_in_one_sentence(tmp_path):
    with pytest.raises(FormatError, match="not valid JSON") as info:
        load_transcript(write(tmp_path, "t.txt", '{"words": [{"word": "And", "start": 0.3'))
    assert "\n" not in str(info.value)
    with pytest.raises(FormatError, match="line 6"):
        load_transcript(write(tmp_path, "t.srt", "1\n00:00:00,500 --> 00:00:02,000\nAnd so\n\n2\n00:00:0x --> 00:00:04,000\nmy\n"))


@pytest.mark.timeout(60)
def test_deeply_nested_json_is_one_sentence(tmp_path):
    depth = 100_000
    assert depth > sys.getrecursionlimit()
    for name, data in (("deep.json", "[" * depth + "]" * depth), ("deep.json", '{"words": ' + "[" * depth + "]" * depth + "}")):
        path = tmp_path / name
        path.write_text(data, encoding="utf-8")
        with pytest.raises(FormatError, match="nested far too deeply") as info:
            load_transcript(path)
        assert "\n" not in str(info.value) and "Recursion" not in str(info.value)
    with pytest.raises(FormatError, match="nested far too deeply"):
        parse_words_json('{"words": ' + "[" * depth + "]" * depth + "}")


def test_a_transcript_of_labels_only_has_no_words(tmp_path):
    with pytest.raises(TranscriptError, match=r'^The transcript "music.txt" has no words to align\.$') as info:
        load_transcript(write(tmp_path, "music.txt", "[music]\n♪ ♪\n(applause)\n"))
    assert info.value.code == "no_words"


# -- the tokenizer: markup stays on the surface, labels get no units --------------------------------------


def test_tags_stay_on_the_words_they_format():
    toks = tokenize('{\\an8}<i>And so</i> my <font color="#ff0000">fellow Americans</font>', "en")
    assert texts(toks) == ["{\\an8}<i>And", "so</i>", "my", '<font color="#ff0000">fellow', "Americans</font>"]
    assert [t.units for t in toks] == [("and",), ("so",), ("my",), ("fellow",), ("americans",)]
    assert Document(toks).join(0, len(toks) - 1) == '{\\an8}<i>And so</i> my <font color="#ff0000">fellow Americans</font>'


def test_a_tag_standing_alone_joins_a_word_and_chinese_keeps_it_too():
    toks = tokenize("<i> And so </i>\n{\\an8}\nmy", "en")
    assert texts(toks) == ["<i> And", "so </i>", "{\\an8} my"]
    assert [t.units for t in toks] == [("and",), ("so",), ("my",)]
    zh = tokenize("<i>我的同胞</i>", "zh")
    assert texts(zh) == ["<i>我", "的", "同", "胞</i>"] and [t.units for t in zh] == [("我",), ("的",), ("同",), ("胞",)]


def test_angle_brackets_in_prose_are_not_tags():
    toks = tokenize("if a <b and c> d, x<i and <u>y</u>", "en")
    assert [u for t in toks for u in t.units] == ["if", "a", "b", "and", "c", "d", "x", "i", "and", "y"]


def test_sound_labels_are_tokens_without_units():
    toks = tokenize("[music] And so (laughs) my [door slams shut] fellow (APPLAUSE) Americans ♪", "en")
    assert texts(toks) == ["[music]", "And", "so", "(laughs)", "my", "[door slams shut]", "fellow", "(APPLAUSE)", "Americans ♪"]
    assert [t.text for t in toks if not is_speech(t)] == ["[music]", "(laughs)", "[door slams shut]", "(APPLAUSE)"]
    zh = tokenize("（笑）我的【音乐】同胞", "zh")
    assert [(t.text, t.units) for t in zh] == [("（笑）", ()), ("我", ("我",)), ("的", ("的",)), ("【音乐】", ()), ("同", ("同",)), ("胞", ("胞",))]


@pytest.mark.parametrize(
    "surface, label",
    [("[music]", True), ("[Music playing]", True), ("(laughs)", True), ("(Laughs).", True), ("(door slams)", True),
     ("(MAN SPEAKING)", True), ("（笑）", True), ("<i>[music]</i>", True),
     ("- [music]", True), ("[music] ♪", True),
     ("(hello)", False), ("(3.5 kg)", False), ("(all of them)", False), ("[1]", False), ("music", False), ("(x)y", False),
     ("[music] and", False), ("[a] [b]", False)],
)
def test_is_sound_label(surface, label):
    assert is_sound_label(surface) is label
    assert (normalize_word(surface) == ()) is label


def test_parenthetical_speech_and_numbers_are_still_aligned():
    toks = tokenize("the others (all of them) agreed (3.5 kg) (hello)", "en")
    assert all(is_speech(t) for t in toks)


def test_speaker_labels_at_a_line_start_are_not_spoken():
    toks = tokenize("JOHN: Hello there.\nDR. SMITH: Hi.\n>> ANNA: yes\nNote: this is said\nI SAID: NO\n- MARY: Go", "en")
    silent = [t.text for t in toks if not is_speech(t)]
    assert silent == ["JOHN:", "DR. SMITH:", ">> ANNA:", "- MARY:"]
    assert [u for t in toks for u in t.units][:3] == ["hello", "there", "hi"]
    assert "note" in [u for t in toks for u in t.units] and "said" in [u for t in toks for u in t.units]


def test_strip_markup_and_words_with_tags():
    assert strip_markup('{\\an8}<i>Hi</i> <font color="red">there</font>') == "Hi there"
    assert normalize_word('<font color="#ff0000">Americans</font>') == ("americans",)
    assert normalize_word("{\\an8}") == ()


# -- re-timing and the aligner --------------------------------------------------------------------------------


def test_for_retiming_keeps_times_only_of_cues_without_speech():
    toks = [Token("And", ("and",), 0, 100), Token("[music]", ()), Token("so", ("so",), 900, 1000)]
    doc = Document(toks, [Cue(0, 0, 0, 500), Cue(1, 1, 500, 800), Cue(2, 2, 800, 1200)], 2000, "en")
    fresh = for_retiming(doc)
    assert all(t.start is None for t in fresh.tokens)
    assert [(c.start, c.end) for c in fresh.cues] == [(None, None), (500, 800), (None, None)]
    # after alignment the label's cue fits the gap the new times leave, or loses its times
    aligned = Document([toks[0].with_times(100, 600), toks[1], toks[2].with_times(700, 900)], fresh.cues, 2000, "en")
    assert [(c.start, c.end) for c in fit_silent_cues(aligned)][1] == (600, 700)
    crowded = Document([toks[0].with_times(100, 850), toks[1], toks[2].with_times(850, 900)], fresh.cues, 2000, "en")
    assert [(c.start, c.end) for c in fit_silent_cues(crowded)][1] == (None, None)


def test_labels_and_tags_are_never_aligned_or_counted(tmp_path):
    """The real offline aligner on the JFK example: labels get no times and no flags, the words
    around them align, the summary counts spoken words only, and cue 1 does not start at 0."""
    import soundfile as sf

    from aligner_core.align.api import AlignRequest, align
    from aligner_core.audio import load_audio
    from tests.reliability_cases import JFK

    data, rate = sf.read(str(JFK), dtype="float32")
    clip = tmp_path / "jfk.wav"
    sf.write(str(clip), data[: int(3.0 * rate)], rate)
    path = write(tmp_path, "jfk.txt", SRT.replace("And so my", "[music] And so (laughs) my"))
    doc = for_retiming(load_transcript(path, "en"))
    audio = load_audio(clip)
    doc.duration_ms = len(audio) * 1000 // 16000
    result = align(AlignRequest.from_document(doc, audio, language="en", aligner="sphinx"))
    result.to_edit().apply(doc)
    labels = [t for t in doc.tokens if not is_speech(t)]
    assert [strip_markup(t.text) for t in labels] == ["[music]", "(laughs)"]
    assert all(t.start is None and t.flags == 0 for t in labels)
    s = result.summary
    assert (s.words, s.aligned, s.not_aligned) == (5, 5, 0)
    first_start, _ = doc.cue_times(doc.cues[0])
    assert first_start is not None and first_start > 0
    assert not doc.tokens[1].flags & Flag.NOT_FOUND


def test_tags_of_a_retimed_srt_survive_every_subtitle_export(tmp_path):
    from aligner_core.formats import render_document

    doc = for_retiming(load_transcript(write(tmp_path, "film.txt", SRT.replace("And so my", "And so [music] my"))))
    times = iter([(300, 600), (600, 900), (1000, 1300), (1300, 1700), (1700, 2100)])
    doc.tokens = [t.with_times(*next(times)) if is_speech(t) else t for t in doc.tokens]
    srt, _ = render_document(doc, "srt")
    assert "{\\an8}<i>And so [music] my</i>" in srt and '<font color="#ff0000">fellow Americans</font>' in srt
    assert "00:00:00,300 --> 00:00:01,300" in srt  # the cue spans its spoken words; the label takes no time
    vtt, _ = render_document(doc, "vtt")
    assert "\n<i>And so [music] my</i>\n" in vtt
    ass, _ = render_document(doc, "ass")
    assert "{\\an8}{\\i1}And so [music] my{\\i0}" in ass and "{\\c&H0000FF&}fellow Americans{\\c}" in ass


def test_subtitle_rules_count_what_the_viewer_reads():
    from aligner_core.cues import display_len

    assert display_len('{\\an8}<i>And so</i> <font color="#ff0000">my</font>') == len("And so my")
    assert display_len("a <b and c> d") == len("a <b and c> d")  # prose, not tags


def test_cues_break_at_sentence_ends_inside_tags():
    from aligner_core.cues import get_profile, segment

    plain = "And so, my fellow Americans. Ask not what your country can do for you. Ask what you can do for your country."
    tagged = "<i>And so, my fellow Americans.</i> <i>Ask not what your country can do for you.</i> Ask what you can do for your country."
    cues = []
    for text in (plain, tagged):
        doc = Document(tokenize(text, "en"), [], 20000, "en")
        doc.tokens = [t.with_times(400 * k, 400 * k + 300) for k, t in enumerate(doc.tokens)]
        cues.append([(c.first, c.last) for c in segment(doc, get_profile("general"))])
    assert cues[0] == cues[1] and len(cues[0]) > 1


def test_private_use_characters_in_the_text_come_back_unchanged():
    source = "a\ue000b <i>c\ue001</i> \ue001 d\ue000"
    toks = tokenize(source, "en")
    assert "".join(t.text for t in toks).replace(" ", "") == source.replace(" ", "")
    assert [u for t in toks for u in t.units] == ["a", "b", "c", "d"]


def test_ass_overrides_survive_a_retiming_and_karaoke_is_redone(tmp_path):
    from aligner_core.formats import render_document

    ass = (
        "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:00.50,0:00:02.00,Default,,0,0,0,,{\\an8}{\\k20}And {\\k30}so {\\i1}my{\\i0}\n"
    )
    doc = for_retiming(load_transcript(write(tmp_path, "film.txt", ass)))
    # the line's leading placement is the cue's own (issue 17 part 4); other tags stay on their words
    assert texts(doc.tokens) == ["And", "so", "{\\i1}my{\\i0}"] and doc.cues[0].align == 8
    assert [u for t in doc.tokens for u in t.units] == ["and", "so", "my"]
    doc.tokens = [t.with_times(300 * k + 300, 300 * k + 550) for k, t in enumerate(doc.tokens)]
    out, _ = render_document(doc, "ass", karaoke=True)
    line = next(ln for ln in out.splitlines() if ln.startswith("Dialogue:"))
    assert line.endswith(",{\\an8}{\\k25}And {\\k5}{\\k25}so {\\k5}{\\k25}{\\i1}my{\\i0}")
    assert "k20" not in line and "k30" not in line
