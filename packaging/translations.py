"""Keep the Simplified Chinese translation in step with the code.

    python packaging/translations.py update    # scan desktop/ for tr() strings into the .ts (keeps translations)
    python packaging/translations.py release   # compile the .ts into the .qm the editor loads
    python packaging/translations.py check     # exit 1 if a string lacks a translation or the .qm is stale

The ``.ts`` (XML, edited with Qt Linguist or any text editor) is the source of truth; the ``.qm``
is committed too, so running the editor needs no build step. Uses Qt's own lupdate and lrelease,
which ship in the PySide6-Essentials wheel. Line numbers are left out of the ``.ts`` so moving
code does not change it.
"""

from __future__ import annotations

import filecmp
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "desktop"
LANGUAGES = ("zh_CN",)


def ts_path(language: str) -> Path:
    return ROOT / "resources" / "i18n" / f"wordsync_{language}.ts"


def qm_path(language: str) -> Path:
    return ts_path(language).with_suffix(".qm")


def _tool(name: str) -> str:
    import PySide6

    exe = Path(PySide6.__file__).resolve().parent / (name + (".exe" if sys.platform == "win32" else ""))
    if not exe.exists():
        raise SystemExit(f"translations: {exe} is missing; install PySide6-Essentials")
    return str(exe)


def _sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def lupdate(ts: Path) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    language = ts.stem.split("_", 1)[1]
    subprocess.run(
        [_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
         "-target-language", language, *_sources(), "-ts", str(ts)],
        cwd=ROOT, check=True,
    )
    # lupdate reads every "#:" comment (our attribute docs) as a note for translators: drop that noise
    text = ts.read_text(encoding="utf-8")
    ts.write_text(re.sub(r"\n\s*<extracomment>.*?</extracomment>", "", text, flags=re.S), encoding="utf-8")


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", "-nounfinished", str(ts), "-qm", str(qm)], cwd=ROOT, check=True)


def messages(ts: Path) -> list[tuple[str, str, str | None]]:
    """(context, source, translation or None when unfinished/empty) for every message in a .ts."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            text = None
            if translation is not None and translation.get("type") not in ("unfinished", "obsolete", "vanished"):
                text = translation.text or None
            found.append((name, message.findtext("source") or "", text))
    return found


def untranslated(language: str) -> list[str]:
    """Strings in the code (as lupdate finds them now) with no finished translation in the .ts."""
    ts = ts_path(language)
    with tempfile.TemporaryDirectory() as tmp:
        scanned = Path(tmp) / ts.name
        scanned.write_bytes(ts.read_bytes())
        lupdate(scanned)
        return [f"untranslated: [{context}] {source!r}" for context, source, text in messages(scanned) if text is None]


def stale(language: str) -> list[str]:
    """A complaint when the shipped .qm is not exactly the .ts compiled."""
    ts, qm = ts_path(language), qm_path(language)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / qm.name
        lrelease(ts, fresh)
        if qm.exists() and filecmp.cmp(fresh, qm, shallow=False):
            return []
    return [f"{qm.name} is not up to date with {ts.name}: run `python packaging/translations.py release`"]


def problems(language: str) -> list[str]:
    if not ts_path(language).exists():
        return [f"{ts_path(language)} is missing: run `python packaging/translations.py update`"]
    return untranslated(language) + stale(language)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        for language in LANGUAGES:
            lupdate(ts_path(language))
            todo = [m for m in messages(ts_path(language)) if m[2] is None]
            print(f"{ts_path(language).relative_to(ROOT)}: {len(todo)} strings to translate")
        return 0
    if command == "release":
        for language in LANGUAGES:
            lrelease(ts_path(language), qm_path(language))
            print(f"wrote {qm_path(language).relative_to(ROOT)}")
        return 0
    if command == "check":
        found = [p for language in LANGUAGES for p in problems(language)]
        for problem in found:
            print(problem)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
