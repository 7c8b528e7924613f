"""The letter-to-sound cache rebuilds itself when it is damaged, instead of failing every run.

The real cache file is written by a real training run (on a small slice of the real dictionary,
so it takes a moment), then damaged on disk the ways disks and crashes damage files.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from aligner_core.align import pronounce
from aligner_core.align.pronounce import LetterToSound, default_dict_path, letter_to_sound


@pytest.fixture
def small_dict(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pronounce, "_G2P_MODELS", {})
    lines = Path(default_dict_path()).read_text(encoding="utf-8", errors="replace").splitlines()
    path = tmp_path / "small.dict"
    path.write_text("\n".join(lines[::60]) + "\n", encoding="utf-8")
    return str(path)


def _cache_file(tmp_path: Path) -> Path:
    (found,) = list((tmp_path / "cache" / "wordsync").glob("g2p-*.npz"))
    return found


def _fresh_run(small_dict: str) -> LetterToSound:
    pronounce._G2P_MODELS.clear()  # a new process: nothing in memory, only the disk cache
    return letter_to_sound(small_dict)


def _out_of_range(path: Path) -> None:
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["v0"] = arrays["v0"] + 10_000  # a well-formed file whose rules name outputs that do not exist
    np.savez_compressed(path, **arrays)


DAMAGE = {
    "cut in half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "zero bytes": lambda p: p.write_bytes(b""),
    "garbage": lambda p: p.write_bytes(bytes(range(256)) * 40),
    "flipped bytes in the middle": lambda p: p.write_bytes(
        (lambda b: b[: len(b) // 2] + bytes(x ^ 0xFF for x in b[len(b) // 2 : len(b) // 2 + 64]) + b[len(b) // 2 + 64 :])(p.read_bytes())
    ),
    "rules out of range": _out_of_range,
    "a folder": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_cache_is_rebuilt(tmp_path, small_dict, damage):
    model = _fresh_run(small_dict)
    cache = _cache_file(tmp_path)
    expected = [model.phones(w) for w in ("cat", "wordsync", "americans")]
    DAMAGE[damage](cache)
    if damage in ("cut in half", "garbage", "zero bytes"):
        with pytest.raises(Exception):  # the file really is unreadable (BadZipFile, EOFError, ...)
            LetterToSound.load(cache)
    again = _fresh_run(small_dict)  # no BadZipFile: trained again
    assert [again.phones(w) for w in ("cat", "wordsync", "americans")] == expected
    if damage != "a folder":  # a folder in its place is left alone; the model is then trained each run
        assert LetterToSound.load(_cache_file(tmp_path)).valid()  # and the cache is sound for the next run
        assert zipfile.is_zipfile(_cache_file(tmp_path))


def test_a_sound_cache_is_used_as_is(tmp_path, small_dict):
    _fresh_run(small_dict)
    cache = _cache_file(tmp_path)
    before = cache.stat().st_mtime_ns
    _fresh_run(small_dict)
    assert cache.stat().st_mtime_ns == before  # loaded, not trained and written again
