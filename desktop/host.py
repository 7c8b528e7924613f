"""What a desktop component may use of the editor: the host the window builds and hands out.

A component (alignment, files, transcription, playback, ...) gets a :class:`Host`, never the
window: the session, the view state, the task runner, ``status``/``error`` sentences, the
menus and actions, a few window services (open files, decode audio, save-or-discard first)
and the widget that parents its dialogs. So what components depend on is written down here,
and the window's own parts stay its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from .session import Session
from .tasks import TaskRunner
from .view_state import ViewState

if TYPE_CHECKING:
    from .alignment import AlignmentController


class Host:
    """The window's parts and services a component may use (built once by the window)."""

    def __init__(
        self,
        *,
        session: Session,
        view: ViewState,
        tasks: TaskRunner,
        widget: QWidget,
        status: Callable[[str], None],
        error: Callable[[str], None],
        add_action: Callable[..., QAction],
        actions: dict[str, QAction],
        menus: dict[str, QMenu],
        toolbar: QToolBar,
        add_toolbar: Callable[[str], QToolBar],
        add_status_widget: Callable[[QWidget], None],
        actions_changed: SignalInstance,
        open_files: Callable[[list[str]], None],
        load_audio: Callable[..., None],
        when_saved_or_discarded: Callable[[Callable[[], Any]], None],
    ) -> None:
        self.session = session
        self.view = view
        #: every background job runs here (busy slot, progress, cancel, errors, lifetimes)
        self.tasks = tasks
        #: the parent of the component's dialogs and message boxes (the main window)
        self.widget = widget
        self._status = status
        self._error = error
        self.add_action = add_action
        #: action id -> QAction, and menu key ("file", "edit", "timing", ...) -> QMenu
        self.actions = actions
        self.menus = menus
        self.toolbar = toolbar
        self.add_toolbar = add_toolbar
        self.add_status_widget = add_status_widget
        #: busy state, document or audio changed: components re-check which actions can apply
        self.actions_changed = actions_changed
        self.open_files = open_files
        self.load_audio = load_audio
        self.when_saved_or_discarded = when_saved_or_discarded
        #: the aligner choice (language, aligner, model, device) other components follow;
        #: set by the window once the alignment component exists
        self.alignment: AlignmentController | None = None

    def status(self, message: str) -> None:
        """One sentence in the user's language, in the status bar."""
        self._status(message)

    def error(self, message: str) -> None:
        """One sentence in the user's language: the status bar and the error dialog."""
        self._error(message)
