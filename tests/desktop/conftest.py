"""Desktop tests: real widgets offscreen; any Qt warning fails the test that caused it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: E402

_IGNORED = (
    "propagateSizeHints",  # offscreen platform plugin noise, not our code
    "This plugin does not support",
)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings():
    messages: list[str] = []

    def handler(mode, _context, message):
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if not any(s in message for s in _IGNORED):
                messages.append(message)

    previous = qInstallMessageHandler(handler)
    yield
    qInstallMessageHandler(previous)
    assert not messages, f"Qt warnings: {messages}"
