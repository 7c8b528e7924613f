"""Work around PySide6 6.12's abi3 wheels dropping references to ``None`` and ``True`` on CPython 3.11.

Every void Qt method called from Python (``QPainterPath.moveTo``, ``QTimer.setInterval``, ...)
returns ``None`` and every ``Signal.emit`` returns ``True`` without taking a reference, so each
call leaves the singleton's count one lower. From CPython 3.12 on these objects are immortal and
nothing happens; on 3.11 the count reaches zero after a few thousand calls (about 600 emits for
``True``) and the interpreter aborts with "bool_dealloc" / "none_dealloc" (a timeline repaint or
half a minute of playback was enough). Giving the singletons a reference count no session can
use up makes them effectively immortal, as on 3.12. Imported by ``desktop/__init__``, so it runs
before any Qt code. ``pyproject.toml`` keeps 6.12.0 off Python < 3.12 (6.11.3 does not leak); this
guard is for an environment that has it anyway. Remove once the minimum Python is 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # decades of calls at a million per second


def make_singletons_immortal() -> bool:
    """Raise the reference counts of ``None``, ``True`` and ``False``; ``False`` where not needed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or hasattr(sys, "gettotalrefcount"):
        return False  # immortal already, another interpreter, or a debug build's refcount checks
    for obj in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython 3.11
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    return True


make_singletons_immortal()
