"""The cue shown on the picture: its lines as the profile laid them out, word by word, with the
words already spoken marked for the karaoke highlight."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    text: str  # a word with the separator before it (none at a line's start)
    spoken: bool  # karaoke: the word has started by now


Caption = list[list[Piece]]  # lines of pieces


def caption_at(doc, cue_index: int | None, ms: int, karaoke: bool) -> Caption:
    """The lines of cue ``cue_index`` at ``ms``; with ``karaoke``, words started by ``ms`` are spoken."""
    if doc is None or cue_index is None or not 0 <= cue_index < len(doc.cues):
        return []
    lines: Caption = []
    for first, last in doc.cue_line_tokens(doc.cues[cue_index]):
        pieces = []
        for i in range(first, last + 1):
            tok = doc.tokens[i]
            text = tok.text if i == first else tok.sep + tok.text
            pieces.append(Piece(text, karaoke and tok.start is not None and tok.start <= ms))
        lines.append(pieces)
    return lines
