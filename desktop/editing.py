"""Editing actions: keyboard nudges, boundary walking, split/merge cues, lock, word text,
re-segmenting cues with a rule profile, and walking the words that need a look.

Every change is one core edit pushed through ``session.push`` (one undo step). Nudges of one
boundary share a ``merge_key`` so a run of Alt+Arrow presses undoes at once. What a boundary is,
how far it may move and the locking of a corrected one are the core's (aligner_core.boundaries).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QLineEdit

from aligner_core.boundaries import Boundary, boundaries, boundary_ms, canonical, move_boundary, window
from aligner_core.cues import PROFILES, get_profile, segment
from aligner_core.document import Document
from aligner_core.edits import MergeCues, ReplaceCues, SetLocked, SplitCue
from aligner_core.review import review_reasons

from . import settings
from .selection import selection
from .word_table import flag_names

NUDGE_MS = 10
BIG_NUDGE_MS = 100
PROFILE_KEY = "cues/profile"


@dataclass(frozen=True)
class NudgeRun:
    """The nudges of one boundary that are the document's latest change.

    A run keeps the mode it started with: a word edge nudged up to its neighbour stops there
    instead of turning into the shared boundary and pushing the neighbour. The run is over once
    anything else changes the document (an edit, an undo): its revision moves on.
    """

    boundary: Boundary
    document: Document
    revision: int
    shared: bool

    def continues(self, doc: Document | None, b: Boundary) -> bool:
        return self.boundary == b and self.document is doc and doc.revision == self.revision


class EditingController(QObject):
    """Adds the Edit-menu and Timing-menu editing actions to the window."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        self.view = host.view
        self.text_dialog: QInputDialog | None = None
        self._text_index: int | None = None
        self._nudge_run: NudgeRun | None = None

        add, menu = host.add_action, "edit"
        self.nudge_actions = [
            add("edit.nudge_left", self.tr("Nudge boundary left (10 ms)"), self.nudge_left, menu),
            add("edit.nudge_right", self.tr("Nudge boundary right (10 ms)"), self.nudge_right, menu),
            add("edit.nudge_left_big", self.tr("Nudge boundary left (100 ms)"), self.nudge_left_big, menu),
            add("edit.nudge_right_big", self.tr("Nudge boundary right (100 ms)"), self.nudge_right_big, menu),
        ]
        self.previous_boundary_action = add("edit.previous_boundary", self.tr("Previous boundary"), self.previous_boundary, menu)
        self.next_boundary_action = add("edit.next_boundary", self.tr("Next boundary"), self.next_boundary, menu)
        host.menus[menu].addSeparator()
        self.word_text_action = add("edit.word_text", self.tr("Edit word te&xt…"), self.edit_word_text, menu)
        self.lock_action = add("edit.lock", self.tr("&Lock words"), self.lock, menu)
        self.unlock_action = add("edit.unlock", self.tr("Unloc&k words"), self.unlock, menu)
        self.split_action = add("edit.split_cue", self.tr("&Split cue here"), self.split_cue, menu)
        self.merge_action = add("edit.merge_cues", self.tr("&Merge cue with next"), self.merge_cues, menu)
        host.menus[menu].addSeparator()
        self.next_flagged_action = add("edit.next_flagged", self.tr("Next flagged word"), self.next_flagged, menu)
        self.previous_flagged_action = add("edit.previous_flagged", self.tr("Previous flagged word"), self.previous_flagged, menu)

        self.resegment_action = host.add_action("timing.resegment", self.tr("Re-se&gment cues"), self.resegment, "timing")
        self.profile_menu = host.menus["timing"].addMenu(self.tr("Cue &profile"))
        self.profile_menu.setObjectName("menu-cue-profile")
        self.profile_group = QActionGroup(self)
        self.profile_group.setExclusive(True)
        for name in PROFILES:
            action = QAction(self._profile_title(name), self.profile_group)
            action.setObjectName(f"cues.profile.{name}")
            action.setData(name)
            action.setCheckable(True)
            self.profile_menu.addAction(action)
        self.profile_group.triggered.connect(self._on_profile_chosen)

        saved = settings.value(PROFILE_KEY, self.session.profile.name)
        if saved in PROFILES:
            self.session.set_profile(get_profile(saved))

        self.session.document_reset.connect(self._on_document_changed)
        self.session.changed.connect(self._on_changed)
        self.session.profile_changed.connect(self._show_profile)
        self.view.selection_changed.connect(self._update_actions)
        host.actions_changed.connect(self._update_actions)
        self._show_profile()
        self._on_document_changed()

    def _profile_title(self, name: str) -> str:
        titles = {
            "general": self.tr("General (English)"),
            "netflix-en": self.tr("Netflix-style English"),
            "netflix-zh-hans": self.tr("Netflix-style Simplified Chinese"),
            "one-line": self.tr("One line (English)"),
            "karaoke": self.tr("Karaoke (one lyric line per cue)"),
        }
        return titles.get(name, PROFILES[name].title)

    # -- selection helpers -------------------------------------------------------------------------
    def _selected_tokens(self) -> range:
        return selection(self.session.document, self.view).tokens

    def _selected_cue(self) -> int | None:
        return selection(self.session.document, self.view).cue

    def nudge_target(self) -> Boundary | None:
        """The selected boundary, else the end of the (last) selected word (None: nothing to move)."""
        doc = self.session.document
        if doc is None:
            return None
        b = self.view.boundary
        if b is None:
            tokens = self._selected_tokens()
            if not tokens:
                return None
            b = Boundary("token", tokens[-1], "end")
        if boundary_ms(doc, b) is None:
            return None
        run = self._nudge_run
        if run is not None and run.continues(doc, b):
            return b  # a run keeps its boundary: a start nudged onto its neighbour stays a start
        return canonical(doc, b)

    # -- nudges ------------------------------------------------------------------------------------
    @Slot()
    def nudge_left(self) -> None:
        self.nudge(-NUDGE_MS)

    @Slot()
    def nudge_right(self) -> None:
        self.nudge(NUDGE_MS)

    @Slot()
    def nudge_left_big(self) -> None:
        self.nudge(-BIG_NUDGE_MS)

    @Slot()
    def nudge_right_big(self) -> None:
        self.nudge(BIG_NUDGE_MS)

    def nudge(self, delta_ms: int) -> bool:
        """Move the target boundary by ``delta_ms``, stopping at its neighbours."""
        b = self.nudge_target()
        if b is None:
            return False
        doc = self.session.document
        run = self._nudge_run
        alone = run is not None and run.continues(doc, b) and not run.shared
        w = window(doc, b, alone=alone)
        ms = w.clamp(w.ms + delta_ms) if w is not None else None
        if ms is None or ms == w.ms:
            self.session.refused.emit(self.tr("The boundary cannot move further that way."))
            return False
        ok = self.session.push(move_boundary(doc, b, ms, alone=alone), self.tr("Nudge boundary"), merge_key=("nudge", b))
        if ok:
            self._nudge_run = NudgeRun(b, doc, doc.revision, w.shared)
            if self.view.boundary is None:  # show which boundary the keys move
                v = self.view
                v.select(tokens=v.tokens, cue=v.cue, boundary=b, time_range=v.time_range)
            self.host.status(self.tr("Boundary at {0:.3f} s").format(ms / 1000))
        return ok

    # -- walking boundaries ------------------------------------------------------------------------
    @Slot()
    def previous_boundary(self) -> None:
        self._walk_boundary(-1)

    @Slot()
    def next_boundary(self) -> None:
        self._walk_boundary(1)

    def _walk_boundary(self, step: int) -> None:
        doc = self.session.document
        if doc is None:
            return
        current = self.view.boundary
        if current is not None:
            current = canonical(doc, current) if boundary_ms(doc, current) is not None else None
        kind = current.kind if current is not None else "token"
        items = boundaries(doc, kind)
        if not items:
            return
        keys = [b for _, b in items]
        if current is not None and current in keys:
            k = keys.index(current) + step
        else:
            # from a selected word: forward to its end, back to its start; else from the playhead
            tokens = self._selected_tokens()
            tok = doc.tokens[tokens.start] if tokens else None
            if tok is not None and tok.aligned:
                ref = tok.start if step > 0 else tok.end
            else:
                ref = self.view.playhead_ms
            times = [t for t, _ in items]
            if step > 0:
                k = next((n for n, t in enumerate(times) if t > ref), len(times))
            else:
                k = max((n for n, t in enumerate(times) if t < ref), default=-1)
        if not 0 <= k < len(items):
            return
        ms, b = items[k]
        if b.kind == "token":
            self.view.select(tokens=(b.index, b.index), boundary=b)
        else:
            self.view.select(cue=b.index, boundary=b)
        self.view.reveal(ms, ms)

    # -- cues, locks -------------------------------------------------------------------------------
    def _split_point(self) -> tuple[int, int] | None:
        doc = self.session.document
        tokens = self._selected_tokens()
        if not tokens:
            return None
        at = tokens.start
        c = doc.cue_index_of(at)
        if c is None or doc.cues[c].first == at:
            return None
        return c, at

    @Slot()
    def split_cue(self) -> None:
        point = self._split_point()
        if point is not None and self.session.push(SplitCue(*point), self.tr("Split cue")):
            # the first half is selected, as a click on its row would: the table's highlighted
            # row is the selection, and Merge puts the cue back together
            self._select_cue(point[0])

    @Slot()
    def merge_cues(self) -> None:
        c = self._selected_cue()
        if c is not None and c + 1 < len(self.session.document.cues):
            # laid out again under the profile: a split's line break does not become a third line
            if self.session.push(MergeCues(c, self.session.profile), self.tr("Merge cues")):
                self._select_cue(c)

    def _select_cue(self, c: int) -> None:
        cue = self.session.document.cues[c]
        self.view.select(cue=c, tokens=(cue.first, cue.last))

    @Slot()
    def lock(self) -> None:
        self._set_locked(True)

    @Slot()
    def unlock(self) -> None:
        self._set_locked(False)

    def _set_locked(self, locked: bool) -> None:
        doc = self.session.document
        wanted = [i for i in self._selected_tokens() if doc.tokens[i].locked != locked]
        if wanted:
            self.session.push(SetLocked(wanted, locked), self.tr("Lock words") if locked else self.tr("Unlock words"))

    # -- word text ---------------------------------------------------------------------------------
    @Slot()
    def edit_word_text(self) -> None:
        """Ask for the selected word's new text in a small (window-modal, non-blocking) dialog."""
        tokens = self._selected_tokens()
        if not tokens:
            return
        self._text_index = tokens.start
        if self.text_dialog is None:
            self.text_dialog = QInputDialog(self.host.widget)
            self.text_dialog.setObjectName("word-text-dialog")
            self.text_dialog.setInputMode(QInputDialog.InputMode.TextInput)
            self.text_dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
            self.text_dialog.setWindowTitle(self.tr("Edit word"))
            self.text_dialog.textValueSelected.connect(self._on_text_chosen)
        self.text_dialog.setLabelText(
            self.tr("Text of word {0} (several words replace it; empty deletes it):").format(self._text_index + 1)
        )
        self.text_dialog.setTextValue(self.session.document.tokens[self._text_index].text)
        self.text_dialog.open()

    @Slot(str)
    def _on_text_chosen(self, text: str) -> None:
        if self._text_index is not None:
            self.set_word_text(self._text_index, text)

    def set_word_text(self, index: int, text: str) -> bool:
        """Replace word ``index``'s text (one undo step), then ask for the new words to be re-aligned.

        Several words replace it with several tokens; empty text deletes it. Done by
        :func:`aligner_core.retext.retext`, the same edit every text editor in the window uses.
        """
        from aligner_core.retext import retext

        doc = self.session.document
        if doc is None or not 0 <= index < len(doc.tokens):
            return False
        edit, span = retext(doc, index, index, text.strip())
        if edit.noop:
            return False
        return self.session.push_text_edit(edit, self.tr("Edit word"), span)

    # -- cue profile and re-segmenting -------------------------------------------------------------
    @Slot(QAction)
    def _on_profile_chosen(self, action: QAction) -> None:
        name = action.data()
        settings.set_value(PROFILE_KEY, name)
        self.session.set_profile(get_profile(name))

    @Slot()
    def _show_profile(self) -> None:
        for action in self.profile_group.actions():
            action.setChecked(action.data() == self.session.profile.name)

    @Slot()
    def resegment(self) -> None:
        doc = self.session.document
        if doc is None or not doc.tokens:
            return
        profile = self.session.profile
        cues = segment(doc, profile)
        if cues == doc.cues:
            self.host.status(self.tr("The cues already follow the {0} rules.").format(self._profile_title(profile.name)))
            return
        if self.session.push(ReplaceCues(cues), self.tr("Re-segment cues")):
            self.host.status(
                self.tr("{0} cues ({1})").format(len(cues), self._profile_title(profile.name))
            )

    # -- words that need a look --------------------------------------------------------------------
    @Slot()
    def next_flagged(self) -> None:
        self._walk_flagged(1)

    @Slot()
    def previous_flagged(self) -> None:
        self._walk_flagged(-1)

    def _walk_flagged(self, step: int) -> int | None:
        doc = self.session.document
        if doc is None or not doc.tokens:
            return None
        tokens = self._selected_tokens()
        here = tokens.start if tokens else (-1 if step > 0 else len(doc.tokens))
        j = self.session.review.next_after(here, step)  # wraps around once
        if j is None:
            self.host.status(self.tr("No flagged or low-confidence words."))
            return None
        tok = doc.tokens[j]
        self.view.select(tokens=(j, j))
        if tok.aligned:
            self.view.reveal(tok.start, tok.end, readable=True)
        self.host.status(self._review_reason(j))
        return j

    def _review_reason(self, index: int) -> str:
        tok = self.session.document.tokens[index]
        names = ", ".join(flag_names(review_reasons(tok)))
        confidence = "—" if tok.confidence is None else f"{tok.confidence:.2f}"
        return self.tr("Word {0} “{1}”: confidence {2} {3}").format(index + 1, tok.text, confidence, names).rstrip()

    # -- state -------------------------------------------------------------------------------------
    @Slot(object)
    def _on_changed(self, _changed) -> None:
        self._update_actions()  # the session's review index is already up to date: no scan

    @Slot()
    def _on_document_changed(self) -> None:
        self._update_actions()

    @Slot()
    def _update_actions(self) -> None:
        doc = self.session.document
        tokens = self._selected_tokens()
        has_target = self.nudge_target() is not None if doc is not None else False
        for action in self.nudge_actions:
            action.setEnabled(has_target)
        has_aligned = doc is not None and any(t.aligned for t in doc.tokens)
        self.previous_boundary_action.setEnabled(has_aligned)
        self.next_boundary_action.setEnabled(has_aligned)
        self.word_text_action.setEnabled(bool(tokens))
        self.lock_action.setEnabled(any(not doc.tokens[i].locked for i in tokens))
        self.unlock_action.setEnabled(any(doc.tokens[i].locked for i in tokens))
        self.split_action.setEnabled(self._split_point() is not None)
        c = self._selected_cue()
        self.merge_action.setEnabled(c is not None and c + 1 < len(doc.cues))
        self.resegment_action.setEnabled(has_aligned)
        has_review = bool(self.session.review)
        self.next_flagged_action.setEnabled(has_review)
        self.previous_flagged_action.setEnabled(has_review)
