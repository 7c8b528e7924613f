"""The editor opens a transcript through the same core function as the CLI
(:func:`aligner_core.transcripts.load_transcript`): content decides the format, devices and FIFOs
are refused at once, markup and labels are shown but carry no aligner units."""

from __future__ import annotations

import os

import pytest

from aligner_core.text import is_speech
from tests.desktop.test_files import new_window

SRT = '1\n00:00:00,500 --> 00:00:02,000\n{\\an8}<i>And so [music] my</i>\n\n2\n00:00:02,000 --> 00:00:04,000\n<font color="#ff0000">fellow Americans</font>\n'


@pytest.fixture
def window(qtbot):
    return new_window(qtbot)


def test_an_srt_saved_as_txt_opens_as_subtitles_with_its_tags(window, tmp_path):
    path = tmp_path / "film.txt"
    path.write_text(SRT, encoding="utf-8")
    window.open_files([str(path)])
    doc = window.session.document
    assert window.session.transcript_path == path
    assert len(doc.cues) == 2 and doc.cues[0].start == 500  # the subtitles' own cues and times
    assert doc.cue_text(doc.cues[0]) == "{\\an8}<i>And so [music] my</i>"
    units = [u for t in doc.tokens for u in t.units]
    assert units == ["and", "so", "my", "fellow", "americans"]
    assert [t.text for t in doc.tokens if not is_speech(t)] == ["[music]"]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
@pytest.mark.timeout(30)  # opening a FIFO for reading would block the GUI thread forever
def test_a_fifo_named_txt_is_refused_and_the_window_stays(window, tmp_path):
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    window.open_files([str(fifo)])
    assert window.session.document is None
    assert "not a regular file" in window.stage_label.text() and "notes.txt" in window.stage_label.text()


def test_a_transcript_of_labels_only_has_no_words(window, tmp_path):
    path = tmp_path / "music.txt"
    path.write_text("[music]\n(applause)\n", encoding="utf-8")
    window.open_files([str(path)])
    assert window.session.document is None
    assert "has no words" in window.stage_label.text()
