"""Timing → Timing post-processor…: the core's timing tools as check boxes, previewed before they apply.

The preview is the core's plan itself (:func:`aligner_core.timing_tools.plan`), made again after
a change of a tool, a value or the scope, and after a change of the document while the dialog is
open, so what the table lists is exactly what Apply does. A plan of 30,000 words takes about as
long as a few keystrokes, so changes are gathered for PREVIEW_DELAY_MS and planned once: typing
in a value never waits for the plan. Apply plans at once when a change is still waiting, so it
never applies an older choice than the one shown in the controls. The choices are remembered in
the settings when they are applied; until then the session's cue profile supplies the
durations, reading speed and gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aligner_core.cues import Profile
from aligner_core.document import Document
from aligner_core.timing_tools import CueChange, TimingSettings, plan

from .. import settings
from ..table_base import format_ms

KEY = "timing_tools/"
#: how long the preview waits for the next change before planning (a typist's pause between keys)
PREVIEW_DELAY_MS = 150


@dataclass(frozen=True)
class _Tool:
    """One row: its settings key, whether it starts checked, and its value's range and default."""

    key: str
    checked: bool
    lo: float
    hi: float
    default: float
    decimals: int = 0


class _PreviewModel(QAbstractTableModel):
    def __init__(self, reasons: Callable[[tuple[str, ...]], str], parent=None) -> None:
        super().__init__(parent)
        self.changes: list[CueChange] = []
        self._reasons = reasons
        self._headers = [self.tr("Cue"), self.tr("Old start"), self.tr("Old end"), self.tr("New start"), self.tr("New end"),
                         self.tr("Moved by")]

    def set_changes(self, changes: list[CueChange]) -> None:
        self.beginResetModel()
        self.changes = changes
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        ch = self.changes[index.row()]
        col = index.column()
        if col == 0:
            return str(ch.index + 1)
        if col == 5:
            return self._reasons(ch.reasons)
        times = (*ch.old, *ch.new)
        return format_ms(times[col - 1])


class TimingToolsDialog(QDialog):
    """``document()`` gives the document to plan on; ``selected`` the selected cues (may be empty);
    ``shots`` the shot changes in ms and ``fps``/``origin_ms`` the video's frames (none: no video)."""

    def __init__(
        self,
        document: Callable[[], Document | None],
        selected: Sequence[int],
        profile: Profile,
        *,
        shots: Sequence[int] = (),
        fps=None,
        origin_ms: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timing-tools")
        self.setWindowTitle(self.tr("Timing post-processor"))
        self.resize(720, 640)
        self._document, self._selected = document, list(selected)
        self._shots, self._fps, self._origin = tuple(int(s) for s in shots), fps, int(origin_ms)
        #: the plan the preview shows and Apply applies
        self.changes: list[CueChange] = []
        self.settings_error = ""
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(PREVIEW_DELAY_MS)
        self._pending.timeout.connect(self.preview_now)
        # made first: the choices below change (a tool saved on, off without a picture) as they are made
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        tools = [
            _Tool("lead_in", False, 0, 5000, 100),
            _Tool("lead_out", False, 0, 5000, 300),
            _Tool("chain", False, 0, 10000, 500),
            _Tool("reading_speed", False, 1, 100, profile.max_cps or 21.0, 1),
            _Tool("min_duration", False, 0, 60000, profile.min_duration_ms),
            _Tool("max_duration", False, 1, 600000, profile.max_duration_ms),
            _Tool("shots", False, 1, 5000, 200),
            _Tool("frames", False, 0, 0, 0),
            _Tool("min_gap", True, 0, 5000, profile.min_gap_ms),
        ]
        labels = {
            "lead_in": self.tr("&Lead-in (start earlier)"),
            "lead_out": self.tr("Lead-&out (end later)"),
            "chain": self.tr("&Chain cues closer than"),
            "reading_speed": self.tr("Lengthen cues &read faster than"),
            "min_duration": self.tr("Mi&nimum duration"),
            "max_duration": self.tr("Ma&ximum duration"),
            "shots": self.tr("Snap to s&hot changes within"),
            "frames": self.tr("Snap to video &frames"),
            "min_gap": self.tr("Minimum &gap between cues"),
        }
        tips = {
            "lead_in": self.tr("Show each cue this much before its first word; never over the previous cue."),
            "lead_out": self.tr("Keep each cue this much after its last word; never over the next cue."),
            "chain": self.tr("Close gaps between cues up to this long, so the screen does not flash empty."),
            "reading_speed": self.tr("Lengthen cues shown too briefly to read at this many characters per second."),
            "min_duration": self.tr("Lengthen shorter cues, up to the next cue."),
            "max_duration": self.tr("Shorten longer cues, never before their last word ends."),
            "shots": self.tr("Move cue edges onto a shot change this close, when the words allow it."),
            "frames": self.tr("Move cue edges onto the start of a video frame."),
            "min_gap": self.tr("End each cue at least this long before the next begins (up to this much of its last word)."),
        }
        self.checks: dict[str, QCheckBox] = {}
        self.values: dict[str, QSpinBox | QDoubleSpinBox] = {}
        box = QGroupBox(self.tr("Tools (they run in this order)"))
        grid = QGridLayout(box)
        for row, tool in enumerate(tools):
            check = QCheckBox(labels[tool.key])
            check.setObjectName(f"timing-{tool.key}")
            check.setToolTip(tips[tool.key])
            check.setChecked(settings.value(KEY + tool.key, tool.checked))
            check.toggled.connect(self.refresh_later)
            self.checks[tool.key] = check
            grid.addWidget(check, row, 0)
            if tool.key == "frames":
                note = self.tr("{0:.3f} frames per second").format(float(fps)) if fps else self.tr("no video open")
                grid.addWidget(QLabel(note), row, 1)
                continue
            spin = QDoubleSpinBox() if tool.decimals else QSpinBox()
            if tool.decimals:
                spin.setDecimals(tool.decimals)
            spin.setRange(tool.lo, tool.hi)  # type: ignore[arg-type]
            spin.setValue(settings.value(KEY + tool.key + "_value", type(spin.value())(tool.default)))  # type: ignore[arg-type]
            spin.setSuffix(self.tr(" characters/s") if tool.key == "reading_speed" else self.tr(" ms"))
            spin.setObjectName(f"timing-{tool.key}-value")
            spin.valueChanged.connect(self.refresh_later)
            check.toggled.connect(spin.setEnabled)
            spin.setEnabled(check.isChecked())
            self.values[tool.key] = spin
            grid.addWidget(spin, row, 1)
            if tool.key == "chain":
                self.bias = QSpinBox()
                self.bias.setObjectName("timing-chain-bias")
                self.bias.setRange(0, 100)
                self.bias.setSuffix(self.tr(" % to the earlier cue"))
                self.bias.setToolTip(self.tr("Where the two cues meet: 100 % keeps the earlier cue until the later begins, "
                                             "0 % starts the later cue when the earlier ends."))
                self.bias.setValue(settings.value(KEY + "chain_bias", 100))
                self.bias.valueChanged.connect(self.refresh_later)
                check.toggled.connect(self.bias.setEnabled)
                self.bias.setEnabled(check.isChecked())
                grid.addWidget(self.bias, row, 2)
            if tool.key == "shots":
                grid.addWidget(QLabel(self.tr("%n shot change(s) found", "", len(self._shots)) if fps else self.tr("no video open")), row, 2)
        if not fps:  # without a picture there are no shots or frames to snap to
            for key in ("shots", "frames"):
                self.checks[key].setChecked(False)
                self.checks[key].setEnabled(False)

        scope = QHBoxLayout()
        self.scope_selected = QRadioButton(self.tr("&Selected cues (%n)", "", len(self._selected)))
        self.scope_all = QRadioButton(self.tr("&Whole document"))
        self.scope_selected.setEnabled(bool(self._selected))
        (self.scope_selected if self._selected else self.scope_all).setChecked(True)
        self.scope_selected.toggled.connect(self.refresh_later)
        scope.addWidget(QLabel(self.tr("Apply to:")))
        scope.addWidget(self.scope_selected)
        scope.addWidget(self.scope_all)
        scope.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("timing-summary")
        self.summary.setWordWrap(True)
        self.model = _PreviewModel(self.reasons_text, self)
        self.table = QTableView()
        self.table.setObjectName("timing-preview")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addLayout(scope)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.preview_now()  # the dialog opens with its preview

    # -- what the choices amount to ----------------------------------------------------------------
    def reasons_text(self, reasons: tuple[str, ...]) -> str:
        names = {
            "lead": self.tr("lead-in/out"),
            "chain": self.tr("chain"),
            "reading_speed": self.tr("reading speed"),
            "min_duration": self.tr("minimum duration"),
            "max_duration": self.tr("maximum duration"),
            "shots": self.tr("shot change"),
            "frames": self.tr("frames"),
            "min_gap": self.tr("minimum gap"),
            "overlap": self.tr("overlap with the next cue"),
        }
        return ", ".join(names.get(r, r) for r in reasons)

    def scope(self) -> list[int] | None:
        """The cues the tools act on: the selected ones, or ``None`` for all."""
        return list(self._selected) if self.scope_selected.isChecked() else None

    def timing_settings(self) -> TimingSettings:
        """The chosen tools as the core's settings; ValueError when they contradict each other."""
        on = {k: c.isChecked() and c.isEnabled() for k, c in self.checks.items()}
        v = {k: s.value() for k, s in self.values.items()}
        return TimingSettings(
            lead_in_ms=int(v["lead_in"]) if on["lead_in"] else 0,
            lead_out_ms=int(v["lead_out"]) if on["lead_out"] else 0,
            chain_ms=int(v["chain"]) if on["chain"] else 0,
            chain_bias=self.bias.value() / 100.0,
            max_cps=float(v["reading_speed"]) if on["reading_speed"] else None,
            min_duration_ms=int(v["min_duration"]) if on["min_duration"] else 0,
            max_duration_ms=int(v["max_duration"]) if on["max_duration"] else None,
            shots=self._shots if on["shots"] else (),
            shot_tolerance_ms=int(v["shots"]) if on["shots"] else 0,
            fps=self._fps if on["frames"] else None,
            frame_origin_ms=self._origin,
            min_gap_ms=int(v["min_gap"]) if on["min_gap"] else 0,
        )

    @Slot()
    def refresh_later(self) -> None:
        """A choice or the document changed: plan again once no change has come for a moment."""
        self._pending.start()  # a change while it waits starts the wait again
        # the table is of the choices before: Apply plans first, and says so when nothing changes
        self.apply_button.setEnabled(True)

    @property
    def preview_pending(self) -> bool:
        """A change is waiting for its plan (the table still shows the one before it)."""
        return self._pending.isActive()

    @Slot()
    def preview_now(self) -> None:
        """Plan again from the current document and choices, and show what would change."""
        self._pending.stop()
        doc = self._document()
        self.changes, self.settings_error = [], ""
        if doc is not None:
            scope = self.scope()
            if scope is not None:
                scope = [c for c in scope if 0 <= c < len(doc.cues)]
            try:
                self.changes = plan(doc, scope, self.timing_settings())
            except ValueError:
                self.settings_error = self.tr("The minimum duration is longer than the maximum duration.")
        self.model.set_changes(self.changes)
        total = 0 if doc is None else (len(doc.cues) if self.scope() is None else len(self._selected))
        if self.settings_error:
            self.summary.setText(self.settings_error)
        elif self.changes:
            self.summary.setText(self.tr("{0} of {1} cues change.").format(len(self.changes), total))
        else:
            self.summary.setText(self.tr("Nothing changes with these choices."))
        self.apply_button.setEnabled(bool(self.changes))

    # -- remembered choices ------------------------------------------------------------------------
    def accept(self) -> None:
        if self.preview_pending:  # Apply right after a change applies that change's plan
            self.preview_now()
        if not self.changes:
            return
        for key, check in self.checks.items():
            if check.isEnabled():
                settings.set_value(KEY + key, check.isChecked())
        for key, spin in self.values.items():
            settings.set_value(KEY + key + "_value", spin.value())
        settings.set_value(KEY + "chain_bias", self.bias.value())
        super().accept()
