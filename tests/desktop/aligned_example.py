"""The JFK example decoded and aligned once per test module (offline aligner, about a second),
then copied into each test's window so the editing tests start from a real alignment fast."""

from __future__ import annotations

from aligner_core.align.api import AlignRequest, align
from aligner_core.audio import decode
from aligner_core.document import Document
from aligner_core.text import read_transcript, tokenize
from desktop.alignment import AlignmentOptions
from desktop.main_window import EXAMPLE_DIR, MainWindow

AUDIO = EXAMPLE_DIR / "jfk.flac"


def aligned_example() -> tuple[object, Document]:
    audio = decode(AUDIO)
    doc = Document(tokenize(read_transcript(EXAMPLE_DIR / "jfk.txt"), "en"), [], audio.duration_ms, "en")
    result = align(AlignRequest.from_document(doc, audio.samples, aligner="sphinx"))
    result.to_edit().apply(doc)
    assert all(t.aligned for t in doc.tokens)
    return audio, doc


def open_window(qtbot, audio, doc: Document) -> MainWindow:
    win = MainWindow()
    win.setProperty("quiet_errors", True)  # errors go to the status bar, not a modal dialog
    qtbot.addWidget(win)
    win.show()
    win.session.set_audio(audio, AUDIO)
    win.session.set_document(doc.copy())
    win.alignment.options = AlignmentOptions("sphinx", "", "cpu")
    return win


def wait_idle(qtbot, win, timeout=60000) -> None:
    qtbot.waitUntil(lambda: win._task is None, timeout=timeout)
