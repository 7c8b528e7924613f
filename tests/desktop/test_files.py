"""Projects, recent files, drag and drop, autosave and crash recovery, the close prompt, export.

Real windows offscreen, real files, the real JFK audio. Modal questions asked while opening a
project (where is the audio?) are answered by finding the real dialog from a timer.
"""

from __future__ import annotations

import select
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from aligner_core.cues import PROFILES, check_cues, segment
from aligner_core.document import Document
from aligner_core.edits import MoveBoundary, SetTokenText
from aligner_core.formats import read_subtitles
from aligner_core.project import load_project, save_project
from aligner_core.recovery import find_recoverable, load_recovery
from aligner_core.text import read_transcript, tokenize
from desktop.main_window import EXAMPLE_DIR
from desktop.recent import MAX_RECENT, add_recent, recent_files

from tests.desktop.conftest import new_window

REPO = Path(__file__).resolve().parents[2]
AUDIO = EXAMPLE_DIR / "jfk.flac"
TEXT = EXAMPLE_DIR / "jfk.txt"


@pytest.fixture
def audio(jfk_audio):
    return jfk_audio


def timed_document(duration_ms: int) -> Document:
    """The JFK transcript with even word times and cues made by the general profile."""
    doc = Document(tokenize(read_transcript(TEXT), "en"), [], duration_ms, "en")
    doc.tokens = [t.with_times(300 + 450 * i, 680 + 450 * i) for i, t in enumerate(doc.tokens)]
    doc.cues = segment(doc, PROFILES["general"])
    doc.check()
    return doc


@pytest.fixture
def window(qtbot, audio):
    win = new_window(qtbot)
    win.session.set_audio(audio, AUDIO)
    win.session.transcript_path = TEXT
    win.session.set_document(timed_document(audio.duration_ms))
    return win


def wait_idle(qtbot, win, timeout=30000) -> None:
    qtbot.waitUntil(lambda: not win.busy, timeout=timeout)


def answer_modals(*handlers):
    """Answer the next modal dialogs in order: each handler gets the dialog and closes it."""
    pending = list(handlers)
    tries = [0]

    def poll():
        tries[0] += 1
        modal = QApplication.activeModalWidget()
        if modal is not None and pending:
            pending.pop(0)(modal)
        if pending and tries[0] < 500:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return pending


def click(button):
    def handler(box: QMessageBox):
        box.button(button).click()

    return handler


def choose_file(path: Path):
    def handler(dialog: QFileDialog):
        assert isinstance(dialog, QFileDialog), dialog
        dialog.selectFile(str(path))
        dialog.accept()

    return handler


# -- save and open ---------------------------------------------------------------------------------


def test_save_then_open_restores_document_audio_view_and_profile(qtbot, window, tmp_path):
    s = window.session
    s.aligner_info = {"name": "sphinx", "version": "5", "settings": {"beam": 1e-20}}
    s.set_profile(PROFILES["netflix-en"])
    assert s.push(MoveBoundary(3, s.document.tokens[3].end - 40))
    window.view.set_range(2000.0, 6500.0)
    window.view.set_playhead(2500)
    window.view.select(tokens=(3, 5), cue=1)
    path = tmp_path / "talk.wordsync"

    assert window.files.save_as(path)
    assert path.is_file() and not s.modified and not window.isWindowModified()
    assert "talk.wordsync" in window.windowTitle()
    assert recent_files()[0] == str(path)

    other = new_window(qtbot)
    other.open_files([str(path)])  # what `wordsync talk.wordsync` does
    wait_idle(qtbot, other)
    o = other.session
    assert o.document == s.document and o.document is not s.document
    assert o.audio is not None and o.audio_path == AUDIO and o.transcript_path == TEXT
    assert o.project_path == path and not o.modified
    assert o.profile.name == "netflix-en" and o.aligner_info == s.aligner_info
    qtbot.waitUntil(lambda: (other.view.view_start_ms, other.view.view_end_ms) == (2000.0, 6500.0))
    assert other.view.playhead_ms == 2500
    assert other.view.tokens == (3, 5) and other.view.cue == 1
    assert "talk.wordsync" in other.windowTitle()


def test_edit_marks_modified_and_save_marks_clean(qtbot, window, tmp_path):
    s = window.session
    assert not s.modified and not window.isWindowModified()
    assert s.push(SetTokenText(0, "And so,"))
    assert s.modified and window.isWindowModified() and "[*]" in window.windowTitle()
    assert window.files.save_as(tmp_path / "p.wordsync")
    assert not window.isWindowModified()
    assert load_project(tmp_path / "p.wordsync").document.tokens[0].text == "And so,"
    s.undo_stack.undo()
    assert window.isWindowModified()  # the file holds the edit; the window no longer does
    assert window.files.save()  # has a path now: no dialog
    assert load_project(tmp_path / "p.wordsync").document.tokens[0].text == "And"


def test_unreadable_and_too_new_projects_are_reported(qtbot, window, tmp_path):
    bad = tmp_path / "bad.wordsync"
    bad.write_text("{not json", encoding="utf-8")
    window.open_files([str(bad)])
    assert "bad.wordsync" in window.stage_label.text() and window.session.project_path is None
    newer = tmp_path / "new.wordsync"
    newer.write_text('{"format": "wordsync-project", "version": 99}', encoding="utf-8")
    window.open_files([str(newer)])
    assert "newer Wordsync" in window.stage_label.text()
    assert window.session.document is not None  # the open document is untouched


def test_moved_audio_is_located_and_relinked(qtbot, audio, tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(AUDIO, first / "jfk.flac")
    win = new_window(qtbot)
    win.session.set_audio(audio, first / "jfk.flac")
    win.session.set_document(timed_document(audio.duration_ms))
    project = tmp_path / "elsewhere" / "talk.wordsync"
    project.parent.mkdir()
    assert win.files.save_as(project)
    moved = tmp_path / "moved" / "jfk.flac"
    moved.parent.mkdir()
    shutil.move(first / "jfk.flac", moved)

    other = new_window(qtbot)
    pending = answer_modals(click(QMessageBox.StandardButton.Yes), choose_file(moved))
    other.open_files([str(project)])
    assert pending == []
    wait_idle(qtbot, other)
    assert other.session.audio_path == moved and other.session.audio is not None
    assert other.session.document == win.session.document
    assert other.session.modified  # the file still names the old place until saved
    assert other.files.save()
    saved = load_project(project)
    assert saved.audio_path == moved and not saved.audio_missing


def test_project_opened_without_its_missing_audio_keeps_the_reference(qtbot, audio, tmp_path):
    local = tmp_path / "jfk.flac"
    shutil.copy(AUDIO, local)
    win = new_window(qtbot)
    win.session.set_audio(audio, local)
    win.session.set_document(timed_document(audio.duration_ms))
    project = tmp_path / "talk.wordsync"
    assert win.files.save_as(project)
    local.unlink()

    other = new_window(qtbot)
    pending = answer_modals(click(QMessageBox.StandardButton.No))
    other.open_files([str(project)])
    assert pending == [] and other.session.audio is None and not other.busy
    assert "without its audio" in other.stage_label.text()
    assert other.files.save()
    again = load_project(project)
    assert again.audio_missing and again.audio_path == local and again.audio_fingerprint is not None


def test_located_audio_that_differs_is_refused_when_the_user_says_no(qtbot, audio, tmp_path):
    win = new_window(qtbot)
    local = tmp_path / "jfk.flac"
    shutil.copy(AUDIO, local)
    win.session.set_audio(audio, local)
    win.session.set_document(timed_document(audio.duration_ms))
    project = tmp_path / "talk.wordsync"
    assert win.files.save_as(project)
    local.unlink()
    impostor = tmp_path / "other" / "jfk.flac"
    impostor.parent.mkdir()
    impostor.write_bytes(AUDIO.read_bytes()[:-1000])  # another cut of "the same" file

    other = new_window(qtbot)
    pending = answer_modals(
        click(QMessageBox.StandardButton.Yes), choose_file(impostor), click(QMessageBox.StandardButton.No)
    )
    other.open_files([str(project)])
    assert pending == []
    assert other.session.audio is None and not other.busy
    assert other.session.document == win.session.document


# -- recent files ----------------------------------------------------------------------------------


def test_recent_files_keep_ten_drop_missing_and_reopen(qtbot, window, tmp_path):
    paths = []
    for i in range(MAX_RECENT + 2):
        p = tmp_path / f"p{i}.wordsync"
        save_project(window.files.snapshot(), p)
        add_recent(p)
        paths.append(str(p))
    assert recent_files() == paths[::-1][:MAX_RECENT]
    Path(paths[-1]).unlink()
    menu = window.files.recent_menu
    menu.refresh()  # what opening the menu does
    assert menu.paths == paths[::-1][1:MAX_RECENT]
    assert recent_files() == paths[::-1][1:MAX_RECENT]
    next(a for a in menu.actions() if a.data() == paths[-2]).trigger()
    wait_idle(qtbot, window)
    assert window.session.project_path == Path(paths[-2])
    assert recent_files()[0] == paths[-2]
    next(a for a in menu.actions() if a.text() == "&Clear list").trigger()
    assert recent_files() == [] and menu.paths == []


# -- drag and drop ---------------------------------------------------------------------------------


def drag_enter_event(pos: QPoint, mime: QMimeData) -> QDragEnterEvent:
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        return QDragEnterEvent(QPointF(pos), *args)  # Qt 6.12 and later
    except TypeError:
        return QDragEnterEvent(pos, *args)  # earlier PySide6 knows only the QPoint form


def drop(window, files: list[Path]) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    pos = QPoint(window.width() // 2, window.height() // 2)
    actions = Qt.DropAction.CopyAction
    enter = drag_enter_event(pos, mime)
    QApplication.sendEvent(window, enter)
    event = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return enter.isAccepted(), event.isAccepted()


def test_dropping_audio_and_transcript_opens_them(qtbot):
    win = new_window(qtbot)
    assert win.acceptDrops()
    assert drop(win, [TEXT, AUDIO]) == (True, True)
    wait_idle(qtbot, win)
    assert win.session.audio_path == AUDIO and win.session.audio is not None
    assert win.session.transcript_path == TEXT and len(win.session.document.tokens) == 22


def test_dropping_a_project_opens_it(qtbot, window, tmp_path):
    path = tmp_path / "dropped.wordsync"
    assert window.files.save_as(path)
    win = new_window(qtbot)
    assert drop(win, [path]) == (True, True)
    wait_idle(qtbot, win)
    assert win.session.project_path == path and win.session.document == window.session.document


def test_dropping_subtitles_onto_open_audio_loads_them_for_re_timing(qtbot, audio, tmp_path):
    srt = tmp_path / "old.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:02,000\nAnd so my fellow\n\n2\n00:00:02,500 --> 00:00:04,000\nAmericans\n", encoding="utf-8")
    win = new_window(qtbot)
    win.session.set_audio(audio, AUDIO)
    assert drop(win, [srt]) == (True, True)
    doc = win.session.document
    assert [t.text for t in doc.tokens] == ["And", "so", "my", "fellow", "Americans"]
    assert [doc.cue_times(c) for c in doc.cues] == [(500, 2000), (2500, 4000)]
    assert win.session.audio_path == AUDIO and win.session.transcript_path == srt


def test_dropping_something_that_is_no_file_is_refused(qtbot):
    win = new_window(qtbot)
    mime = QMimeData()
    mime.setText("hello")
    enter = drag_enter_event(QPoint(5, 5), mime)
    enter.ignore()
    QApplication.sendEvent(win, enter)
    assert not enter.isAccepted()


# -- close prompt ----------------------------------------------------------------------------------


def test_close_with_unsaved_changes_asks_and_cancel_keeps_the_window(qtbot, window):
    assert window.session.push(SetTokenText(1, "so"))
    assert window.close() is False
    box = window.files.save_prompt
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible() and window.session.modified and window.files.save_prompt is None

    assert window.close() is False
    window.files.save_prompt.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_close_prompt_save_writes_then_closes(qtbot, window, tmp_path):
    path = tmp_path / "keep.wordsync"
    assert window.files.save_as(path)
    assert window.session.push(SetTokenText(1, "so"))
    assert not window.close()
    window.files.save_prompt.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert load_project(path).document.tokens[1].text == "so"


def test_opening_a_project_over_unsaved_changes_asks_first(qtbot, window, tmp_path):
    path = tmp_path / "saved.wordsync"
    assert window.files.save_as(path)
    assert window.session.push(SetTokenText(0, "Unsaved"))
    window.open_files([str(path)])
    box = window.files.save_prompt
    assert box is not None and window.session.document.tokens[0].text == "Unsaved"
    box.button(QMessageBox.StandardButton.Discard).click()
    assert window.session.document.tokens[0].text == "And" and not window.session.modified


def test_close_without_changes_does_not_ask(qtbot, window):
    assert window.close()
    assert window.files.save_prompt is None


# -- autosave and recovery -------------------------------------------------------------------------


def test_autosave_writes_only_when_modified_and_a_clean_exit_removes_it(qtbot, window):
    files = window.files
    files.autosaver.timer.setInterval(20)
    with qtbot.assertNotEmitted(files.autosaver.written, wait=120):
        pass  # nothing changed: nothing written
    assert window.session.push(SetTokenText(2, "my"))
    with qtbot.waitSignal(files.autosaver.written, timeout=5000) as written:
        pass
    path = Path(written.args[0])
    assert load_recovery_file(path).document == window.session.document
    with qtbot.assertNotEmitted(files.autosaver.written, wait=120):
        pass  # written once per change
    assert window.close() is False
    window.files.save_prompt.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not path.exists() and files.autosaver.lock.closed


def load_recovery_file(path: Path):
    from aligner_core.recovery import RecoveryEntry

    return load_recovery(RecoveryEntry(path, path.parent.name, None, 0.0, None))


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from aligner_core.audio import decode
    from aligner_core.edits import SetTokenText
    from desktop.main_window import MainWindow
    sys.path.insert(0, sys.argv[2])
    from test_files import timed_document, AUDIO, TEXT

    app = QApplication([])
    win = MainWindow()
    win.setProperty("quiet_errors", True)
    audio = decode(AUDIO)
    win.session.set_audio(audio, AUDIO)
    win.session.transcript_path = TEXT
    win.session.set_document(timed_document(audio.duration_ms))
    assert win.files.save_as(Path(sys.argv[1]))
    win.session.push(SetTokenText(0, "Recovered"))
    win.files.autosaver.written.connect(lambda path: print(path, flush=True))
    win.files.autosaver.timer.setInterval(10)
    app.exec()  # autosaves, then runs until killed
    """
)


def test_crashed_session_is_offered_for_recovery_and_restored(qtbot, tmp_path):
    project = tmp_path / "crash.wordsync"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), str(Path(__file__).parent)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)  # never hang on a child that died
        autosave = child.stdout.readline().strip() if ready else ""
        assert autosave, child.stderr.read() if child.poll() is not None else "no autosave"
        assert Path(autosave).is_file()
        assert find_recoverable() == []  # the editor is still running
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
        child.stderr.close()

    win = new_window(qtbot)
    dialog = win.files.check_recovery()
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.count() == 1 and "crash.wordsync" in dialog.list.item(0).text()
    with qtbot.waitSignal(win.files.autosaver.written, timeout=10000):
        dialog.restore_button.click()
    wait_idle(qtbot, win)
    s = win.session
    assert s.document.tokens[0].text == "Recovered" and len(s.document.tokens) == 22
    assert s.modified and win.isWindowModified() and s.project_path == project
    assert s.audio_path == AUDIO and s.audio is not None
    assert not Path(autosave).exists()  # now held by this editor's own autosave
    assert find_recoverable() == []
    assert load_project(project).document.tokens[0].text == "And"  # nothing written without asking


def test_recovery_entries_can_be_discarded_or_left_for_later(qtbot, tmp_path):
    from aligner_core.project import Project
    from aligner_core.recovery import AutosaveSession, write_autosave

    session = AutosaveSession()
    write_autosave(Project(timed_document(11000), transcript_text="x"), session, None)
    import os

    os.close(session._lock_fd)  # the process "dies": its lock is released without the clean exit
    session._lock_fd = None

    win = new_window(qtbot)
    dialog = win.files.check_recovery()
    assert dialog.list.count() == 1 and "Untitled" in dialog.list.item(0).text()
    dialog.later_button.click()
    assert not dialog.isVisible() and len(find_recoverable()) == 1
    dialog = win.files.check_recovery()
    dialog.discard_button.click()
    assert find_recoverable() == [] and win.session.document is None
    assert win.files.check_recovery() is None


# -- export ----------------------------------------------------------------------------------------


def test_export_writes_exactly_the_model_with_offset_and_lists_violations(qtbot, window, tmp_path):
    dialog = window.files.export()
    assert dialog.isVisible() and dialog.format == "srt"
    # never into the application's own example folder: home, until an export chose a folder
    assert dialog.path_edit.text() == str(Path.home() / "jfk.srt")
    dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData("one-line"))
    doc = window.session.document
    violations = [v for v in check_cues(doc, PROFILES["one-line"]) if str(v.rule) not in ("empty", "unaligned")]
    assert violations  # two-line cues break the one-line rule
    assert dialog.problem_list.count() == len(violations)
    assert f"{len(violations)} rule violation" in dialog.count_label.text()
    assert dialog.export_button.isEnabled()  # violations do not stop export

    out = tmp_path / "out.srt"
    dialog.offset_spin.setValue(-250)
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    assert not dialog.isVisible()
    cues = read_subtitles(out)
    assert [c.text for c in cues] == ["\n".join(doc.cue_lines(c)) for c in doc.cues]
    assert [(c.start_ms, c.end_ms) for c in cues] == [
        tuple(t - 250 for t in doc.cue_times(c)) for c in doc.cues
    ]
    assert "out.srt" in window.stage_label.text()


def test_export_dry_run_follows_the_offset_once_it_settles(qtbot, window):
    dialog = window.files.export()
    assert dialog.export_button.isEnabled()
    dialog.offset_spin.setValue(-60_000)  # every subtitle would end before the film starts
    qtbot.waitUntil(lambda: not dialog.export_button.isEnabled())
    assert all(t.startswith("Would be lost") for t in dialog.problem_texts[: len(window.session.document.cues)])
    dialog.offset_spin.setValue(0)
    qtbot.waitUntil(dialog.export_button.isEnabled)


def test_export_format_changes_suffix_and_karaoke_only_where_supported(qtbot, window):
    window.session.set_profile(PROFILES["netflix-en"])
    dialog = window.files.export()
    assert dialog.profile.name == "netflix-en"  # the session's rules by default
    dialog.set_format("ass")
    assert dialog.path_edit.text().endswith(".ass") and dialog.karaoke_check.isEnabled()
    dialog.set_format("textgrid")
    assert dialog.path_edit.text().endswith(".TextGrid") and not dialog.karaoke_check.isEnabled()
    dialog.set_format("json")
    assert dialog.path_edit.text().endswith(".json")


def test_export_refuses_broken_cues_unless_fixing_and_write_errors_leave_nothing(qtbot, window, tmp_path):
    s = window.session
    from aligner_core.edits import SetTokenTimes

    cue = s.document.cues[0]
    for i in cue.token_range():
        assert s.push(SetTokenTimes(i, None, None))
    from aligner_core.edits import MoveCueEdge

    assert s.push(MoveCueEdge(0, "start", None)) and s.push(MoveCueEdge(0, "end", None))
    dialog = window.files.export()
    assert any(t.startswith("Would be lost") for t in dialog.problem_texts)
    assert not dialog.export_button.isEnabled()
    dialog.fix_check.setChecked(True)
    assert dialog.export_button.isEnabled()

    dialog.path_edit.setText(str(tmp_path))  # a folder: the write fails
    assert not dialog.export_now()
    assert dialog.error_label.isVisible() and dialog.isVisible()
    assert sorted(tmp_path.iterdir()) == []

    out = tmp_path / "fixed.vtt"
    dialog.set_format("vtt")
    dialog.path_edit.setText(str(out))
    assert dialog.export_now()
    assert len(read_subtitles(out)) == len(s.document.cues) - 1  # the timeless cue was dropped


def test_opening_a_transcript_over_unsaved_changes_asks_first(qtbot, window, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Ask not what your country can do for you.\n", encoding="utf-8")
    assert window.session.push(SetTokenText(0, "Unsaved"))
    window.open_files([str(other)])
    box = window.files.save_prompt
    assert box is not None and window.session.document.tokens[0].text == "Unsaved"
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.session.document.tokens[0].text == "Unsaved" and window.session.modified
    window.open_files([str(other)])
    window.files.save_prompt.button(QMessageBox.StandardButton.Discard).click()
    assert window.session.document.tokens[0].text == "Ask" and window.session.transcript_path == other


# -- outputs never replace inputs ---------------------------------------------------------------------


@pytest.fixture
def copied_inputs(window, tmp_path):
    """The window's audio and transcript as copies the tests may (fail to) overwrite."""
    audio, text = tmp_path / "take.flac", tmp_path / "take.txt"
    shutil.copy(AUDIO, audio)
    shutil.copy(TEXT, text)
    window.session.audio_path, window.session.transcript_path = audio, text
    return audio, text


def test_export_onto_an_input_is_refused_and_the_dialog_stays_open(qtbot, window, copied_inputs, tmp_path):
    audio, text = copied_inputs
    before = {p: p.read_bytes() for p in copied_inputs}
    dialog = window.files.export()
    for target in (audio, text, tmp_path / "sub" / ".." / "take.txt"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        dialog.path_edit.setText(str(target))
        assert not dialog.export_now()
        assert dialog.isVisible() and dialog.error_label.isVisible()
        assert "same file as the input" in dialog.error_label.text()
    assert {p: p.read_bytes() for p in copied_inputs} == before
    dialog.path_edit.setText(str(tmp_path / "take.srt"))
    assert dialog.export_now()


def test_export_refusal_speaks_chinese(qtbot, window, copied_inputs):
    from PySide6.QtWidgets import QApplication

    from desktop import i18n

    app = QApplication.instance()
    try:
        assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
        dialog = window.files.export()
        dialog.path_edit.setText(str(copied_inputs[0]))
        assert not dialog.export_now()
        shown = dialog.error_label.text()
        assert "take.flac" in shown and "same file" not in shown and "输入" in shown, shown
    finally:
        i18n.install_translators(app, i18n.ENGLISH)


def test_save_onto_the_audio_is_refused_and_nothing_changes(qtbot, window, copied_inputs):
    audio, _text = copied_inputs
    before = audio.read_bytes()
    assert not window.files.save_to(audio)
    assert audio.read_bytes() == before
    assert window.session.project_path is None
    assert "same file as the input" in window.stage_label.text()


def test_every_message_of_the_core_has_an_editor_form():
    from aligner_core.messages import CATALOG
    from desktop.messages import known_codes

    assert known_codes() == set(CATALOG)


def test_exported_word_json_says_where_speech_has_no_transcript(qtbot, window, tmp_path):
    import json

    from aligner_core.edits import SetUntranscribed

    s = window.session
    assert s.push(SetUntranscribed(0, s.document.duration_ms, [(100, 1600)]))
    dialog = window.files.export()
    dialog.set_format("json")
    dialog.offset_spin.setValue(-500)
    out = tmp_path / "words.json"
    dialog.path_edit.setText(str(out))
    assert dialog.export_now()
    spans = json.loads(out.read_text(encoding="utf-8"))["untranscribed"]
    assert spans == [{"start": 0.0, "end": 1.1}]  # moved by the offset like every other time
