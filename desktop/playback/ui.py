"""The Playback menu and toolbar: play/pause, word, cue, selection, loop and speed.

Actions are made through ``host.add_action`` (ids and keys in :mod:`desktop.actions`), so they
work wherever focus is in the window. When playback is unavailable they are disabled, and why is
said where people look: once in the status bar's message, in a permanent status bar label that
opening a file does not replace, at the top of the Playback menu and in the tooltips.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QStyle

from .controller import SPEEDS, PlaybackController


class PlaybackUi(QObject):
    def __init__(self, host, controller: PlaybackController) -> None:
        super().__init__(host.widget)
        self._controller = c = controller
        add = host.add_action
        # the reason playback is off, first in its menu (disabled: it is a notice, not a command)
        self.notice = host.menus["playback"].addAction("")
        self.notice.setObjectName("play.unavailable")
        self.notice.setEnabled(False)
        self.notice_separator = host.menus["playback"].addSeparator()
        self.status = QLabel()
        self.status.setObjectName("playback-unavailable")
        host.add_status_widget(self.status)
        self.toggle = add("play.toggle", self.tr("&Play / Pause"), c.toggle, "playback")
        self.word = add("play.word", self.tr("Play &word"), c.play_word, "playback")
        self.cue = add("play.cue", self.tr("Play &cue"), c.play_cue, "playback")
        self.selection = add("play.selection", self.tr("Play &selection"), c.play_selection, "playback")
        host.menus["playback"].addSeparator()
        self.loop = add("play.loop", self.tr("&Loop"), None, "playback", checkable=True)
        self.loop.toggled.connect(c.set_loop)
        host.menus["playback"].addSeparator()
        self.slower = add("play.slower", self.tr("Sl&ower"), c.slower, "playback")
        self.faster = add("play.faster", self.tr("&Faster"), c.faster, "playback")
        self.normal = add("play.normal_speed", self.tr("&Normal speed"), c.normal_speed, "playback")

        style = host.widget.style()
        self._play_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        self._pause_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPause)
        self.loop.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))

        self.speed_box = QComboBox()
        self.speed_box.setObjectName("playback-speed")
        for speed in SPEEDS:
            self.speed_box.addItem(self.tr("{0}×").format(f"{speed:g}"), speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(c.speed))
        self.speed_box.setToolTip(self.tr("Playback speed (pitch is kept)"))
        self.speed_box.currentIndexChanged.connect(self._on_speed_chosen)

        self.toolbar = host.add_toolbar(self.tr("Playback"))
        self.toolbar.setObjectName("playback-toolbar")
        self.toolbar.addAction(self.toggle)
        self.toolbar.addAction(self.loop)
        self.toolbar.addWidget(self.speed_box)

        c.state_changed.connect(self._refresh)
        c.speed_changed.connect(self._on_speed_changed)
        self._refresh()
        if c.unavailable_reason:
            host.status(c.unavailable_reason)

    @Slot(int)
    def _on_speed_chosen(self, index: int) -> None:
        self._controller.set_speed(self.speed_box.itemData(index))

    @Slot(float)
    def _on_speed_changed(self, speed: float) -> None:
        self.speed_box.setCurrentIndex(SPEEDS.index(speed))

    @Slot()
    def _refresh(self) -> None:
        c = self._controller
        playing = c.playing
        self.toggle.setIcon(self._pause_icon if playing else self._play_icon)
        self.toggle.setText(self.tr("&Pause") if playing else self.tr("&Play"))
        can = c.can_play
        for action in (self.toggle, self.word, self.cue, self.selection):
            action.setEnabled(can)
        for action in (self.loop, self.slower, self.faster, self.normal):
            action.setEnabled(c.available)
        self.speed_box.setEnabled(c.available)
        if self.loop.isChecked() != c.loop:
            self.loop.setChecked(c.loop)
        reason = c.unavailable_reason
        self.notice.setText(reason or "")
        self.notice.setVisible(bool(reason))
        self.notice_separator.setVisible(bool(reason))
        self.status.setText(reason or "")
        self.status.setVisible(bool(reason))
        self.toggle.setToolTip(reason or self.tr("Play or pause from the playhead (Space)"))
        self.speed_box.setToolTip(reason or self.tr("Playback speed (pitch is kept)"))
