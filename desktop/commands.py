"""One ``QUndoCommand`` adapter over the core's edits.

A command holds one or more applied :class:`~aligner_core.edits.Edit` objects. ``undo`` reverts
them in reverse order, ``redo`` applies them again (an edit re-plans from the document, which is
exactly as it was when it was first applied). Commands pushed with the same ``merge_key`` one
after another merge into one step: a run of keyboard nudges of one boundary is undone at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from aligner_core.edits import Changed, Edit

if TYPE_CHECKING:
    from .session import Session

#: ``QUndoCommand.id`` of every mergeable command; ``merge_key`` decides what merges
MERGEABLE_ID = 0x5753


class EditCommand(QUndoCommand):
    def __init__(self, session: "Session", edit: Edit, text: str, *, merge_key: object = None, applied: bool = False):
        super().__init__(text)
        self._session = session
        self.edits: list[Edit] = [edit]
        self.merge_key = merge_key
        self._skip_redo = applied  # QUndoStack.push calls redo(); the session applied it already

    def id(self) -> int:  # noqa: A003 - Qt API
        return MERGEABLE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, EditCommand) or other.merge_key is None or other.merge_key != self.merge_key:
            return False
        self.edits.extend(other.edits)
        return True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        doc = self._session.document
        changed = Changed()
        for edit in self.edits:
            changed = changed | edit.apply(doc)
        self._session.after_edit(changed)

    def undo(self) -> None:
        doc = self._session.document
        changed = Changed()
        for edit in reversed(self.edits):
            changed = changed | edit.revert(doc)
        self._session.after_edit(changed)
