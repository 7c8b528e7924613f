"""Components get a host, not the window: no desktop module reaches into the window's (or the
host's) private parts, the components moved onto the host hold no window, and no desktop module
uses another object's private parts at all (issue 13: each object offers a public way instead).

A source check, like tests/core/test_gui_free.py: it reads the modules, it does not import them.
"""

from __future__ import annotations

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

#: the components built from a Host (desktop.host): they hold ``self.host``, never ``self.window``
HOSTED = (
    "alignment.py", "autosave.py", "editing.py", "files.py", "open_audio.py", "span_transcription.py",
    "transcription.py", "playback/ui.py", "dialogs/improve.py", "dialogs/model_download.py",
    "video/component.py", "timing_tools.py", "dialogs/timing_tools.py", "word_editing.py", "spell_check.py",
)

#: cue editing and annotation tiers (issue 17 part 4)
HOSTED += ("cue_editing.py", "tiers.py")

#: Help and View → Language
HOSTED += ("help.py", "i18n.py")

#: ``x._name`` uses allowed where ``x`` is not ``self``/``cls``: "path:source" -> why. Keep it
#: short; each entry is either a Qt/pyqtgraph internal with no public way, or a TODO with its owner.
ALLOWED: dict[str, str] = {}


def _private(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")


def _owner(node: ast.Attribute) -> str:
    """The last name of what the attribute is read from: ``self.window._error`` -> "window"."""
    value = node.value
    if isinstance(value, ast.Attribute):
        return value.attr
    if isinstance(value, ast.Name):
        return value.id
    return ""


def _uses(path: Path, pick) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(DESKTOP.parent)}:{n.lineno}: {ast.unparse(n)}" for n in ast.walk(tree) if pick(n)]


def test_no_desktop_module_uses_private_parts_of_the_window_or_the_host():
    found = []
    for path in sorted(DESKTOP.rglob("*.py")):
        found += _uses(path, lambda n: _private(n) and _owner(n) in ("window", "_window", "win", "host", "_host"))
    assert found == [], "use the host's public interface (desktop/host.py):\n" + "\n".join(found)


def test_hosted_components_touch_no_private_part_of_another_object_and_hold_no_window():
    found = []
    for name in HOSTED:
        path = DESKTOP / name
        found += _uses(path, lambda n: _private(n) and not (isinstance(n.value, ast.Name) and n.value.id in ("self", "cls")))
        found += _uses(path, lambda n: isinstance(n, ast.Attribute) and n.attr in ("window", "_window")
                       and isinstance(n.value, ast.Name) and n.value.id == "self")
    assert found == [], "\n".join(found)


def _foreign(node: ast.AST) -> bool:
    """``x._name`` where ``x`` is anything but ``self`` or ``cls`` (``self._session._notify`` too)."""
    return _private(node) and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))


def test_no_desktop_module_uses_another_objects_private_parts():
    found = []
    for path in sorted(DESKTOP.rglob("*.py")):
        found += _uses(path, _foreign)
    key = lambda use: use.split(":", 1)[0] + ":" + use.split(": ", 1)[1]  # noqa: E731 - no line numbers
    unexplained = [use for use in found if key(use) not in ALLOWED]
    assert unexplained == [], "add a public method or property to the owner instead:\n" + "\n".join(unexplained)
    stale = sorted(set(ALLOWED) - {key(use) for use in found})
    assert stale == [], "allowed but no longer used (remove from ALLOWED): " + ", ".join(stale)


def test_the_check_sees_what_it_forbids(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("self.window._error('x')\nself.host._status('y')\nother._thing\n", encoding="utf-8")
    tree = ast.parse(bad.read_text())
    owners = sorted(_owner(n) for n in ast.walk(tree) if _private(n))
    assert owners == ["host", "other", "window"]
    source = "self._own\ncls._own\nself.session._notify(c)\nplot._gesture\nsuper()._x\nself.__dict__\n"
    assert sorted(ast.unparse(n) for n in ast.walk(ast.parse(source)) if _foreign(n)) == [
        "plot._gesture", "self.session._notify", "super()._x"]
