"""Spell checking words with the system's Hunspell dictionaries, through spylls (pure Python).

Dictionaries are the ``.dic`` + ``.aff`` pairs Hunspell uses, looked up first in the user's own
folder, then in the system's (:data:`SYSTEM_FOLDERS`; on Debian the hunspell-* packages). For a
document in ``en-GB`` the names tried are ``en_GB``, ``en``, then any ``en_*`` (``en_US`` first).
When spylls is not installed or no dictionary fits, :func:`load_speller` raises
:class:`SpellingError` with one sentence saying what is missing; nothing else breaks.

What is checked: a token's surface text with the punctuation around it stripped ("Americans,"
is checked as "Americans"; "don't" keeps its apostrophe). Tokens with CJK or other spaceless
letters (no dictionary splits those), digits, or no letter at all are never misspelt. Words in
the personal list (one word a line, saved atomically) are accepted as written, and in lower
case when written in lower case.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from .document import Token
from .fileio import atomic_write_text
from .messages import msg
from .numbers import base_language
from .scripts import is_cjk_letter, is_spaceless

__all__ = ["SYSTEM_FOLDERS", "Speller", "SpellingError", "checked_form", "find_dictionary", "load_speller",
           "misspelt", "read_personal", "write_personal"]


def _system_folders() -> list[Path]:
    home = Path.home()
    if sys.platform == "darwin":
        return [home / "Library/Spelling", Path("/Library/Spelling")]
    if os.name == "nt":
        return []
    return [Path("/usr/share/hunspell"), Path("/usr/share/myspell"), Path("/usr/share/myspell/dicts"), Path("/usr/local/share/hunspell")]


#: where the system's Hunspell dictionaries live (the user's own folder is searched first)
SYSTEM_FOLDERS: list[Path] = _system_folders()
#: the usual dictionary for a bare language code
_PREFERRED = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "pt": "pt_BR", "it": "it_IT", "nl": "nl_NL"}


class SpellingError(RuntimeError):
    """Spell checking cannot run (spylls or a dictionary is missing); carries a Message."""


def checked_form(text: str) -> str | None:
    """What of a token's text the dictionary is asked about; ``None``: not checked at all."""
    if any(is_spaceless(ch) or is_cjk_letter(ch) or ch.isdigit() for ch in text):
        return None
    word = text.strip("".join(ch for ch in set(text) if not ch.isalpha() and ch not in "'’-") + "'’-")
    word = word.replace("’", "'")
    if not any(ch.isalpha() for ch in word):
        return None
    return unicodedata.normalize("NFC", word)


def find_dictionary(language: str, folders: Sequence[Path]) -> Path | None:
    """The ``.dic`` file for ``language`` (its ``.aff`` beside it), or ``None``."""
    exact = language.replace("-", "_")
    base = base_language(language)
    names = [exact, base, _PREFERRED.get(base, "")]
    for folder in folders:
        for name in names:
            if name and (folder / f"{name}.dic").is_file() and (folder / f"{name}.aff").is_file():
                return folder / f"{name}.dic"
    for folder in folders:
        try:
            found = sorted(p for p in folder.glob(f"{base}_*.dic") if p.with_suffix(".aff").is_file())
        except OSError:
            continue
        if found:
            return found[0]
    return None


class Speller:
    """A loaded dictionary plus the personal word list."""

    def __init__(self, dictionary, path: Path, personal: Iterable[str] = ()):
        self._dictionary = dictionary
        self.path = path
        self.personal: set[str] = set(personal)
        self._cache: dict[str, bool] = {}

    def known(self, word: str) -> bool:
        if word in self.personal or word.lower() in self.personal:
            return True
        hit = self._cache.get(word)
        if hit is None:
            hit = self._cache[word] = bool(self._dictionary.lookup(word))
        return hit

    def is_misspelt(self, text: str) -> bool:
        word = checked_form(text)
        return word is not None and not self.known(word)

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Corrections for a token's text, with the punctuation around the word kept."""
        word = checked_form(text)
        if word is None:
            return []
        at = text.find(word)
        head, tail = (text[:at], text[at + len(word):]) if at >= 0 else ("", "")
        out: list[str] = []
        for s in self._dictionary.suggest(word):
            if s != word and s not in out:
                out.append(s)
            if len(out) >= limit:
                break
        return [head + s + tail for s in out]

    def add(self, word: str) -> None:
        form = checked_form(word)
        if form is not None:
            self.personal.add(form)


def load_speller(language: str, folders: Sequence[Path], personal: Iterable[str] = ()) -> Speller:
    """The speller for ``language`` from the first folder that has its dictionary."""
    try:
        from spylls.hunspell import Dictionary
    except ImportError:
        raise SpellingError(msg("spelling_no_spylls")) from None
    path = find_dictionary(language, folders)
    if path is None:
        shown = str(folders[0]) if folders else "the dictionaries folder"
        raise SpellingError(msg("spelling_no_dictionary", language=language, folder=shown))
    try:
        dictionary = Dictionary.from_files(str(path.with_suffix("")))
    except Exception as exc:  # spylls raises plain errors of many kinds on a broken .aff/.dic
        raise SpellingError(msg("spelling_bad_dictionary", path=str(path), reason=f"{type(exc).__name__}: {exc}")) from None
    return Speller(dictionary, path, personal)


def misspelt(tokens: Sequence[Token], speller: Speller, indices: Iterable[int] | None = None) -> list[int]:
    """Indices (sorted) of the misspelt tokens among ``indices`` (all by default)."""
    wanted = range(len(tokens)) if indices is None else indices
    return sorted(i for i in wanted if speller.is_misspelt(tokens[i].text))


def read_personal(path: Path) -> list[str]:
    """The personal word list (missing file: empty)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []  # missing or unreadable: spell checking goes on without it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # an older list in a legacy 8-bit encoding (Hunspell's own lists often are): every byte
        # reads as a character, so the words survive the next save, rewritten as UTF-8
        text = data.decode("latin-1")
    return [line.strip() for line in text.splitlines() if line.strip()]


def write_personal(path: Path, words: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, "".join(f"{w}\n" for w in sorted(set(words))))
