"""Numbers as spoken words, for aligners whose acoustic model knows words, not digits.

The surface text keeps the digits the user wrote ("1961", "$5", "21st", "3,5 %"); the
aligner units keep them too ("1961", "5", "21st", "3.5").  Backends that need spoken forms
(a pronunciation dictionary, a character CTC model) call :func:`spoken_units`, which reads
each unit aloud: a year as a year ("nineteen sixty one"), an ordinal as an ordinal, a
decimal with its point word, and, when the token's surface text is passed, a currency
symbol or a percent sign as words.  English and most European languages go through
num2words; Chinese has its own small reader (num2words has none), Japanese and Korean use
num2words' readers.  Anything it cannot read stays as it was, so alignment never fails
because of a number.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence

try:  # a declared dependency; tolerate its absence so text handling never breaks on it
    from num2words import CONVERTER_CLASSES as _N2W_LANGS
    from num2words import num2words as _num2words
except Exception:  # pragma: no cover - exercised only without num2words
    _N2W_LANGS = {}
    _num2words = None

__all__ = ["spoken_units", "spoken_number", "chinese_number", "base_language"]

# ---------------------------------------------------------------------------------------------
# language codes

_LANGUAGE_ALIASES = {
    "cmn": "zh", "zho": "zh", "chi": "zh", "chinese": "zh", "mandarin": "zh",
    "jpn": "ja", "japanese": "ja", "kor": "ko", "korean": "ko",
    "eng": "en", "english": "en", "fra": "fr", "fre": "fr", "french": "fr",
    "deu": "de", "ger": "de", "german": "de", "spa": "es", "spanish": "es",
    "ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "rus": "ru", "nb": "no", "nn": "no",
}


def base_language(language: str | None) -> str:
    """"zh-CN", "zh_Hant", "ZH", "cmn" -> "zh"; "" or None -> "" (unknown)."""
    if not language:
        return ""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_ALIASES.get(code, code)


def _n2w_language(language: str) -> str | None:
    """The num2words converter for a language code, or None when it has none."""
    raw = (language or "").strip().replace("-", "_")
    if raw in _N2W_LANGS:
        return raw
    if "_" in raw:
        head, tail = raw.split("_", 1)
        cand = f"{head.lower()}_{tail.upper()}"
        if cand in _N2W_LANGS:
            return cand
    base = base_language(language)
    return base if base in _N2W_LANGS else None


# ---------------------------------------------------------------------------------------------
# per-language words

_PERCENT = {
    "en": ["percent"], "fr": ["pour", "cent"], "de": ["prozent"], "es": ["por", "ciento"],
    "it": ["per", "cento"], "pt": ["por", "cento"], "nl": ["procent"], "sv": ["procent"],
    "da": ["procent"], "no": ["prosent"], "pl": ["procent"], "cs": ["procent"], "ru": ["процентов"],
    "uk": ["відсотків"], "tr": ["yüzde"], "ja": ["パ", "ー", "セ", "ン", "ト"], "ko": ["퍼센트"],
    "id": ["persen"], "vi": ["phần", "trăm"],
}

# currency symbol -> (ISO code, English singular, English plural)
_CURRENCY_SYMBOLS = {
    "$": ("USD", "dollar", "dollars"), "US$": ("USD", "dollar", "dollars"),
    "€": ("EUR", "euro", "euros"), "£": ("GBP", "pound", "pounds"),
    "¥": ("JPY", "yen", "yen"), "￥": ("CNY", "yuan", "yuan"), "₹": ("INR", "rupee", "rupees"),
    "₩": ("KRW", "won", "won"), "₽": ("RUB", "ruble", "rubles"), "₺": ("TRY", "lira", "lira"),
    "₫": ("VND", "dong", "dong"), "₪": ("ILS", "shekel", "shekels"), "฿": ("THB", "baht", "baht"),
    "¢": ("USD-cent", "cent", "cents"),
}
_CURRENCY_WORDS = {  # other languages: one form is close enough for alignment
    "fr": {"USD": "dollars", "EUR": "euros", "GBP": "livres", "JPY": "yens", "CNY": "yuans"},
    "de": {"USD": "dollar", "EUR": "euro", "GBP": "pfund", "JPY": "yen", "CNY": "yuan"},
    "es": {"USD": "dólares", "EUR": "euros", "GBP": "libras", "JPY": "yenes", "CNY": "yuanes"},
    "it": {"USD": "dollari", "EUR": "euro", "GBP": "sterline", "JPY": "yen", "CNY": "yuan"},
    "pt": {"USD": "dólares", "EUR": "euros", "GBP": "libras", "JPY": "ienes", "CNY": "yuans"},
    "nl": {"USD": "dollar", "EUR": "euro", "GBP": "pond", "JPY": "yen", "CNY": "yuan"},
}
_ZH_CURRENCY = {"USD": "美元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "CNY": "元", "KRW": "韩元",
                "INR": "卢比", "RUB": "卢布", "USD-cent": "美分"}
_CURRENCY_RE = re.compile(r"US\$|[$€£¥￥₹₩₽₺₫₪฿¢]")

# languages whose 4-digit numbers in a plausible range are usually years when read aloud
_YEAR_LANGS = {"en", "de", "nl"}
# suffixes that make a number an ordinal
_ORDINAL_SUFFIX = {
    "en": {"st", "nd", "rd", "th"},
    "fr": {"e", "er", "re", "ère", "eme", "ème", "nd", "nde"},
    "es": {"º", "ª", "o", "a", "er", "ra", "ro"}, "pt": {"º", "ª", "o", "a"}, "it": {"º", "ª", "o", "a"},
}
_DECADE_LANGS = {"en"}

_GROUPED_RE = re.compile(r"\d[,.\u00a0\u202f ]\d{3}(?!\d)")  # 1,961 / 1.961 / 1 961: a count
_SPLIT_RE = re.compile(r"\d+(?:\.\d+)?|\D+")
_WORD_SPLIT_RE = re.compile(r"[\s\-‐‑,]+")
_STRIP_CHARS = ".,;:!?()\"'"


# ---------------------------------------------------------------------------------------------
# Chinese numerals (num2words has no Chinese converter)

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_SMALL_UNITS = ["", "十", "百", "千"]
_ZH_BIG_UNITS = ["", "万", "亿", "万亿"]


def _zh_group(n: int) -> str:
    """0 < n < 10000 in Chinese, with inner zeros read once ("一千零一")."""
    out: list[str] = []
    digits = f"{n:04d}"
    zero_pending = False
    started = False
    for pos, ch in enumerate(digits):
        d = int(ch)
        unit = _ZH_SMALL_UNITS[3 - pos]
        if d == 0:
            if started:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_ZH_DIGITS[d] + unit)
        started = True
    return "".join(out)


def chinese_number(value: int | str | Decimal, *, digits_only: bool = False) -> str:
    """An integer or decimal read in Mandarin: 1961 -> 一千九百六十一, 3.5 -> 三点五.

    ``digits_only`` reads digit by digit, as years and phone numbers are read (一九六一).
    """
    text = str(value)
    negative = text.startswith("-")
    text = text.lstrip("-")
    int_part, _, frac = text.partition(".")
    if digits_only:
        out = "".join(_ZH_DIGITS[int(c)] for c in int_part)
    else:
        n = int(int_part or "0")
        if n == 0:
            out = "零"
        elif n >= 10**16:
            out = "".join(_ZH_DIGITS[int(c)] for c in int_part)
        else:
            groups: list[int] = []
            while n:
                groups.append(n % 10000)
                n //= 10000
            parts: list[str] = []
            zero_gap = False
            for idx in range(len(groups) - 1, -1, -1):
                g = groups[idx]
                if g == 0:
                    zero_gap = True
                    continue
                if parts and (zero_gap or g < 1000):
                    parts.append("零")
                zero_gap = False
                parts.append(_zh_group(g) + _ZH_BIG_UNITS[idx])
            out = "".join(parts)
            # 一十二 -> 十二 at the start; 二千 -> 两千 before big units, as people say it
            if out.startswith("一十"):
                out = out[1:]
            if out.startswith("二") and len(out) > 1 and out[1] in "千万亿":
                out = "两" + out[1:]
    if frac:
        out += "点" + "".join(_ZH_DIGITS[int(c)] for c in frac)
    return ("负" if negative else "") + out


# ---------------------------------------------------------------------------------------------
# readers


def _n2w(value: int | Decimal, lang: str, to: str = "cardinal") -> str | None:
    if _num2words is None:
        return None
    try:
        return str(_num2words(value, lang=lang, to=to))
    except Exception:  # unsupported combination (e.g. an ordinal of a decimal): keep digits
        return None


def _words(text: str) -> list[str]:
    """num2words output as units: lower case, split at spaces/hyphens, no commas."""
    out: list[str] = []
    for part in _WORD_SPLIT_RE.split(text.lower()):
        part = part.strip(_STRIP_CHARS)
        if part:
            out.append(part)
    return out


def _cjk_chars(text: str) -> list[str]:
    return [c for c in text if not c.isspace()]


def _pluralise_en(words: list[str]) -> list[str]:
    """"nineteen sixty" -> "nineteen sixties" (decades)."""
    if not words:
        return words
    last = words[-1]
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return words[:-1] + [last]


def spoken_number(
    digits: str,
    language: str,
    *,
    suffix: str = "",
    as_year: bool | None = None,
    digit_by_digit: bool = False,
) -> list[str] | None:
    """Read one number ("1961", "3.5") aloud in ``language``; None when it cannot.

    ``suffix`` is what followed the digits inside the unit ("st", "s", "er"); ``as_year``
    forces (True) or forbids (False) a year reading, None lets the value decide.
    """
    lang = base_language(language) or "en"
    if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return None
    int_part, _, frac = digits.partition(".")
    # leading zeros and very long numbers (phone numbers, codes) are read digit by digit
    if not frac and (digit_by_digit or (len(int_part) > 1 and int_part.startswith("0")) or len(int_part) > 15):
        return _digit_by_digit(int_part, lang)

    if lang in ("zh", "yue", "wuu"):
        year = as_year is True
        return _cjk_chars(chinese_number(digits, digits_only=year and not frac))

    n2w_lang = _n2w_language(language) or _n2w_language(lang)
    if n2w_lang is None:
        return None
    value: int | Decimal
    if frac:
        try:
            value = Decimal(digits)
        except InvalidOperation:
            return None
    else:
        value = int(int_part)

    text: str | None = None
    suffix_l = suffix.lower()
    if not frac and suffix_l and suffix_l in _ORDINAL_SUFFIX.get(lang, ()):
        text = _n2w(value, n2w_lang, "ordinal")
    elif not frac and lang in _DECADE_LANGS and suffix_l in ("s", "'s") and isinstance(value, int):
        if 1100 <= value <= 2099 and value % 10 == 0:
            text = _n2w(value, n2w_lang, "year")
        elif value < 100 and value % 10 == 0:
            text = _n2w(value, n2w_lang)
        if text is not None:
            return _pluralise_en(_words(text))
    if text is None and not frac and isinstance(value, int):
        year = as_year if as_year is not None else (lang in _YEAR_LANGS and 1100 <= value <= 2099 and value not in range(2000, 2010))
        if year and lang in _YEAR_LANGS:
            text = _n2w(value, n2w_lang, "year")
    if text is None:
        text = _n2w(value, n2w_lang)
    if text is None:
        return None
    words = _cjk_chars(text) if lang == "ja" else _words(text)
    if suffix and suffix_l not in _ORDINAL_SUFFIX.get(lang, ()) and not (lang in _DECADE_LANGS and suffix_l in ("s", "'s")):
        words.append(suffix_l)
    return words


def _digit_by_digit(int_part: str, lang: str) -> list[str]:
    if lang in ("zh", "yue", "wuu"):
        return _cjk_chars(chinese_number(int_part, digits_only=True))
    out: list[str] = []
    n2w_lang = _n2w_language(lang)
    for c in int_part:
        word = _n2w(int(c), n2w_lang) if n2w_lang else None
        out.extend((_cjk_chars(word) if lang == "ja" else _words(word)) if word else [c])
    return out


def _currency_of(surface: str | None) -> str | None:
    if not surface:
        return None
    m = _CURRENCY_RE.search(surface)
    return m.group() if m else None


def _currency_words(symbol: str, amount: str, lang: str) -> tuple[list[str], list[str]]:
    """(words before the amount, words after it) for a currency symbol."""
    code, singular, plural = _CURRENCY_SYMBOLS[symbol]
    if lang in ("zh", "yue", "wuu"):
        if symbol in ("¥", "￥"):  # in Chinese text the yen sign means yuan
            code = "CNY"
        return [], _cjk_chars(_ZH_CURRENCY.get(code, ""))
    if lang == "en":
        return [], [singular if amount == "1" else plural]
    word = _CURRENCY_WORDS.get(lang, {}).get(code)
    return [], ([word] if word else [])


def spoken_units(
    units: Sequence[str] | Iterable[str],
    language: str,
    surface: str | None = None,
    next_text: str | None = None,
) -> list[str]:
    """Aligner units with every number read aloud, e.g. ("in", "1961") -> in nineteen sixty one.

    ``units`` are a token's units (:func:`aligner_core.text.normalize_word`); ``surface`` is the
    token's text, which says what the units lost: a currency symbol ("$5" -> five dollars), a
    percent sign ("50%" -> fifty percent) or thousands separators ("1,961" is a count, not a
    year).  ``next_text`` is the following token's text, for readings that depend on it
    (Chinese "1961年" is read digit by digit).  Units without digits pass through unchanged;
    a number no reader handles stays as its digits.
    """
    lang = base_language(language) or "en"
    units = list(units)
    currency = _currency_of(surface)
    percent = bool(surface) and ("%" in surface or "％" in surface)
    grouped = bool(surface) and bool(_GROUPED_RE.search(surface or ""))
    as_year: bool | None = None
    if currency or percent or grouped:
        as_year = False
    elif lang in ("zh", "yue", "wuu") and next_text is not None and next_text.lstrip("“\"'（(").startswith("年"):
        as_year = True

    out: list[str] = []
    numbers_seen = 0
    for unit in units:
        if not any(c.isdigit() for c in unit):
            out.append(unit)
            continue
        pieces = _SPLIT_RE.findall(unit)
        for i, piece in enumerate(pieces):
            if not piece[0].isdigit():
                # a letter part already consumed as a suffix is skipped below
                if i > 0 and pieces[i - 1][0].isdigit() and _is_suffix(piece, lang):
                    continue
                out.append(piece)
                continue
            suffix = pieces[i + 1] if i + 1 < len(pieces) and _is_suffix(pieces[i + 1], lang) else ""
            numbers_seen += 1
            if currency and numbers_seen == 1 and lang not in ("zh", "yue", "wuu"):
                money = _spoken_money(piece, currency, lang)
                if money is not None:
                    out.extend(money)
                    continue
            words = spoken_number(piece, lang, suffix=suffix, as_year=as_year)
            if words is None:
                out.append(piece + suffix)
                continue
            if percent and lang in ("zh", "yue", "wuu"):
                words = _cjk_chars("百分之") + words
            if currency and numbers_seen == 1:
                before, after = _currency_words(currency, piece, lang)
                words = before + words + after
            out.extend(words)
    if percent and numbers_seen and lang not in ("zh", "yue", "wuu"):
        out.extend(_PERCENT.get(lang, ["percent"] if lang == "en" else []))
    return out


def _spoken_money(amount: str, symbol: str, lang: str) -> list[str] | None:
    """"5.50" with "$" -> five dollars fifty cents (the way amounts are said, not "five point five")."""
    whole, _, cents = amount.partition(".")
    main = spoken_number(whole, lang, as_year=False)
    if main is None:
        return None
    _, name = _currency_words(symbol, whole, lang)
    out = main + name
    if len(cents) == 2 and int(cents):
        spoken_cents = spoken_number(cents.lstrip("0") or "0", lang, as_year=False)
        if spoken_cents is None:
            return None
        cent_word = {"en": "cents" if cents != "01" else "cent"}.get(lang)
        out += spoken_cents + ([cent_word] if cent_word else [])
    elif cents and int(cents):
        return None  # 5.125 dollars: read as a plain decimal
    return out


def _is_suffix(piece: str, lang: str) -> bool:
    """Letters right after digits that change how the number is read (21st, 1960s)."""
    p = piece.lower()
    return p in _ORDINAL_SUFFIX.get(lang, ()) or (lang in _DECADE_LANGS and p in ("s", "'s"))
