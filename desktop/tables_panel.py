"""The lower half of the window: the cue table and the word table in tabs, the find bar below."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from .cue_table import CueTableModel, CueTableView
from .find_bar import FindBar
from .word_table import WordTableModel, WordTableView


class TablesPanel(QWidget):
    def __init__(self, session, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tables-panel")
        self.cue_model = CueTableModel(session, self)
        self.word_model = WordTableModel(session, self)
        self.cue_table = CueTableView(self.cue_model, view)
        self.word_table = WordTableView(self.word_model, view)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tables-tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.cue_table, self.tr("Cues"))
        self.tabs.addTab(self.word_table, self.tr("Words"))
        self.find_bar = FindBar(session, view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.find_bar)
        # a transcript without cues has nothing to show in the Cues tab: show the words
        session.document_reset.connect(self._show_useful_tab)

    def install_actions(self, window) -> None:
        self.find_bar.install_actions(window)

    @Slot()
    def _show_useful_tab(self) -> None:
        if self.cue_model.rowCount() == 0 and self.word_model.rowCount() > 0:
            self.tabs.setCurrentWidget(self.word_table)
        elif self.cue_model.rowCount() > 0:
            self.tabs.setCurrentWidget(self.cue_table)
