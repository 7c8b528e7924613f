"""The words Qwen3-ForcedAligner is fed, built exactly as the official qwen-asr package builds them,
and the way back from those words to our tokens.

The model was trained on the official ``Qwen3ForceAlignProcessor.encode_timestamp`` word lists
(qwen-asr 0.0.6, ``qwen_asr/inference/qwen3_forced_aligner.py``), so we feed it the same:

* Japanese: nagisa's words, each cleaned; Korean: soynlp's ``LTokenizer`` scored with the
  dictionary qwen-asr ships (``korean_dict_jieba.dict``), each token cleaned.
* Every other language (Chinese and Cantonese included): the text split at whitespace, each
  piece cleaned, then every CJK ideograph of the official table made a word of its own.
* Cleaning keeps letters, numbers and the straight apostrophe and drops everything else *inside*
  the word: "3.14" -> "314", "U.S." -> "US", "e-mail" -> "email", "don’t" -> "dont". No
  lower-casing, no NFKC: "Hello" and "ＡＩ" reach the model as written.

transformers' ``Qwen3ASRProcessor.split_words_for_alignment`` is close but not the same: it
scores Korean without the dictionary and splits CJK Compatibility Ideographs Supplement
characters (U+2F800..) that the official table keeps inside words. tests/fixtures/qwen3_words/
holds word lists made by the official package and the script that made them.

Our tokens keep the user's surface text; the backend joins the window's tokens with their
separators into one text, splits it as above and maps every model word back to the tokens whose
characters it contains (a word spanning tokens is shared out by characters).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..types import SpokenWord  # noqa: F401 - re-exported: the backend and tests import it from here

Segmenter = Callable[[str], Sequence[str]]

#: Where the official Korean dictionary lives (shipped under Apache-2.0, see its NOTICE).
KOREAN_DICT = Path(__file__).with_name("qwen3_assets") / "korean_dict_jieba.dict"

# Languages the official processor segments with a tokenizer instead of at whitespace.
_SEGMENTED = ("japanese", "korean")


def is_kept(ch: str) -> bool:
    """A character the official cleaning keeps: a letter, a number or the straight apostrophe."""
    return ch == "'" or unicodedata.category(ch)[0] in "LN"


def is_official_cjk(ch: str) -> bool:
    """The official table of CJK ideographs that become one word each (no U+2F800 supplement)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
    )


def clean(word: str) -> str:
    return "".join(ch for ch in word if is_kept(ch))


def _split_cjk(piece: str) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for ch in piece:
        if is_official_cjk(ch):
            if run:
                out.append("".join(run))
                run = []
            out.append(ch)
        else:
            run.append(ch)
    if run:
        out.append("".join(run))
    return out


def split_words(text: str, language: str, segmenter: Segmenter | None = None) -> list[str]:
    """The official word list of ``text`` in ``language`` (the official name, e.g. "English").

    Japanese and Korean need their ``segmenter`` (see :func:`official_segmenter`).
    """
    lang = language.lower()
    if lang in _SEGMENTED:
        if segmenter is None:
            raise ValueError(f"{language} words need a segmenter")
        return [w for w in (clean(raw) for raw in segmenter(text)) if w]
    words: list[str] = []
    for piece in text.split():
        kept = clean(piece)
        if kept:
            words.extend(_split_cjk(kept))
    return words


# -- the official segmenters ---------------------------------------------------------------------


class MissingSegmenter(ImportError):
    """The optional package a language's segmenter needs is not installed."""

    def __init__(self, language: str, package: str, extra: str):
        super().__init__(f"{language} needs {package}")
        self.language, self.package, self.extra = language, package, extra


def official_segmenter(language: str) -> Segmenter | None:
    """nagisa for Japanese, soynlp with the official dictionary for Korean, None otherwise.

    Raises :class:`MissingSegmenter` when the package is not installed (``wordsync[ja]``,
    ``wordsync[ko]``) and FileNotFoundError when the Korean dictionary is missing.
    """
    lang = language.lower()
    if lang == "japanese":
        return _nagisa()
    if lang == "korean":
        return _korean()
    return None


@functools.lru_cache(maxsize=1)
def _nagisa() -> Segmenter:
    try:
        import nagisa  # type: ignore[import-not-found]
    except ImportError as exc:
        raise MissingSegmenter("Japanese", "nagisa", "ja") from exc
    return lambda text: nagisa.tagging(text).words


@functools.lru_cache(maxsize=1)
def _korean() -> Segmenter:
    try:
        from soynlp.tokenizer import LTokenizer  # type: ignore[import-not-found]
    except ImportError as exc:
        raise MissingSegmenter("Korean", "soynlp", "ko") from exc
    return LTokenizer(scores=korean_scores()).tokenize


@functools.lru_cache(maxsize=1)
def korean_scores() -> dict[str, float]:
    """The official scores: every dictionary word (first column) scores 1.0."""
    scores: dict[str, float] = {}
    with open(KOREAN_DICT, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if fields:
                scores[fields[0]] = 1.0
    return scores


# -- from tokens to model words and back ---------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Part of a model word that belongs to a token: ``[lo, hi]`` as fractions of the word's time."""

    word: int
    lo: float = 0.0
    hi: float = 1.0


@dataclass(frozen=True)
class WordPlan:
    """The words the model sees, and which parts of them make up each token (empty: nothing to align).

    ``exact`` is False when the words could not be traced back to the text character by character
    (a segmenter that rewrote characters beyond NFKC) and each token was split on its own instead.
    """

    model_words: list[str]
    pieces: list[list[Piece]]
    exact: bool = True


def surface(words: Sequence[Sequence[str]], language: str) -> tuple[list[str], list[str]]:
    """Each token's surface text and separator: from :class:`SpokenWord`, or rebuilt from units.

    Units are lower-cased and normalised, so a plan made from them is only close to the official
    one; the api passes SpokenWord so that the model reads what the user wrote.
    """
    texts: list[str] = []
    seps: list[str] = []
    glue = "" if language.lower() == "japanese" else " "
    for w in words:
        text = getattr(w, "text", None)
        if text is None:
            texts.append("".join(w))
            seps.append(glue)
        else:
            texts.append(text)
            seps.append(getattr(w, "sep", " "))
    return texts, seps


def plan_words(
    texts: Sequence[str],
    seps: Sequence[str],
    language: str,
    segmenter: Segmenter | None = None,
) -> WordPlan:
    """The official words of the tokens' joined text, each traced to the tokens it came from."""
    text, owner = _join(texts, seps)
    model_words = split_words(text, language, segmenter)
    joined = "".join(model_words)
    for stream in (_kept_stream(text, owner, fold=False), _kept_stream(text, owner, fold=True)):
        if joined == "".join(ch for ch, _ in stream):
            return WordPlan(model_words, _pieces(model_words, [o for _, o in stream], len(texts)))
    # The segmenter rewrote characters we cannot trace: split every token on its own, which
    # keeps each model word inside one token.
    words: list[str] = []
    pieces: list[list[Piece]] = []
    for t in texts:
        mine = split_words(t, "", None)
        pieces.append([Piece(len(words) + k) for k in range(len(mine))])
        words.extend(mine)
    return WordPlan(words, pieces, exact=False)


def _join(texts: Sequence[str], seps: Sequence[str]) -> tuple[str, list[int]]:
    parts: list[str] = []
    owner: list[int] = []
    for k, (t, sep) in enumerate(zip(texts, seps)):
        if k and sep:
            parts.append(sep)
            owner.extend([-1] * len(sep))
        parts.append(t)
        owner.extend([k] * len(t))
    return "".join(parts), owner


def _kept_stream(text: str, owner: Sequence[int], fold: bool) -> list[tuple[str, int]]:
    """The characters cleaning keeps, with their token. ``fold``: as NFKC writes each character
    (nagisa hands back "ＡＩ" as "AI" and half-width katakana as full-width)."""
    out: list[tuple[str, int]] = []
    for ch, k in zip(text, owner):
        for c in unicodedata.normalize("NFKC", ch) if fold else ch:
            if is_kept(c):
                out.append((c, k))
    return out


def _pieces(model_words: Sequence[str], owners: Sequence[int], n_tokens: int) -> list[list[Piece]]:
    pieces: list[list[Piece]] = [[] for _ in range(n_tokens)]
    pos = 0
    for index, word in enumerate(model_words):
        size = len(word)
        mine = owners[pos : pos + size]
        pos += size
        first = 0
        for j in range(1, size + 1):
            if j == size or mine[j] != mine[first]:
                token = mine[first]
                if token >= 0:
                    pieces[token].append(Piece(index) if j - first == size else Piece(index, first / size, j / size))
                first = j
    return pieces
