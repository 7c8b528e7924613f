"""Core tests: with WORDSYNC_BLOCK_GUI=1 the GUI packages are made unimportable.

``packaging/dev.sh test`` runs tests/core that way (and without the pytest-qt plugin), which
proves the core works on a machine without PySide6, pyqtgraph or sounddevice.
"""

from __future__ import annotations

import importlib.abc
import os
import sys

GUI_PACKAGES = ("PySide6", "shiboken6", "pyqtgraph", "sounddevice", "PyQt5", "PyQt6")


class _BlockGui(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):  # noqa: ARG002
        if fullname.split(".")[0] in GUI_PACKAGES:
            raise ImportError(f"{fullname} is blocked: the core must work without GUI packages")
        return None


if os.environ.get("WORDSYNC_BLOCK_GUI") == "1":
    loaded = [m for m in sys.modules if m.split(".")[0] in GUI_PACKAGES]
    assert not loaded, f"GUI packages were imported before the core tests: {loaded}"
    sys.meta_path.insert(0, _BlockGui())
