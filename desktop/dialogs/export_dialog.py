"""Export the document as subtitles or word timings, showing what the rules and validation say first.

The list under the options is the report of a dry run of exactly the export the button will
do (:func:`aligner_core.formats.render_document` with the same format, profile, offset and
fixing): rule violations of the profile (the file is still written) and problems that would
lose or break a subtitle (export refuses them unless fixing is on). Writing goes through
:func:`~aligner_core.formats.export_document`, which is atomic: a failed export leaves no file
or the previous one.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aligner_core.cues import PROFILES
from aligner_core.formats import (
    FORMATS,
    PHONE_FORMATS,
    ExportError,
    ExportOptions,
    ExportValidationError,
    FormatError,
    export_document,
    render_document,
)
from aligner_core.formats.common import shifted_spans
from aligner_core.outputs import OutputError

from .. import settings
from ..look import themed
from ..messages import core_message, say

#: the folder of the last export (QSettings): the next one starts there
FOLDER_KEY = "export/folder"
#: the application's own files (the example recording): never the place for a user's export
APP_RESOURCES = Path(__file__).resolve().parents[2] / "resources"

#: the offset can move everything by up to an hour either way
MAX_OFFSET_MS = 3_600_000
#: the suffix written for each format (TextGrid keeps Praat's capitals)
SUFFIXES = {"srt": ".srt", "vtt": ".vtt", "ass": ".ass", "textgrid": ".TextGrid", "json": ".json"}
#: where the emotion and sound-cue choices apply (TextGrid and JSON keep every cue as data)
SUBTITLE_FORMATS = ("srt", "vtt", "ass")
_KNOWN_SUFFIXES = {ext for info in FORMATS.values() for ext in info.extensions}


class ExportDialog(QDialog):
    #: written: the path and a one-line summary for the status bar
    exported = Signal(str, str)

    def __init__(self, session, parent: QWidget | None = None, view=None) -> None:
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.setWindowTitle(self.tr("Export"))
        self._session = session
        self._view = view if view is not None else getattr(parent, "view", None)
        self._blocking = 0

        self.format_combo = QComboBox()
        labels = {
            "srt": self.tr("SubRip subtitles (.srt)"),
            "vtt": self.tr("WebVTT subtitles (.vtt)"),
            "ass": self.tr("Advanced SubStation Alpha (.ass)"),
            "textgrid": self.tr("Praat TextGrid (.TextGrid)"),
            "json": self.tr("Word timings, JSON (.json)"),
        }
        for name, label in labels.items():
            self.format_combo.addItem(label, name)
        self.karaoke_check = QCheckBox(self.tr("&Karaoke timing (highlight each word as it is sung)"))
        self.profile_combo = QComboBox()
        titles = {  # the core's titles are data; these are what the user reads
            "general": self.tr("General (English)"),
            "netflix-en": self.tr("Netflix-style English"),
            "netflix-zh-hans": self.tr("Netflix-style Simplified Chinese"),
            "one-line": self.tr("One line (English)"),
            "karaoke": self.tr("Karaoke (one lyric line per cue)"),
        }
        for name, profile in PROFILES.items():
            self.profile_combo.addItem(titles.get(name, profile.title), name)
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(session.profile.name)))
        self.offset_spin = QSpinBox()
        self.offset_spin.setRange(-MAX_OFFSET_MS, MAX_OFFSET_MS)
        self.offset_spin.setSingleStep(100)
        self.offset_spin.setSuffix(self.tr(" ms"))
        self.offset_spin.setToolTip(self.tr("Added to every time; negative values make subtitles earlier."))
        self.path_edit = QLineEdit()
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.fix_check = QCheckBox(self.tr("&Repair or drop subtitles that would be lost or broken"))
        # a recogniser's findings (issue 14): subtitle formats only (JSON carries them as data)
        self.emotion_check = QCheckBox(self.tr("Write the &emotion of each subtitle (SRT: [HAPPY], VTT: a class, ASS: the Name field)"))
        self.sound_check = QCheckBox(self.tr("Include &sound cues such as [music] or (laughter)"))
        self.sound_check.setChecked(True)
        # phoneticians' tools match word labels against a dictionary: no "Americans," there
        self.bare_check = QCheckBox(self.tr("Word labels &without punctuation (TextGrid)"))
        # phones are measured only when Timing → Align phones was on: asked for without them,
        # the dialog says so instead of writing a tier with nothing in it
        self.phones_check = QCheckBox(self.tr("&Phone tier (TextGrid, JSON)"))
        self.phones_check.setChecked(self._has_phones())

        form = QFormLayout()
        form.addRow(self.tr("&Format:"), self.format_combo)
        form.addRow("", self.karaoke_check)
        form.addRow("", self.emotion_check)
        form.addRow("", self.sound_check)
        form.addRow("", self.bare_check)
        form.addRow("", self.phones_check)
        form.addRow(self.tr("&Rules:"), self.profile_combo)
        form.addRow(self.tr("&Offset:"), self.offset_spin)
        path_label = QLabel(self.tr("&Save to:"))
        path_label.setBuddy(self.path_edit)
        form.addRow(path_label, path_row)
        form.addRow("", self.fix_check)

        self.count_label = QLabel()
        self.count_label.setObjectName("problem-count")
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problems")
        self.problem_list.itemDoubleClicked.connect(self._on_problem_activated)
        self.error_label = QLabel()
        self.error_label.setObjectName("export-error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {themed('error').name()}")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addWidget(self.problem_list, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(620, 520)

        self.path_edit.setText(str(self._default_path(".srt")))
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.karaoke_check.toggled.connect(self.refresh)
        self.profile_combo.currentIndexChanged.connect(self.refresh)
        # a held spin arrow changes the offset many times a second; a dry run takes up to a
        # few hundred ms on 30,000 words, so it waits until the value settles
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(200)
        self._refresh_timer.timeout.connect(self.refresh)
        self.offset_spin.valueChanged.connect(self._schedule_refresh)
        self.fix_check.toggled.connect(self.refresh)
        self.emotion_check.toggled.connect(self.refresh)
        self.sound_check.toggled.connect(self.refresh)
        self.bare_check.toggled.connect(self.refresh)
        self.phones_check.toggled.connect(self.refresh)
        self._on_format_changed()

    # -- the options -------------------------------------------------------------------------------
    @property
    def format(self) -> str:
        return self.format_combo.currentData()

    def set_format(self, name: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))

    @property
    def profile(self):
        return PROFILES[self.profile_combo.currentData()]

    def _kwargs(self) -> dict:
        karaoke = self.karaoke_check.isEnabled() and self.karaoke_check.isChecked()
        doc = self._session.document
        spans = shifted_spans(doc.untranscribed, self.offset_spin.value()) if doc is not None else ()
        return {
            "offset_ms": self.offset_spin.value(),
            "profile": self.profile,
            "karaoke": karaoke,
            "options": ExportOptions(
                untranscribed=spans,  # word JSON says where the transcript leaves speech uncovered
                fix=self.fix_check.isChecked(),
                emotion_tags=self.emotion_check.isEnabled() and self.emotion_check.isChecked(),
                sound_cues=not self.sound_check.isEnabled() or self.sound_check.isChecked(),
                bare_word_labels=self.bare_check.isEnabled() and self.bare_check.isChecked(),
                phones=self.phones_check.isChecked(),
            ),
        }

    def _default_path(self, suffix: str) -> Path:
        """The recording's name in the folder of the last export; without one, beside the
        recording, unless that is inside the application itself (its example): then home."""
        s = self._session
        base = s.audio_path or s.project_path or s.transcript_path
        name = (base.stem if base is not None else "subtitles") + suffix
        folder = settings.value(FOLDER_KEY, "")
        if folder and os.path.isdir(folder):
            return Path(folder) / name
        if base is None or base.resolve().is_relative_to(APP_RESOURCES):
            return Path.home() / name
        return base.with_suffix(suffix)

    @Slot()
    def _on_format_changed(self) -> None:
        info = FORMATS[self.format]
        self.karaoke_check.setEnabled(info.karaoke)
        for check in (self.emotion_check, self.sound_check):
            check.setEnabled(self.format in SUBTITLE_FORMATS)
        self.bare_check.setEnabled(self.format == "textgrid")
        self.phones_check.setEnabled(self.format in PHONE_FORMATS)
        suffix = SUFFIXES[self.format]
        text = self.path_edit.text().strip()
        if text:
            path = Path(text)
            if path.suffix.lower() in _KNOWN_SUFFIXES or not path.suffix:
                self.path_edit.setText(str(path.with_suffix(suffix)))
        else:
            self.path_edit.setText(str(self._default_path(suffix)))
        self.refresh()

    @Slot()
    def browse(self) -> None:
        suffix = SUFFIXES[self.format]
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.path_edit.text(), self.format_combo.currentText().replace("(", "(*", 1)
        )
        if name:
            path = Path(name)
            if path.suffix.lower() != suffix.lower():
                path = path.with_name(path.name + suffix)
            self.path_edit.setText(str(path))

    # -- the dry run -------------------------------------------------------------------------------
    @Slot()
    def _schedule_refresh(self) -> None:
        self._refresh_timer.start()

    @Slot()
    def refresh(self) -> None:
        """List what exporting with the current options would report."""
        self._refresh_timer.stop()
        self.problem_list.clear()
        self.error_label.hide()
        doc = self._session.document
        if doc is None:
            self._show_counts(0, 0)
            return
        try:
            _text, report = render_document(doc, self.format, **self._kwargs())
            problems = report.problems
        except ExportValidationError as exc:
            problems = exc.report.problems
        except (ExportError, FormatError) as exc:
            self._show_error(core_message(exc))
            self._show_counts(0, 0)
            return
        blocking = [p for p in problems if p.blocking and p.action is None]
        warnings = [p for p in problems if not (p.blocking and p.action is None)]
        for problem in blocking:
            item = QListWidgetItem(self.tr("Would be lost or broken: {0}").format(say(problem)))
            item.setForeground(QBrush(themed("error")))
            item.setData(Qt.ItemDataRole.UserRole, problem.cue)
            self.problem_list.addItem(item)
        for problem in warnings:
            item = QListWidgetItem(say(problem))
            item.setData(Qt.ItemDataRole.UserRole, problem.cue)
            self.problem_list.addItem(item)
        self._show_counts(len(warnings), len(blocking))
        if self.phones_missing:
            self._show_error(self.tr("The phone tier needs “Align phones” (Timing menu) and a re-align: this document has no phones yet."))
            self.export_button.setEnabled(False)

    def _has_phones(self) -> bool:
        doc = self._session.document
        return doc is not None and any(t.phones for t in doc.tokens)

    @property
    def phones_missing(self) -> bool:
        """A phone tier is asked for and there are no phones to write."""
        return self.phones_check.isEnabled() and self.phones_check.isChecked() and not self._has_phones()

    def _show_counts(self, warnings: int, blocking: int) -> None:
        self._blocking = blocking
        if blocking:
            text = self.tr(
                "%n subtitle(s) would be lost or broken: fix them in the editor, or turn on repairing below.", "", blocking
            )
        elif warnings:
            text = self.tr("%n rule violation(s) or note(s); the file can still be written.", "", warnings)
        else:
            text = self.tr("No rule violations.")
        self.count_label.setText(text)
        self.export_button.setEnabled(not blocking and self._session.document is not None)

    @property
    def problem_texts(self) -> list[str]:
        return [self.problem_list.item(i).text() for i in range(self.problem_list.count())]

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @Slot(QListWidgetItem)
    def _on_problem_activated(self, item: QListWidgetItem) -> None:
        cue = item.data(Qt.ItemDataRole.UserRole)
        doc = self._session.document
        if self._view is None or doc is None or not isinstance(cue, int) or not 1 <= cue <= len(doc.cues):
            return
        self._view.select(cue=cue - 1)
        start, end = doc.cue_times(doc.cues[cue - 1])
        if start is not None and end is not None:
            self._view.reveal(start, end)

    # -- writing -----------------------------------------------------------------------------------
    @Slot()
    def export_now(self) -> bool:
        doc = self._session.document
        text = self.path_edit.text().strip()
        if doc is None or self.phones_missing:
            return False
        if not text:
            self._show_error(self.tr("Choose where to write the file."))
            return False
        path = Path(os.path.expanduser(text))
        s = self._session
        inputs = (s.audio_path, s.transcript_path, s.project_path)
        try:
            report = export_document(doc, path, self.format, inputs=inputs, **self._kwargs())
        except OutputError as exc:  # an input, a folder, a device, read-only: the dialog stays open
            self._show_error(self.tr("Nothing was written: {0}").format(core_message(exc)))
            return False
        except ExportValidationError as exc:
            self._show_error(
                self.tr("Nothing was written: {0} subtitle(s) would be lost or broken. Turn on repairing to export anyway.").format(
                    len(exc.report.blocking)
                )
            )
            return False
        except (ExportError, FormatError, ValueError) as exc:
            self._show_error(self.tr("Nothing was written: {0}").format(core_message(exc)))
            return False
        except OSError as exc:
            self._show_error(self.tr("Could not write {0}: {1}").format(path, core_message(exc)))
            return False
        settings.set_value(FOLDER_KEY, str(path.parent))
        summary = self.tr("Exported {0}: {1} subtitle(s), {2} word(s), {3} note(s)").format(
            path.name, report.cues_written, report.words_written, len(report.problems)
        )
        self.exported.emit(str(path), summary)
        self.accept()
        return True
