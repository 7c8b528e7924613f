from . import compat  # noqa: F401 - must run before any Qt call (see desktop/compat.py)
