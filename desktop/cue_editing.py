"""Cue editing actions: create a cue from the selected words or time, delete a cue, merge with the
previous cue, and the cue's position and style (Edit menu). Each is one core edit
(aligner_core.cue_edits) pushed as one undo step; split and merge with the next stay in
desktop/editing.py.

Create cue follows the selection: selected words become a cue (taken out of the cues they were
in); a time selection without words asks for a label and makes a sound cue ("[music]") there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit

from aligner_core.cue_edits import CreateCue, CreateSoundCue, DeleteCue, SetCueLook, cue_for_stretch
from aligner_core.edits import EditError, MergeCues
from aligner_core.messages import msg

from .dialogs.cue_look import CueLookDialog
from .messages import localize
from .selection import selection


class CueEditingController(QObject):
    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host, self.session, self.view = host, host.session, host.view
        self.sound_dialog: QInputDialog | None = None
        self.look_dialog: CueLookDialog | None = None
        self._sound_stretch: tuple[int, int] | None = None
        self._look_cue: int | None = None
        add, menu = host.add_action, "edit"
        host.menus[menu].addSeparator()
        self.create_action = add("edit.create_cue", self.tr("Create cue fr&om selection"), self.create_cue, menu)
        self.delete_action = add("edit.delete_cue", self.tr("Delete cue (keep its &words)"), self.delete_cue, menu)
        self.merge_previous_action = add("edit.merge_previous", self.tr("Mer&ge cue with previous"), self.merge_previous, menu)
        self.look_action = add("edit.cue_look", self.tr("Cue position and st&yle…"), self.edit_look, menu)
        self.view.selection_changed.connect(self._update_actions)
        self.session.changed.connect(self._update_actions)
        self.session.document_reset.connect(self._update_actions)
        host.actions_changed.connect(self._update_actions)
        self._update_actions()

    def _selection(self):
        return selection(self.session.document, self.view)

    @Slot()
    def _update_actions(self, *_args) -> None:
        doc = self.session.document
        sel = self._selection()
        self.create_action.setEnabled(doc is not None and (bool(sel.tokens) or self.view.time_range is not None))
        self.delete_action.setEnabled(sel.cue is not None)
        self.merge_previous_action.setEnabled(sel.cue is not None and sel.cue > 0)
        self.look_action.setEnabled(sel.cue is not None)

    # -- create / delete / merge -------------------------------------------------------------------
    @Slot()
    def create_cue(self) -> None:
        doc = self.session.document
        if doc is None:
            return
        sel = self._selection()
        if self.view.time_range is not None and self.view.tokens is None and self.view.cue is None:
            lo, hi = sorted(int(v) for v in self.view.time_range)
            try:
                edit = cue_for_stretch(doc, lo, hi)
            except EditError:  # no words there: a sound cue, once it has a label
                self._ask_sound_label(lo, hi)
                return
        elif sel.tokens:
            edit = CreateCue(sel.tokens.start, sel.tokens.stop - 1)
        else:
            return
        if self.session.push(edit, self.tr("Create cue")):
            self._select_cue_of(edit.first)

    def _ask_sound_label(self, lo: int, hi: int) -> None:
        self._sound_stretch = (lo, hi)
        if self.sound_dialog is None:
            self.sound_dialog = QInputDialog(self.host.widget)
            self.sound_dialog.setObjectName("sound-cue-dialog")
            self.sound_dialog.setInputMode(QInputDialog.InputMode.TextInput)
            self.sound_dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
            self.sound_dialog.setWindowTitle(self.tr("Sound cue"))
            self.sound_dialog.setLabelText(self.tr("No words there. Label of the sound cue:"))
            self.sound_dialog.textValueSelected.connect(self._on_sound_label)
        self.sound_dialog.setTextValue(self.tr("[music]"))
        self.sound_dialog.open()

    @Slot(str)
    def _on_sound_label(self, label: str) -> None:
        if self._sound_stretch is None:
            return
        lo, hi = self._sound_stretch
        if not label.strip():
            self.session.refused.emit(localize(msg("edit_cue_no_words")))
            return
        edit = CreateSoundCue(lo, hi, label)
        if self.session.push(edit, self.tr("Create sound cue")):
            self._select_cue_of(edit.index)

    def _select_cue_of(self, token: int) -> None:
        doc = self.session.document
        c = doc.cue_index_of(token)
        if c is not None:
            cue = doc.cues[c]
            self.view.select(cue=c, tokens=(cue.first, cue.last))

    @Slot()
    def delete_cue(self) -> None:
        c = self._selection().cue
        if c is not None and self.session.push(DeleteCue(c), self.tr("Delete cue")):
            self.view.clear()

    @Slot()
    def merge_previous(self) -> None:
        c = self._selection().cue
        if c is not None and c > 0 and self.session.push(MergeCues(c - 1, self.session.profile), self.tr("Merge cues")):
            cue = self.session.document.cues[c - 1]
            self.view.select(cue=c - 1, tokens=(cue.first, cue.last))

    # -- look --------------------------------------------------------------------------------------
    @Slot()
    def edit_look(self) -> None:
        c = self._selection().cue
        if c is None:
            return
        self._look_cue = c
        if self.look_dialog is None:
            self.look_dialog = CueLookDialog(self.host.widget)
            self.look_dialog.accepted.connect(self._on_look_chosen)
        cue = self.session.document.cues[c]
        self.look_dialog.set_look(cue.align, cue.pos, cue.style)
        self.look_dialog.open()

    @Slot()
    def _on_look_chosen(self) -> None:
        c = self._look_cue
        doc = self.session.document
        if c is None or doc is None or c >= len(doc.cues):
            return
        align, pos, style = self.look_dialog.look()
        cue = doc.cues[c]
        if (cue.align, cue.pos, cue.style) != (align, pos, style):
            self.session.push(SetCueLook(c, align, pos, style), self.tr("Cue position and style"))

