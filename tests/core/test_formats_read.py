"""Readers against hand-written files that look like the ones people really have."""

from __future__ import annotations

import pytest

from aligner_core.formats import FormatError, detect_format, read_subtitles, read_word_timings
from aligner_core.formats.ass import parse_ass
from aligner_core.formats.srt import parse_srt, parse_timestamp
from aligner_core.formats.textgrid import parse_textgrid
from aligner_core.formats.vtt import parse_vtt
from aligner_core.formats.words_json import parse_words_json


def recs(cues):
    return [(c.start_ms, c.end_ms, c.text) for c in cues]


# -- SRT --------------------------------------------------------------------------------------------

SRT_MESSY = (
    "\ufeff1\r\n"
    "00:00:01,000 --> 00:00:02,500 X1:100 X2:500 Y1:20 Y2:80\r\n"
    "<i>Hello</i> <font color=\"#ffff00\">there</font>,\r\n"
    "{\\an8}General Kenobi!\r\n"
    "\r\n"
    "2\r\n"
    "00:00:03.2 --> 00:00:04.25\r\n"
    "no blank line after me\r\n"
    "3\r\n"
    "00:00:05,000-->00:00:06,000\r\n"
    "  padded  \r\n"
    "\r\n"
    "\r\n"
    "\r\n"
    "4\r\n"
    "123:00:00,000 --> 123:00:01,001\r\n"
    "long film\r\n"
    "1984\r\n"
    "\r\n"
    "00:02:00,000 --> 00:02:01,000\r\n"
    "no number\r\n"
)


def test_srt_real_world_quirks():
    assert recs(parse_srt(SRT_MESSY)) == [
        (1000, 2500, "<i>Hello</i> <font color=\"#ffff00\">there</font>,\n{\\an8}General Kenobi!"),  # tags kept for the writers
        (3200, 4250, "no blank line after me"),
        (5000, 6000, "padded"),
        (123 * 3_600_000, 123 * 3_600_000 + 1001, "long film\n1984"),
        (120_000, 121_000, "no number"),
    ]


def test_srt_keeps_line_numbers_and_empty_cues():
    cues = parse_srt("1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n2\n00:00:03,000 --> 00:00:04,000\nx\n")
    assert [(c.line, c.text) for c in cues] == [(2, "<i></i>"), (6, "x")]


@pytest.mark.parametrize(
    "stamp, ms",
    [("00:00:01,000", 1000), ("00:00:01.5", 1500), ("1:02:03,004", 3_723_004), ("00:01,250", 1250), ("100:00:00,000", 360_000_000),
     ("00:00:01:500", 1500), ("-00:00:00,500", -500), ("00:00:01", 1000), ("x", None), ("00:00:01,abc", None)],
)
def test_timestamps(stamp, ms):
    assert parse_timestamp(stamp) == ms


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("just some text\nin a file\n", 1, "subtitle number or a timing line"),
        ("1\nhello\n", 2, "timing line after the subtitle number"),
        ("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 --> 00:0x:04,000\nbad\n", 6, "cannot read the timing line"),
        ("\n\n7\n", 3, "without a timing line"),
    ],
)
def test_srt_garbage_is_an_error_with_a_line_number(text, line, words):
    with pytest.raises(FormatError) as err:
        parse_srt(text)
    assert err.value.line == line and words in err.value.message
    assert f"line {line}" in str(err.value)


# -- VTT --------------------------------------------------------------------------------------------

VTT = """WEBVTT - a title
Kind: captions
Language: en

STYLE
::cue { color: yellow }

NOTE this is a comment
that spans lines

REGION
id:fred width:40%

intro
00:01.000 --> 00:04.000 align:start position:10% line:0
<v Roger Bingham>We are in New York City
<c.loud>&amp; it&#39;s loud</c> &lt;3

00:00:05.000 --> 00:00:06.500
<ruby>漢<rt>かん</rt>字</ruby> and <00:00:05.500>karaoke <b>bold</b>
02:00:00.000 --> 02:00:01.000
missing blank line
"""


def test_vtt_real_world_quirks():
    assert recs(parse_vtt(VTT)) == [
        # formatting tags are kept for the writers (the tokenizer never aligns them); ruby
        # readings and inline timestamps are dropped
        (1000, 4000, "<v Roger Bingham>We are in New York City\n<c.loud>& it's loud</c> <3"),
        (5000, 6500, "漢字 and karaoke <b>bold</b>"),
        (7_200_000, 7_201_000, "missing blank line"),
    ]


def test_vtt_without_header_or_with_garbage():
    with pytest.raises(FormatError) as err:
        parse_vtt("1\n00:00:01.000 --> 00:00:02.000\nx\n")
    assert err.value.line == 1
    with pytest.raises(FormatError) as err:
        parse_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n\nstray text\nmore\n")
    assert err.value.line == 6 and "timing line" in err.value.message
    with pytest.raises(FormatError) as err:
        parse_vtt("WEBVTT\n\n00:00:01.000 --> soon\nx\n")
    assert err.value.line == 3
    assert parse_vtt("\ufeffWEBVTT\r\n\r\n") == []


# -- ASS --------------------------------------------------------------------------------------------

ASS = """\ufeff[Script Info]
; comment
Title: test
ScriptType: v4.00+
PlayResX: 640
PlayResY: 480

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Actor, MarginL, MarginR, MarginV, Effect, Text
Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,not shown
Dialogue: 0,0:00:01.00,0:00:02.50,Default,Bob,0,0,0,,{\\i1}Hello,{\\i0} world, again\\NSecond line
Dialogue: 0,0:00:05.5,0:00:06.00,Default,,0,0,0,,{\\k20}Kara{\\k30}oke\\hnbsp \\{braces\\}
Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,fx,out of order {unclosed
Dialogue: 0,10:00:00.00,10:00:01.00,Default,,0,0,0,,soft\\nbreak

[Fonts]
fontname: x.ttf
M0123456789ABCDEF
"""


def test_ass_real_world_quirks():
    assert recs(parse_ass(ASS)) == [
        (1000, 2500, "{\\i1}Hello,{\\i0} world, again\nSecond line"),  # formatting kept for the writers
        (5500, 6000, "Karaoke\u00a0nbsp {braces}"),  # karaoke timing dropped: the aligner redoes it
        (3000, 4000, "out of order {unclosed"),
        (36_000_000, 36_001_000, "soft break"),
    ]


def test_ass_field_order_comes_from_the_format_line():
    text = "[Events]\nFormat: Start, End, Text\nDialogue: 0:00:01.00,0:00:02.00,a, b\n"
    assert recs(parse_ass(text)) == [(1000, 2000, "a, b")]
    wrap2 = "[Script Info]\nWrapStyle: 2\n[Events]\nFormat: Start, End, Text\nDialogue: 0:00:01.00,0:00:02.00,a\\nb\n"
    assert recs(parse_ass(wrap2)) == [(1000, 2000, "a\nb")]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("hello\n", 1, "not an ASS/SSA file"),
        ("[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00\n", 3, "fields"),
        ("[Events]\nDialogue: 0,0:00:01.00,soon,Default,,0,0,0,,x\n", 2, "cannot read the time 'soon'"),
        ("[Events]\nFormat: Layer, Style, Text\n", 2, "Start, End and Text"),
        ("[Events]\njust words\n", 2, "Key: value"),
        ("", 1, "no [Script Info]"),
    ],
)
def test_ass_errors(text, line, words):
    with pytest.raises(FormatError) as err:
        parse_ass(text)
    assert err.value.line == line and words in err.value.message


# -- TextGrid ---------------------------------------------------------------------------------------

TEXTGRID_SHORT = '''File type = "ooTextFile"
Object class = "TextGrid"

0
2.5
<exists>
2
"IntervalTier"
"words"
0
2.5
3
0
0.8
"say ""hi"""
0.8
1.2
""
1.2
2.5
"bye"
"TextTier"
"events"
0
2.5
1
1.0
"click"
'''

TEXTGRID_MFA = """File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0.0
xmax = 1.5123
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "Speaker 1 - words"
        xmin = 0.0
        xmax = 1.5123
        intervals: size = 4
        intervals [1]:
            xmin = 0.0
            xmax = 0.31
            text = ""
        intervals [2]:
            xmin = 0.31
            xmax = 0.6549999
            text = "hello"
        intervals [3]:
            xmin = 0.6549999
            xmax = 0.7
            text = "sp"
        intervals [4]:
            xmin = 0.7
            xmax = 1.5123
            text = "world"
    item [2]:
        class = "IntervalTier"
        name = "Speaker 1 - phones"
        xmin = 0.0
        xmax = 1.5123
        intervals: size = 1
        intervals [1]:
            xmin = 0.0
            xmax = 1.5123
            text = "HH AH0 L OW1"
"""


def test_textgrid_short_format_with_point_tier_and_quotes():
    grid = parse_textgrid(TEXTGRID_SHORT)
    assert (grid.xmin_ms, grid.xmax_ms) == (0, 2500)
    words = grid.tier("words")
    assert [(w.text, w.start_ms, w.end_ms) for w in words.words()] == [('say "hi"', 0, 800), ("bye", 1200, 2500)]
    assert grid.tiers[1].kind == "TextTier" and grid.tiers[1].intervals[0].text == "click"


def test_mfa_textgrid_in_utf16_loads_words_and_drops_silences(tmp_path):
    path = tmp_path / "mfa.TextGrid"
    path.write_bytes(TEXTGRID_MFA.encode("utf-16"))  # Praat writes UTF-16 when text is not ASCII
    timings = read_word_timings(path)
    assert [(w.text, w.start_ms, w.end_ms) for w in timings.words] == [("hello", 310, 655), ("world", 700, 1512)]
    assert timings.cues == [] and timings.duration_ms == 1512


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('File type = "ooTextFile"\nObject class = "Sound"\n', 2, "not a TextGrid"),
        ('File type = "ooTextFile"\nObject class = "TextGrid"\nxmin = 0\nxmax = 1\ntiers? <exists>\nsize = 1\nitem []:\n', 7, "ends where a tier class"),
        ('File type = "ooTextFile"\nObject class = "TextGrid"\nxmin = 0\nxmax = 1\ntiers? <exists>\nsize = 1\n"IntervalTier"\n"w"\n0\n1\n1\n0\n1\n"unclosed\n', 14, "not closed"),
        ('File type = "ooTextFile"\nObject class = "TextGrid"\nxmin = 0\nxmax = 1\ntiers? <exists>\nsize = 1\n"IntervalTier"\n"w"\n0\n1\n2\n0\n0.6\n"a"\n0.5\n1\n"b"\n', 15, "overlaps"),
        ('File type = "ooTextFile"\nObject class = "TextGrid"\nxmin = 0\nxmax = 1\ntiers? <exists>\nsize = 1\n"PolygonTier"\n"w"\n0\n1\n0\n', 7, "unknown tier class"),
        ("ooBinaryFile\x08TextGrid", 1, "binary"),
        ("hello", 1, "not a Praat TextGrid"),
    ],
)
def test_textgrid_errors(text, line, words):
    with pytest.raises(FormatError) as err:
        parse_textgrid(text)
    assert err.value.line == line and words in err.value.message


# -- JSON -------------------------------------------------------------------------------------------


def test_json_variants():
    qwen_items = '[{"text": "Hi", "start_time": 0.1, "end_time": 0.35}, {"text": "there", "start_time": 0.4, "end_time": 0.9}]'
    data = parse_words_json(qwen_items)
    assert [(w.text, w.start_ms, w.end_ms) for w in data.words] == [("Hi", 100, 350), ("there", 400, 900)]
    whisperx = {
        "segments": [
            {"start": 0.1, "end": 0.9, "text": " Hi there", "words": [{"word": "Hi", "start": 0.1, "end": 0.35, "score": 0.9}, {"word": "there"}]}
        ],
        "language": "English",
    }
    import json

    data = parse_words_json(json.dumps(whisperx))
    assert [(w.text, w.start_ms, w.end_ms, w.confidence) for w in data.words] == [("Hi", 100, 350, 0.9), ("there", None, None, None)]
    assert recs(data.cues) == [(100, 900, "Hi there")] and data.language == "en"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('{"words": [\n{"word": "a", "start": 1,}\n]}', 2, "not valid JSON"),
        ('{"words": [{"word": "a", "start": "1s", "end": 2}]}', None, "words[0].start must be a number"),
        ('{"words": [{"start": 1, "end": 2}]}', None, "words[0] has no 'word'"),
        ('{"words": {"a": 1}}', None, "'words' must be a list"),
        ('{"cues": [{"start": 1, "text": "x"}]}', None, "cues[0] needs a start and an end"),
        ('"hello"', 1, "expected a JSON object"),
        ('{"title": "x"}', 1, "no 'words'"),
    ],
)
def test_json_errors(text, line, words):
    with pytest.raises(FormatError) as err:
        parse_words_json(text)
    assert err.value.line == line and words in err.value.message


# -- files ------------------------------------------------------------------------------------------


def test_files_in_legacy_encodings_and_unknown_suffixes(tmp_path):
    pytest.importorskip("aligner_core.text")
    gb = tmp_path / "chinese.srt"
    gb.write_bytes("1\r\n00:00:01,000 --> 00:00:02,000\r\n你好，世界。这是一个用于测试的中文字幕文件。\r\n".encode("gb18030"))
    assert recs(read_subtitles(gb)) == [(1000, 2000, "你好，世界。这是一个用于测试的中文字幕文件。")]
    odd = tmp_path / "subs.download"
    odd.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", encoding="utf-16")
    assert recs(read_subtitles(odd)) == [(1000, 2000, "hi")]
    nothing = tmp_path / "notes.dat"
    nothing.write_text("hello", encoding="utf-8")
    with pytest.raises(FormatError):
        read_subtitles(nothing)


def test_errors_name_the_file(tmp_path):
    path = tmp_path / "broken.srt"
    path.write_text("garbage\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        read_subtitles(path)
    assert str(err.value).startswith(str(path)) and "line 1" in str(err.value)


@pytest.mark.parametrize(
    "text, fmt",
    [("WEBVTT\n", "vtt"), ("[Script Info]\n", "ass"), ('File type = "ooTextFile"', "textgrid"), ('{"words": []}', "json"),
     ("1\n00:00:01,000 --> 00:00:02,000\n", "srt"), ("hello", None)],
)
def test_detect_format(text, fmt):
    assert detect_format(text) == fmt
