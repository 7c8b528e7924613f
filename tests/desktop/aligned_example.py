"""The JFK example aligned with the offline aligner (about a second), and the window the editing
tests start from: a real alignment, copied into each test's window. The decoded audio and the
aligned document are made once per run by the ``jfk_audio`` and ``example`` fixtures of
``conftest.py``; ``aligned_example()`` is for code that runs outside a test's fixtures."""

from __future__ import annotations

from aligner_core.align.api import AlignRequest, align
from aligner_core.audio import decode
from aligner_core.document import Document
from aligner_core.text import read_transcript, tokenize
from desktop.alignment import AlignmentOptions
from desktop.main_window import EXAMPLE_DIR, MainWindow

from .conftest import new_window

AUDIO = EXAMPLE_DIR / "jfk.flac"


def align_example(audio) -> Document:
    doc = Document(tokenize(read_transcript(EXAMPLE_DIR / "jfk.txt"), "en"), [], audio.duration_ms, "en")
    result = align(AlignRequest.from_document(doc, audio.samples, aligner="sphinx", phones=True))  # the phone lane tests need them
    result.to_edit().apply(doc)
    assert all(t.aligned for t in doc.tokens)
    return doc


def aligned_example() -> tuple[object, Document]:
    audio = decode(AUDIO)
    return audio, align_example(audio)


def open_window(qtbot, audio, doc: Document) -> MainWindow:
    win = new_window(qtbot)
    win.session.set_audio(audio, AUDIO)
    win.session.set_document(doc.copy())
    win.alignment.options = AlignmentOptions("sphinx", "", "cpu")
    return win


def wait_idle(qtbot, win, timeout=60000) -> None:
    qtbot.waitUntil(lambda: not win.busy, timeout=timeout)
