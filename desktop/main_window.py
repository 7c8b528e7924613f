"""The main window: open audio + transcript, see the waveform and words, align in the background.

The window owns the :class:`~desktop.session.Session` (document, audio, undo stack), the
:class:`~desktop.view_state.ViewState` (visible range, playhead, selection) and the
:class:`~desktop.tasks.TaskRunner`; the timeline, the tables, playback, editing and file handling
are components that get a :class:`~desktop.host.Host` (what they may use), never the window.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
)

from aligner_core.document import Document

from .actions import make_action, shortcuts_for
from .alignment import AlignmentController
from .dialogs.improve import ImproveController
from .playback import PlaybackController, PlaybackUi
from .recent import add_recent
from .editing import EditingController
from .spell_check import SpellCheckController
from .word_editing import WordEditingController
from .help import HelpMenu
from .i18n import LanguageMenu
from .look import app_icon
from .messages import core_message, say
from .files import FilesController
from .cue_editing import CueEditingController
from .host import Host
from .tiers import TiersController
from .open_audio import AudioOpener
from .span_transcription import SpanTranscriptionController
from .timing_tools import TimingToolsController
from .transcription import TranscriptionController
from .session import Session
from .settings import restore_window, save_window
from .tables_panel import TablesPanel
from .tasks import TaskRunner
from .view_state import ViewState
from .timeline import TimelineWidget
from .video import VideoComponent

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"
SUBTITLE_SUFFIXES = {".srt", ".vtt", ".ass", ".ssa"}
TRANSCRIPT_SUFFIXES = SUBTITLE_SUFFIXES | {".txt", ".text", ".md"}


class MainWindow(QMainWindow):
    """The editor window: owns the session, view state and task runner; components add their own actions.

    Components (alignment, playback, editing, files, ...) each get :attr:`host` and add their
    widgets and actions through it; every change they make goes through ``session.push`` and
    every background job through ``host.tasks``.
    """

    #: busy state, document or audio changed: components re-check which actions can apply
    actions_changed = Signal()

    def __init__(self):
        super().__init__()
        self.setWindowTitle(self.tr("Wordsync"))
        self.setWindowIcon(app_icon())
        self.resize(1200, 760)
        self.session = Session(self)
        self.view = ViewState(self)
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self._waveform_timer = QTimer(self)
        self._waveform_timer.setInterval(250)
        self._waveform_timer.timeout.connect(self._show_decoding_waveform)

        self.timeline = TimelineWidget(self.session, self.view)
        # the cue and word tables in tabs with the find bar; each model follows the session itself
        self.tables = TablesPanel(self.session, self.view)
        self.cue_model = self.tables.cue_model
        self.word_model = self.tables.word_model
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.timeline)
        self.splitter.addWidget(self.tables)
        self.splitter.setSizes([380, 380])
        self.setCentralWidget(self.splitter)

        self.stage_label = QLabel()
        self.tasks = TaskRunner(self.status, self.error, self)
        self.tasks.busy_changed.connect(self._update_actions)
        self.progress = self.tasks.progress_bar
        self.cancel_button = self.tasks.cancel_button
        self.statusBar().addWidget(self.stage_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

        self.session.document_reset.connect(self._on_document_reset)
        self.session.changed.connect(self._on_changed)
        self.session.refused.connect(self.status)
        self.session.title_changed.connect(self._update_title)
        self._build_menus()
        self.host = host = Host(
            session=self.session, view=self.view, tasks=self.tasks, widget=self,
            status=self.status, error=self.error,
            add_action=self.add_action, actions=self.actions, menus=self.menus,
            toolbar=self.toolbar, add_toolbar=self.addToolBar,
            add_status_widget=self.statusBar().addPermanentWidget,
            actions_changed=self.actions_changed,
            open_files=self.open_files, load_audio=self.load_audio,
            when_saved_or_discarded=self._when_saved_or_discarded,
        )
        # components: each adds its widgets and actions (one line each)
        self.alignment = host.alignment = AlignmentController(host)
        self.align_action = self.alignment.align_action
        self.improve = ImproveController(host)  # Timing → Improve the aligner from my corrections…
        self.timeline.install_actions(host)
        self.playback = PlaybackController(self.session, self.view, parent=self)
        self.playback.message.connect(self.status)
        self.playback_ui = PlaybackUi(host, self.playback)
        self.tables.install_actions(host)
        self.editing = EditingController(host)
        self.cue_editing = CueEditingController(host)  # Edit → create/delete cue, merge with previous, cue look
        self.word_editing = WordEditingController(host)  # Edit → insert/delete words, cut/copy/paste
        self.spell_check = SpellCheckController(host, self.tables.word_model)  # Edit → Spell check…
        self.language_menu = LanguageMenu(host)  # View → Language
        self.help_menu = HelpMenu(host)
        self.files = FilesController(host)
        self.audio_opener = AudioOpener(host)
        self.transcription = TranscriptionController(host)  # File → Transcribe…, Edit → Accept words
        self.span_transcription = SpanTranscriptionController(host)  # Timing → Transcribe this span
        # View → Video: the picture at the playhead with the cue on it; shot changes on the timeline
        self.video = VideoComponent(host, self.timeline)
        self.tiers = TiersController(host, self.timeline)  # Tiers menu and the tier lane on the timeline
        self.timing_tools = TimingToolsController(host, self.video)  # Timing → Timing post-processor…
        self._update_actions()
        restore_window(self)  # last: components may add named splitters and toolbars

    # -- convenience views on the session ----------------------------------------------------------
    @property
    def document(self) -> Document | None:
        return self.session.document

    @property
    def audio(self):
        return self.session.audio

    @property
    def audio_path(self) -> Path | None:
        return self.session.audio_path

    @property
    def transcript_path(self) -> Path | None:
        return self.session.transcript_path

    # -- menus -------------------------------------------------------------------------------------
    def add_action(self, action_id: str, text: str, slot=None, menu: str | None = None, *, checkable: bool = False) -> QAction:
        """Create (once) the action ``action_id`` with its shortcuts and put it in ``menu``."""
        action = make_action(self, action_id, text, slot, checkable=checkable)
        self.actions[action_id] = action
        self.addAction(action)  # shortcuts work wherever focus is in the window
        if menu is not None:
            self.menus[menu].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for key, title in (
            ("file", self.tr("&File")),
            ("edit", self.tr("&Edit")),
            ("timing", self.tr("&Timing")),
            ("playback", self.tr("&Playback")),
            ("view", self.tr("&View")),
            ("help", self.tr("&Help")),
        ):
            menu = bar.addMenu(title)
            menu.setObjectName(f"menu-{key}")
            self.menus[key] = menu

        self.open_action = self.add_action("file.open", self.tr("&Open audio and transcript…"), self.choose_files, "file")
        self.menus["file"].addSeparator()
        self.add_action("file.quit", self.tr("&Quit"), self.close, "file")

        undo = self.session.undo_stack.createUndoAction(self, self.tr("&Undo"))
        redo = self.session.undo_stack.createRedoAction(self, self.tr("&Redo"))
        for action_id, action in (("edit.undo", undo), ("edit.redo", redo)):
            action.setObjectName(action_id)
            action.setShortcuts(shortcuts_for(action_id))
            self.actions[action_id] = action
            self.addAction(action)
            self.menus["edit"].addAction(action)
        self.menus["edit"].addSeparator()
        # what the status bar said about the step is stale once it is undone: say what was undone
        undo.triggered.connect(self._say_undone)
        redo.triggered.connect(self._say_redone)

        self.toolbar = self.addToolBar(self.tr("Main"))
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.addAction(self.open_action)

        self.add_action("help.example", self.tr("Open &example"), self.open_example, "help")

    # -- opening -----------------------------------------------------------------------------------
    @Slot()
    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open audio or video and its transcript"), "",
            self.tr("Media and transcripts (*.wav *.flac *.ogg *.opus *.mp3 *.m4a *.aac *.mp4 *.mkv *.webm *.mov "
                    "*.txt *.srt *.vtt *.ass);;All files (*)"),
        )
        if files:
            self.open_files(files)

    @Slot()
    def open_example(self) -> None:
        self.open_files([str(EXAMPLE_DIR / "jfk.flac"), str(EXAMPLE_DIR / "jfk.txt")])

    def open_files(self, files: list[str]) -> None:
        """Open an audio/video file and/or a transcript (order does not matter), or a project."""
        if self.files.open_project_files(files):
            return
        audio = [Path(f) for f in files if Path(f).suffix.lower() not in TRANSCRIPT_SUFFIXES]
        text = [Path(f) for f in files if Path(f).suffix.lower() in TRANSCRIPT_SUFFIXES]
        if len(audio) > 1 or len(text) > 1:
            self.error(self.tr("Open one audio or video file and one transcript at a time."))
            return
        if text:
            # a transcript replaces the document: unsaved work is saved or given up first
            self.files.when_saved_or_discarded(partial(self._open_now, audio, text))
        elif audio and self.audio_opener.needs_question():
            self.audio_opener.open(audio[0])  # words timed to other audio: asked what to keep
        else:
            self._open_now(audio, text)

    def _open_now(self, audio: list[Path], text: list[Path]) -> None:
        if text:
            self.load_transcript(text[0])
        if audio:
            self.load_audio(audio[0])
        elif text:
            self._remember_pair()

    def _remember_pair(self) -> None:
        """Audio and transcript open together (no project yet): one entry of Open recent."""
        s = self.session
        if s.audio_path is not None and s.transcript_path is not None and s.project_path is None:
            add_recent(s.audio_path, s.transcript_path)

    def load_transcript(self, path: Path) -> None:
        from aligner_core.text import TranscriptError
        from aligner_core.transcripts import load_transcript

        try:
            # the same reader as the CLI: format by content, markup and sound labels never aligned
            doc = load_transcript(path)
        except (TranscriptError, ValueError) as exc:  # FormatError too: one sentence, in the user's language
            self.error(core_message(exc))
            return
        except OSError as exc:
            self.error(self.tr("Could not read {0}: {1}").format(path.name, core_message(exc)))
            return
        if not doc.tokens:
            self.error(self.tr("The transcript {0} has no words.").format(path.name))
            return
        self.session.transcript_path = path
        self.session.project_path = None
        self.session.set_document(doc)

    def load_audio(self, path: Path, note: str = "", prepare=None) -> None:
        """Decode ``path`` in the background and make it the session's audio. ``prepare`` runs
        first once it decoded (a file that fails changes nothing); ``note`` is added to the
        status line that says it opened."""
        from aligner_core.audio import decode, probe
        from aligner_core.envelope import EnvelopeBuilder

        from .transcription import stage_text

        def job(context):
            info = probe(path)
            builder = EnvelopeBuilder(info.sample_rate, expected_frames=info.frames)
            # read by the GUI thread's timer (snapshot() is thread-safe); one tuple, set at once
            context.preview = (builder, float(info.duration_ms))
            return decode(path, envelope=builder, progress=lambda f, stage: context.progress(f, stage_text(context.label, stage)), cancel=context.cancel)

        # the job's own path goes with its result: a file refused while another one decodes
        # must not be taken for the one that finishes
        task = self.tasks.run(job, self.tr("Opening {0}").format(path.name), partial(self._audio_loaded, path, note, prepare))
        if task is not None:
            task.done.connect(self._decoding_done)
            self._waveform_timer.start()

    @Slot()
    def _show_decoding_waveform(self) -> None:
        """A few times a second while a file decodes: draw what is decoded so far."""
        context = self.tasks.current
        decoding = context.preview if context is not None else None
        if decoding is None:
            return
        envelope = decoding[0].snapshot()
        if envelope.frames:
            self.timeline.show_partial_envelope(envelope, decoding[1])

    @Slot()
    def _decoding_done(self) -> None:
        self._waveform_timer.stop()
        self.timeline.clear_partial_envelope()  # cancelled or failed: the old audio again

    def _audio_loaded(self, path: Path, note: str, prepare, decoded) -> None:
        if prepare is not None:
            prepare()
        self.session.set_audio(decoded, path)
        self._remember_pair()
        self._update_actions()
        opened = self.tr("Opened {0} ({1:.1f} s)").format(path.name, decoded.duration_ms / 1000)
        self.status(f"{opened} {note}" if note else opened)
        if decoded.warnings:  # all of them, in the interface language (one label: joined, not overwritten)
            self.status(" ".join(say(w) for w in decoded.warnings))
        if self.session.timed_until_ms() > decoded.duration_ms:
            self.error(self.tr(
                "{0} is shorter ({1:.1f} s) than the word times of the open document ({2:.1f} s); "
                "is it the recording they were aligned to?"
            ).format(path.name, decoded.duration_ms / 1000, self.session.timed_until_ms() / 1000))

    @Slot()
    def _say_undone(self) -> None:
        text = self.session.undo_stack.redoText()
        self.status(self.tr("Undone: {0}").format(text) if text else "")

    @Slot()
    def _say_redone(self) -> None:
        text = self.session.undo_stack.undoText()
        self.status(self.tr("Redone: {0}").format(text) if text else "")

    def set_document(self, doc: Document | None) -> None:
        self.session.set_document(doc)

    @Slot()
    def _on_document_reset(self) -> None:
        self.view.clear()
        self._update_actions()

    @Slot(object)
    def _on_changed(self, changed) -> None:
        self._update_actions()

    @Slot()
    def _update_title(self) -> None:
        s = self.session
        name = (s.project_path or s.audio_path or s.transcript_path)
        title = f"{name.name} — Wordsync" if name else "Wordsync"
        # the title first: Qt warns when the modified flag is set on a title without "[*]"
        self.setWindowTitle(title.replace(" — ", "[*] — ", 1) if name else title + "[*]")
        self.setWindowModified(s.modified)

    # -- background tasks, status and errors ------------------------------------------------------
    @Slot()
    def cancel_task(self) -> None:
        self.tasks.cancel()

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def _update_actions(self) -> None:
        self.actions_changed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Esc cancels the running task when nothing in the window used it: a shortcut would
        tie with the find bar's Esc (neither would fire) and pre-empt a drag's Esc."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier and self.tasks.busy:
            self.tasks.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def _when_saved_or_discarded(self, then) -> None:
        self.files.when_saved_or_discarded(then)

    @Slot(str)
    def status(self, message: str) -> None:
        self.stage_label.setText(message)

    @Slot(str)
    def error(self, message: str) -> None:
        """One sentence for the user: in the status bar, and in a box unless tests keep it quiet."""
        self.stage_label.setText(message)
        if not self.property("quiet_errors"):
            QMessageBox.warning(self, self.tr("Wordsync"), message)

    def stop_background_work(self) -> None:
        """Stop playback and any running task (closing, or the application quitting without a
        close: a QThread still running when Python exits aborts the process)."""
        self.playback.stop()
        self.video.stop()
        self.tasks.shutdown(5000)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.files.may_close():  # unsaved changes: asks Save / Discard / Cancel first
            event.ignore()
            return
        self.stop_background_work()
        super().closeEvent(event)
        if event.isAccepted():
            save_window(self)
            self.files.shutdown()
