"""The main window: open audio + transcript, see the waveform and words, align in the background.

This is the editor's first shell: the full timeline editing (draggable boundaries, playback,
undo, export dialog) builds on it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
)

from aligner_core.document import Document, Flag

from .tasks import Task
from .waveform import WaveformView

EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"
SUBTITLE_SUFFIXES = {".srt", ".vtt", ".ass", ".ssa"}
TRANSCRIPT_SUFFIXES = SUBTITLE_SUFFIXES | {".txt", ".text", ".md"}


def _ms(ms: int | None) -> str:
    if ms is None:
        return "—"
    s, ms = divmod(int(ms), 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}.{ms:03d}"


class WordTableModel(QAbstractTableModel):
    HEADERS = ("Word", "Start", "End", "Confidence", "Flags")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._doc: Document | None = None

    def set_document(self, doc: Document | None) -> None:
        self.beginResetModel()
        self._doc = doc
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() or self._doc is None else len(self._doc.tokens)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return str(section + 1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if self._doc is None or not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        tok = self._doc.tokens[index.row()]
        col = index.column()
        if col == 0:
            return tok.text
        if col == 1:
            return _ms(tok.start)
        if col == 2:
            return _ms(tok.end)
        if col == 3:
            return "" if tok.confidence is None else f"{tok.confidence:.2f}"
        names = [f.name.lower().replace("_", " ") for f in Flag if f and tok.flags & f]
        return ", ".join(names)


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle(self.tr("Wordsync"))
        self.resize(1100, 700)
        self.document: Document | None = None
        self.audio = None  # aligner_core.audio.DecodedAudio
        self.audio_path: Path | None = None
        self.transcript_path: Path | None = None
        self._task: Task | None = None

        self.waveform = WaveformView()
        self.word_model = WordTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.word_model)
        self.table.horizontalHeader().setStretchLastSection(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.waveform)
        splitter.addWidget(self.table)
        splitter.setSizes([350, 350])
        self.setCentralWidget(splitter)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_task)
        self.stage_label = QLabel()
        self.statusBar().addWidget(self.stage_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self._build_menus()

    # -- menus -------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = QAction(self.tr("&Open audio and transcript…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_files)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        timing = self.menuBar().addMenu(self.tr("&Timing"))
        self.align_action = QAction(self.tr("&Align"), self)
        self.align_action.setShortcut(QKeySequence("Ctrl+L"))
        self.align_action.setEnabled(False)
        self.align_action.triggered.connect(self.start_alignment)
        timing.addAction(self.align_action)
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.align_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        example = QAction(self.tr("Open &example"), self)
        example.triggered.connect(self.open_example)
        help_menu.addAction(example)

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
        """Open an audio/video file and/or a transcript (order does not matter)."""
        audio = [Path(f) for f in files if Path(f).suffix.lower() not in TRANSCRIPT_SUFFIXES]
        text = [Path(f) for f in files if Path(f).suffix.lower() in TRANSCRIPT_SUFFIXES]
        if len(audio) > 1 or len(text) > 1:
            self._error(self.tr("Open one audio or video file and one transcript at a time."))
            return
        if text:
            self.load_transcript(text[0])
        if audio:
            self.load_audio(audio[0])

    def load_transcript(self, path: Path) -> None:
        try:
            if path.suffix.lower() in SUBTITLE_SUFFIXES:
                from aligner_core.formats import load_document

                doc = load_document(path)
            else:
                from aligner_core.text import guess_language, read_transcript, tokenize

                text = read_transcript(path)
                language = guess_language(text)
                doc = Document(tokenize(text, language), [], None, language)
        except (OSError, ValueError) as exc:
            self._error(str(exc))
            return
        if not doc.tokens:
            self._error(self.tr("The transcript {0} has no words.").format(path.name))
            return
        if self.audio is not None:
            doc.duration_ms = self.audio.duration_ms
        self.transcript_path = path
        self.set_document(doc)

    def load_audio(self, path: Path) -> None:
        from aligner_core.audio import decode

        def job(progress, cancel):
            return decode(path, progress=progress, cancel=cancel)

        self.audio_path = path
        self._run(job, self.tr("Opening {0}").format(path.name), self._audio_loaded)

    @Slot(object)
    def _audio_loaded(self, decoded) -> None:
        self.audio = decoded
        self.waveform.set_envelope(decoded.envelope)
        if self.document is not None:
            self.document.duration_ms = decoded.duration_ms
        self._update_actions()
        name = self.audio_path.name if self.audio_path else ""
        self.setWindowTitle(f"{name} — Wordsync" if name else "Wordsync")
        self.stage_label.setText(self.tr("Opened {0} ({1:.1f} s)").format(name, decoded.duration_ms / 1000))
        for warning in decoded.warnings:
            self.stage_label.setText(warning)

    def set_document(self, doc: Document | None) -> None:
        self.document = doc
        self.word_model.set_document(doc)
        self.waveform.set_document(doc)
        self._update_actions()

    # -- alignment ---------------------------------------------------------------------------------
    @Slot()
    def start_alignment(self) -> None:
        if self.document is None or self.audio is None or self._task is not None:
            return
        from aligner_core.align.api import AlignRequest, align

        doc = self.document
        request = AlignRequest.from_document(doc, self.audio.samples, aligner="auto")

        def job(progress, cancel):
            return align(request, progress, cancel)

        self._run(job, self.tr("Aligning"), self._alignment_done)

    @Slot(object)
    def _alignment_done(self, result) -> None:
        doc = self.document
        if doc is None or not result.is_current(doc):
            self.stage_label.setText(self.tr("The document changed during alignment; the result was dropped."))
            return
        result.to_edit().apply(doc)
        self.word_model.set_document(doc)
        self.waveform.set_document(doc)
        self.stage_label.setText(result.summary.line())

    # -- background tasks --------------------------------------------------------------------------
    def _run(self, job, stage: str, on_finished) -> None:
        if self._task is not None:
            self._error(self.tr("Please wait for the current task to finish or cancel it."))
            return
        task = Task(job, self)
        task.progress.connect(self._on_progress)
        task.finished.connect(on_finished)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.done.connect(self._on_done)
        self._task = task
        self.stage_label.setText(stage)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self._update_actions()
        task.start()

    @Slot()
    def cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot(float, str)
    def _on_progress(self, fraction: float, stage: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.stage_label.setText(stage)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._error(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.stage_label.setText(self.tr("Cancelled"))

    @Slot()
    def _on_done(self) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_actions()

    def _update_actions(self) -> None:
        self.align_action.setEnabled(self.document is not None and self.audio is not None and self._task is None)

    def _error(self, message: str) -> None:
        self.stage_label.setText(message)
        if not self.property("quiet_errors"):
            QMessageBox.warning(self, self.tr("Wordsync"), message)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._task is not None:
            self._task.cancel()
            self._task.wait(5000)
        super().closeEvent(event)
