"""Opening audio: each background job keeps its own file, finished tasks are deleted, and a
recording opened on its own over a timed document asks what to keep and says what happened."""

from __future__ import annotations

import shutil

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from desktop.tasks import Task

from .aligned_example import AUDIO, open_window, wait_idle


@pytest.fixture
def window(qtbot, example):
    return open_window(qtbot, *example)


def _flush_deletes():
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def test_a_file_refused_while_another_decodes_never_takes_its_samples(qtbot, window, tmp_path):
    first, second = tmp_path / "a.flac", tmp_path / "b.flac"
    shutil.copy(AUDIO, first)
    shutil.copy(AUDIO, second)
    window.session.set_document(None)
    window.load_audio(first)
    assert window.busy
    window.load_audio(second)  # refused: a task is running
    assert "wait" in window.stage_label.text()
    wait_idle(qtbot, window)
    assert window.session.audio_path == first
    assert "a.flac" in window.stage_label.text()


def test_finished_tasks_and_their_threads_are_deleted(qtbot, window, tmp_path):
    window.session.set_document(None)
    tasks, threads = [], []
    for _ in range(5):
        window.load_audio(AUDIO)
        task = window.tasks.running()
        tasks.append(task)
        threads.append(task.qthread)
        wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: (_flush_deletes() or True) and not any(shiboken6.isValid(t) for t in tasks + threads),
                    timeout=5000)
    assert window.findChildren(Task) == []


def test_audio_alone_over_a_timed_document_asks_then_starts_a_new_document(qtbot, window, tmp_path):
    other = tmp_path / "other.flac"
    shutil.copy(AUDIO, other)
    doc = window.document
    window.view.select(tokens=(2, 2))
    window.actions["edit.lock"].trigger()  # unsaved work
    assert window.session.modified
    window.open_files([str(other)])
    prompt = window.files.save_prompt
    assert prompt is not None and prompt.isVisible()  # save or discard first
    prompt.button(prompt.StandardButton.Discard).click()
    question = window.audio_opener.question
    assert question is not None and question.isVisible() and "other.flac" in question.text()
    assert window.document is doc  # nothing changed before the answer
    question.button(question.StandardButton.Cancel).click()
    assert window.document is doc and window.session.audio_path == AUDIO

    window.open_files([str(other)])  # cancelled: the unsaved lock is asked about again
    window.files.save_prompt.button(prompt.StandardButton.Discard).click()
    window.audio_opener.new_button.click()
    wait_idle(qtbot, window)
    assert window.document is None
    assert window.session.audio_path == other
    assert "other.flac" in window.stage_label.text() and "new document" in window.stage_label.text()
    assert not window.timeline.plot.shown_words  # no old words drawn over the new audio


def test_audio_alone_can_keep_the_transcript_without_its_times(qtbot, window, tmp_path):
    other = tmp_path / "other.flac"
    shutil.copy(AUDIO, other)
    words = [t.text for t in window.document.tokens]
    window.open_files([str(other)])  # nothing unsaved: straight to the question
    assert window.files.save_prompt is None
    window.audio_opener.keep_button.click()
    wait_idle(qtbot, window)
    doc = window.document
    assert [t.text for t in doc.tokens] == words and not any(t.aligned for t in doc.tokens)
    assert window.session.audio_path == other and window.session.modified
    assert "kept" in window.stage_label.text()
    assert window.actions["timing.align"].isEnabled()


def test_a_recording_that_fails_to_open_changes_nothing(qtbot, window, tmp_path):
    broken = tmp_path / "broken.flac"
    broken.write_bytes(b"fLaC" + bytes(200))
    doc = window.document
    window.open_files([str(broken)])
    window.audio_opener.new_button.click()
    wait_idle(qtbot, window)
    assert window.document is doc and window.session.audio_path == AUDIO
    assert "broken.flac" in window.stage_label.text()


def test_audio_for_a_transcript_without_times_opens_without_a_question(qtbot, window, tmp_path):
    from desktop.open_audio import untimed

    other = tmp_path / "other.flac"
    shutil.copy(AUDIO, other)
    window.session.set_document(untimed(window.document))
    doc = window.document
    window.open_files([str(other)])
    assert window.audio_opener.question is None and window.files.save_prompt is None
    wait_idle(qtbot, window)
    assert window.document is doc and window.session.audio_path == other
