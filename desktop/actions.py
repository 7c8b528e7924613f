"""Every command the editor offers, with its default shortcut, in one table.

Defaults follow Aegisub and Subtitle Edit habits where they have one (Space plays, R plays the
current line, S the selection, Ctrl+Z/Ctrl+Y undo/redo, F3 finds the next match). Keeping them in
one place lets a test prove no two commands share a key, lets the Help dialog list them, and
lets a user override one in the settings (``shortcuts/<id>`` in QSettings).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence

#: action id -> default shortcuts (first is primary). Ids are stable: they key the settings.
SHORTCUTS: dict[str, tuple[str, ...]] = {
    # File
    "file.open": ("Ctrl+O",),
    "file.open_project": ("Ctrl+Shift+O",),
    "file.save": ("Ctrl+S",),
    "file.save_as": ("Ctrl+Shift+S",),
    "file.export": ("Ctrl+E",),
    "file.transcribe": (),
    "file.quit": ("Ctrl+Q",),
    # Edit
    "edit.undo": ("Ctrl+Z",),
    "edit.redo": ("Ctrl+Y", "Ctrl+Shift+Z"),
    "edit.find": ("Ctrl+F",),
    "edit.find_next": ("F3",),
    "edit.find_previous": ("Shift+F3",),
    "edit.word_text": ("F2",),
    "edit.lock": ("Ctrl+L",),
    "edit.unlock": ("Ctrl+Shift+L",),
    "edit.split_cue": ("Ctrl+Shift+B",),
    "edit.merge_cues": ("Ctrl+Shift+M",),
    "edit.create_cue": ("Ctrl+Shift+N",),
    "edit.delete_cue": ("Ctrl+Shift+Del",),
    "edit.merge_previous": ("Ctrl+Alt+M",),
    "edit.cue_look": ("Alt+Return",),
    "edit.nudge_left": ("Alt+Left",),
    "edit.nudge_right": ("Alt+Right",),
    "edit.nudge_left_big": ("Alt+Shift+Left",),
    "edit.nudge_right_big": ("Alt+Shift+Right",),
    "edit.previous_boundary": ("Ctrl+Left",),
    "edit.next_boundary": ("Ctrl+Right",),
    "edit.next_flagged": ("F8",),
    "edit.previous_flagged": ("Shift+F8",),
    "edit.accept_words": ("Ctrl+Return", "Ctrl+Enter"),
    "edit.replace": ("Ctrl+H",),
    "edit.insert_word_before": ("Alt+Ins",),
    "edit.insert_word_after": ("Ins",),
    "edit.delete_words": ("Del",),
    "edit.cut": ("Ctrl+X",),
    "edit.copy": ("Ctrl+C",),
    "edit.paste": ("Ctrl+V",),
    "edit.spell_check": ("F7",),
    # Timing
    "timing.align": ("Ctrl+R",),
    "timing.realign_selection": ("Ctrl+Shift+R",),
    "timing.resegment": ("Ctrl+Shift+G",),
    "timing.align_settings": (),
    "timing.align_phones": (),
    "timing.improve": (),
    "timing.transcribe_span": (),
    "timing.snap_shots": (),
    "timing.snap_frames": (),
    "timing.post_processor": ("Ctrl+P",),
    # Tiers (the user's annotation tiers)
    "tiers.add_tier": (),
    "tiers.add_point_tier": (),
    "tiers.manage": (),
    "tiers.add_interval": ("Ctrl+Shift+I",),
    "tiers.edit_label": ("Shift+F2",),
    "tiers.delete_interval": (),
    # Playback
    "play.toggle": ("Space",),
    "play.word": ("W",),
    "play.cue": ("R",),
    "play.selection": ("S",),
    "play.loop": ("L",),
    "play.slower": ("[",),
    "play.faster": ("]",),
    "play.normal_speed": ("Backspace",),
    "play.frame_back": ("Ctrl+Shift+Left",),
    "play.frame_forward": ("Ctrl+Shift+Right",),
    # View
    "view.zoom_in": ("+", "=", "Ctrl+="),
    "view.zoom_out": ("-", "Ctrl+-"),
    "view.zoom_selection": ("Ctrl+Shift+E",),
    "view.zoom_all": ("Ctrl+0",),
    "view.follow_playhead": ("F",),
    "view.video": (),
    "view.karaoke": (),
    "view.timecode": (),
    "view.waveform": ("Ctrl+1",),
    "view.spectrogram": ("Ctrl+2",),
    "view.waveform_spectrogram": ("Ctrl+3",),
    "view.amplitude_in": ("Ctrl+Shift+Up",),
    "view.amplitude_out": ("Ctrl+Shift+Down",),
    "view.amplitude_reset": ("Ctrl+Shift+Backspace",),
    "view.spectrogram_settings": (),
    # Help
    "help.shortcuts": ("F1",),
    "help.about": (),
    "help.example": (),
}


def shortcuts_for(action_id: str) -> list[QKeySequence]:
    """The user's shortcuts for an action (QSettings ``shortcuts/<id>``), else the defaults."""
    override = QSettings().value(f"shortcuts/{action_id}")
    keys = SHORTCUTS.get(action_id, ())
    if isinstance(override, str):
        keys = tuple(k.strip() for k in override.split(";") if k.strip())
    return [QKeySequence(k) for k in keys]


_MNEMONIC = re.compile(r"&(.)")
_CJK_MNEMONIC = re.compile(r"\s*\(&\w\)")  # Chinese menus write "文件(&F)"
#: the tooltip make_action last gave an action (a different one is the action's own words)
_PLAIN_TIP = "wordsync_plain_tooltip"


def plain_text(text: str) -> str:
    """Menu text without its mnemonic marks ("&&" stays a literal "&") and trailing ellipsis."""
    text = _MNEMONIC.sub(r"\1", _CJK_MNEMONIC.sub("", text))
    for tail in ("…", "..."):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text.strip()


def qt_tooltip(text: str) -> str:
    """The tooltip Qt derives from an action's text: only "&" goes, so "打开(&O)" reads "打开(O)"."""
    derived = _MNEMONIC.sub(r"\1", text)
    for tail in ("…", "..."):
        derived = derived.removesuffix(tail)
    return derived.strip()


def _keep_tooltip_plain(action: QAction) -> None:
    # on every change (Play becomes Pause, a retranslated text): a tooltip someone set stays
    tip = action.toolTip()
    if tip not in (action.property(_PLAIN_TIP), qt_tooltip(action.text())):
        return
    plain = plain_text(action.text())
    if tip != plain or action.property(_PLAIN_TIP) != plain:
        action.setProperty(_PLAIN_TIP, plain)
        action.setToolTip(plain)


def make_action(parent: QObject, action_id: str, text: str, slot: Callable | None = None, *, checkable: bool = False) -> QAction:
    """A QAction named ``action_id`` with its shortcuts; ``text`` must already be translated."""
    if action_id not in SHORTCUTS:
        raise KeyError(f"add {action_id!r} to desktop.actions.SHORTCUTS")
    action = QAction(text, parent)
    action.setObjectName(action_id)
    action.setShortcuts(shortcuts_for(action_id))
    action.setCheckable(checkable)
    _keep_tooltip_plain(action)
    action.changed.connect(partial(_keep_tooltip_plain, action))
    if slot is not None:
        action.triggered.connect(slot)
    return action
