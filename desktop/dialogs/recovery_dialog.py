"""Offer the work that crashed editors left in their autosaves: Restore, Discard or Later."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aligner_core.recovery import RecoveryEntry


class RecoveryDialog(QDialog):
    #: the user chose to restore this :class:`RecoveryEntry`
    restore_requested = Signal(object)
    #: the user chose to throw this entry away
    discard_requested = Signal(object)

    def __init__(self, entries: list[RecoveryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recovery-dialog")
        self.setWindowTitle(self.tr("Recover unsaved work"))
        self.entries = list(entries)
        label = QLabel(
            self.tr("Wordsync did not close properly last time. This unsaved work can be restored:")
        )
        label.setWordWrap(True)
        self.list = QListWidget()
        for entry in self.entries:
            self.list.addItem(self._item(entry))
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self._on_double_clicked)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(self.tr("&Restore"))
        self.discard_button = QPushButton(self.tr("&Discard"))
        self.later_button = QPushButton(self.tr("&Later"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def _item(self, entry: RecoveryEntry) -> QListWidgetItem:
        when = QLocale().toString(QDateTime.fromMSecsSinceEpoch(int(entry.saved_at * 1000)), QLocale.FormatType.ShortFormat)
        # unsaved work is named after its recording (every crash would otherwise be "Untitled")
        name = entry.project_path.name if entry.project_path is not None else (entry.source_name or self.tr("Untitled"))
        item = QListWidgetItem(self.tr("{0} — autosaved {1}").format(name, when))
        item.setToolTip(str(entry.project_path) if entry.project_path is not None else str(entry.path))
        return item

    def selected(self) -> RecoveryEntry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    @Slot()
    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.accept()
        self.restore_requested.emit(entry)

    @Slot()
    def discard_selected(self) -> None:
        row = self.list.currentRow()
        entry = self.selected()
        if entry is None:
            return
        del self.entries[row]
        self.list.takeItem(row)
        self.discard_requested.emit(entry)
        if not self.entries:
            self.accept()

    @Slot(QListWidgetItem)
    def _on_double_clicked(self, _item: QListWidgetItem) -> None:
        self.restore_selected()
