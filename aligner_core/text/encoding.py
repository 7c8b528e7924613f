"""Transcript bytes to text, in whatever encoding people saved them (see :func:`decode_transcript_bytes`).

Which encoding a file is in is a guess for files without a byte-order mark; the guess is judged
by how plausible each reading looks (:mod:`.plausibility`), never by trying one and hoping.

The code-point ranges here and in :mod:`.plausibility` are not script predicates and on purpose
do not come from :mod:`aligner_core.scripts`: they ask "does this decoding look like real text",
so they weigh how common a character is (:data:`.common_han.COMMON_HAN`) and which blocks a
misread of other bytes falls into (Hangul syllables are what GBK or Big5 read as UTF-16 look
like, so a UTF-16 reading without a BOM must not count them).
"""

from __future__ import annotations

import codecs
import re

from .common_han import COMMON_HAN
from .errors import display_name, error
from .normalize import CONTROL_RE, normalize_text
from .plausibility import plausibility

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Files people pick by mistake, recognised by their first bytes (checked strictly enough that
# no real transcript matches: "ID3" alone could start a sentence).
_MAGIC = (
    (re.compile(rb"%PDF-"), "a PDF document"),
    (re.compile(rb"PK\x03\x04"), "a Word document or another ZIP-based file"),
    (re.compile(rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "an old Word or Office document"),
    (re.compile(rb"\{\\rtf"), "an RTF document"),
    (re.compile(rb"RIFF....(WAVE|AVI |WEBP)", re.S), "an audio or video file"),
    (re.compile(rb"ID3[\x02-\x04]\x00"), "an MP3 audio file"),
    (re.compile(rb"OggS\x00"), "an Ogg audio file"),
    (re.compile(rb"fLaC\x00"), "a FLAC audio file"),
    (re.compile(rb"\x1aE\xdf\xa3"), "a video file"),
    (re.compile(rb"....ftyp", re.S), "an audio or video file"),
    (re.compile(rb"\x89PNG\r\n|\xff\xd8\xff|GIF8[79]a"), "an image"),
)


def decode_transcript_bytes(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode a transcript's bytes: (normalised text, name of the encoding used).

    Order of trust: a byte-order mark; UTF-16/32 without a BOM when NUL bytes say so; strict
    UTF-8; then legacy encodings (GB18030/GBK, Big5, Shift_JIS, EUC-JP, CP949, Windows-1252,
    single-byte Cyrillic and others proposed by charset-normalizer), each judged by how
    plausible its result is (share of common Chinese characters, kana, Hangul, accented letters
    inside words, letter case). Binary data and undecidable bytes raise
    :class:`TranscriptError` rather than garble the text.
    """
    shown = display_name(name)
    if not data:
        return "", "utf-8"
    for magic, what in _MAGIC:
        if magic.match(data):
            raise error("wrong_kind", shown, what=what)

    decoded = _decode_with_bom(data, shown)
    if decoded is None and b"\x00" in data:
        decoded = _best_wide_decoding(data)
        if decoded is None:
            raise error("binary", shown)
    if decoded is None:
        try:
            decoded = (data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            decoded = _utf16_cjk_reading(data) or _best_legacy_decoding(data)
            if decoded is None:
                raise error("encoding", shown) from None
        else:
            # CJK in UTF-16 without a BOM, newline or ASCII can look like ASCII letters ("`O}YNLu"):
            # trusted over the ASCII only from four characters on, nearly all of them common
            if data.isascii() and not any(c in data for c in b" \t\n\r"):
                decoded = _utf16_cjk_reading(data, min_chars=4, min_letters=0.9) or decoded
    text, encoding = decoded

    if text.endswith("\x1a"):  # DOS end-of-file marker
        text = text.rstrip("\x1a")
    controls = len(CONTROL_RE.findall(text))
    if controls > max(3, len(text) // 100):
        raise error("binary", shown)
    return normalize_text(text), encoding


def _decode_with_bom(data: bytes, shown: str) -> tuple[str, str] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc
            except UnicodeDecodeError as exc:
                plain = enc.replace("-sig", "").upper()
                raise error("bad_bom", shown, encoding=plain) from exc
    return None


def _best_wide_decoding(data: bytes) -> tuple[str, str] | None:
    """UTF-16 or UTF-32 without a BOM, recognised by how plausible each reading is."""
    candidates = ["utf-16-le", "utf-16-be"]
    if len(data) % 4 == 0:
        candidates += ["utf-32-le", "utf-32-be"]
    best: tuple[float, str, str] | None = None
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = plausibility(text[:100_000], "any", count_ascii=True)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.7:
        return None
    return best[1], best[2]


def _reads_as_cjk_text(ch: str) -> bool:
    """Whether a character of a UTF-16 reading without a BOM fits Chinese or Japanese text.

    Not :func:`aligner_core.scripts.is_cjk_letter` and not meant to be: the question is whether
    a decoding is plausible, not what script a character belongs to. So only *common* Han
    characters count (a misreading gives rare ones), CJK punctuation, full-width forms and the
    whitespace and quotes such text holds count too, and Hangul is left out: misread GBK or Big5
    bytes look like Hangul syllables, and Korean without a single space or newline (which would
    give NUL bytes) is no transcript.
    """
    o = ord(ch)
    return (
        ch in COMMON_HAN
        or 0x3041 <= o <= 0x30FF  # kana
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF01 <= o <= 0xFF60  # full-width forms
        or ch in "\n\r\t “”‘’…—"
    )


def _utf16_cjk_reading(data: bytes, min_chars: int = 2, min_letters: float = 0.6) -> tuple[str, str] | None:
    """UTF-16 without a BOM and without ASCII (hence without NUL bytes): accepted only when
    nearly every character it gives is a common CJK character or CJK punctuation, and most
    are common Han characters or kana."""
    if len(data) % 2 or len(data) < 2 * min_chars:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:20_000]
        if len(sample) < 2:
            continue
        letters = sum(1 for ch in sample if ch in COMMON_HAN or "\u3041" <= ch <= "\u30ff")
        if letters >= min_letters * len(sample) and sum(1 for ch in sample if _reads_as_cjk_text(ch)) >= 0.9 * len(sample):
            return text, enc
    return None


# Legacy encodings in order of preference when two read equally well, with the family that
# picks the scoring; a wrong CJK reading gives rare characters, a wrong Latin one letters
# glued to each other, a wrong Cyrillic one letters in the wrong case.
_LEGACY = (
    (("gb18030",), "zh"),
    (("big5", "cp950", "big5hkscs"), "zh"),
    (("cp932",), "ja"),
    (("euc_jp",), "ja"),
    (("cp949",), "ko"),
    (("cp1252",), "latin"),
)
_SINGLE_BYTE_FALLBACKS = ("cp1250", "cp1251", "koi8-r", "cp1257")
_SAMPLE_BYTES = 64 * 1024  # plenty to tell encodings apart; keeps a 10 MB file fast
_THRESHOLD = {"zh": 0.45, "ja": 0.45, "ko": 0.6, "latin": 0.6, "alpha": 0.8}
_HANDICAP = {"ko": 0.1, "alpha": 0.1}


def _decode_sample(sample: bytes, enc: str, whole: bool) -> str | None:
    try:
        if whole:
            return sample.decode(enc)
        return codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return None


def _best_legacy_decoding(data: bytes) -> tuple[str, str] | None:
    whole = len(data) <= _SAMPLE_BYTES
    sample = data if whole else data[:_SAMPLE_BYTES]
    scored: list[tuple[float, int, str, str]] = []  # (score, preference, encoding, family)
    seen: set[str] = set()

    def consider(enc: str, family: str) -> bool:
        try:
            key = codecs.lookup(enc).name
        except LookupError:
            return False
        if key in seen:
            return False
        text = _decode_sample(sample, enc, whole)
        if text is None:
            return False
        seen.add(key)
        scored.append((plausibility(text, family), len(scored), enc, family))
        return True

    for encodings, family in _LEGACY:
        for enc in encodings:
            if consider(enc, family):
                break
    if max((sc for sc, *_ in scored), default=0.0) < 0.9:
        for enc in _charset_normalizer_proposals(sample):
            consider(enc, "alpha")
        for enc in _SINGLE_BYTE_FALLBACKS:
            consider(enc, "alpha")
    # Chinese first (most of our CJK users), then Japanese, Korean and Western; the fallbacks
    # must read clearly better than the common encodings to be chosen
    ranked = sorted(scored, key=lambda r: (-(r[0] - _HANDICAP.get(r[3], 0.0)), r[1]))
    for score, _pref, enc, family in ranked:
        if score < _THRESHOLD[family]:
            continue
        try:
            return data.decode(enc), {"euc_jp": "euc-jp"}.get(enc, enc)
        except UnicodeDecodeError:  # fine in the sample, broken further on
            continue
    return None


_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def _charset_normalizer_proposals(sample: bytes) -> list[str]:
    """Encodings charset-normalizer finds likely, restricted to those that keep ASCII as ASCII
    (it sometimes proposes EBCDIC or UTF-7 for short text); our score has the last word."""
    try:
        from charset_normalizer import from_bytes
    except Exception:  # pragma: no cover - a declared dependency
        return []
    out: list[str] = []
    for match in list(from_bytes(sample[:65536]))[:8]:
        enc = match.encoding
        try:
            if _ASCII_PROBE.decode(enc) == _ASCII_PROBE.decode("ascii"):
                out.append(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return out
