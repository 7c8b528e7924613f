"""The editor starts as a program (not a widget in a test): WORDSYNC_EXIT_AFTER_SHOW=1 makes it
quit once its window is on screen and print the time, which packaging/check_bundle.sh relies on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_editor_reports_its_window_then_quits(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORDSYNC_EXIT_AFTER_SHOW="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), WORDSYNC_STATE_DIR=str(tmp_path / "state" / "wordsync"))
    result = subprocess.run([sys.executable, "-m", "desktop.app"], cwd=ROOT, env=env, check=False,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    shown = re.search(r"^wordsync: window shown after (\d+\.\d\d) s$", result.stdout, re.MULTILINE)
    assert shown, result.stdout + result.stderr
    assert 0 < float(shown.group(1)) < 30


def test_editor_quitting_while_it_opens_files_stops_its_worker_cleanly(tmp_path):
    # the example starts decoding in a worker thread as the window shows; quitting then must not
    # abort the process ("QThread: Destroyed while thread is still running")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORDSYNC_EXIT_AFTER_SHOW="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), WORDSYNC_STATE_DIR=str(tmp_path / "state" / "wordsync"))
    example = ROOT / "resources" / "examples"
    result = subprocess.run([sys.executable, "-m", "desktop.app", str(example / "jfk.flac"), str(example / "jfk.txt")],
                            cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "QThread" not in result.stderr
