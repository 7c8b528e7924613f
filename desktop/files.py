"""File handling for the editor: projects, recent files, drag and drop, autosave, recovery, closing.

:class:`FilesController` plugs into the editor's host like the other components. A project
(``.wordsync``, :mod:`aligner_core.project`) keeps the document, where the audio and transcript
are (with the audio's fingerprint), the aligner that made the times, the view and the cue rule
profile. Saving is synchronous (tens of milliseconds even for 30,000 words) so the close prompt
can wait for it; autosaves run on a worker (:mod:`desktop.autosave`).

Questions that guard the document (save before closing or opening another project) are
window-modal boxes shown with ``open()``, not ``exec()``: nothing blocks, a window closed by a
test or the session manager never hangs in a nested loop, and the answer continues the action.
Questions asked in the middle of opening a project (where is the audio?) are ordinary modal
dialogs, since opening can not go on without the answer.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMenu, QMessageBox

from aligner_core.cues import PROFILES
from aligner_core.document import tokens_text
from aligner_core.outputs import OutputError
from aligner_core.project import (
    EXTENSION,
    Project,
    ProjectError,
    ProjectTooNewError,
    load_project,
    relink,
    save_project,
)
from aligner_core.recovery import (
    RecoveryEntry,
    discard_recovery,
    find_recoverable,
    load_recovery,
)

from .autosave import Autosaver
from .messages import core_message
from .recent import RecentMenu, add_recent, entry_files

PROJECT_SUFFIX = EXTENSION
#: offered when locating moved audio (any file can still be chosen)
MEDIA_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".m4a", ".aac", ".mp4", ".mkv", ".webm", ".mov")


def _int(value) -> int | None:
    return value if type(value) is int else None


def _pair(value, limit: int | None = None) -> tuple[int, int] | None:
    """A (first, last) pair from a hand-editable view dict, or None when it is not one."""
    if not isinstance(value, list) or len(value) != 2 or not all(type(v) is int for v in value):
        return None
    a, b = value
    if a < 0 or b < a or (limit is not None and b >= limit):
        return None
    return a, b


class FilesController(QObject):
    #: a project was opened (its path)
    project_opened = Signal(str)
    #: the project was saved (its path)
    saved = Signal(str)

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session = host.session
        #: the project last opened or restored: keeps its transcript text and audio fingerprint
        self._project: Project | None = None
        self._transcript_cache: dict[Path, str] = {}
        self._pending_view: dict | None = None
        self._close_approved = False
        self._after_prompt: Callable[[], None] | None = None
        self.save_prompt: QMessageBox | None = None
        self.recovery_dialog = None
        self.export_dialog = None
        self._restored: list[RecoveryEntry] = []
        self._applying = False

        self.autosaver = Autosaver(self.session, self.snapshot, host.tasks, self)
        self.autosaver.written.connect(self._on_autosaved)
        self.autosaver.failed.connect(host.status)
        self.session.audio_changed.connect(self._on_audio_changed)
        self.session.document_reset.connect(self._on_document_reset)
        self._build_actions()
        host.widget.setAcceptDrops(True)
        host.widget.installEventFilter(self)

    # -- actions -----------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        w = self.host
        menu: QMenu = w.menus["file"]
        # put ours above "Quit" and the separator before it
        quit_action = w.actions.get("file.quit")
        entries = menu.actions()
        anchor = quit_action
        if quit_action in entries:
            i = entries.index(quit_action)
            if i > 0 and entries[i - 1].isSeparator():
                anchor = entries[i - 1]
        open_project = w.add_action("file.open_project", self.tr("Open &project…"), self._on_open_project_action)
        self.recent_menu = RecentMenu(self.tr("Open &recent"), w.widget)
        self.recent_menu.open_requested.connect(self._on_recent_chosen)
        self.save_action = w.add_action("file.save", self.tr("&Save project"), self._on_save_action)
        self.save_as_action = w.add_action("file.save_as", self.tr("Save project &as…"), self._on_save_as_action)
        self.export_action = w.add_action("file.export", self.tr("&Export subtitles…"), self._on_export_action)
        menu.insertAction(anchor, open_project)
        menu.insertMenu(anchor, self.recent_menu)
        menu.insertSeparator(anchor)
        for action in (self.save_action, self.save_as_action, self.export_action):
            menu.insertAction(anchor, action)
        self._update_actions()

    @Slot()
    def _on_document_reset(self) -> None:
        if not self._applying:
            self._project = None  # files opened on their own: the last project says nothing about them
        self._update_actions()

    def _update_actions(self) -> None:
        has_doc = self.session.document is not None
        for action in (self.save_action, self.save_as_action, self.export_action):
            action.setEnabled(has_doc)

    @Slot()
    def _on_open_project_action(self) -> None:
        self.choose_project()

    @Slot()
    def _on_save_action(self) -> None:
        self.save()

    @Slot()
    def _on_save_as_action(self) -> None:
        self.save_as()

    @Slot()
    def _on_export_action(self) -> None:
        self.export()

    @Slot(str)
    def _on_recent_chosen(self, entry: str) -> None:
        files = entry_files(entry)
        missing = next((f for f in files if not os.path.isfile(f)), None)
        if files and missing is None:
            self.host.open_files(files)
        else:
            self.host.error(self.tr("{0} no longer exists.").format(missing or entry))

    # -- what the project holds --------------------------------------------------------------------
    def snapshot(self) -> Project:
        """The session as a project (a copy of the document: safe to hand to a worker)."""
        s = self.session
        prev = self._project
        audio_path, fp, missing = s.audio_path, None, False
        if prev is not None and prev.audio_path is not None:
            if audio_path is None and prev.audio_missing:
                # never located: keep the reference so the project still knows its audio
                audio_path, fp, missing = prev.audio_path, prev.audio_fingerprint, True
            elif audio_path == prev.audio_path:
                fp = prev.audio_fingerprint
        return Project(
            document=s.document.copy(),
            audio_path=audio_path,
            audio_fingerprint=fp,
            transcript_text=self._transcript_text(),
            transcript_path=s.transcript_path,
            aligner=dict(s.aligner_info),
            view=self.view_dict(),
            audio_missing=missing,
        )

    def _transcript_text(self) -> str:
        s = self.session
        path = s.transcript_path
        if self._project is not None and path == self._project.transcript_path:
            # A path that came from a project file is never read: a hand-edited project naming
            # ~/.ssh/id_rsa as its transcript would otherwise copy that file into the next save.
            if self._project.transcript_text:
                return self._project.transcript_text
            path = None
        if path is not None:
            if path not in self._transcript_cache:
                try:
                    from aligner_core.formats import read_text

                    self._transcript_cache[path] = read_text(path)
                except (OSError, ValueError):
                    self._transcript_cache[path] = ""
            if self._transcript_cache[path]:
                return self._transcript_cache[path]
        return tokens_text(s.document.tokens) if s.document is not None else ""

    def view_dict(self) -> dict:
        v = self.host.view
        view: dict = {
            "range": [float(v.view_start_ms), float(v.view_end_ms)],
            "playhead": int(v.playhead_ms),
            "profile": self.session.profile.name,
        }
        if v.tokens is not None:
            view["selection"] = [int(v.tokens[0]), int(v.tokens[1])]
        if v.cue is not None:
            view["cue"] = int(v.cue)
        if v.time_range is not None:
            view["time_range"] = [int(v.time_range[0]), int(v.time_range[1])]
        return view

    def apply_view(self, view: dict) -> None:
        """Restore what :meth:`view_dict` saved; anything a hand edit broke is skipped."""
        v = self.host.view
        doc = self.session.document
        rng = view.get("range")
        if (
            isinstance(rng, list)
            and len(rng) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in rng)
            and rng[1] > rng[0]
        ):
            v.set_range(float(rng[0]), float(rng[1]))
        playhead = _int(view.get("playhead"))
        if playhead is not None and playhead >= 0:
            v.set_playhead(playhead)
        n_tokens = len(doc.tokens) if doc is not None else 0
        n_cues = len(doc.cues) if doc is not None else 0
        cue = _int(view.get("cue"))
        v.select(
            tokens=_pair(view.get("selection"), n_tokens),
            cue=cue if cue is not None and 0 <= cue < n_cues else None,
            time_range=_pair(view.get("time_range")),
        )

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Save to the project's file; asks for one (Save As) the first time."""
        if self.session.document is None:
            return False
        if self.session.project_path is None:
            return self.save_as()
        return self.save_to(self.session.project_path)

    def save_as(self, path: str | os.PathLike[str] | None = None) -> bool:
        if self.session.document is None:
            return False
        if path is None:
            path = self._choose_save_path()
            if path is None:
                return False
        return self.save_to(Path(path))

    def _choose_save_path(self) -> Path | None:
        s = self.session
        base = s.project_path or s.audio_path or s.transcript_path
        default = str(base.with_suffix(PROJECT_SUFFIX)) if base is not None else ""
        name, _ = QFileDialog.getSaveFileName(
            self.host.widget, self.tr("Save project"), default, self.tr("Wordsync projects (*{0})").format(PROJECT_SUFFIX)
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == PROJECT_SUFFIX else path.with_name(path.name + PROJECT_SUFFIX)

    def save_to(self, path: Path) -> bool:
        path = Path(os.path.abspath(path))
        try:
            project = self.snapshot()
            save_project(project, path)
        except OutputError as exc:  # the audio or transcript itself, a folder, read-only: nothing written
            self.host.error(self.tr("Could not save {0}: {1}").format(path.name, core_message(exc)))
            return False
        except (ProjectError, OSError) as exc:
            self.host.error(self.tr("Could not save {0}: {1}").format(path.name, core_message(exc)))
            return False
        previous = self.session.project_path
        self._project = project
        self.session.mark_saved(path)
        self.autosaver.saved(previous)
        add_recent(path)
        self.recent_menu.refresh()
        self.host.status(self.tr("Saved {0}").format(path.name))
        self.saved.emit(str(path))
        return True

    # -- opening -----------------------------------------------------------------------------------
    def choose_project(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.host.widget, self.tr("Open project"), "", self.tr("Wordsync projects (*{0});;All files (*)").format(PROJECT_SUFFIX)
        )
        if name:
            self.open_project(name)

    def open_project_files(self, files: list[str]) -> bool:
        """Take ``files`` if they name a project (command line, drop, recent); True if taken."""
        projects = [f for f in files if Path(f).suffix.lower() == PROJECT_SUFFIX]
        if not projects:
            return False
        if len(files) > 1:
            self.host.error(self.tr("Open a project on its own, not together with other files."))
        else:
            self.open_project(projects[0])
        return True

    def open_project(self, path: str | os.PathLike[str]) -> None:
        """Open a project file, after asking to save unsaved changes."""
        self.when_saved_or_discarded(functools.partial(self.load_project_file, Path(os.path.abspath(path))))

    def load_project_file(self, path: Path) -> bool:
        if self.host.tasks.refuse_if_busy():
            return False
        try:
            project = load_project(path)
        except ProjectTooNewError as exc:
            self.host.error(
                self.tr("{0} was saved by a newer Wordsync (format {1}); this version reads formats up to {2}.").format(
                    path.name, exc.version, exc.supported
                )
            )
            return False
        except ProjectError as exc:
            self.host.error(self.tr("Could not open {0}: {1}").format(path.name, core_message(exc)))
            return False
        except OSError as exc:
            self.host.error(self.tr("Could not read {0}: {1}").format(path.name, core_message(exc)))
            return False
        project, relinked = self._check_audio(project)
        # a relinked project differs from its file: saving records where the audio is now
        self._apply_project(project, path, clean=not relinked)
        add_recent(path)
        self.recent_menu.refresh()
        if project.audio_missing:
            self.host.status(self.tr("Opened {0} without its audio").format(path.name))
        else:
            self.host.status(self.tr("Opened {0}").format(path.name))
        self.project_opened.emit(str(path))
        return True

    def _check_audio(self, project: Project) -> tuple[Project, bool]:
        """Offer to locate a moved audio file; ask before using one that is not the saved one.

        Returns the project to open and whether it now points at other audio than its file says.
        """
        if project.audio_path is None:
            return project, False
        if project.audio_missing:
            located = self.ask_locate_audio(project.audio_path)
            if located is None:
                return project, False
            relinked = self._relink(project, located)
            return relinked, relinked is not project
        if project.audio_mismatch:
            question = self.tr(
                "The audio file {0} is not the one this project was saved with: it was changed or replaced, "
                "so the word times may not fit it. Use it anyway?"
            ).format(project.audio_path.name)
            if self.ask_yes_no(question, "audio-mismatch"):
                relinked = self._relink(project, project.audio_path, confirmed=True)
                return relinked, relinked is not project
            return replace(project, audio_missing=True, audio_mismatch=False), False
        return project, False

    def ask_locate_audio(self, missing: Path) -> Path | None:
        question = self.tr("The audio file {0} was not found. Do you want to locate it?").format(missing.name)
        if not self.ask_yes_no(question, "audio-missing"):
            return None
        dialog = QFileDialog(self.host.widget, self.tr("Locate {0}").format(missing.name))
        dialog.setObjectName("locate-audio")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        patterns = " ".join(sorted({f"*{missing.suffix.lower()}", *(f"*{e}" for e in MEDIA_SUFFIXES)}))
        dialog.setNameFilters([self.tr("Audio and video ({0})").format(patterns), self.tr("All files (*)")])
        if missing.parent.is_dir():
            dialog.setDirectory(str(missing.parent))
        chosen = dialog.selectedFiles() if dialog.exec() else []
        dialog.deleteLater()
        return Path(chosen[0]) if chosen else None

    def _relink(self, project: Project, located: Path, *, confirmed: bool = False) -> Project:
        try:
            result = relink(project, located)
        except OSError as exc:
            self.host.error(self.tr("Could not read {0}: {1}").format(located.name, core_message(exc)))
            return project
        if result.mismatch and not confirmed:
            question = self.tr(
                "{0} is not the audio this project was saved with (its size or content differs), "
                "so the word times may not fit it. Use it anyway?"
            ).format(located.name)
            if not self.ask_yes_no(question, "audio-mismatch"):
                return project
        return result.project

    def ask_yes_no(self, question: str, name: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Wordsync"), question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.host.widget)
        box.setObjectName(name)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        answer = box.exec()
        box.deleteLater()
        return answer == QMessageBox.StandardButton.Yes

    def _apply_project(self, project: Project, path: Path | None, *, clean: bool) -> None:
        s = self.session
        load_audio = project.audio_path is not None and not project.audio_missing
        same_audio = load_audio and s.audio is not None and s.audio_path == project.audio_path
        if s.audio is not None and not same_audio:
            s.set_audio(None, None)  # else the old audio's length would be taken for this document's
        self._project = project
        s.transcript_path = project.transcript_path
        s.aligner_info = dict(project.aligner)
        profile = project.view.get("profile")
        if isinstance(profile, str) and profile in PROFILES:
            s.set_profile(PROFILES[profile])
        s.project_path = path
        self._applying = True
        try:
            s.set_document(project.document, clean=clean)
        finally:
            self._applying = False
        self.apply_view(project.view)
        if load_audio and not same_audio:
            # the timeline fits the view to new audio; the saved view goes back on top of that
            self._pending_view = dict(project.view)
            self.host.load_audio(project.audio_path)

    @Slot()
    def _on_audio_changed(self) -> None:
        if self._pending_view is not None and self.session.audio is not None:
            QTimer.singleShot(0, self, self._apply_pending_view)

    @Slot()
    def _apply_pending_view(self) -> None:
        view, self._pending_view = self._pending_view, None
        if view is not None:
            self.apply_view(view)

    # -- drag and drop -----------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is self.host.widget:
            kind = event.type()
            if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                if self._dropped_files(event):
                    event.acceptProposedAction()
                    return True
            elif kind == QEvent.Type.Drop:
                files = self._dropped_files(event)
                if files:
                    event.acceptProposedAction()
                    self.host.open_files(files)
                    return True
        return super().eventFilter(obj, event)

    @staticmethod
    def _dropped_files(event) -> list[str]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        urls = mime.urls()
        if not urls or not all(u.isLocalFile() for u in urls):
            return []
        return [u.toLocalFile() for u in urls]

    # -- export ------------------------------------------------------------------------------------
    def export(self):
        """Show the export dialog (not blocking); returns it."""
        if self.session.document is None:
            return None
        from .dialogs.export_dialog import ExportDialog

        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        dialog = ExportDialog(self.session, self.host.widget)
        dialog.exported.connect(self._on_exported)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    @Slot(str, str)
    def _on_exported(self, path: str, summary: str) -> None:
        self.host.status(summary)

    # -- autosave and recovery ---------------------------------------------------------------------
    @Slot()
    def check_recovery(self):
        """Offer the autosaves that crashed editors left behind; returns the dialog (or None)."""
        try:
            entries = find_recoverable()
        except OSError:
            return None
        if not entries:
            return None
        from .dialogs.recovery_dialog import RecoveryDialog

        dialog = RecoveryDialog(entries, self.host.widget)
        dialog.restore_requested.connect(self.restore)
        dialog.discard_requested.connect(self.discard)
        self.recovery_dialog = dialog
        dialog.open()
        return dialog

    @Slot(object)
    def restore(self, entry: RecoveryEntry) -> None:
        self.when_saved_or_discarded(functools.partial(self._restore, entry))

    def _restore(self, entry: RecoveryEntry) -> bool:
        if self.host.tasks.refuse_if_busy():
            return False
        try:
            project = load_recovery(entry)
        except (ProjectError, OSError) as exc:
            self.host.error(self.tr("Could not restore {0}: {1}").format(entry.title, core_message(exc)))
            return False
        project, _relinked = self._check_audio(project)
        self._apply_project(project, entry.project_path, clean=False)
        # the crashed session's file goes once our own autosave holds the work; if ours can not
        # be written, it stays and is offered again next time rather than lost
        self.autosaver.wait()
        self.autosaver.mark_dirty()
        if self.autosaver.autosave_now():
            self._restored.append(entry)
        name = entry.title if entry.project_path is not None or entry.source_name else self.tr("Untitled")
        self.host.status(self.tr("Restored unsaved work of {0}").format(name))
        return True

    @Slot(object)
    def discard(self, entry: RecoveryEntry) -> None:
        try:
            discard_recovery(entry)
        except (OSError, ValueError) as exc:
            self.host.error(self.tr("Could not remove {0}: {1}").format(entry.path, core_message(exc)))

    @Slot(str)
    def _on_autosaved(self, path: str) -> None:
        self._forget_restored()

    def _forget_restored(self) -> None:
        restored, self._restored = self._restored, []
        for entry in restored:
            self.discard(entry)

    # -- unsaved changes ---------------------------------------------------------------------------
    def when_saved_or_discarded(self, then: Callable[[], object]) -> None:
        """Run ``then`` now if nothing is unsaved, else once the user saved or discarded."""
        if not self.session.modified:
            then()
            return
        self._after_prompt = then
        if self.save_prompt is not None:
            return  # already asking: the latest action continues
        s = self.session
        # the project is what gets saved, never the audio or transcript it was made from: unsaved
        # work is named after them but saved as a project
        source = s.audio_path or s.transcript_path
        if s.project_path is not None:
            question = self.tr("Do you want to save the changes to {0}?").format(s.project_path.name)
        elif source is not None:
            question = self.tr("Do you want to save your work on {0} as a project?").format(source.name)
        else:
            question = self.tr("Do you want to save your work as a project?")
        box = QMessageBox(self.host.widget)
        box.setObjectName("save-prompt")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Wordsync"))
        box.setText(question)
        box.setInformativeText(self.tr("Your changes will be lost if you don't save them."))
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(self._on_save_prompt_clicked)
        self.save_prompt = box
        box.open()

    @Slot(QAbstractButton)
    def _on_save_prompt_clicked(self, button: QAbstractButton) -> None:
        box, then = self.save_prompt, self._after_prompt
        self.save_prompt, self._after_prompt = None, None
        if box is None or then is None:
            return
        answer = box.standardButton(button)
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            if not self.save():
                return
        elif answer == QMessageBox.StandardButton.Discard:
            self.autosaver.saved(self.session.project_path)  # the user gave this work up
        else:
            return
        then()

    def may_close(self) -> bool:
        """For ``closeEvent``: True to close now; False while the user is asked what to do."""
        if self._close_approved or not self.session.modified:
            return True
        self.when_saved_or_discarded(self._close_now)
        return False

    def _close_now(self) -> None:
        self._close_approved = True
        self.host.widget.close()

    def shutdown(self) -> None:
        """Clean exit: autosaves are removed (a crash would have left them for recovery)."""
        self.autosaver.shutdown()
