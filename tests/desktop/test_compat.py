"""The refcount workaround: thousands of void calls and signal emits no longer abort Python."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import desktop
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPainterPath

class Source(QObject):
    fired = Signal(int)

s = Source()
path = QPainterPath()
for i in range(20000):
    s.fired.emit(i)       # returns True without a reference in PySide6 6.12 on 3.11
    path.moveTo(i, 0.0)   # returns None likewise
print("survived")
"""


def test_many_emits_and_void_calls_do_not_abort_the_interpreter():
    # a child process: without the workaround this aborts, which would take pytest down with it
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"
