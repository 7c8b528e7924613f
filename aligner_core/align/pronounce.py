"""Pronunciations for the English aligner: dictionary, numbers, and a letter-to-sound guess.

:class:`Lexicon` turns one token's aligner units (``("don't",)``, ``("1961",)``,
``("anti-slavery",)``, ``("kowalczyk",)``) into one or more *readings*: sequences of
dictionary words, each with its phones, that a grammar may choose between. The order of tries:

1. the CMU dictionary shipped with PocketSphinx, the unit as written (``u.s.``, ``able-bodied``);
2. parts: hyphens split, ``'s`` possessives and plurals built from the base word;
3. numbers through ``num2words``: years, cardinals (with and without "and"), ordinals
   ("21st"), decimals ("3.14"), digit runs inside words ("mp3");
4. a trained letter-to-sound model (:class:`LetterToSound`) and, for short vowel-less units,
   spelling the letters out.

Readings from 3 and 4 are *guessed* (the backend flags them ``GUESSED_PRONUNCIATION``): a
number's spoken form is a guess as much as a name's.

The letter-to-sound model is learnt from the dictionary itself the first time it is needed: a
Viterbi letter-phone alignment constrained by a table of plausible correspondences, then
context rules (up to three letters either side) kept only where they change the prediction of
the shorter context. Training takes a few seconds; the rules are cached under the user cache
folder (``$XDG_CACHE_HOME/wordsync``) as a small ``.npz`` (no pickle), keyed by the dictionary file.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

PHONES = ["AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH"]
VOWELS = frozenset(["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"])

LETTER_NAMES = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY",
    "h": "EY CH", "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N",
    "o": "OW", "p": "P IY", "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW",
    "v": "V IY", "w": "D AH B AH L Y UW", "x": "EH K S", "y": "W AY", "z": "Z IY",
}  # fmt: skip


def default_dict_path() -> str:
    import pocketsphinx

    return pocketsphinx.get_model_path("en-us/cmudict-en-us.dict")


# -- readings ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One dictionary word of a reading: ``name`` as the decoder knows it, its phones."""

    name: str
    phones: str
    known: bool = True  # False: not in the dictionary, the decoder must be told (add_word)


@dataclass(frozen=True)
class TokenPron:
    """The readings of one token (alternatives; each a sequence of words) and how they were found."""

    readings: tuple[tuple[Word, ...], ...]
    guessed: bool = False
    source: str = "dict"  # dict | parts | number | g2p | spelled | none

    @property
    def empty(self) -> bool:
        return not self.readings


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})


def normalize_unit(unit: str) -> str:
    """Lower case, ASCII letters (accents folded), digits, and the marks that matter inside a
    word (' - . , %); everything else becomes a space."""
    s = unicodedata.normalize("NFKD", unit.translate(_APOSTROPHES).translate(_DASHES).lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("œ", "oe").replace("&", " and ")
    s = re.sub(r"[^a-z0-9'\-.,%$£€ ]+", " ", s)
    return s.strip(" '-.,")


# -- numbers -----------------------------------------------------------------------------------------

_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_PLURAL = re.compile(r"^(\d+)'?s$")
_DECIMAL = re.compile(r"^(\d+)\.(\d+)$")
_INTEGER = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


def _plural(word: str) -> str:
    if word.endswith("y"):
        return word[:-1] + "ies"
    if word.endswith(("x", "s")):
        return word + "es"
    return word + "s"


def _words_of(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,\-]+", text.lower()) if w]


def number_readings(text: str) -> list[list[str]]:
    """Spoken forms of a number-like unit, most likely first; [] when it is not one.

    ``1961`` -> nineteen sixty one / one thousand nine hundred (and) sixty one;
    ``21st`` -> twenty first; ``3.14`` -> three point one four; ``50%`` -> fifty percent;
    ``007`` -> oh oh seven / zero zero seven.
    """
    try:
        from num2words import num2words
    except ImportError:  # pragma: no cover - num2words is a dependency
        return _digit_readings(text)
    t = text.strip()
    suffix: list[str] = []
    prefix: list[str] = []
    if t.endswith("%"):
        t, suffix = t[:-1], ["percent"]
    if t[:1] in "$£€":
        cur = {"$": "dollars", "£": "pounds", "€": "euros"}[t[0]]
        t, suffix = t[1:], [cur] + suffix
    out: list[list[str]] = []
    m = _PLURAL.match(t)
    if m:  # "1990s", "90's": the decade, plural
        return [prefix + r[:-1] + [_plural(r[-1])] + suffix for r in number_readings(m.group(1))[:2] if r]
    m = _ORDINAL.match(t)
    if m:
        n = int(m.group(1))
        out.append(_words_of(num2words(n, to="ordinal")))
        return [prefix + r + suffix for r in _dedupe(out)]
    m = _DECIMAL.match(t)
    if m:
        whole = _words_of(num2words(int(m.group(1))))
        frac = [_DIGITS[d] for d in m.group(2)]
        out.append(whole + ["point"] + frac)
        return [prefix + r + suffix for r in _dedupe(out)]
    if not _INTEGER.match(t):
        return []
    digits = t.replace(",", "")
    if len(digits) > 1 and digits.startswith("0"):
        out += _digit_readings(digits)
        return [prefix + r + suffix for r in _dedupe(out)]
    n = int(digits)
    if n >= 10**15:
        out += _digit_readings(digits)
        return [prefix + r + suffix for r in _dedupe(out)]
    cardinal = _words_of(num2words(n))
    without_and = [w for w in cardinal if w != "and"]
    if 1100 <= n <= 2099 and len(digits) == 4 and "," not in t and not suffix:
        out.append(_words_of(num2words(n, to="year")))
    out.append(without_and)
    out.append(cardinal)
    if 1000 <= n < 10000 and n % 100 and "," not in t:  # "nineteen sixty one" style for non-years too
        out.append(_words_of(num2words(n // 100)) + _words_of(num2words(n % 100)))
    return [prefix + r + suffix for r in _dedupe(out)]


_DIGITS = dict(zip("0123456789", ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]))


def _digit_readings(digits: str) -> list[list[str]]:
    d = [c for c in digits if c.isdigit()]
    if not d:
        return []
    return [["oh" if c == "0" else _DIGITS[c] for c in d], [_DIGITS[c] for c in d]]


def _dedupe(readings: Iterable[list[str]]) -> list[list[str]]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for r in readings:
        key = tuple(r)
        if r and key not in seen:
            seen.add(key)
            out.append(r)
    return out


# -- dictionary ------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_dictionary(path: str) -> dict[str, tuple[str, ...]]:
    """word -> its pronunciations (phone strings), from a CMU-format dictionary file."""
    out: dict[str, list[str]] = {}
    no_stress = str.maketrans("", "", "0123456789")
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split(None, 1)
            if len(parts) != 2 or line.startswith(";;;"):
                continue
            word = parts[0].lower()
            if word.endswith(")"):  # an alternate: word(2)
                word = word[: word.rfind("(")] or word
            out.setdefault(word, []).append(" ".join(parts[1].translate(no_stress).split()))
    return {w: tuple(p) for w, p in out.items()}


# -- letter to sound ---------------------------------------------------------------------------------

# Letter -> phones it may stand for (one or two phones; every letter may also be silent). Used
# only to constrain the training alignment; what the model predicts is learnt from the dictionary.
_ALLOWED = {
    "a": "AA AE AH AO AW AY EH ER EY IH IY OW UH UW W_AH Y_AH",
    "b": "B", "c": "K S CH SH Z K_S", "d": "D T JH", "e": "EH IY AH IH EY ER UW AY OW Y_UW",
    "f": "F V", "g": "G JH ZH K F", "h": "HH", "i": "IH AY IY AH ER Y AA EH Y_AH",
    "j": "JH Y HH ZH", "k": "K", "l": "L AH_L", "m": "M AH_M", "n": "N NG AH_N",
    "o": "AA AO OW AH UW UH AW OY ER IH W_AH", "p": "P F", "q": "K K_W",
    "r": "R ER", "s": "S Z SH ZH", "t": "T SH CH DH TH D", "u": "AH UW UH ER IH W Y_UW Y_AH Y_UH",
    "v": "V", "w": "W V UW", "x": "K_S G_Z Z K_SH", "y": "Y IY AY IH", "z": "Z S ZH T_S", "'": "",
}  # fmt: skip
_LETTERS = "#abcdefghijklmnopqrstuvwxyz'"  # '#' pads the word edges
_L = {c: i for i, c in enumerate(_LETTERS)}
# context templates, general to specific: each adds one letter to its parent (offsets from the letter)
_TEMPLATES: tuple[tuple[int, ...], ...] = (
    (0,), (0, 1), (-1, 0, 1), (-1, 0, 1, 2), (-2, -1, 0, 1, 2), (-2, -1, 0, 1, 2, 3), (-3, -2, -1, 0, 1, 2, 3),
)  # fmt: skip
_PAD = 3
_VOWEL_TEMPLATES = (2, 0)  # indices into _TEMPLATES used for the "every syllable has a vowel" repair
_MODEL_VERSION = 3


def _letter_alignment(word: str, phones: list[str], cost: dict[tuple[str, str], float]) -> list[str] | None:
    """Viterbi alignment of letters to phones: each letter takes 0, 1 or 2 phones."""
    n, m = len(word), len(phones)
    if m > 2 * n or m == 0:
        return None
    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        c = word[i]
        row, nxt = best[i], best[i + 1]
        lo = max(0, m - 2 * (n - i))
        for j in range(lo, min(m, 2 * i) + 1):
            b = row[j]
            if b == inf:
                continue
            v = b + cost.get((c, ""), 9.0)
            if v < nxt[j]:
                nxt[j], back[i + 1][j] = v, (j, "")
            if j < m:
                v = b + cost.get((c, phones[j]), inf)
                if v < nxt[j + 1]:
                    nxt[j + 1], back[i + 1][j + 1] = v, (j, phones[j])
            if j + 1 < m:
                pair = phones[j] + "_" + phones[j + 1]
                v = b + cost.get((c, pair), inf)
                if v < nxt[j + 2]:
                    nxt[j + 2], back[i + 1][j + 2] = v, (j, pair)
    if best[n][m] == inf:
        return None
    out: list[str] = []
    j = m
    for i in range(n, 0, -1):
        step = back[i][j]
        assert step is not None
        j, label = step
        out.append(label)
    return out[::-1]


class LetterToSound:
    """Context-rule letter-to-sound model learnt from a pronunciation dictionary."""

    def __init__(self, outputs: list[str], rules: list[dict[int, int]], vowel_rules: list[dict[int, int]] | None = None):
        self.outputs = outputs
        self.rules = rules  # per template: packed context -> output index (only where it differs from the parent)
        # for templates _VOWEL_TEMPLATES: context -> the most frequent output that holds a vowel
        self.vowel_rules = vowel_rules or [{} for _ in _VOWEL_TEMPLATES]
        self._has_vowel = [any(ph in VOWELS for ph in o.split("_")) for o in outputs]

    # -- training ------------------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        dictionary: dict[str, tuple[str, ...]],
        *,
        max_words: int = 200000,
        check: Callable[[], None] | None = None,
    ) -> LetterToSound:
        words = sorted(w for w in dictionary if re.fullmatch(r"[a-z][a-z']*[a-z]", w))
        if len(words) > max_words:  # an even spread keeps every initial letter represented
            step = len(words) / max_words
            words = [words[int(k * step)] for k in range(max_words)]
        cost: dict[tuple[str, str], float] = {}
        for letter, allowed in _ALLOWED.items():
            cost[(letter, "")] = 2.0
            for k, ph in enumerate(allowed.split()):
                cost[(letter, ph)] = 1.0 + 0.05 * k + (1.0 if "_" in ph else 0.0)
        aligned: list[tuple[str, list[str]]] = []
        for rnd in range(2):  # hard EM: the second round re-weights by the first round's counts
            aligned = []
            counts: dict[tuple[str, str], int] = {}
            # the first round only estimates costs: a spread-out fifth of the words is enough
            for k, w in enumerate(words[::5] if rnd == 0 else words):
                if check is not None and k % 1000 == 0:
                    check()
                phones = dictionary[w][0].split()
                labels = _letter_alignment(w, phones, cost)
                if labels is None:
                    continue
                aligned.append((w, labels))
                if rnd == 0:
                    for c, lab in zip(w, labels):
                        counts[(c, lab)] = counts.get((c, lab), 0) + 1
            if rnd == 0:
                totals: dict[str, int] = {}
                for (c, _), n in counts.items():
                    totals[c] = totals.get(c, 0) + n
                cost = {
                    key: -math.log((counts.get(key, 0) + 0.5) / (totals.get(key[0], 0) + 0.5 * 30))
                    for key in cost
                }
        return cls._from_alignments(aligned)

    @classmethod
    def _from_alignments(cls, aligned: list[tuple[str, list[str]]]) -> LetterToSound:
        outputs = sorted({lab for _, labels in aligned for lab in labels})
        out_index = {o: i for i, o in enumerate(outputs)}
        letters, labels_arr = [], []
        for w, labels in aligned:
            padded = "#" * _PAD + w + "#" * _PAD
            codes = [_L[c] for c in padded]
            for i, lab in enumerate(labels):
                letters.append(codes[i : i + 2 * _PAD + 1])
                labels_arr.append(out_index[lab])
        ctx = np.asarray(letters, dtype=np.int64)  # (positions, 7) letter codes around each letter
        lab = np.asarray(labels_arr, dtype=np.int64)
        n_out = len(outputs)
        vowel_out = np.array([any(ph in VOWELS for ph in o.split("_")) for o in outputs], dtype=bool)
        vowel_rules: list[dict[int, int]] = []
        sel = vowel_out[lab] if len(lab) else np.zeros(0, dtype=bool)
        for t in _VOWEL_TEMPLATES:
            key = _pack(ctx[sel][:, [o + _PAD for o in _TEMPLATES[t]]])
            uniq, counts = np.unique(key * n_out + lab[sel], return_counts=True)
            ukey, uout = uniq // n_out, uniq % n_out
            order = np.lexsort((uout, -counts, ukey))
            first = np.concatenate([[True], ukey[order][1:] != ukey[order][:-1]]) if len(order) else np.zeros(0, bool)
            vowel_rules.append(dict(zip(ukey[order][first].tolist(), uout[order][first].tolist())))
        rules: list[dict[int, int]] = []
        parent_pred = None
        for t, offsets in enumerate(_TEMPLATES):
            key = _pack(ctx[:, [o + _PAD for o in offsets]])
            combo = key * n_out + lab
            uniq, counts = np.unique(combo, return_counts=True)
            ukey, uout = uniq // n_out, uniq % n_out
            # majority output per context (ties -> the smaller index; deterministic)
            order = np.lexsort((uout, -counts, ukey))
            ukey_s, uout_s, cnt_s = ukey[order], uout[order], counts[order]
            first = np.concatenate([[True], ukey_s[1:] != ukey_s[:-1]])
            best_key, best_out = ukey_s[first], uout_s[first]
            totals = np.add.reduceat(cnt_s, np.flatnonzero(first))
            # each position's prediction under this template
            pos_idx = np.searchsorted(best_key, key)
            pred_here = best_out[pos_idx]
            support = totals[pos_idx]
            if parent_pred is None:
                keep = np.ones(len(best_key), dtype=bool)
                pred = pred_here
            else:
                # keep a context only where it is seen twice and overrules its parent
                parent_of_ctx = np.zeros(len(best_key), dtype=np.int64) - 1
                parent_of_ctx[pos_idx] = parent_pred
                keep = (totals >= 2) & (best_out != parent_of_ctx)
                pred = np.where((support >= 2) & keep[pos_idx], pred_here, parent_pred)
            rules.append(dict(zip(best_key[keep].tolist(), best_out[keep].tolist())))
            parent_pred = pred
        return cls(outputs, rules, vowel_rules)

    # -- persistence -----------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        arrays = {"outputs": np.asarray(self.outputs, dtype=object).astype(str)}
        for t, r in enumerate(self.rules):
            arrays[f"k{t}"] = np.fromiter(r.keys(), dtype=np.int64, count=len(r))
            arrays[f"v{t}"] = np.fromiter(r.values(), dtype=np.int32, count=len(r))
        for t, r in enumerate(self.vowel_rules):
            arrays[f"vk{t}"] = np.fromiter(r.keys(), dtype=np.int64, count=len(r))
            arrays[f"vv{t}"] = np.fromiter(r.values(), dtype=np.int32, count=len(r))
        tmp = path.with_suffix(f".tmp{os.getpid()}.npz")
        try:
            np.savez_compressed(tmp, **arrays)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)  # never leave half a cache behind
            raise

    @classmethod
    def load(cls, path: Path) -> LetterToSound:
        with np.load(path, allow_pickle=False) as z:
            outputs = [str(x) for x in z["outputs"]]
            rules = [dict(zip(z[f"k{t}"].tolist(), z[f"v{t}"].tolist())) for t in range(len(_TEMPLATES))]
            vowel_rules = [dict(zip(z[f"vk{t}"].tolist(), z[f"vv{t}"].tolist())) for t in range(len(_VOWEL_TEMPLATES))]
        return cls(outputs, rules, vowel_rules)

    def valid(self) -> bool:
        """Whether the tables fit together (every rule names an output that exists)."""
        n = len(self.outputs)
        if not n or len(self.rules) != len(_TEMPLATES) or len(self.vowel_rules) != len(_VOWEL_TEMPLATES):
            return False
        return all(0 <= v < n for table in (*self.rules, *self.vowel_rules) for v in table.values())

    # -- prediction ------------------------------------------------------------------------------------
    def phones(self, word: str) -> str:
        """Guessed phones for a lower-case word of letters and apostrophes ('' when nothing to say)."""
        w = "".join(c for c in word.lower() if c in _L and c != "#")
        padded = "#" * _PAD + w + "#" * _PAD
        codes = [_L[c] for c in padded]
        labels: list[int | None] = []
        for i in range(len(w)):
            window = codes[i : i + 2 * _PAD + 1]
            label = None
            for t in range(len(_TEMPLATES) - 1, -1, -1):
                got = self.rules[t].get(_pack_one([window[o + _PAD] for o in _TEMPLATES[t]]))
                if got is not None:
                    label = got
                    break
            labels.append(label)
        self._repair_syllables(w, codes, labels)
        out: list[str] = []
        for label in labels:
            if label is not None and self.outputs[label]:
                out.extend(self.outputs[label].split("_"))
        # collapse doubled consonants the letters produce ("ll" -> L L) into one
        dedup: list[str] = []
        for ph in out:
            if dedup and ph == dedup[-1] and ph not in VOWELS:
                continue
            dedup.append(ph)
        return " ".join(dedup)


    def _repair_syllables(self, w: str, codes: list[int], labels: list[int | None]) -> None:
        """Letters are predicted one by one, so "zor" can come out as o -> silent, r -> R (each
        seen in some word) and lose its vowel. Every written vowel group that is not a final
        silent e gets a vowel sound, from its own letters or a syllabic neighbour (razor: r -> ER)."""
        n = len(w)
        i = 0
        while i < n:
            if w[i] not in "aeiouy" or (w[i] == "y" and i == 0):
                i += 1
                continue
            j = i
            while j < n and w[j] in "aeiouy":
                j += 1
            # a lone e is often silent ("jumped", "lovely"); "-ically" keeps no vowel for its a
            if w[i:j] != "e" and not w.endswith("ally", i):
                around = range(max(0, i - 1), min(n, j + 1))
                if not any(labels[k] is not None and self._has_vowel[labels[k]] for k in around):
                    window = codes[i : i + 2 * _PAD + 1]
                    for table, t in zip(self.vowel_rules, _VOWEL_TEMPLATES):
                        got = table.get(_pack_one([window[o + _PAD] for o in _TEMPLATES[t]]))
                        if got is not None:
                            labels[i] = got
                            break
            i = j


def _pack(ctx: np.ndarray) -> np.ndarray:
    key = np.zeros(len(ctx), dtype=np.int64)
    for col in range(ctx.shape[1]):
        key = key * 32 + ctx[:, col]
    return key


def _pack_one(codes: Sequence[int]) -> int:
    key = 0
    for c in codes:
        key = key * 32 + c
    return key


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wordsync"


def _load_cached(cache: Path) -> LetterToSound | None:
    """The cached model, or None when there is none or it cannot be trusted: a damaged cache
    (cut short by a full disk, a crash, a sync tool) is deleted so that it is rebuilt, rather
    than failing every later run with "BadZipFile" until someone finds it."""
    try:
        st = os.stat(cache)
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        try:
            model = LetterToSound.load(cache)
            if model.valid():
                return model
        except Exception:  # noqa: BLE001 - zipfile, zlib, numpy and key errors alike: a cache, not input
            pass
    try:
        if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(os.lstat(cache).st_mode):
            os.unlink(cache)
    except OSError:
        pass  # the new model is still saved over it (os.replace), or trained again next time
    return None


_G2P_LOCK = threading.Lock()
_G2P_MODELS: dict[str, LetterToSound] = {}


def letter_to_sound(dict_path: str | None = None, check: Callable[[], None] | None = None) -> LetterToSound:
    """The letter-to-sound model for a dictionary: from memory, the disk cache, or trained now."""
    path = dict_path or default_dict_path()
    with _G2P_LOCK:
        model = _G2P_MODELS.get(path)
        if model is not None:
            return model
        st = os.stat(path)
        tag = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{int(st.st_mtime)}|{_MODEL_VERSION}".encode()).hexdigest()[:16]
        cache = _cache_dir() / f"g2p-{tag}.npz"
        model = _load_cached(cache)
        if model is None:
            model = LetterToSound.train(load_dictionary(path), check=check)
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                model.save(cache)
            except OSError:
                pass  # a read-only home only costs the training again next time
        _G2P_MODELS[path] = model
        return model


# -- the lexicon ---------------------------------------------------------------------------------------


@dataclass
class Lexicon:
    """Pronunciations of tokens for the PocketSphinx aligner (see the module docstring)."""

    dict_path: str = field(default_factory=default_dict_path)
    check: Callable[[], None] | None = None  # called now and then during long work (cancel)

    def __post_init__(self) -> None:
        self.words = load_dictionary(self.dict_path)

    def known(self, word: str) -> bool:
        return word in self.words

    def pronounce(self, units: Sequence[str]) -> TokenPron:
        """All readings of a token (the concatenation of its units' readings)."""
        parts = [self._unit(u) for u in units]
        parts = [p for p in parts if not p.empty]
        if not parts:
            return TokenPron((), False, "none")
        readings: list[tuple[Word, ...]] = [()]
        for p in parts:  # cartesian product, capped: a token rarely has more than a few units
            readings = [r + q for r in readings for q in p.readings][:8]
        guessed = any(p.guessed for p in parts)
        sources = {p.source for p in parts}
        source = parts[0].source if len(sources) == 1 else "parts"
        for s in ("g2p", "spelled", "number"):
            if s in sources:
                source = s
                break
        return TokenPron(tuple(readings), guessed, source)

    # one unit ------------------------------------------------------------------------------------------
    def _unit(self, unit: str) -> TokenPron:
        raw = unit.strip().lower().translate(_APOSTROPHES)
        if raw in self.words:  # "a.m.", "u.s." keep their dots in the dictionary
            return TokenPron(self._dict_readings(raw), False, "dict")
        text = normalize_unit(unit)
        if not text:
            return TokenPron((), False, "none")
        if text in self.words:
            return TokenPron(self._dict_readings(text), False, "dict")
        nums = number_readings(text)
        if nums:
            return TokenPron(tuple(self._words_reading(r) for r in nums[:4]), True, "number")
        pieces = [p for p in re.split(r"[\s\-.,/]+", text) if p.strip("'")]
        if len(pieces) > 1:
            subs = [self._unit(p) for p in pieces]
            subs = [s for s in subs if not s.empty]
            readings: list[tuple[Word, ...]] = [()]
            for s in subs:
                readings = [r + q for r in readings for q in s.readings][:8]
            guessed = any(s.guessed for s in subs)
            return TokenPron(tuple(readings), guessed, "parts" if not guessed else next(s.source for s in subs if s.guessed))
        word = pieces[0].strip("'") if pieces else ""
        if not word:
            return TokenPron((), False, "none")
        if word in self.words:
            return TokenPron(self._dict_readings(word), False, "dict")
        alnum = re.findall(r"[a-z']+|\d+", word)
        if len(alnum) > 1:  # "mp3", "covid19", "4x4"
            subs = [self._unit(p) for p in alnum]
            readings = [()]
            for s in subs:
                readings = [r + q for r in readings for q in s.readings][:8]
            return TokenPron(tuple(readings), True, "number" if any(s.source == "number" for s in subs) else "g2p")
        possessive = self._possessive(word)
        if possessive is not None:
            return possessive
        return self._guess(word)

    def _dict_readings(self, word: str) -> tuple[tuple[Word, ...], ...]:
        # the decoder knows the alternates itself (word(2) ...), so one reading is enough
        return ((Word(word, self.words[word][0], True),),)

    def _words_reading(self, words: Sequence[str]) -> tuple[Word, ...]:
        out: list[Word] = []
        for w in words:
            if w in self.words:
                out.append(Word(w, self.words[w][0], True))
            else:
                out.extend(self._guess(w).readings[0])
        return tuple(out)

    def _possessive(self, word: str) -> TokenPron | None:
        """``name's`` / ``names'`` / ``name'll``...: the base word plus the ending's sound."""
        m = re.fullmatch(r"(.+?)('s|s'|'d|'ll|'re|'ve|'m)", word)
        if not m:
            return None
        base, ending = m.group(1), m.group(2)
        base_pron = self._unit(base) if base not in self.words else TokenPron(self._dict_readings(base), False, "dict")
        if base_pron.empty:
            return None
        readings = []
        for reading in base_pron.readings:
            last = reading[-1]
            phones = last.phones.split()
            tail = {"'d": ["D"], "'ll": ["L"], "'re": ["ER"], "'ve": ["V"], "'m": ["M"]}.get(ending)
            if tail is None:
                if ending == "s'":
                    tail = []
                elif phones and phones[-1] in ("S", "Z", "SH", "ZH", "CH", "JH"):
                    tail = ["IH", "Z"]
                elif phones and phones[-1] in ("P", "T", "K", "F", "TH"):
                    tail = ["S"]
                else:
                    tail = ["Z"]
            merged = Word(last.name + ending, " ".join(phones + tail), False)
            readings.append(reading[:-1] + (merged,))
        return TokenPron(tuple(readings), True, base_pron.source if base_pron.guessed else "g2p")

    def _guess(self, word: str) -> TokenPron:
        letters = re.sub(r"[^a-z]", "", word)
        if not letters:
            return TokenPron((), False, "none")
        spelled = Word(word, " ".join(LETTER_NAMES[c] for c in letters), False)
        has_vowel = re.search(r"[aeiouy]", letters) is not None
        if not has_vowel or len(letters) == 1:
            return TokenPron(((spelled,),), True, "spelled")
        phones = letter_to_sound(self.dict_path, self.check).phones(word)
        if not phones:
            return TokenPron(((spelled,),), True, "spelled")
        guess = Word(word, phones, False)
        if len(letters) <= 4:  # short unknowns are often initialisms: let the audio choose
            return TokenPron(((guess,), (Word(word + "__spelled", spelled.phones, False),)), True, "g2p")
        return TokenPron(((guess,),), True, "g2p")
