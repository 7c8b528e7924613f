"""Reading transcript files (aligner_core/text: reading, encoding, plausibility): encodings with and
without byte-order marks, legacy CJK and Western encodings, binary and refused files."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.text import TranscriptError, decode_transcript_bytes, normalize_text, read_transcript, tokenize

from .text_samples import FRENCH, JAPANESE, KOREAN, RUSSIAN, ZH_SIMPLIFIED, ZH_TRADITIONAL


@pytest.mark.parametrize(
    ("sample", "encoding", "reported"),
    [
        (ZH_SIMPLIFIED, "gb18030", "gb18030"),
        (ZH_SIMPLIFIED, "gbk", "gb18030"),
        (ZH_SIMPLIFIED, "gb2312", "gb18030"),
        (ZH_SIMPLIFIED, "utf-8", "utf-8"),
        (ZH_SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (ZH_SIMPLIFIED, "utf-16", None),  # with BOM, machine byte order
        (ZH_SIMPLIFIED, "utf-16-le", "utf-16-le"),  # no BOM
        (ZH_SIMPLIFIED, "utf-16-be", "utf-16-be"),  # no BOM
        (ZH_SIMPLIFIED, "utf-32", None),
        (ZH_TRADITIONAL, "big5", "big5"),
        (ZH_TRADITIONAL, "cp950", "big5"),
        (ZH_TRADITIONAL, "gb18030", "gb18030"),
        (ZH_TRADITIONAL, "utf-16-le", "utf-16-le"),
        (JAPANESE, "shift_jis", "cp932"),
        (JAPANESE, "euc_jp", "euc-jp"),
        (KOREAN, "euc_kr", "cp949"),
        (FRENCH.replace("œ", "oe"), "latin-1", "cp1252"),
        (FRENCH, "cp1252", "cp1252"),
        (RUSSIAN, "cp1251", None),
        (RUSSIAN, "koi8-r", None),
    ],
)
def test_read_transcript_encodings(tmp_path, sample, encoding, reported):
    path = tmp_path / f"transcript-{encoding}.txt"
    path.write_bytes(sample.encode(encoding))
    assert read_transcript(path) == sample
    text, used = decode_transcript_bytes(path.read_bytes(), path.name)
    assert text == sample
    if reported is not None:
        assert used == reported


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_boms_are_recognised_and_stripped(encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}
    data = bom[encoding] + "Hello 你好\n".encode(encoding)
    assert decode_transcript_bytes(data) == ("Hello 你好\n", encoding)


def test_utf16_without_bom_or_ascii_is_detected():
    # no newline, no ASCII: no NUL byte betrays it, and it even decodes as ASCII ("`O}Y")
    for sample in ("你好世界", "今天天气很好我们去公园散步吧", "我覺得這件事情非常重要"):
        for enc in ("utf-16-le", "utf-16-be"):
            assert decode_transcript_bytes(sample.encode(enc))[0] == sample


def test_short_legacy_chinese_is_not_garbled():
    for sample, enc in (("你好", "gb18030"), ("中文", "gbk"), ("謝謝", "big5"), ("嗯嗯", "gb18030"), ("這個問題很難回答。", "big5")):
        assert decode_transcript_bytes(sample.encode(enc))[0] == sample


def test_strict_utf8_is_preferred():
    data = "naïve café — 你好".encode()
    assert decode_transcript_bytes(data) == ("naïve café — 你好", "utf-8")


def test_newlines_bom_and_nfc_are_normalised():
    raw = "\ufeffline one\r\nline two\rline thre\u0065\u0301\u2028four\u2029five"
    text, _ = decode_transcript_bytes(raw.encode("utf-8"))
    assert text == "line one\nline two\nline thre\u00e9\nfour\n\nfive"
    assert unicodedata.is_normalized("NFC", text)
    assert normalize_text("a\r\nb\x00c\x07") == "a\nbc"


def test_dos_eof_marker_and_empty_file(tmp_path):
    assert decode_transcript_bytes(b"hello\r\n\x1a") == ("hello\n", "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_transcript(empty) == ""
    assert tokenize(read_transcript(empty), "en") == []


def _assert_one_sentence_naming(exc: TranscriptError, name: str) -> None:
    message = str(exc)
    assert name in message
    assert message.endswith(".")
    assert ". " not in message.rstrip(".")  # a single sentence


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4000),
        bytes(range(256)) * 8,
        b"hello\x00world\x00\x01\x02\x03" * 10,
        b"abc\x01\x02\x03\x04\x05\x06\x07\x08def",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
        b"RIFF\x24\x08\x00\x00WAVEfmt ",
        b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00",
    ],
)
def test_binary_data_is_a_clear_error(tmp_path, data):
    path = tmp_path / "notes.bin"
    path.write_bytes(data)
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    _assert_one_sentence_naming(info.value, "notes.bin")
    assert isinstance(info.value, ValueError)


def test_missing_file_and_folder_are_transcript_errors(tmp_path):
    with pytest.raises(TranscriptError) as info:
        read_transcript(tmp_path / "nope.txt")
    _assert_one_sentence_naming(info.value, "nope.txt")
    with pytest.raises(TranscriptError):
        read_transcript(tmp_path)


def test_broken_bom_is_an_error():
    with pytest.raises(TranscriptError, match="UTF-8"):
        decode_transcript_bytes(b"\xef\xbb\xbfok \xff\xfe\xfd", "x.txt")


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200))
def test_property_decoding_utf8_round_trips(source):
    data = source.encode("utf-8")
    try:
        text, _ = decode_transcript_bytes(data)
    except TranscriptError:
        return  # control characters can make it look binary: refusing is fine, garbling is not
    assert text == normalize_text(source)
