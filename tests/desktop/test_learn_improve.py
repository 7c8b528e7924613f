"""Timing → Improve the aligner from my corrections…: counts, plan, a real background run, before/after, use it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from desktop import settings
from desktop.dialogs.improve import FOLDER_KEY
from tests.core.learn_data import SENTENCES, corrected_project

from .conftest import new_window


def _open(qtbot, path: Path):
    win = new_window(qtbot)
    win.open_files([str(path)])
    qtbot.waitUntil(lambda: win.session.document is not None and win.session.audio is not None and not win.busy, timeout=30000)
    return win


def test_the_offline_aligner_learns_from_the_open_project_and_others(qtbot, tmp_path):
    projects = [corrected_project(tmp_path / f"r{i}", f"r{i}", s, seed=i, locked_every=2, shift_ms=30) for i, s in enumerate(SENTENCES)]
    win = _open(qtbot, projects[0])
    settings.set_value(FOLDER_KEY, str(tmp_path / "improved"))
    win.actions["timing.improve"].trigger()
    dialog = win.improve.dialog
    assert dialog.isVisible()
    verified = sum(t.locked for t in win.session.document.tokens)
    assert f"holds {verified} verified" in dialog.words_label.text() or f"{verified} verified words" in dialog.words_label.text()
    assert "offline aligner" in dialog.aligner_label.text()
    assert "about" in dialog.time_label.text()
    dialog.add_projects(projects[1:])
    assert dialog.plan.train_segments + dialog.plan.eval_segments == 4 and dialog.plan.eval_segments == 1
    assert dialog.start_button.isEnabled() and not dialog.use_button.isEnabled()

    dialog.start_button.click()
    assert dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=120000)
    assert dialog.outcome is not None, dialog.stage.text()
    assert (tmp_path / "improved" / "adaptation.json").is_file()
    assert "before" in dialog.result_label.text() and "after" in dialog.result_label.text()
    dialog.use_button.click()
    assert win.alignment.options.model == str(tmp_path / "improved")
    assert settings.value(FOLDER_KEY, "") == str(tmp_path / "improved")  # remembered


def test_a_document_without_verified_words_says_so_and_cannot_start(qtbot, tmp_path):
    path = corrected_project(tmp_path / "n", "n", SENTENCES[0], locked_every=0)
    win = _open(qtbot, path)
    win.actions["timing.improve"].trigger()
    dialog = win.improve.dialog
    assert "No word of “the open document” is verified" in dialog.words_label.text() and "lock" in dialog.words_label.text()
    assert not dialog.start_button.isEnabled()


def test_the_default_folder_names_wordsync_once(qtbot):
    from desktop.dialogs.improve import default_folder

    parts = default_folder("en", "sphinx").parts
    assert parts[-2:] == ("improved", "en-sphinx")
    assert parts[-3] == QCoreApplication.applicationName()
    assert parts[-4] != parts[-3], parts  # it read …/Wordsync/Wordsync/improved
