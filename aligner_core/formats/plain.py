"""Plain text: the transcript itself, with the line breaks and blank lines the user wrote.

Export writes the tokens' surface text (``Token.brk`` becomes a newline or a blank line, other
tokens are joined by their separators); import is ``text.tokenize`` on the decoded file, which
gives a document without times or cues (the caller aligns and segments it).
"""

from __future__ import annotations

from ..document import Break
from .common import ExportOptions, ExportPlan

__all__ = ["render_plain"]


def render_plain(plan: ExportPlan, options: ExportOptions, karaoke: bool = False) -> str:  # noqa: ARG001
    parts: list[str] = []
    for k, w in enumerate(plan.words):
        if k:
            if w.brk >= Break.PARAGRAPH:
                parts.append("\n\n")
            elif w.brk >= Break.LINE:
                parts.append("\n")
            else:
                parts.append(w.sep)
        parts.append(w.text)
    plan.words_written = len(plan.words)
    return "".join(parts) + ("\n" if parts else "")
