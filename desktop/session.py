"""The editing session: the one Document, its audio and its undo stack, bridged to Qt signals.

Every view reads the document through the session and every change goes through
:meth:`Session.push` (one ``QUndoCommand`` per user action, see :mod:`desktop.commands`), so
the model is never mutated behind the undo stack's back. After each apply, undo or redo the
session emits :attr:`Session.changed` with the :class:`~aligner_core.edits.Changed` the core
reported, and views refresh just those indices. Replacing the whole document (open, load a
project, recovery) emits :attr:`Session.document_reset` and clears the undo stack.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoStack

from aligner_core.cues import Profile, get_profile
from aligner_core.document import Document
from aligner_core.edits import Changed, Edit, EditError
from aligner_core.review import ReviewIndex, is_draft

from .commands import EditCommand
from .messages import core_message


class _FollowUp:
    """The merge key of a step whose background consequence (the re-align that a text edit asks
    for) joins it: one user action, one undo step. A new object per step, so two text edits in a
    row never merge with each other."""


class Session(QObject):
    #: a document was replaced (or removed): views reload everything
    document_reset = Signal()
    #: an edit was applied, undone or redone: a :class:`Changed` in the current indexing
    changed = Signal(object)
    #: the audio was replaced (``session.audio`` may be ``None``)
    audio_changed = Signal()
    #: an edit was refused: a one-line reason for the status bar
    refused = Signal(str)
    #: the project path or the modified state changed (for the window title)
    title_changed = Signal()
    #: the cue rule profile changed (``session.profile``)
    profile_changed = Signal()
    #: someone asks for tokens first..last (inclusive) to be re-aligned (after a text edit);
    #: the alignment controller does it in the background as one undo step
    realign_requested = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.audio = None  # aligner_core.audio.DecodedAudio: samples (16 kHz mono), envelope, source path
        self.audio_path: Path | None = None
        self.transcript_path: Path | None = None
        self.project_path: Path | None = None
        #: aligner name/version/settings of the last alignment, kept in the project file
        self.aligner_info: dict = {}
        #: the cue rule profile used for segmentation, violations and export
        self.profile: Profile = get_profile("general")
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        #: the words needing review (the core's policy) and the unreviewed drafts, kept from each
        #: change before any view hears of it, so no view scans the document on a drag
        self.review = ReviewIndex()
        self.drafts = ReviewIndex((), is_draft)

    @Slot(bool)
    def _on_clean_changed(self, _clean: bool) -> None:
        self.title_changed.emit()

    # -- the document ------------------------------------------------------------------------------
    def set_document(self, document: Document | None, *, clean: bool = True) -> None:
        """Replace the document (open, project load, recovery); the undo history starts over."""
        self.undo_stack.clear()
        self.document = document
        if document is not None and self.audio is not None:
            document.duration_ms = self.audio.duration_ms
        if clean:
            self.undo_stack.setClean()
        else:
            # recovered work is not saved anywhere yet: an empty stack cannot be "unclean",
            # so remember it until the next save
            self._dirty_without_history = True
        tokens = document.tokens if document is not None else ()
        self.review.rebuild(tokens)
        self.drafts.rebuild(tokens)
        self.document_reset.emit()
        self.title_changed.emit()

    def set_audio(self, audio, path: Path | None) -> None:
        self.audio = audio
        self.audio_path = Path(path) if path is not None else None
        if self.document is not None and audio is not None:
            # Never shorter than the words' own times: a shorter (wrong or truncated) recording
            # would break the document's invariants and every later edit would be refused.
            self.document.duration_ms = max(audio.duration_ms, self.timed_until_ms())
        self.audio_changed.emit()
        self.title_changed.emit()

    def timed_until_ms(self) -> int:
        """The latest word or cue time of the document (0 when nothing is timed)."""
        doc = self.document
        if doc is None:
            return 0
        ends = [t.end for t in doc.tokens if t.end is not None] + [c.end for c in doc.cues if c.end is not None]
        return max(ends, default=0)

    def set_profile(self, profile: Profile) -> None:
        if profile != self.profile:
            self.profile = profile
            self.profile_changed.emit()

    @property
    def revision(self) -> int:
        return -1 if self.document is None else self.document.revision

    # -- changes -----------------------------------------------------------------------------------
    def push(self, edit: Edit, text: str | None = None, *, merge_key: object = None) -> bool:
        """Apply ``edit`` as one undo step; ``False`` (and :attr:`refused`) when it is invalid.

        Consecutive pushes with the same non-``None`` ``merge_key`` become one undo step (keyboard
        nudges of one boundary). The edit is applied here, before the command enters the stack,
        so a refused edit never leaves a command behind.
        """
        if self.document is None:
            return False
        try:
            changed = edit.apply(self.document)
        except EditError as exc:
            self.refused.emit(core_message(exc))
            return False
        self.undo_stack.push(EditCommand(self, edit, text or edit.description, merge_key=merge_key, applied=True))
        self.after_edit(changed)
        return True

    def push_text_edit(self, edit: Edit, text: str, span: tuple[int, int] | None) -> bool:
        """Push a text edit, then ask for words ``span`` to be re-aligned; the re-alignment joins
        this undo step (:meth:`push_follow_up`)."""
        if not self.push(edit, text, merge_key=_FollowUp()):
            return False
        if span is not None:
            self.realign_requested.emit(*span)
        return True

    def push_follow_up(self, edit: Edit, text: str) -> bool:
        """Push the result of a background job that a step asked for: it joins that step when
        the step is still the latest (nothing was done or undone since), else it is its own."""
        stack, key = self.undo_stack, None
        top = stack.command(stack.index() - 1) if stack.index() == stack.count() and stack.index() > 0 else None
        if isinstance(top, EditCommand) and isinstance(top.merge_key, _FollowUp):
            key = top.merge_key
        return self.push(edit, text, merge_key=key)

    def after_edit(self, changed: Changed) -> None:
        """Say that an edit was applied, undone or redone (the undo commands call it too): the
        review indices first, then the views."""
        self.review.update(self.document.tokens, changed)
        self.drafts.update(self.document.tokens, changed)
        self.changed.emit(changed)

    # -- saved state -------------------------------------------------------------------------------
    _dirty_without_history = False

    @property
    def modified(self) -> bool:
        return self.document is not None and (self._dirty_without_history or not self.undo_stack.isClean())

    def mark_saved(self, path: Path | None = None) -> None:
        if path is not None:
            self.project_path = Path(path)
        self._dirty_without_history = False
        self.undo_stack.setClean()
        self.title_changed.emit()
