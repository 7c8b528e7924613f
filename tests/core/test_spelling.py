"""Spell checking with a tiny real Hunspell dictionary read by real spylls (and the system's, when installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner_core.messages import message_of
from aligner_core.spelling import (
    SYSTEM_FOLDERS,
    SpellingError,
    checked_form,
    find_dictionary,
    load_speller,
    misspelt,
    read_personal,
    write_personal,
)
from aligner_core.text import tokenize

AFF = "SET UTF-8\nTRY esianrtolcdugmphbyfvkwzESIANRTOLCDUGMPHBYFVKWZ'\n\nSFX S Y 1\nSFX S 0 s .\n"
DIC = "6\ncolour/S\nhello\nworld\nAmerican/S\nfellow\ndon't\n"


def write_dictionary(folder: Path, name: str = "en_GB") -> Path:
    """A small real Hunspell dictionary (an affix rule for plurals) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.aff").write_text(AFF, encoding="utf-8")
    (folder / f"{name}.dic").write_text(DIC, encoding="utf-8")
    return folder / f"{name}.dic"


def test_words_are_checked_without_their_punctuation_and_cjk_digits_are_skipped(tmp_path):
    write_dictionary(tmp_path)
    speller = load_speller("en", [tmp_path])
    tokens = tokenize("Hello, fellow Americans! Colours, colr; don't helo 1999 你好 -- wrold.", "en")
    bad = [tokens[i].text for i in misspelt(tokens, speller)]
    assert bad == ["colr;", "helo", "wrold."]
    assert checked_form("“Americans,”") == "Americans" and checked_form("1999") is None and checked_form("你") is None
    assert checked_form("--") is None


def test_suggestions_keep_the_punctuation_around_the_word(tmp_path):
    write_dictionary(tmp_path)
    speller = load_speller("en", [tmp_path])
    assert "colour;" in speller.suggest("colr;")
    assert speller.suggest("helo")[0] == "hello"


def test_personal_words_are_accepted_and_saved(tmp_path):
    write_dictionary(tmp_path / "dicts")
    path = tmp_path / "settings" / "personal.txt"
    speller = load_speller("en", [tmp_path / "dicts"], read_personal(path))
    assert speller.is_misspelt("Wordsync,")
    speller.add("Wordsync,")
    write_personal(path, speller.personal)
    again = load_speller("en", [tmp_path / "dicts"], read_personal(path))
    assert not again.is_misspelt("Wordsync.") and read_personal(path) == ["Wordsync"]


def test_dictionary_names_follow_the_language(tmp_path):
    write_dictionary(tmp_path, "en_US")
    write_dictionary(tmp_path, "en_GB")
    write_dictionary(tmp_path, "de_AT")
    assert find_dictionary("en-GB", [tmp_path]).name == "en_GB.dic"
    assert find_dictionary("en", [tmp_path]).name == "en_US.dic"
    assert find_dictionary("de", [tmp_path]).name == "de_AT.dic"
    assert find_dictionary("fr", [tmp_path]) is None
    user = tmp_path / "user"
    write_dictionary(user, "en_US")
    assert find_dictionary("en", [user, tmp_path]).parent == user  # the user's folder first


def test_a_missing_or_broken_dictionary_is_one_sentence(tmp_path):
    with pytest.raises(SpellingError) as info:
        load_speller("fr", [tmp_path])
    assert message_of(info.value).code == "spelling_no_dictionary" and "\n" not in str(info.value)
    (tmp_path / "fr.aff").write_bytes(b"SET UTF-8\nSFX S Y 99\nSFX\n")
    (tmp_path / "fr.dic").write_bytes(b"\xff\xfe not a count\x00")
    with pytest.raises(SpellingError) as info:
        load_speller("fr", [tmp_path])
    assert message_of(info.value).code == "spelling_bad_dictionary"


def test_the_system_dictionary_when_installed():
    path = find_dictionary("en_US", SYSTEM_FOLDERS)
    if path is None:
        with pytest.raises(SpellingError):
            load_speller("en_US", SYSTEM_FOLDERS)
        return
    speller = load_speller("en_US", SYSTEM_FOLDERS)
    tokens = tokenize("And so, my fellow Americans: ask not what your countrry can do", "en")
    assert [tokens[i].text for i in misspelt(tokens, speller)] == ["countrry"]
    assert "country" in speller.suggest("countrry")


def test_a_personal_list_in_a_legacy_encoding_keeps_its_words(tmp_path):
    path = tmp_path / "personal.txt"
    path.write_bytes("Müller\nWordsync\n".encode("latin-1"))
    words = read_personal(path)
    assert words == ["Müller", "Wordsync"]
    write_personal(path, words + ["Zoë"])
    assert read_personal(path) == ["Müller", "Wordsync", "Zoë"]
    assert read_personal(tmp_path / "missing.txt") == []
