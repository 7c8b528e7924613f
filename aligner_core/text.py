"""Transcript text: reading files in any common encoding, splitting text into tokens.

Two layers (see DESIGN.md): a :class:`~aligner_core.document.Token`'s ``text`` is exactly
what the user wrote, punctuation included ("Americans,", "“你", "(hello"); its ``units`` are
what an aligner sees (lower case, no punctuation, digits kept: "americans", "你", "hello").

Splitting rules, per script rather than strictly per language, because real transcripts mix:

* Space-delimited text splits at whitespace into words.  Punctuation never forms a token of
  its own: it stays attached to the word it touches, and a free-standing mark ("—", "«", "?")
  joins a neighbour (opening marks the next word, closing marks the previous one).  Em dashes
  and ellipses written between two words without spaces split them ("said—no").
* Han, kana and bopomofo give one token per character, in any language (Japanese uses nagisa
  when it is installed, whole words then).  Latin and digit runs inside such text ("我用iPhone
  15拍的") become single tokens; CJK punctuation attaches like any other punctuation.
* Hangul, like Latin, is space-delimited: Korean gives one token per eojeol.

Text that is shown but never spoken (see :mod:`aligner_core.transcripts` for the whole design):
formatting tags (``<i>``, ``<font color=...>``, ``{\\an8}``, :data:`MARKUP_RE`) attach to the word
they format like punctuation and add no units; bracketed sound labels ("[music]", "(laughs)",
:func:`is_sound_label`) and speaker labels at a line's start ("JOHN:") are tokens of their own with
no units (:func:`is_speech` is false for them).

Reading: :func:`read_transcript_bytes` is the only way a transcript or subtitle file is opened
(regular files only, size-capped), whoever reads it.

``sep`` on each token is the whitespace that joined it to the previous one (" ", "" between CJK
characters, a kept no-break space), so :meth:`Document.join` rebuilds the source modulo runs of
whitespace; across a line break between two CJK characters it is "" (Chinese does not put a
space where a line was wrapped).  ``brk`` records a line break or a blank line before the token
as a hint for cue segmentation.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import gc
import os
import re
import stat
import unicodedata
from collections import Counter
from typing import Callable, Sequence

from .document import Break, Token
from .messages import Message, msg
from .scripts import PER_CHAR, SPACELESS_LANGUAGES, is_cjk_letter, is_per_char
from .numbers import base_language, spoken_units

__all__ = [
    "TranscriptError",
    "SPACELESS_LANGUAGES",
    "read_transcript",
    "read_transcript_bytes",
    "decode_transcript_bytes",
    "normalize_text",
    "tokenize",
    "normalize_word",
    "spoken_units",
    "token_spoken_units",
    "guess_language",
    "is_cjk_char",
    "is_speech",
    "is_sound_label",
    "strip_markup",
    "MARKUP_RE",
    "is_spaceless_char",
    "base_language",
]


class TranscriptError(ValueError):
    """A transcript that cannot be read as text; the message is one sentence naming the file.

    Raised with a :class:`~aligner_core.messages.Message` (``msg("transcript_folder", ...)``):
    ``str()`` is the English sentence, and ``code`` ("missing", "folder", "not_regular",
    "too_large", "no_words", "unreadable"...) and ``args_`` let a front end word it itself.
    """

    def __init__(self, message: "str | Message", *, code: str = "unreadable", **args: object) -> None:
        super().__init__(message)
        if isinstance(message, Message):
            code, args = message.code.removeprefix("transcript_"), dict(message.args)
        self.code = code
        self.args_ = args


def _error(code: str, shown: str, **args: object) -> TranscriptError:
    """A TranscriptError about the file shown as ``shown`` ('"name"', or "The transcript")."""
    name = shown[1:-1] if shown.startswith('"') and shown.endswith('"') else ""
    return TranscriptError(msg("transcript_" + code, shown=shown, name=name, **args))


#: Languages written without spaces between words (tokens are joined with "" there).

MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024  # far above any real transcript; guards against picking a video

# ---------------------------------------------------------------------------------------------
# character classes (as regex class bodies)

# the scripts themselves are defined once, in aligner_core/scripts.py
_PER_CHAR = PER_CHAR  # scripts split one token per character

# Characters that never start a syllable: small kana, the long-vowel mark, iteration and
# voicing marks, variation selectors. They stay with the character before them.
_DEPENDENT = (
    "\u3041\u3043\u3045\u3047\u3049\u3083\u3085\u3087\u308e\u3095\u3096"
    "\u30a1\u30a3\u30a5\u30a7\u30a9\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6\u31f0-\u31ff"
    "\uff67-\uff6e\uff70\uff9e\uff9f\u30fc\u3005\u303b\u309d\u309e\u30fd\u30fe\u3099-\u309c"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef"
)


def _mark_ranges() -> str:
    """Combining marks (Mn/Mc/Me) outside the CJK blocks, so Indic, Thai, Arabic and Hebrew
    words are not cut at their vowel signs. Built once at import (about 10 ms)."""
    out: list[str] = []
    for lo, hi in ((0x300, 0x3000), (0xA000, 0x10000), (0x10000, 0x20000)):
        start = None
        for cp in range(lo, hi):
            if unicodedata.category(chr(cp))[0] == "M":
                if start is None:
                    start = cp
            elif start is not None:
                out.append(_range(start, cp - 1))
                start = None
        if start is not None:
            out.append(_range(start, hi - 1))
    return "".join(out) + "\u200c\u200d\u00ad"  # ZWNJ/ZWJ (Persian, Indic) and soft hyphen live inside words


def _range(a: int, b: int) -> str:
    return re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"


_MARKS = _mark_ranges()
_LETTER = rf"[^\W_{_PER_CHAR}]"  # letters and digits of space-delimited scripts
_LETTER_OR_MARK = rf"(?:{_LETTER}|[{_MARKS}])"
_WORD_PART = rf"{_LETTER}{_LETTER_OR_MARK}*"
# Characters that join two word parts into one token: apostrophes (don't, rock'n'roll),
# hyphens (twenty-two), dots and colons (U.S.A, 3.5, 10:30), slashes, ampersands, @, +,
# the Catalan middle dot (col·lecció), underscores; a comma only between digits (1,000).
_CONNECTOR = r"(?:['’ʼ`´\-‐‑.:/&@+·_]|(?<=\d),(?=\d))"
_CORE = rf"{_WORD_PART}(?:{_CONNECTOR}{_WORD_PART})*"
_PUNCT = r"(?:[^\w\s]|_)"

_CHUNK_RE = re.compile(r"(\s*)(\S+)")
_SIMPLE_RE = re.compile(rf"{_PUNCT}*{_CORE}{_PUNCT}*")
# pieces of a chunk: a run of Han/kana characters, a word, a run of marks
_PIECE_RE = re.compile(rf"((?:[{_PER_CHAR}][{_DEPENDENT}{_MARKS}]*)+)|({_CORE})|({_PUNCT}+)")
_DEPENDENT_RE = re.compile(rf"[{_DEPENDENT}{_MARKS}]")
_PER_CHAR_RE = re.compile(rf"[{_PER_CHAR}]")
_CLUSTER_RE = re.compile(rf"[{_PER_CHAR}][{_DEPENDENT}{_MARKS}]*|[^{_PER_CHAR}]+")

_ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_KEPT_SPACES = {"\u00a0", "\u202f", "\u2007", "\u3000"}  # typographic spaces worth keeping as sep


# the names this module has always had for aligner_core.scripts' predicates
is_cjk_char = is_cjk_letter  # Han, kana, bopomofo and Hangul letters (not CJK punctuation)
is_spaceless_char = is_per_char  # tokenised one per token (Han, kana, bopomofo; not Hangul)


# ---------------------------------------------------------------------------------------------
# text normalisation

_NEWLINES_RE = re.compile("\r\n|[\r\x85\u2028]")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def normalize_text(text: str) -> str:
    """Newlines to "\\n" (CRLF, CR, NEL, U+2028; U+2029 becomes a blank line), BOMs and
    stray control characters removed, NFC composed."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = _NEWLINES_RE.sub("\n", text).replace("\u2029", "\n\n")
    text = _CONTROL_RE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


# ---------------------------------------------------------------------------------------------
# reading files


def read_transcript(path: str | os.PathLike[str]) -> str:
    """The text of a transcript file, decoded (see :func:`decode_transcript_bytes`) and normalised.

    Raises :class:`TranscriptError` when the file cannot be read or is not text.
    """
    name = os.fspath(path)
    text, _encoding = decode_transcript_bytes(read_transcript_bytes(path), name)
    return text


# A device or FIFO reports st_size 0 and never ends (/dev/zero) or never starts (a FIFO with
# no writer): only a regular file is opened, and never more than the limit is read from it.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # the open itself must not wait for a FIFO's writer
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0) | _NONBLOCK


def _file_kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_transcript_bytes(path: str | os.PathLike[str], limit: int = MAX_TRANSCRIPT_BYTES) -> bytes:
    """The bytes of a transcript or subtitle file: the one way every reader opens such a file.

    Only regular files are read (a device, FIFO or socket is refused before it is opened, and
    again after opening in case the path was swapped meanwhile), and at most ``limit`` + 1
    bytes are read, so a file that grows while read, or lies about its size, stays bounded.
    Raises :class:`TranscriptError` with one sentence naming the file.
    """
    shown = _display(os.fspath(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _error("missing", shown) from None
    except OSError as exc:
        raise _error("unreadable", shown, reason=exc.strerror or str(exc)) from None
    _refuse_irregular(st.st_mode, shown)
    _refuse_size(st.st_size, limit, shown)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise _error("unreadable", shown, reason=exc.strerror or str(exc)) from None
    try:
        _refuse_irregular(os.fstat(fd).st_mode, shown)
        if _NONBLOCK:  # a regular file never blocks; plain reads from here on
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _error("unreadable", shown, reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    _refuse_size(len(data), limit, shown)
    return data


def _refuse_irregular(mode: int, shown: str) -> None:
    if stat.S_ISDIR(mode):
        raise _error("folder", shown)
    if not stat.S_ISREG(mode):
        raise _error("not_regular", shown, kind=_file_kind(mode))


def _refuse_size(size: int, limit: int, shown: str) -> None:
    if size > limit:
        mb = max(1, size // (1024 * 1024))
        raise _error("too_large", shown, limit_mb=max(1, limit // (1024 * 1024)), size_mb=mb)


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


def _display(name: str) -> str:
    return f'"{os.path.basename(name) or name}"' if name else "The transcript"


def decode_transcript_bytes(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode a transcript's bytes: (normalised text, name of the encoding used).

    Order of trust: a byte-order mark; UTF-16/32 without a BOM when NUL bytes say so; strict
    UTF-8; then legacy encodings (GB18030/GBK, Big5, Shift_JIS, EUC-JP, CP949, Windows-1252,
    single-byte Cyrillic and others proposed by charset-normalizer), each judged by how
    plausible its result is (share of common Chinese characters, kana, Hangul, accented letters
    inside words, letter case). Binary data and undecidable bytes raise
    :class:`TranscriptError` rather than garble the text.
    """
    shown = _display(name)
    if not data:
        return "", "utf-8"
    for magic, what in _MAGIC:
        if magic.match(data):
            raise _error("wrong_kind", shown, what=what)

    decoded = _decode_with_bom(data, shown)
    if decoded is None and b"\x00" in data:
        decoded = _best_wide_decoding(data)
        if decoded is None:
            raise _error("binary", shown)
    if decoded is None:
        try:
            decoded = (data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            decoded = _utf16_cjk_reading(data) or _best_legacy_decoding(data)
            if decoded is None:
                raise _error("encoding", shown) from None
        else:
            # CJK in UTF-16 without a BOM, newline or ASCII can look like ASCII letters ("`O}YNLu"):
            # trusted over the ASCII only from four characters on, nearly all of them common
            if data.isascii() and not any(c in data for c in b" \t\n\r"):
                decoded = _utf16_cjk_reading(data, min_chars=4, min_letters=0.9) or decoded
    text, encoding = decoded

    if text.endswith("\x1a"):  # DOS end-of-file marker
        text = text.rstrip("\x1a")
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(3, len(text) // 100):
        raise _error("binary", shown)
    return normalize_text(text), encoding


def _decode_with_bom(data: bytes, shown: str) -> tuple[str, str] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc
            except UnicodeDecodeError as exc:
                plain = enc.replace("-sig", "").upper()
                raise _error("bad_bom", shown, encoding=plain) from exc
    return None


def _category_penalty(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\x0b\x0c" or ch == "\ufffd"


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
        score = _plausibility(text[:100_000], "any", count_ascii=True)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.7:
        return None
    return best[1], best[2]


def _is_cjk_text_char(ch: str) -> bool:
    # Hangul is left out: misread GBK or Big5 bytes look like Hangul syllables, and Korean
    # without a single space or newline (which would give NUL bytes) is no transcript.
    o = ord(ch)
    return (
        ch in _COMMON_HAN
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
        letters = sum(1 for ch in sample if ch in _COMMON_HAN or "\u3041" <= ch <= "\u30ff")
        if letters >= min_letters * len(sample) and sum(1 for ch in sample if _is_cjk_text_char(ch)) >= 0.9 * len(sample):
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
        scored.append((_plausibility(text, family), len(scored), enc, family))
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


def _plausibility(text: str, family: str, count_ascii: bool = False) -> float:
    """Mean "this looks like real text" score of a decoding, at most 1 (-2 per bad character).

    Only non-ASCII characters are scored unless ``count_ascii`` (ASCII reads the same in every
    candidate). A wrong decoding of CJK bytes gives rare characters, stray kana or Latin
    letters glued together; a right one gives mostly common characters.
    """
    total = 0.0
    n = 0
    upper = letters = 0
    sample = text if len(text) <= 200_000 else text[:200_000]
    prev = ""
    last = len(sample) - 1
    for i, ch in enumerate(sample):
        o = ord(ch)
        if o < 0x80:
            if (o < 0x20 and ch not in "\t\n\r\x0b\x0c") or o == 0x7F:
                n += 1  # control characters: reads the same everywhere, but betrays UTF-16
                total -= 2.0
            elif count_ascii:
                n += 1
                total += 1.0
            prev = ch
            continue
        n += 1
        nxt = sample[i + 1] if i < last else ""
        good = _char_goodness(ch, family, prev, nxt)
        if ch.isalpha() and ch.lower() != ch.upper():
            letters += 1
            if ch.isupper():
                upper += 1
                if prev.isalpha() and prev.islower():
                    good = min(good, 0.2)  # "пРИВЕТ": a misread single-byte encoding
        total += good
        prev = ch
    if not n:
        return 1.0
    score = total / n
    if letters >= 10 and upper > 0.5 * letters:  # mostly capitals: the case is upside down
        score *= 0.5
    if family in ("latin", "alpha", "ko") and len(sample) >= (8 if family == "ko" else 20):
        # these scripts put spaces between words; double-byte text read through them has none
        spaces = sum(1 for ch in sample if ch.isspace())
        if spaces < 0.06 * len(sample):
            score *= 0.5
    if family == "latin" and n >= 4:
        # Western text is mostly ASCII (accents are a few percent of letters, 30% at most); a
        # reading where they dominate is double-byte text seen through Windows-1252
        ascii_letters = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
        if n > 0.5 * (n + ascii_letters):
            score *= 0.5
    return score


_COMMON_SYMBOLS = set("«»¡¿°€£¥§©®·–—…“”‘’„‚•\u00a0\u202f")


def _char_goodness(ch: str, family: str, prev: str, nxt: str) -> float:
    if _category_penalty(ch):
        return -2.0
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or o >= 0x20000:
        common = ch in _COMMON_HAN
        if family == "ko":
            return 0.2 if common else 0.0  # Korean transcripts rarely use Hanja
        if family == "latin":
            return 0.0
        if family == "alpha":
            return 0.5 if common else 0.1
        return 1.0 if common else (0.3 if family == "any" else 0.1)
    if 0x3041 <= o <= 0x30FF:  # kana
        return 1.0 if family in ("ja", "any", "alpha") else 0.0
    if 0xAC00 <= o <= 0xD7A3:  # Hangul syllables
        return 1.0 if family == "ko" else (0.8 if family in ("any", "alpha") else 0.0)
    if 0xFF61 <= o <= 0xFF9F:  # half-width katakana: what misread double-byte text looks like in CP932
        return 0.2 if family == "ja" else 0.0
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF60 or 0xFFE0 <= o <= 0xFFE6:
        return 1.0 if family in ("zh", "ja", "ko", "any", "alpha") else 0.0
    if ch in _COMMON_SYMBOLS:
        return 1.0 if (not prev or not nxt or prev.isspace() or nxt.isspace() or prev.isalnum() or nxt.isalnum()) else 0.3
    if 0x2010 <= o <= 0x2027 or o in (0x20AC, 0x2122):  # other dashes, quotes, bullets
        return 0.8
    if 0xA0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF:  # Latin-1 and Latin extended
        if not ch.isalpha():
            return 0.0  # ¹ ³ ¤ ¦ ... : what Central European or Cyrillic bytes look like in CP1252
        if family in ("latin", "alpha", "any"):
            # accented letters sit inside words made mostly of ASCII letters ("été"), or stand
            # alone ("à"); misread double-byte text glues them to each other ("ÄãºÃ")
            if (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha()):
                return 1.0
            if not prev.isalpha() and not nxt.isalpha():
                return 0.7
            return 0.5 if family == "any" else 0.2
        return 0.3
    if family in ("alpha", "any") and ch.isalpha():
        # another alphabet (Cyrillic, Greek, Arabic, ...): letters next to letters of the same
        # block, never glued to Latin ones ("Zaїуіж" is Polish read as Cyrillic)
        if (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha()):
            return 0.1
        same = (prev and not prev.isascii() and prev.isalpha() and abs(ord(prev) - o) < 0x100) or (
            nxt and not nxt.isascii() and nxt.isalpha() and abs(ord(nxt) - o) < 0x100
        )
        return 1.0 if same else 0.3
    if family in ("alpha", "any") and unicodedata.category(ch)[0] == "M":
        return 0.8
    return 0.0


# ---------------------------------------------------------------------------------------------
# language guess

_STOPWORDS = {
    "en": "the and of to in is that it you i was for on are with as be this have not but",
    "fr": "le la les des et est un une du que qui pas je il elle dans pour ce sur vous nous au",
    "de": "der die das und ist nicht ich ein eine zu den von mit sie es sich auf dem wir auch",
    "es": "el los las que y en un una es por con para no se lo del al como pero muy",
    "it": "il di che è un una per non sono gli del della con mi ho ma anche questo",
    "pt": "o os que em um uma não para com do da por se é eu mas muito você",
    "nl": "de het een en van is dat niet ik je op te zijn met voor die er maar",
}
_STOPWORD_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_LETTER_RUN_RE = re.compile(rf"(?:{_LETTER}|[{_MARKS}])+")
_SCRIPT_BLOCKS = (  # (first, last, language) for alphabets not written in Latin
    (0x0370, 0x03FF, "el"), (0x0400, 0x052F, "ru"), (0x0530, 0x058F, "hy"), (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0x0900, 0x097F, "hi"), (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"), (0x0A80, 0x0AFF, "gu"), (0x0B80, 0x0BFF, "ta"), (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"), (0x0D00, 0x0D7F, "ml"), (0x0D80, 0x0DFF, "si"), (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"), (0x0F00, 0x0FFF, "bo"), (0x1000, 0x109F, "my"), (0x10A0, 0x10FF, "ka"),
    (0x1200, 0x137F, "am"), (0x1780, 0x17FF, "km"), (0x1100, 0x11FF, "ko"), (0x3130, 0x318F, "ko"),
    (0xAC00, 0xD7A3, "ko"),
)


def _script_language(ch: str) -> str:
    o = ord(ch)
    if o < 0x0370 or 0x1E00 <= o <= 0x1EFF:
        return "latin"
    for lo, hi, lang in _SCRIPT_BLOCKS:
        if lo <= o <= hi:
            return lang
    return "other"


def guess_language(text: str, default: str = "en") -> str:
    """The transcript's language from its scripts: "zh", "ja", "ko", "ru", "ar", ...; for Latin
    text a stop-word vote among en/fr/de/es/it/pt/nl; ``default`` when nothing decides."""
    sample = text[:50_000]
    han = kana = 0
    for ch in _PER_CHAR_RE.findall(sample):
        if "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9f":
            kana += 1
        else:
            han += 1
    words: Counter[str] = Counter()
    latin_words: list[str] = []
    for m in _LETTER_RUN_RE.finditer(sample):
        run = m.group()
        script = _script_language(run[0])
        words[script] += 1
        if script == "latin" and len(latin_words) < 5000:
            latin_words.append(run.lower())
    # a Chinese character carries about as much as a short word: compare on a word scale
    cjk_words = (han + kana) / 1.5
    best_script, best_count = max(words.items(), key=lambda kv: kv[1], default=("", 0))
    if cjk_words and cjk_words >= best_count:
        return "ja" if kana >= max(1, 0.05 * (han + kana)) else "zh"
    if not best_count:
        return default
    if best_script == "latin":
        return _latin_language(latin_words, default)
    if best_script == "ru" and re.search("[іїєґІЇЄҐ]", sample):
        return "uk"
    if best_script == "ar" and len(re.findall("[پچژگ]", sample)) > 2:
        return "fa"
    return best_script if best_script != "other" else default


# letters that only some of the languages use: half a vote each
_LETTER_HINTS = {
    "fr": set("éèêëàâçîïôûùœ"), "de": set("äöüß"), "es": set("ñáíóú¿¡"),
    "pt": set("ãõçáâêóôú"), "it": set("àèéìòù"), "nl": set("ëïĳ"),
}


def _latin_language(words: Sequence[str], default: str) -> str:
    votes: Counter[str] = Counter()
    for w in words:
        for lang, stop in _STOPWORD_SETS.items():
            if w in stop:
                votes[lang] += 1
        if not w.isascii():
            for lang, letters in _LETTER_HINTS.items():
                if any(c in letters for c in w):
                    votes[lang] += 0.5
    if not votes:
        return default
    top_lang, top = votes.most_common(1)[0]
    if top < 2 or votes.get(default, 0) >= top:  # too little evidence, or a tie with the default
        return default
    return top_lang


# ---------------------------------------------------------------------------------------------
# markup and sound labels: text that is shown, never spoken

#: Formatting that subtitle files carry inside their text: SRT/VTT tags (``<i>``, ``</i>``,
#: ``<font color="#ff0">``, ``<c.yellow>``, ``<v Roger>``) and ASS override blocks (``{\an8}``,
#: ``{\i1}``). Only these tag names, so "a <b and c> d" in prose is not taken for a tag.
MARKUP_RE = re.compile(
    r"</?(?:[ibus]|ruby|rt|rp)>|</(?:font|span|c|v|lang)>|<(?:font|span)\s[^<>\n]*>|<c(?:\.[\w-]+)*>"
    r"|<(?:v|lang)(?:\.[\w-]+)*\s[^<>\n]+>|\{\\[^{}\n]*\}",
    re.IGNORECASE,
)
# While tokenizing, each tag stands in as one punctuation character, so it sticks to the word
# it formats (an opening tag to the next word, a closing one to the previous word) exactly as
# "(" and ")" do, whatever spaces the tag itself holds. Private-use characters: no real text
# uses them, and stray ones are carried through like tags.
_TAG_OPEN, _TAG_CLOSE = "\ue000", "\ue001"
_OPENERS = "[(（【［〔"
_CLOSERS = "])）】］〕"
# A bracketed run is a sound label ("[music]", "(laughs)", "(door slams)", "【音乐】"): square
# brackets hold editorial notes of any length; round ones only short descriptions, since a
# longer parenthesis is usually speech ("the others (all of them) agreed").
_MAX_LABEL_TOKENS = {"[": 8, "(": 3, "（": 6, "【": 8, "［": 8, "〔": 8}


def _bracketed(text: str) -> tuple[str, str] | None:
    """(opening bracket, text inside) when ``text`` is one bracketed run with nothing spoken
    around it (marks and symbols may be: "- [music]", "(laughs).", "[music] ♪"), else None."""
    s = text.strip()
    i = 0
    while i < len(s) and not s[i].isalnum() and s[i] not in _OPENERS and s[i] not in _CLOSERS:
        i += 1
    if i >= len(s) or s[i] not in _OPENERS:
        return None
    opener = s[i]
    closer = _CLOSERS[_OPENERS.index(opener)]
    j = s.find(closer, i + 1)
    if j < 0:
        return None
    inner = s[i + 1 : j]
    if opener in inner or any(c.isalnum() or c in _OPENERS or c in _CLOSERS for c in s[j + 1 :]):
        return None
    return opener, inner.strip()


def strip_markup(text: str) -> str:
    """``text`` without subtitle formatting tags (what a viewer reads)."""
    return MARKUP_RE.sub("", text) if ("<" in text or "{" in text) else text


# First words of the sound descriptions subtitles put in round brackets ("(laughs)", "(door
# slams)", "(MAN SPEAKING)" is known by its capitals): a parenthesis starting otherwise is taken
# for speech ("(hello)", "(all of them)", "(3.5 kg)"), which is aligned rather than lost.
_SOUND_WORDS = frozenset(
    """laugh laughs laughing laughter chuckle chuckles chuckling giggle giggles giggling applause applauding clapping
    music musical singing sings song humming hums whistle whistles whistling instrumental theme upbeat dramatic tense
    ominous gentle soft sigh sighs sighing cough coughs coughing clears sniff sniffs sniffing sob sobs sobbing cry cries
    crying scream screams screaming shout shouts shouting yell yells yelling gasp gasps gasping groan groans grunt
    grunts whisper whispers whispering cheer cheers cheering chatter chattering indistinct inaudible unintelligible
    crosstalk silence pause static beep beeps bleep bell bells ringing rings phone door doors footsteps knock knocks
    knocking thunder wind engine dog dogs bark barks barking birds siren sirens gunshot gunshots explosion crowd
    audience background muffled distant loud snoring snores yawn yawns exhales inhales breathing panting speaking
    speaks continues narrator off offscreen foreign silent 笑 笑声 大笑 笑い 音乐 音楽 背景音乐 歌声 掌声 鼓掌 拍手
    叹气 咳嗽 咳 欢呼 哭 哭声 沉默 停顿 听不清 敲门声 脚步声 电话铃声""".split()
)


def is_sound_label(surface: str) -> bool:
    """True for a bracketed non-speech cue such as "[music]", "(laughs)" or "（笑）" (tags aside).

    Square and lenticular brackets always hold one (editorial notes: "[music]", "[inaudible]",
    "【音乐】"), as long as they hold a letter; round brackets only when the text in them is in
    capitals or starts with a word that describes a sound, and never with digits in it.
    """
    found = _bracketed(strip_markup(surface))
    if found is None:
        return False
    opener, inner = found
    if not any(c.isalpha() for c in inner):
        return False
    if opener not in "(（":
        return True
    if any(c.isdigit() for c in inner):
        return False
    cased = [c for c in inner if c.lower() != c.upper()]
    if len(cased) >= 2 and all(c.isupper() for c in cased):
        return True
    first = re.split(r"[\s,.;:!?'’-]+", inner.lower(), maxsplit=1)[0]
    return first in _SOUND_WORDS or inner in _SOUND_WORDS


def is_speech(token: Token) -> bool:
    """Whether a token is spoken: it has aligner units. Markup-only tokens, sound labels and
    speaker labels have none; they are never aligned, never counted as missed words, and
    take no times (their cue's times come from its spoken words)."""
    return bool(token.units)


# Stray placeholder characters already in the text are hidden and restored like tags, so they
# come back unchanged and the restoring stays in step.
_HIDE_RE = re.compile(f"{MARKUP_RE.pattern}|[{_TAG_OPEN}{_TAG_CLOSE}]", re.IGNORECASE)


def _hide_markup(text: str) -> tuple[str, list[str]]:
    if "<" not in text and "{" not in text and _TAG_OPEN not in text and _TAG_CLOSE not in text:
        return text, []
    tags: list[str] = []

    def hide(m: re.Match[str]) -> str:
        tag = m.group()
        tags.append(tag)
        return _TAG_CLOSE if tag.startswith("</") or tag == _TAG_CLOSE else _TAG_OPEN

    return _HIDE_RE.sub(hide, text), tags


def _restore_markup(texts: list[str], tags: list[str]) -> None:
    """Put the tags back in order: the builder only ever concatenates, never reorders."""
    it = iter(tags)
    for k, t in enumerate(texts):
        if _TAG_OPEN in t or _TAG_CLOSE in t:
            texts[k] = "".join(next(it) if ch in (_TAG_OPEN, _TAG_CLOSE) else ch for ch in t)


_OPENER_RE = re.compile(f"[{re.escape(_OPENERS)}]")


def _merge_labels(texts: list[str], seps: list[str], brks: list[int]) -> set[int]:
    """Join the tokens of each sound label ("[door", "slams]") and each speaker label at the
    start of a line ("DR.", "SMITH:") into one token; returns the indices of those tokens,
    which get no aligner units. Only tokens with a bracket and line starts are looked at: a
    megabyte of plain prose costs one scan."""
    search = _OPENER_RE.search
    candidates = {k for k, t in enumerate(texts) if search(t)}
    if any(t.endswith(":") for t in texts):
        candidates.update(k for k, b in enumerate(brks) if b)
        candidates.add(0)
    if not candidates:
        return set()
    out_t: list[str] = []
    out_s: list[str] = []
    out_b: list[int] = []
    silent: set[int] = set()
    done = 0  # tokens before this index are in the output
    for i in sorted(candidates):
        if i < done:
            continue  # inside a label merged already
        kind = "sound"
        j = _label_end(texts, brks, i)
        if j is None:
            kind = "speaker"
            j = _speaker_end(texts, brks, i)
        if j is None:
            continue
        joined = [texts[i]]
        for k in range(i + 1, j + 1):
            joined.append(seps[k])
            joined.append(texts[k])
        merged = "".join(joined)
        if kind == "sound" and not is_sound_label(merged):
            continue
        out_t.extend(texts[done:i])
        out_s.extend(seps[done:i])
        out_b.extend(brks[done:i])
        silent.add(len(out_t))
        out_t.append(merged)
        out_s.append(seps[i])
        out_b.append(brks[i])
        done = j + 1
    if not silent:
        return silent
    out_t.extend(texts[done:])
    out_s.extend(seps[done:])
    out_b.extend(brks[done:])
    texts[:], seps[:], brks[:] = out_t, out_s, out_b
    return silent


def _label_end(texts: list[str], brks: list[int], i: int) -> int | None:
    """The last token of a bracketed run starting at token ``i`` on the same line (whether the
    run is a sound label is :func:`is_sound_label`'s to say)."""
    head = strip_markup(texts[i])
    k = next((n for n, c in enumerate(head) if c.isalnum() or c in _OPENERS or c in _CLOSERS), len(head))
    if k >= len(head) or head[k] not in _OPENERS:
        return None
    opener = head[k]
    closer = _CLOSERS[_OPENERS.index(opener)]
    if closer in head[k:]:
        return i
    for j in range(i + 1, min(len(texts), i + _MAX_LABEL_TOKENS[opener])):
        if brks[j]:
            return None  # a label never runs over a line break
        body = strip_markup(texts[j])
        if closer in body:
            return j
        if opener in body:
            return None
    return None


_SPEAKER_MAX_TOKENS = 3


def _speaker_end(texts: list[str], brks: list[int], i: int) -> int | None:
    """A speaker label: at a line's start, up to three words in capitals ending with ":"
    ("JOHN:", "DR. SMITH:", ">> ANNA:"), followed by speech in mixed case on the same line (an
    all-capitals caption line could be speech: "I SAID: NO" stays words), or one in any case
    after ">>" or a dialogue dash."""
    if i and not brks[i]:
        return None
    for j in range(i, min(len(texts), i + _SPEAKER_MAX_TOKENS)):
        if j > i and brks[j]:
            return None
        if texts[j].endswith(":"):
            break
    else:
        return None
    if j + 1 >= len(texts) or brks[j + 1]:
        return None  # nothing said after it on this line
    label = " ".join(strip_markup(t) for t in texts[i : j + 1])
    letters = [c for c in label if c.isalpha()]
    if len(letters) < 2:
        return None
    marked = label.lstrip().startswith((">>", "-", "–", "—"))
    if all(c.isupper() for c in letters if c.lower() != c.upper()):
        rest = []
        k = j + 1
        while k < len(texts) and not brks[k]:
            rest.append(texts[k])
            k += 1
        if marked or any(c.islower() for c in "".join(rest)):
            return j
    return None


# ---------------------------------------------------------------------------------------------
# aligner units

_APOSTROPHES = "'’ʼ`´"
_UNIT_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)+)|(?P<w>(?:[^\W_]|[{_MARKS}])+(?:[{_APOSTROPHES}](?:[^\W_]|[{_MARKS}])+)*)"
)
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_DECIMAL_COMMA_LANGUAGES = frozenset(
    "de fr es it pt nl ru uk pl cs sk sl hr sr bs bg ro hu tr az sv da no fi et lv lt el id vi ca eu gl is be kk mk sq af".split()
)


@functools.lru_cache(maxsize=1 << 16)
def normalize_word(surface: str, language: str = "en") -> tuple[str, ...]:
    """Aligner units of a token's surface text.

    Lower case (Turkish dotted/dotless i respected), compatibility forms folded (full-width
    letters, ligatures), punctuation and symbols dropped, apostrophes inside words kept as
    "'", other joiners split ("twenty-two" -> twenty, two; "and/or" -> and, or), one unit per
    Han/kana character, digits kept ("$5" -> 5; "1,000" -> 1000; "3,5" in German -> 3.5).
    Any surface with a letter or digit gets at least one unit, except markup (``<i>``,
    ``{\\an8}``: removed first) and a sound label such as "[music]" or "(laughs)", which get none.
    """
    lang = base_language(language)
    if "<" in surface or "{" in surface:
        surface = MARKUP_RE.sub("", surface)
    if is_sound_label(surface):
        return ()
    s = unicodedata.normalize("NFKC", surface)
    if lang in ("tr", "az"):
        s = s.replace("I", "ı").replace("İ", "i")
    s = s.lower()
    units: list[str] = []
    for m in _UNIT_RE.finditer(s):
        if m.lastgroup == "num":
            units.extend(_normalize_number(m.group(), lang))
            continue
        word = _APOSTROPHE_RE.sub("'", m.group())
        if _PER_CHAR_RE.search(word):
            units.extend(_CLUSTER_RE.findall(word))  # 我用 -> 我, 用 ; "iPhone" stays whole
        else:
            units.append(word)
    if not units:
        # Han characters newer than this Python's Unicode tables are not "alphanumeric" yet
        units.extend(_CLUSTER_RE.findall("".join(_PER_CHAR_RE.findall(s))))
    if not units:
        fallback = "".join(c for c in s if c.isalnum()) or "".join(c for c in surface.lower() if c.isalnum())
        if fallback:
            units.append(fallback)
    return tuple(units)


def _normalize_number(text: str, lang: str) -> list[str]:
    """Digits with separators -> one canonical number ("1,000" -> "1000", "3,5" -> "3.5"), or
    several when the separators are neither grouping nor decimal ("1.2.3")."""
    seps = re.findall(r"[.,]", text)
    groups = re.split(r"[.,]", text)
    decimal_mark = "," if lang in _DECIMAL_COMMA_LANGUAGES else "."
    grouping_mark = "." if decimal_mark == "," else ","

    def grouped(parts: Sequence[str]) -> bool:
        return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])

    kinds = set(seps)
    if len(kinds) == 2:
        last = seps[-1]
        head = text[: text.rfind(last)]
        head_groups = re.split(r"[.,]", head)
        if last not in seps[:-1] and grouped(head_groups):
            return ["".join(head_groups) + "." + groups[-1]]
        return groups
    sep = seps[0]
    if sep == grouping_mark:
        if grouped(groups):
            return ["".join(groups)]
        return [groups[0] + "." + groups[1]] if len(groups) == 2 else groups
    if len(groups) == 2:
        return [groups[0] + "." + groups[1]]
    if grouped(groups):  # "1.000.000" in English text: grouping the other way round
        return ["".join(groups)]
    return groups


# ---------------------------------------------------------------------------------------------
# tokenizing

_OPEN, _CLOSE, _AMBIG = 1, 2, 3
_AMBIGUOUS_PO = set("'*&/\\@#·・‧†‡•")
_OPENING_EXTRA = set("¿¡§¶" + _TAG_OPEN)


@functools.lru_cache(maxsize=4096)
def _punct_kind(ch: str) -> int:
    if ch in _OPENING_EXTRA:
        return _OPEN
    if ch == _TAG_CLOSE:
        return _CLOSE
    if ch in _AMBIGUOUS_PO:
        return _AMBIG
    cat = unicodedata.category(ch)
    if cat in ("Ps", "Pi", "Sc"):
        return _OPEN
    if cat in ("Pe", "Pf", "Po"):
        return _CLOSE
    if ch in "°℃℉":
        return _CLOSE
    return _AMBIG


def _split_index(kinds: Sequence[int]) -> int:
    """Where a punctuation run between two words splits: closers go back, openers forward."""
    for i, k in enumerate(kinds):
        if k == _OPEN:
            return i
    return len(kinds)


@functools.lru_cache(maxsize=4096)
def _cached_split_index(run: str) -> int:
    return _split_index([_punct_kind(ch) for ch in run])


@functools.cache
def _load_japanese_segmenter() -> Callable[[str], list[str]] | None:
    """nagisa's word splitter when it is installed (``pip install wordsync[ja]``), else None."""
    try:
        import nagisa  # type: ignore[import-not-found]
    except Exception:
        return None

    def words(text: str) -> list[str]:
        return list(nagisa.tagging(text).words)

    return words


def _segment_japanese(run: str) -> list[str] | None:
    seg = _load_japanese_segmenter()
    if seg is None:
        return None
    try:
        words = [w for w in seg(run) if w]
    except Exception:
        return None
    if "".join(words) != run:  # the segmenter changed the text: keep characters
        return None
    return words


def tokenize(text: str, language: str) -> list[Token]:
    """Split a transcript into tokens with surface text, units, separators and break hints.

    ``language`` is a code such as "en", "zh-CN", "ja"; "" or "auto" guesses it from the text.
    Returns [] when the text has no letter or digit at all.
    """
    lang = base_language(language)
    if lang in ("", "auto", "und"):
        lang = guess_language(text)
    # Hundreds of thousands of small objects: the cyclic GC would rescan them over and over
    # (about a third of the time on a 1 MB line); none of them can form a cycle.
    pause_gc = len(text) > 50_000 and gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        builder = _Builder(lang == "ja" and _load_japanese_segmenter() is not None)
        plain, tags = _hide_markup(normalize_text(text))
        builder.feed(plain)
        texts, seps, brks = builder.finish()
        if not texts:
            return []
        if tags:
            _restore_markup(texts, tags)
        # labels need a bracket or a colon somewhere: plain prose skips the search
        silent = _merge_labels(texts, seps, brks) if (":" in plain or _OPENER_RE.search(plain)) else set()
        norm = normalize_word
        make = _new_token
        if not silent:
            return [make(t, norm(t, lang), s, b) for t, s, b in zip(texts, seps, brks)]
        return [make(t, () if k in silent else norm(t, lang), s, b) for k, (t, s, b) in enumerate(zip(texts, seps, brks))]
    finally:
        if pause_gc:
            gc.enable()


def _token_factory() -> Callable[[str, tuple[str, ...], str, int], Token]:
    """A fresh, unaligned Token, four times faster than the frozen dataclass's ``__init__``
    (which sets nine fields one ``object.__setattr__`` at a time): it fills the instance
    dict directly. Used only while Token is a plain dataclass with exactly these fields and
    the result is indistinguishable from a constructed one; otherwise the constructor."""

    def construct(text: str, units: tuple[str, ...], sep: str, brk: int) -> Token:
        return Token(text, units, None, None, None, 0, False, sep, brk)

    expected = ["text", "units", "start", "end", "confidence", "flags", "locked", "sep", "brk"]
    if (
        [f.name for f in dataclasses.fields(Token)] != expected
        or "__slots__" in Token.__dict__
        or hasattr(Token, "__post_init__")
    ):
        return construct
    new = object.__new__
    defaults = {"start": None, "end": None, "confidence": None, "flags": 0, "locked": False}

    def fast(text: str, units: tuple[str, ...], sep: str, brk: int) -> Token:
        tok = new(Token)
        d = tok.__dict__
        d["text"] = text
        d["units"] = units
        d.update(defaults)
        d["sep"] = sep
        d["brk"] = brk
        return tok

    probe, reference = fast("a", ("a",), "", Break.LINE), construct("a", ("a",), "", Break.LINE)
    if probe != reference or repr(probe) != repr(reference) or hash(probe) != hash(reference):
        return construct
    return fast


_new_token = _token_factory()


def token_spoken_units(tokens: Sequence[Token], index: int, language: str) -> list[str]:
    """The units of ``tokens[index]`` with numbers read aloud, for aligners that need words.

    Passes the token's surface ("$5", "50%", "1,961") and the next token's text (Chinese
    "1961" + "年") to :func:`spoken_units`, which the units alone cannot tell.
    """
    tok = tokens[index]
    nxt = tokens[index + 1].text if index + 1 < len(tokens) else None
    return spoken_units(tok.units, language, tok.text, nxt)


def _ws_sep(ws: str) -> str:
    if len(ws) == 1 and ws in _KEPT_SPACES:
        return ws
    return " "


class _Builder:
    """One pass over the text: words become tokens at once; punctuation standing alone waits in
    ``pending`` until the next word shows which neighbour it belongs to.

    Hot loops are written out inline: a 1 MB transcript is a few hundred thousand tokens.
    """

    def __init__(self, japanese_words: bool) -> None:
        self.texts: list[str] = []
        self.seps: list[str] = []
        self.brks: list[int] = []
        self.last_spaceless = False  # does the last word end in a Han/kana character?
        # free-standing punctuation since the last word: (text, sep or None, brk, split index)
        self.pending: list[tuple[str, str | None, int, int]] = []
        self.quotes = 0  # straight double quotes seen in this paragraph: odd means one is open
        self.japanese_words = japanese_words

    # -- scanning ------------------------------------------------------------------------------
    def feed(self, text: str) -> None:
        simple = _SIMPLE_RE.fullmatch
        texts, seps, brks = self.texts, self.seps, self.brks
        started = False
        for ws, chunk in _CHUNK_RE.findall(text):
            if not started:
                brk, sep = Break.NONE, None
                started = True
            elif "\n" in ws:
                if ws.count("\n") > 1:
                    brk = Break.PARAGRAPH
                    self.quotes = 0
                else:
                    brk = Break.LINE
                sep = None
            else:
                brk, sep = Break.NONE, (" " if ws == " " else _ws_sep(ws))
            if (chunk.isascii() and chunk.strip(_ASCII_PUNCT).isalnum()) or simple(chunk) is not None:
                if '"' in chunk:
                    self.quotes += chunk.count('"')
                if sep is not None and not self.pending:
                    texts.append(chunk)
                    seps.append(sep)
                    brks.append(brk)
                    self.last_spaceless = False
                else:
                    self.add_word(chunk, sep, brk, False)
                    self.last_spaceless = False
                continue
            self.complex_chunk(chunk, sep, brk)

    def complex_chunk(self, chunk: str, sep: str | None, brk: int) -> None:
        """A chunk (text between spaces) holding CJK characters, several words or only marks."""
        texts, seps, brks = self.texts, self.seps, self.brks
        words_here = 0
        prefix = ""
        split = 0
        for run, w, p in _PIECE_RE.findall(chunk):
            if p:
                split = self.split_index(p)
                if not words_here:
                    prefix += p  # before the chunk's first word: it opens that word
                else:  # between two words: closers go back, openers on
                    if split:
                        texts[-1] += p[:split]
                    prefix = p[split:]
                continue
            if w:
                cores = None
                first = prefix + w if prefix else w
            else:
                if self.japanese_words and len(run) > 1:
                    cores = _segment_japanese(run) or _CLUSTER_RE.findall(run)
                elif _DEPENDENT_RE.search(run) is None:
                    cores = list(run)  # one token per character: the common case, kept fast
                else:
                    cores = _CLUSTER_RE.findall(run)
                first = prefix + cores[0] if prefix else cores[0]
            if words_here:
                texts.append(first)
                seps.append("")
                brks.append(Break.NONE)
            else:
                self.add_word(first, sep, brk, not w)
            words_here += 1
            if cores is not None and len(cores) > 1:
                more = len(cores) - 1
                texts.extend(cores[1:])
                seps.extend([""] * more)
                brks.extend([Break.NONE] * more)
                words_here += more
            self.last_spaceless = not w
            prefix = ""
        if not words_here:  # only marks: one piece, placed once the next word shows up
            self.pending.append((chunk, sep, brk, split))
        elif prefix:  # an opening mark at the end of the chunk goes back to its last word
            texts[-1] += prefix

    def split_index(self, run: str) -> int:
        """Where a run of marks between two words splits (see :func:`_split_index`); straight
        double quotes open or close by turns, so they are counted here."""
        if '"' not in run:
            return _cached_split_index(run)
        kinds: list[int] = []
        for ch in run:
            if ch == '"':
                kinds.append(_OPEN if self.quotes % 2 == 0 else _CLOSE)
                self.quotes += 1
            else:
                kinds.append(_punct_kind(ch))
        return _split_index(kinds)

    # -- words and the punctuation before them ----------------------------------------------------
    def add_word(self, text: str, sep: str | None, brk: int, spaceless: bool) -> None:
        if sep is None:  # after a line break: "" only between two CJK characters
            sep = "" if (self.last_spaceless and spaceless) else " "
        if self.pending:
            text, sep, brk = self.place_pending(text, sep, brk, spaceless)
        self.texts.append(text)
        self.seps.append(sep)
        self.brks.append(brk)

    def place_pending(self, text: str, sep: str, brk: int, spaceless: bool) -> tuple[str, str, int]:
        """Give each waiting mark to the word before or to ``text``; returns the new word."""
        pending, self.pending = self.pending, []
        have_prev = bool(self.texts)
        # is there a line break between a mark and the next word?
        breaks_after: list[bool] = [False] * len(pending)
        seen = bool(brk)
        for k in range(len(pending) - 1, -1, -1):
            breaks_after[k] = seen
            seen = seen or bool(pending[k][2])
        forward = False
        crossed_before = False
        to_prev: list[str] = []
        to_next: list[tuple[str, str, int]] = []
        for k, (p_text, p_sep, p_brk, split) in enumerate(pending):
            if p_sep is None:
                p_sep = "" if (self.last_spaceless and spaceless) else " "
            crossed_before = crossed_before or bool(p_brk)
            crossed_after = breaks_after[k]
            if forward or not have_prev:
                go = 1
            elif crossed_before and not crossed_after:
                go = 1
            elif crossed_after and not crossed_before:
                go = -1
            elif split == 0:
                go = 1
            elif split < len(p_text):
                go = 0
            else:
                go = -1  # closing marks, and dashes or symbols standing between two words
            if go < 0:
                to_prev.append(p_sep)
                to_prev.append(p_text)
            elif go > 0:
                to_next.append((p_text, p_sep, p_brk))
                forward = True
            else:
                to_prev.append(p_sep)
                to_prev.append(p_text[:split])
                to_next.append((p_text[split:], "", Break.NONE))
                forward = True
        if to_prev:
            self.texts[-1] += "".join(to_prev)
        if to_next:
            parts = [to_next[0][0]]
            for p_text, p_sep, _ in to_next[1:]:
                parts.append(p_sep)
                parts.append(p_text)
            parts.append(sep)
            parts.append(text)
            return "".join(parts), to_next[0][1], to_next[0][2]
        return text, sep, brk

    def finish(self) -> tuple[list[str], list[str], list[int]]:
        if self.pending:
            if not self.texts:
                self.pending = []
                return [], [], []
            tail: list[str] = []
            for p_text, p_sep, _brk, _split in self.pending:
                tail.append(" " if p_sep is None else p_sep)
                tail.append(p_text)
            self.texts[-1] += "".join(tail)
            self.pending = []
        if self.texts:
            # the first token's separator is the one it would take after another token
            first_letter = next((c for c in self.texts[0] if c.isalnum()), "")
            self.seps[0] = "" if is_spaceless_char(first_letter) else " "
        return self.texts, self.seps, self.brks


# ---------------------------------------------------------------------------------------------
# tables: the 2,000 most frequent Simplified characters (from word frequencies of a large
# general corpus) and the Traditional forms of those that differ. Together they cover about
# 95% of running Chinese text in either script; a wrong decoding hits them far less often.

_TOP_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可过天作分方用多你着部"
    "能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山"
    "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向"
    "治因立数样身情入原问把路被并利石老教万知级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首"
    "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑革该持始英克士尔让拉思根格造较际亲单朝红"
    "型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源"
    "息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚"
    "般击曾防请离落显罗营足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗"
    "章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏"
    "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎"
    "讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某"
    "顾曲楚典朱毒菜判救宋茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳"
    "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂姓泽吸侧庆妈遇追甲馆"
    "补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟概酸操诸绿佛荣针托宽折野付午肯库厚缺罢耳"
    "屋嘴末谢巨培页瓦款犯困店智拥雪翻圣戏旗吉婚奖岩疑币圆歌廷健卡烧析讨跑烟误仙疗舞亡闭汽伸脱秋姐繁侵川莫麻秀借寻私岗卷跳丽横"
    "驻套兼您君丁束纸夺袁灯坏坦丝径购阴床瞧择墓宪峰遍鲁庙掉丹桃御舰避售怒课播拔奥延虚隐粮络遭摇潜庄混厅婆奴鼓赵访睡震予童徐韦"
    "殖抓拜吨扬址洛休纵逃染纷贸透汇灭蛋森仪塔距狐融郡缓聚盖拍迹忠释润粉涓孔岭搜紫虑促抵钢塞寺津液码虎坛珍硬梁奔累役偏迫锛凡损"
    "壁哭替税综伦冰盟挂韩竞乌尤弱铺妹秦尊竹珠迅脉泥鬼纯睛刑途隆潮幅杯握谋剂幸奉乘抱朋谓频崇壮骑紝恐享鸡虫绍铜呈泛械摆欲奶敬措"
    "爆暴签猛郭嘉障缩亦废搞胞埃曰撤暖寒订俗绩阻盐萨勒忘奏孝贴灰梅触玩默醒胸莲篇柱裁啦淡抢捕闹纺截讯朗誉雅忍梦伙勇峡徒丈尾迷唱"
    "泉泰佳残闪伍呀疾署剩贼冠倾豆申贫诺麦泪羊尖辈镜涉贡爹缘摩妻殊贝零映甘骂糖岳饮奋棉雕跃汗冒渡努赞启阁斤裂患伏池鹿洗劲晋倍圈"
    "媒箭沟锋胆凭挑抬闯隔弄曹汤苗迁叹唯振储贯彻桌祭符僧衡炸旋喊凤黎郎援肥磁忌赏辽祥董仁辛瑞询敏浪貌毁昨巧腿抽荷陷焦净腹弃乃湘"
    "亩滑狗冬宏皆番尸伟桂览恢龄绕趣晶坡魏摸伴墨浓绪舍蓝荡阅井鸿旦惯症鸟窗扎辞聘穷堰宇键荒递恨隶厉杜闲腰袭侍灾涨叔湿寨幕豪郑磨"
    "浮薄券赤腐译租氧戴邓煤肠牧孤诏妙旨堡册锅胖柳阔吹丘趋锦颜悬陶拳诚尺晓插蒋艇勤穴摄燕垂罚辆戒稀腾粗袋绘炎氏肩枝狂泊估杭扑臂"
    "哲寡偷懂琴悲盾炒稍矛愈籍颁吐呆违亭眉撞贷刊巡屈堆曼饰碎滚悉寄浜迟描污辅魔烦鼻盗餐幼凉仗冈澳驾銆菌肚肃爸仰抚慈扶盆仿炼纲倘"
    "碗杰忧惜扫暂祝跨渔宾漫寿猪涌凝邻赴恰劝仇践顷赋悄莱拟贤愤姆乏轰粒逼傅陕昆溶葬燃魂挺腊耐犹辉乳陪颇斜棋殑熊浅沈姊返翼丧拖惨"
    "俊驱袖惠涂添牵咸详碰割侯纤柔档糊岂跪拒覆绣吓宿偶揭赖烤卢娃颗邮扇伐循衰弦凯羽枚帅锁疏搭俱帐胶赫鐨埋蒸壳剉彼脏箱浙弯瓜挡拱"
    "筹疆肿膜刷杆凶债甜泡玄贾谱夹乾遣薪灌咬尘填廊钻丛狼牢脊熙卒碑漠躲削徽踏贺朵遵狠菲撒扰蛇锡炉纹匹亏鉴慕跌慌穆邀芳爬豫吾奸棒"
    "淮捷耕艘齿醉脂兽滴盈卵滋柴溪妃浠碍瓶辩遂怨拨肌俘挖恒励鸣肝腔偿秒拦允塑拆靖耗凌披胁吏纽烂尝垸辟耶艰佩敦疼荐厘匠柏悠壤拾乔"
    "轴妖喷掩璃孟轨歇猜晨坊桑堤畅瞎氨辨鞋昏恭畜浩迪雾丢咨擦窝洁飘捉搬奈肤愁砖辣幽嘛赢藕挤舒狮耀诊扣篮尿唤梯勾霍舌侠筋枢屏衙殷"
    "栏纠链恋惧笼寸冶弥晃叙吊哩稿娜剥拼欺榜囊汪逆骗堪猎棺胎俩郊掘匆缝乙藻携慧函辱扯嫩癌悟滩祸秉慰驰狱砍糕漏吞纬茅渠催踪叛浑牲"
    "杖鞭腺邪欣汝碳彭咐椒绳颈漆遥夷郁斑忆阀卑嗯呃哦哇噢诶哎唉喂咯呗嘿嗨哟喔欸嘞呵咦哼"
)
_TRADITIONAL_EXTRA = (
    "著"  # Taiwan's form of 着, which the conversion tables keep as is
    "瞭國爲為這個箇來會時齣學說説傢們於後發髮對長過業裏裡經麪麵門動進區衕開產軍還種現機體錶與當噹兩實麼隻祇衹關從製內沒將員東"
    "頭間無見閤戰點場嚮曏數樣問並併萬級應資務迴係繫氣漢總電聲設義統處馬兒領隊計別彆權話報給變書幾華議稱決張導術朮纔結師達題條"
    "規縣牠風運組聽佈濟黨論強黃選記卻職號類傳帶幹農邊據聯廣質陽難歷曆專認車臺檯颱枱遊舉線團糰備爭衆眾連調轉該剋爾讓較際親單紅"
    "價約週賙亞則屬積圖韆準極裝許參蔘喫觀魚辦復複遠羣構隨劃勢熱伕網語鐵斷愛紀況證証編侷滿覺雙樂標確織誌項飛節龍響藥葯輕擊請離"
    "顯羅營視護創餘興佔雖費試寶識維採寀宮環鬥鄉責嚴橋僅勝殺圍蓆態楊負層須鬚續狀銀範脩緻終錢賽獨細衝沖獲穫習醫盡儘臉彈樓藝陸協"
    "鎮檢寫蘇甦囌註驗緊勞戶優財養適陳衛衞唸雲傷絕階劉剛億聞審壓昇監敵蘭溫園樹徵詞島預繼執誰驚覈畫輯劍談揹禮願築亂講臨揮闆鬍衚"
    "歐葉簡擔歲荊貴孃轄幫塊額錯劇歡夠孫陣銷堅練腳讀測吳寧甯換異顧麴硃順鮮敗貨礦歸買險評嗎廠遺筆輸鬆漸頂訓錄彔畢豐獻爺納鍾鐘鈡"
    "腦飯闇擴齊趕訴詩礎屆矇濛懞靜盤賣灣減祕靈雜澤側慶媽館補綵舊輪婦載懷軟槍牆惡噁穀頓穩痠諸綠彿榮針鍼託寬摺庫罷謝鉅頁睏擁聖戲"
    "獎巖幣圓燒討煙菸誤療閉脫鞦藉尋俬崗捲麗橫駐紙奪燈壞絲徑購陰牀擇憲峯魯廟禦艦課奧虛隱糧絡搖潛莊廳趙訪韋噸揚縱紛貿匯彙滅儀緩"
    "蓋跡蹟釋潤嶺蒐慮牴鋼碼壇罈樑錛損稅綜倫掛韓競烏鋪脈純盃謀劑倖謂頻壯騎雞蟲紹銅氾汎擺襬慾籤簽縮廢訂績鹽薩貼觸翫蓮搶鬧紡訊譽"
    "夢夥峽殘閃賊傾貧諾麥淚輩鏡貢緣貝罵嶽飲奮鵰躍贊讚啓啟閣勁晉溝鋒膽憑闖湯遷嘆歎儲貫徹鏇鳳賞遼詢毀燬譭淨棄畝鼕屍偉覽齡繞濃緒"
    "捨藍蕩盪閱閲鴻慣癥鳥紮辭窮鍵遞隸厲閒閑襲災漲溼濕鄭譯鄧腸詔冊鍋闊趨錦顏懸誠曉蔣攝罰輛騰繪撲癒頒違貸飾滾遲汙輔煩盜涼岡駕肅"
    "撫彷煉鍊綱傑憂掃暫漁賓壽豬湧鄰勸讎踐頃賦萊擬賢憤轟陝崑臘猶輝頗淺瀋喪慘儁驅塗牽鹹詳纖縴檔豈繡嚇賴盧顆郵絃凱帥鎖帳膠殼髒臟"
    "彎擋籌腫桿兇債賈譜夾塵鑽鉆叢賀擾錫爐紋虧鑑鑒姦齒獸礙辯撥恆勵鳴償攔淩脅紐爛嘗嚐闢艱薦釐喬軸噴軌暢霧丟諮窩潔飄膚磚贏擠獅診"
    "釦籃喚俠樞欄糾鏈戀懼籠彌瀰敘敍弔剝騙獵倆縫攜灘禍馳獄緯蹤渾繩頸遙鬱憶閥誒餵唄喲"
)
_COMMON_HAN = frozenset(_TOP_SIMPLIFIED + _TRADITIONAL_EXTRA)
