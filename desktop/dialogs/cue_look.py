"""The cue's look: where it sits on screen (the numpad alignment, an optional position in the
ASS script's pixels) and its ASS style name. Written by the ASS export; WebVTT maps the
alignment and position to cue settings, SRT keeps the alignment as {\\anN}."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget


class CueLookDialog(QDialog):
    def __init__(self, parent=None, play_res: tuple[int, int] = (1920, 1080)) -> None:
        super().__init__(parent)
        self.setObjectName("cue-look-dialog")
        self.setWindowTitle(self.tr("Cue position and style"))
        self.align = QComboBox()
        self.align.addItem(self.tr("Profile default"), None)
        names = {
            7: self.tr("Top left"), 8: self.tr("Top centre"), 9: self.tr("Top right"),
            4: self.tr("Middle left"), 5: self.tr("Middle centre"), 6: self.tr("Middle right"),
            1: self.tr("Bottom left"), 2: self.tr("Bottom centre"), 3: self.tr("Bottom right"),
        }
        for n in (7, 8, 9, 4, 5, 6, 1, 2, 3):
            self.align.addItem(self.tr("{0} (\\an{1})").format(names[n], n), n)
        self.use_pos = QCheckBox(self.tr("At a &point"))
        self.x, self.y = QSpinBox(), QSpinBox()
        self.x.setRange(0, max(1, play_res[0]) * 4)
        self.y.setRange(0, max(1, play_res[1]) * 4)
        self.x.setValue(play_res[0] // 2)
        self.y.setValue(play_res[1] // 2)
        pos = QHBoxLayout()
        for w in (self.use_pos, self.x, self.y):
            pos.addWidget(w)
        pos_row = QWidget()
        pos_row.setLayout(pos)
        self.use_pos.toggled.connect(self.x.setEnabled)
        self.use_pos.toggled.connect(self.y.setEnabled)
        self.x.setEnabled(False)
        self.y.setEnabled(False)
        self.style = QLineEdit()
        self.style.setToolTip(self.tr("An ASS style name: the export adds a style of that name (a copy of Default) to restyle in Aegisub."))
        form = QFormLayout(self)
        form.addRow(self.tr("&Alignment:"), self.align)
        form.addRow(self.tr("Position (x, y):"), pos_row)
        form.addRow(self.tr("ASS &style:"), self.style)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def set_look(self, align: int | None, pos: tuple[int, int] | None, style: str | None) -> None:
        self.align.setCurrentIndex(max(0, self.align.findData(align)) if align is not None else 0)
        self.use_pos.setChecked(pos is not None)
        if pos is not None:
            self.x.setValue(pos[0])
            self.y.setValue(pos[1])
        self.style.setText(style or "")

    def look(self) -> tuple[int | None, tuple[int, int] | None, str | None]:
        pos = (self.x.value(), self.y.value()) if self.use_pos.isChecked() else None
        return self.align.currentData(), pos, self.style.text().strip() or None
