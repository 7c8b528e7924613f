"""View → Spectrogram settings…: window length, frequency range, dynamic range and colours."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QWidget

from aligner_core.spectrogram import DYNAMIC_RANGE_DB_RANGE, MAX_HZ_RANGE, WINDOW_MS_RANGE, SpectrogramSettings

from ..timeline.spectrogram import COLOUR, GREY

BROADBAND_MS, NARROWBAND_MS = 5.0, 30.0  # Praat's two classic choices


class SpectrogramSettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spectrogram-settings")
        self.setWindowTitle(self.tr("Spectrogram settings"))
        form = QFormLayout(self)

        self.window_ms = QDoubleSpinBox()
        self.window_ms.setRange(*WINDOW_MS_RANGE)
        self.window_ms.setDecimals(1)
        self.window_ms.setSuffix(self.tr(" ms"))
        self.window_ms.setToolTip(
            self.tr("5 ms (broadband) shows formants and the edges of sounds; 30 ms (narrowband) shows the harmonics of the voice.")
        )
        form.addRow(self.tr("&Window length:"), self.window_ms)

        self.max_hz = QDoubleSpinBox()
        self.max_hz.setRange(*MAX_HZ_RANGE)
        self.max_hz.setDecimals(0)
        self.max_hz.setSingleStep(500.0)
        self.max_hz.setSuffix(self.tr(" Hz"))
        self.max_hz.setToolTip(self.tr("The highest frequency shown; the editor's audio holds frequencies up to 8000 Hz."))
        form.addRow(self.tr("&Maximum frequency:"), self.max_hz)

        self.dynamic_range = QDoubleSpinBox()
        self.dynamic_range.setRange(*DYNAMIC_RANGE_DB_RANGE)
        self.dynamic_range.setDecimals(0)
        self.dynamic_range.setSingleStep(5.0)
        self.dynamic_range.setSuffix(self.tr(" dB"))
        self.dynamic_range.setToolTip(self.tr("How far below the loudest sounds the picture still shows something."))
        form.addRow(self.tr("&Dynamic range:"), self.dynamic_range)

        self.palette = QComboBox()
        self.palette.addItem(self.tr("Grey (as in Praat)"), GREY)
        self.palette.addItem(self.tr("Colour"), COLOUR)
        form.addRow(self.tr("&Colours:"), self.palette)

        note = QLabel(self.tr("Word boundaries are drawn over the spectrogram and can be dragged there."))
        note.setWordWrap(True)
        form.addRow(note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        form.addRow(self.buttons)

    def set_values(self, settings: SpectrogramSettings, palette: str) -> None:
        self.window_ms.setValue(settings.window_ms)
        self.max_hz.setValue(settings.max_hz)
        self.dynamic_range.setValue(settings.dynamic_range_db)
        self.palette.setCurrentIndex(max(0, self.palette.findData(palette)))

    def values(self) -> tuple[SpectrogramSettings, str]:
        settings = SpectrogramSettings(
            window_ms=self.window_ms.value(), max_hz=self.max_hz.value(), dynamic_range_db=self.dynamic_range.value()
        )
        return settings, self.palette.currentData()

    def restore_defaults(self) -> None:
        self.set_values(SpectrogramSettings(), GREY)
