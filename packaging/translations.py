"""Keep the Simplified Chinese translation in step with the code.

    python packaging/translations.py update    # scan desktop/ for tr() strings into the .ts (keeps translations)
    python packaging/translations.py release   # compile the .ts into the .qm the editor loads
    python packaging/translations.py check     # exit 1 if a string lacks a translation or the .qm is stale,
                                               # or the code shows text lupdate cannot find

The ``.ts`` (XML, edited with Qt Linguist or any text editor) is the source of truth; the ``.qm``
is committed too, so running the editor needs no build step. Uses Qt's own lupdate and lrelease,
which ship in the PySide6-Essentials wheel. Line numbers are left out of the ``.ts`` so moving
code does not change it.
"""

from __future__ import annotations

import ast
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
                forms = [f.text for f in translation.findall("numerusform")]  # "%n file(s)": one per plural form
                text = (forms[0] if forms and all(forms) else None) if forms else translation.text or None
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


# Qt calls whose string arguments the user reads: a plain literal there was never translated.
_SINKS = frozenset(
    "setText setWindowTitle setToolTip setStatusTip setWhatsThis setPlaceholderText showMessage addMenu "
    "setTitle setLabelText setHeaderLabels setHorizontalHeaderLabels addTab setTabText setItemText addItem "
    "addItems setSuffix setPrefix setSpecialValueText addAction addToolBar addRow setInformativeText "
    "setDetailedText setAccessibleName QLabel QPushButton QAction QCheckBox QRadioButton QGroupBox QToolButton "
    "warning information critical question about getOpenFileName getOpenFileNames getSaveFileName "
    "getExistingDirectory getText getItem getInt getDouble".split()
)
_NOT_TEXT = {("setLabel", 0)}  # pyqtgraph: setLabel("bottom", text) names the axis first


def _call_name(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Attribute):
        if f.attr == "translate":  # QPainter.translate(dx, dy) and str.translate are not Qt's
            owner = f.value.id if isinstance(f.value, ast.Name) else ""
            return "translate" if owner.endswith("Application") else None
        return f.attr
    return f.id if isinstance(f, ast.Name) else None


def _wordy(text: str) -> bool:
    return re.search(r"[^\W\d_]{2,}", re.sub(r"\{[^}]*\}", "", text)) is not None


def lint_source(source: str, filename: str = "<string>") -> list[str]:
    """tr() calls lupdate cannot read, and literal text handed straight to a widget."""
    tree = ast.parse(source, filename)
    out: list[str] = []
    in_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            in_fstring.update(id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Call))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        where = f"{filename}:{node.lineno}"
        if name == "tr" and isinstance(node.func, ast.Name):
            out.append(f"{where}: lupdate reads a bare tr(a, b) as text a with comment b: "
                       "call QCoreApplication.translate(context, text) by its full name")
        elif name in ("tr", "translate"):
            needed = 2 if name == "translate" else 1
            literal = len(node.args) >= needed and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:needed]
            )
            if not literal:
                out.append(f"{where}: lupdate can't read a non-literal {name}() argument: {ast.unparse(node)[:80]}")
            elif id(node) in in_fstring:
                out.append(f"{where}: lupdate can't see {name}() inside an f-string: move it out")
        elif name in _SINKS or name == "setLabel":
            args = [(i, a) for i, a in enumerate(node.args)] + [(-1, k.value) for k in node.keywords]
            for i, arg in args:
                values = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
                for value in values:
                    if (name, i) in _NOT_TEXT:
                        continue
                    if isinstance(value, ast.Constant) and isinstance(value.value, str) and _wordy(value.value):
                        out.append(f"{where}: untranslated text for {name}(): {value.value!r}")
                    elif isinstance(value, ast.JoinedStr):
                        out.append(f"{where}: untranslated f-string for {name}(): wrap it in tr() with .format")
    return sorted(out, key=lambda line: int(line.split(":")[1]))


def lint() -> list[str]:
    return [p for path in sorted(SOURCES.rglob("*.py"))
            for p in lint_source(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]


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
        found = lint() + [p for language in LANGUAGES for p in problems(language)]
        for problem in found:
            print(problem)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
