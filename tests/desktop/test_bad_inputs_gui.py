"""The bad-input corpus and injected faults through the window: a message, never a crash or a hang,
and the open document untouched.

The cases are those of ``tests/reliability_cases.py`` (also run by the CLI tests and by
``bench/reliability.py``). Errors go to the status bar (``quiet_errors``); one test checks that
a real message box appears when they are not quiet.
"""

from __future__ import annotations

import copy
import json
import resource
import signal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from aligner_core.project import load_project
from desktop.alignment import AlignmentOptions
from tests.desktop.test_files import (
    AUDIO,
    answer_modals,
    click,
    new_window,
    timed_document,
    wait_idle,
)
from tests.reliability_cases import (
    AUDIO_CASES,
    PROJECT_CASES,
    SUBTITLE_CASES,
    TRANSCRIPT_CASES,
    Case,
    good_project_dict,
)

FILE_CASES = AUDIO_CASES + TRANSCRIPT_CASES + SUBTITLE_CASES


@pytest.fixture
def window(qtbot, tmp_path):
    from aligner_core.audio import decode

    win = new_window(qtbot)
    audio = decode(AUDIO)
    win.session.set_audio(audio, AUDIO)
    win.session.set_document(timed_document(audio.duration_ms))
    return win


def snapshot(win):
    s = win.session
    return copy.deepcopy(s.document), s.audio, s.audio_path, s.undo_stack.count()


def s_audio_is(win, audio) -> bool:
    return win.session.audio is audio or win.session.audio is None


def still_usable(qtbot, win) -> None:
    """The window answers: the event loop turns and an edit still goes through the undo stack."""
    from aligner_core.edits import SetTokenText

    assert not win.busy and win.isVisible()
    doc = win.session.document
    if doc is not None and doc.tokens:
        before = doc.tokens[0].text
        assert win.session.push(SetTokenText(0, before + "x"), "probe")
        win.session.undo_stack.undo()
        assert win.session.document.tokens[0].text == before
    qtbot.wait(1)


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.name for c in FILE_CASES])
def test_bad_files_give_a_message_and_leave_the_document(qtbot, window, tmp_path, case: Case):
    before = snapshot(window)
    path = case.build(tmp_path)
    window.open_files([str(path)])
    if window.audio_opener.question is not None:  # new audio under timed words: keep the transcript
        window.audio_opener.keep_button.click()
    wait_idle(qtbot, window)
    message = window.stage_label.text()
    s = window.session
    if case.kind == "audio":
        loaded = s.audio is not before[1]
        # new audio keeps the words; they lose their times only once it opened
        assert [t.text for t in s.document.tokens] == [t.text for t in before[0].tokens]
        if not loaded:
            assert s.document == before[0]
    else:
        loaded = s.transcript_path == path
        if not loaded:
            assert s.document == before[0]
    if not loaded:
        assert case.expect in ("error", "either"), message
        assert message and "Traceback" not in message and "\n" not in message
        assert s.audio is before[1] and s.audio_path == before[2]
    else:
        assert case.expect in ("ok", "either"), message
    still_usable(qtbot, window)


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[c.name for c in PROJECT_CASES])
def test_bad_projects_give_a_message_and_leave_the_document(qtbot, window, tmp_path, case: Case):
    before = snapshot(window)
    path = case.build(tmp_path)
    # the only question a bad project may ask: use audio nothing vouches for? -> No
    pending = answer_modals(click(QMessageBox.StandardButton.No))
    window.open_files([str(path)])
    wait_idle(qtbot, window)
    asked = not pending
    pending.clear()  # stop polling: a later test's dialogs are not ours to answer
    if "outside" in case.name:
        assert asked and s_audio_is(window, before[1]), "the app must ask, and keep its audio when told No"
    s = window.session
    if s.project_path == path:
        assert case.expect in ("ok", "either")
        outside = s.audio_path is not None and not s.audio_path.resolve().is_relative_to(tmp_path)
        assert asked or not outside, "an unvouched audio file outside the project folder was used without asking"
        assert s.audio_path is None or s.audio_path.resolve().is_relative_to(tmp_path)
    else:
        assert case.expect in ("error", "either")
        assert path.name in window.stage_label.text()
        assert s.document == before[0] and s.audio is before[1]
    still_usable(qtbot, window)


def test_without_quiet_errors_a_real_message_box_says_it(qtbot, window, tmp_path):
    window.setProperty("quiet_errors", False)
    bad = tmp_path / "binary.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    seen: list[str] = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(10, close_box)

    QTimer.singleShot(0, close_box)
    before = copy.deepcopy(window.session.document)
    window.open_files([str(bad)])
    assert seen and "binary" in seen[0]
    assert window.session.document == before


def test_an_exception_inside_the_worker_is_one_sentence_and_the_window_lives(qtbot, window):
    before = copy.deepcopy(window.session.document)
    finished: list[object] = []

    def job(context):
        context.progress(0.5, "half way")
        return {}["a key the worker does not have"]

    window.tasks.run(job, "Working", finished.append)
    wait_idle(qtbot, window)
    assert not finished
    message = window.stage_label.text()
    assert message.startswith("An unexpected error stopped this task (KeyError: 'a key the worker does not have')")
    assert "\n" not in message and "Traceback" not in message
    assert window.session.document == before
    still_usable(qtbot, window)


def test_disk_full_during_save_keeps_the_previous_project_file(qtbot, window, tmp_path):
    path = tmp_path / "talk.wordsync"
    assert window.files.save_as(path)
    before = path.read_bytes()
    from aligner_core.edits import SetTokenText

    assert window.session.push(SetTokenText(0, "Changed" * 2000), "big edit")  # the new file is larger
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 1024, hard))
    try:
        ok = window.files.save()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert not ok
    assert "talk.wordsync" in window.stage_label.text() and "Could not save" in window.stage_label.text()
    assert path.read_bytes() == before and load_project(path).document.tokens[0].text != "Changed" * 2000
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".talk")) == []
    assert window.session.modified  # the edit is still there, not marked saved
    assert window.files.save() and load_project(path).document.tokens[0].text == "Changed" * 2000


def test_shorter_audio_under_timed_words_is_flagged_and_editing_goes_on(qtbot, window, tmp_path):
    case = next(c for c in AUDIO_CASES if c.name == "audio: 8 kHz")  # the first 2.5 s of JFK
    window.load_audio(case.build(tmp_path))  # as a project's (relinked) audio arrives
    wait_idle(qtbot, window)
    assert window.session.audio.duration_ms == 2500
    assert "shorter (2.5 s) than the word times" in window.stage_label.text()
    doc = window.session.document
    assert doc.duration_ms == window.session.timed_until_ms() > 2500
    doc.check()  # still a valid document, so edits are not refused
    still_usable(qtbot, window)


@pytest.mark.parametrize("name", ["transcript: one 1 MB line", "transcript: mixed scripts"])
def test_aligning_a_transcript_that_cannot_fit_says_why(qtbot, tmp_path, name):
    """Far too many words for the audio, or a script the offline aligner lacks: a sentence, no hang."""
    win = new_window(qtbot)
    case = next(c for c in TRANSCRIPT_CASES if c.name == name)
    clip = next(c for c in AUDIO_CASES if c.name == "audio: 8 kHz")  # 2.5 s of JFK
    win.open_files([str(clip.build(tmp_path)), str(case.build(tmp_path))])
    wait_idle(qtbot, win)
    before = copy.deepcopy(win.session.document)
    assert before is not None and before.tokens
    win.alignment.options = AlignmentOptions("sphinx", "", "cpu")
    win.actions["timing.align"].trigger()
    wait_idle(qtbot, win, timeout=20000)
    message = win.stage_label.text()
    assert "far more than 2 s of audio" in message or "knows English only" in message, message
    assert win.session.document == before
    still_usable(qtbot, win)


def test_a_transcript_path_named_by_a_project_is_never_read(qtbot, window, tmp_path):
    """A hand-edited project naming a secret file as its transcript can not pull it into the next save."""
    secret = tmp_path / "secret" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY MATERIAL", encoding="utf-8")
    data = good_project_dict()
    data["transcript"] = {"text": "", "path": "../secret/id_rsa", "absolute": str(secret)}
    proj_dir = tmp_path / "proj"
    proj_dir.mkdir()
    path = proj_dir / "evil.wordsync"
    path.write_text(json.dumps(data), encoding="utf-8")
    window.open_files([str(path)])
    wait_idle(qtbot, window)
    assert window.session.project_path == path
    assert window.files.save_as(proj_dir / "resaved.wordsync")
    saved = (proj_dir / "resaved.wordsync").read_text(encoding="utf-8")
    assert "PRIVATE KEY" not in saved
    assert load_project(proj_dir / "resaved.wordsync").transcript_text == "And so"  # the words themselves


def test_damaged_model_weights_are_one_message_naming_the_offline_aligner(qtbot, window, tmp_path):
    pytest.importorskip("transformers")
    from tests.core.tiny_models import build_tiny_ctc

    folder = build_tiny_ctc(tmp_path / "ctc")
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    window.alignment.options = AlignmentOptions("ctc", str(folder), "cpu")
    before = copy.deepcopy(window.session.document)
    window.actions["timing.align"].trigger()
    wait_idle(qtbot, window)
    message = window.stage_label.text()
    assert "could not be loaded as a CTC model" in message and "offline aligner (sphinx)" in message, message
    assert "\n" not in message and window.session.document == before
    still_usable(qtbot, window)
