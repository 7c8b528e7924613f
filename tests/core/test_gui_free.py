"""The core never imports the GUI stack: checked statically and by importing it with the GUI blocked."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import aligner_core

from .conftest import GUI_PACKAGES

CORE = Path(aligner_core.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_gui_or_upward_imports_in_core():
    offenders = {}
    for path in CORE.rglob("*.py"):
        bad = _imports(path) & (set(GUI_PACKAGES) | {"desktop"})
        if bad:
            offenders[str(path.relative_to(CORE))] = sorted(bad)
    assert not offenders, f"aligner_core must stay GUI-free: {offenders}"


def test_every_core_module_imports_with_gui_blocked():
    modules = [m.name for m in pkgutil.walk_packages([str(CORE)], "aligner_core.")]
    code = f"""
import importlib, importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {GUI_PACKAGES!r}:
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
for m in {modules!r}:
    importlib.import_module(m)
print(len({modules!r}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CORE.parent, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) == len(modules) >= 5
