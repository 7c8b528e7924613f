"""The editor in Simplified Chinese: every sentence the core sends reaches the user translated.

Each flow runs with the zh_CN translation loaded and collects what the window shows (the status
label, the export dialog's labels and problem list, the cue table's tooltips); none of it may
hold an English sentence. The bad files are the reliability corpus's, so a new core message that
the editor cannot say yet fails here.
"""

from __future__ import annotations

import os
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from aligner_core.audio import decode
from aligner_core.cues import PROFILES
from aligner_core.edits import MoveCueEdge, SetTokenTimes
from desktop.main_window import MainWindow
from tests.reliability_cases import AUDIO_CASES, PROJECT_CASES, SUBTITLE_CASES, TRANSCRIPT_CASES, Case

from .english import english_sentences
from .test_files import AUDIO, timed_document, wait_idle

REFUSED = [c for c in AUDIO_CASES + TRANSCRIPT_CASES + SUBTITLE_CASES + PROJECT_CASES if c.expect == "error"]


@pytest.fixture
def window(qtbot, chinese):
    win = MainWindow()  # made after the translators: its own words are Chinese too
    win.setProperty("quiet_errors", True)
    qtbot.addWidget(win)
    win.show()
    return win


def shown_error(qtbot, win, path) -> str:
    before = win.stage_label.text()
    win.open_files([str(path)])
    wait_idle(qtbot, win)
    text = win.stage_label.text()
    assert text and text != before, f"no message for {path}"
    return text


def test_english_sentences_are_found():
    assert english_sentences(["无法打开 p.wordsync：The project file is empty."]) != []
    assert english_sentences(["“b.txt”包含二进制数据，不是文本。", "第 3 条字幕：显示 0.35 秒（至少 0.70 秒）", "SRT: 12 ms"]) == []


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_a_refused_file_is_explained_in_chinese(qtbot, window, tmp_path, case: Case):
    text = shown_error(qtbot, window, case.build(tmp_path))
    assert english_sentences([text]) == [], text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_broken_transcripts_fifo_binary_empty_in_chinese(qtbot, window, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    texts = [shown_error(qtbot, window, p) for p in (fifo, binary, empty)]
    assert english_sentences(texts) == [], texts
    for path, text in zip((fifo, binary, empty), texts):
        assert path.name in text, text  # which file it was, in any language


def test_damaged_project_in_chinese(qtbot, window, tmp_path):
    cut = tmp_path / "cut.wordsync"
    cut.write_text('{"format": "wordsync-project", "version": 1, "document": {"tokens": [', encoding="utf-8")
    wrong = tmp_path / "wrong.wordsync"
    wrong.write_text('{"format": "wordsync-project", "version": 1, "transcript": {"text": 5}}', encoding="utf-8")
    texts = [shown_error(qtbot, window, p) for p in (cut, wrong)]
    assert english_sentences(texts) == [], texts
    assert all("cut.wordsync" in texts[0] and "wrong.wordsync" in texts[1] for _ in texts)


@pytest.fixture
def timed(window):
    audio = decode(AUDIO)
    window.session.set_audio(audio, AUDIO)
    window.session.set_document(timed_document(audio.duration_ms))
    return window


def dialog_texts(dialog) -> list[str]:
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    return labels + dialog.problem_texts


def test_export_with_rule_violations_in_chinese(qtbot, timed):
    timed.session.set_profile(PROFILES["one-line"])  # the two-line cues break it
    dialog = timed.files.export()
    assert dialog.problem_list.count() > 0 and dialog.export_button.isEnabled()
    texts = dialog_texts(dialog)
    assert english_sentences(texts) == [], texts
    assert any("第 1 条字幕" in t for t in dialog.problem_texts), dialog.problem_texts
    model = timed.cue_model
    doc = timed.session.document
    own = set(doc.cue_lines(doc.cues[0]))  # the text column's tooltip shows the user's own words too
    tips = [model.data(model.index(0, c), Qt.ItemDataRole.ToolTipRole) or "" for c in range(model.columnCount())]
    said = [line for tip in tips for line in tip.splitlines() if line not in own]
    assert said and english_sentences(said) == [], tips
    dialog.close()


def test_export_with_a_blocking_problem_in_chinese(qtbot, timed, tmp_path):
    s = timed.session
    for i in s.document.cues[0].token_range():
        assert s.push(SetTokenTimes(i, None, None))
    assert s.push(MoveCueEdge(0, "start", None)) and s.push(MoveCueEdge(0, "end", None))
    dialog = timed.files.export()
    assert not dialog.export_button.isEnabled()
    refused = dialog_texts(dialog)
    dialog.fix_check.setChecked(True)  # repaired: the action taken is said too
    dialog.refresh()
    repaired = dialog_texts(dialog)
    dialog.path_edit.setText(str(AUDIO))  # onto the recording itself: refused, nothing written
    assert not dialog.export_now()
    written = dialog_texts(dialog)
    texts = refused + repaired + written
    assert english_sentences(texts) == [], texts
    assert dialog.error_label.text() in written
    dialog.close()


def test_saving_onto_the_audio_file_is_refused_in_chinese(qtbot, timed, tmp_path):
    before = AUDIO.read_bytes()
    assert not timed.files.save_to(AUDIO)
    text = timed.stage_label.text()
    assert english_sentences([text]) == [] and AUDIO.name in text, text
    assert AUDIO.read_bytes() == before


def test_refused_edits_in_chinese(qtbot, timed):
    from aligner_core.edits import MoveBoundary, SetTokenText

    s = timed.session
    said = []
    s.refused.connect(said.append)
    last = len(s.document.cues) - 1
    assert not timed.cue_model.set_time(0, "end", "9:00:00")  # past the next cues and the recording
    assert not s.push(SetTokenText(0, "  "))
    assert not s.push(MoveBoundary(0, 10**9))
    assert len(said) == 3 and english_sentences(said) == [], said
    assert timed.stage_label.text() == said[-1] and last == len(s.document.cues) - 1


def test_system_errors_are_said_in_chinese(qtbot, window, tmp_path):
    locked = tmp_path / "locked.wordsync"
    locked.write_text("{}", encoding="utf-8")
    locked.chmod(0)
    gone = tmp_path / "gone.wordsync"  # removed after it was chosen (a stale recent file)
    texts = [shown_error(qtbot, window, gone)]
    if os.geteuid() != 0:  # root reads any file
        texts.append(shown_error(qtbot, window, locked))
    assert english_sentences(texts) == [], texts
    assert "gone.wordsync" in texts[0]


def test_a_list_of_project_names_takes_the_chinese_quotes(chinese):
    from aligner_core.messages import Names, msg
    from desktop.messages import localize

    message = msg("learn_no_verified", projects=Names(["当前打开的文档", "b.wordsync"]))
    said = localize(message)
    assert "“当前打开的文档”、“b.wordsync”" in said and "'" not in said, said
    assert str(message).startswith("No word of '当前打开的文档', 'b.wordsync' is verified")  # the CLI's English


def test_autosave_refusals_are_said_in_chinese(chinese, tmp_path, monkeypatch):
    from aligner_core.recovery import AutosaveSession, write_autosave
    from desktop.messages import core_message
    from tests.core.test_project import small_project

    monkeypatch.setenv("WORDSYNC_STATE_DIR", str(tmp_path / "state"))
    said = []
    with AutosaveSession("twice") as session:
        with pytest.raises(FileExistsError) as taken:
            AutosaveSession("twice")
        said.append(core_message(taken.value))
    with pytest.raises(ValueError) as closed:
        write_autosave(small_project(), session, tmp_path / "p.wordsync")
    said.append(core_message(closed.value))
    assert english_sentences(said) == [], said
    assert "twice" in said[0]


OURS = ("at_", "cue_", "export_", "action_", "format_", "ass_", "srt_", "vtt_", "textgrid_", "json_", "audio_", "project_", "edit_",
        "replace_", "clipboard_", "spelling_", "autosave_")


def test_every_file_export_and_edit_message_has_a_chinese_form(chinese):
    """Each code is said in Chinese with the fields the core sends (a field the editor's wording
    names but the core does not send would fall back to English)."""
    from string import Formatter

    from aligner_core.messages import CATALOG, Message, msg
    from desktop.messages import localize

    inner = {"reason": msg("cue_no_text"), "detail": msg("srt_number_alone"), "action": msg("action_dropped")}
    for code, template in CATALOG.items():
        if not code.startswith(OURS):
            continue
        fields = {name for _t, name, _s, _c in Formatter().parse(template) if name}
        message = Message(code, {name: inner.get(name, 12) for name in fields})
        said = localize(message)
        assert said != str(message) and english_sentences([said]) == [], (code, said)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in said) or code.startswith("at_") or code == "with_action", (code, said)



# what may stay in Latin letters inside a Chinese status line: the aligner's product name, the
# example's file name and units; anything else is English the translation missed
_NAMES = re.compile(r"PocketSphinx|sphinx|jfk\.flac|\bRTF\b|\bms\b|\bs\b")


def untranslated_words(texts) -> list[str]:
    """Texts holding an English word once names and units are taken out (stricter than
    :func:`english_sentences`: a stage is often two words, "Aligning words")."""
    return [t for t in texts if re.search(r"[A-Za-z]{2,}", _NAMES.sub("", t))]


def _run_watched(qtbot, win, start) -> tuple[str, list[str], str]:
    """Start a job and wait for it: the status line it starts with, the one on each of its
    progress events, and the one it leaves."""
    from .aligned_example import wait_idle

    start()
    task = win.tasks.running()
    assert task is not None
    first, during = win.stage_label.text(), []
    task.progress.connect(lambda *_: during.append(win.stage_label.text()))  # after the runner's own slot
    wait_idle(qtbot, win)
    return first, during, win.stage_label.text()


def test_open_align_and_realign_progress_in_chinese(qtbot, chinese, jfk_audio):
    from aligner_core.document import Document
    from aligner_core.progress import Stage
    from aligner_core.text import read_transcript, tokenize
    from desktop.main_window import EXAMPLE_DIR
    from desktop.messages import say

    from .aligned_example import AUDIO, open_window

    doc = Document(tokenize(read_transcript(EXAMPLE_DIR / "jfk.txt"), "en"), [], jfk_audio.duration_ms, "en")
    win = open_window(qtbot, jfk_audio, doc)
    runs = [_run_watched(qtbot, win, lambda: win.load_audio(AUDIO))]  # a real decode, with its own stages
    runs.append(_run_watched(qtbot, win, win.actions["timing.align"].trigger))
    assert all(t.aligned for t in win.document.tokens)
    win.view.select(tokens=(3, 12))
    runs.append(_run_watched(qtbot, win, win.actions["timing.realign_selection"].trigger))

    shown = [t for first, during, last in runs for t in (first, *during, last)]
    assert english_sentences(shown) == [] and untranslated_words(shown) == [], shown
    for first, during, _last in runs:
        # each progress event names the core's stage after the job's label: none was left out
        # for want of a translation (an English-only stage shows the bare label)
        assert during and all(t.startswith(first + "：") for t in during), (first, during)
    aligning = say(Stage("stage_aligning_with", backend="PocketSphinx"))
    assert aligning != "Aligning words (PocketSphinx)"
    assert any(t.endswith(aligning) for _f, during, _l in runs[1:] for t in during), runs


def test_improving_the_aligner_names_its_stages_in_chinese(qtbot, chinese, tmp_path):
    from desktop import settings
    from desktop.dialogs.improve import FOLDER_KEY
    from tests.core.learn_data import SENTENCES, corrected_project

    from .conftest import new_window

    projects = [corrected_project(tmp_path / f"r{i}", f"r{i}", s, seed=i, locked_every=2, shift_ms=30) for i, s in enumerate(SENTENCES)]
    win = new_window(qtbot)
    win.open_files([str(projects[0])])
    qtbot.waitUntil(lambda: win.session.audio is not None and not win.busy, timeout=30000)
    settings.set_value(FOLDER_KEY, str(tmp_path / "improved"))
    win.actions["timing.improve"].trigger()
    dialog = win.improve.dialog
    dialog.add_projects(projects[1:])
    dialog.start_button.click()
    shown: list[str] = []
    dialog.task.progress.connect(lambda *_: shown.append(dialog.stage.text()))  # after the dialog's own slot
    qtbot.waitUntil(lambda: dialog.task is None, timeout=120000)
    assert dialog.outcome is not None, dialog.stage.text()
    assert shown and english_sentences(shown) == [] and untranslated_words(shown) == [], shown


def test_the_shortcut_list_tooltips_are_chinese(qtbot, window):
    """F1's rows showed the action id ("edit.next_boundary") where a command's tooltip was its
    text, and Qt's own tooltip ("打开项目(P)", the letter left in) elsewhere."""
    from desktop.dialogs.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    tips = [item.toolTip(0) for item in dialog.items()]
    assert tips and not [t for t in tips if t and not re.search(r"[\u4e00-\u9fff]", t)]
    assert not [t for t in tips if re.search(r"\([A-Z]\)$", t)]
