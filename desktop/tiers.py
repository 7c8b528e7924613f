"""Annotation tiers in the editor: the Tiers menu, the tier lane on the timeline and the small
dialog that lists, renames and removes tiers.

A researcher's workflow as in Praat, kept minimal: choose a tier (the current one is highlighted in
the lane), select a stretch of time (or words) and add an interval with its label; the interval
at the playhead on the current tier is the one whose label is edited or that is deleted. Every
change is one core edit (aligner_core.tier_edits) and one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QInputDialog, QLineEdit, QListWidget, QMenu, QPushButton, QVBoxLayout,
)

from aligner_core.tier_edits import AddAnnotation, AddTier, DeleteAnnotation, RemoveTier, RenameTier, SetAnnotation, annotation_at

from .selection import selection
from .timeline.tiers import TierLane


class TiersController(QObject):
    """Built from the window's :class:`~desktop.host.Host` and the timeline it draws the lane on."""

    def __init__(self, host, timeline) -> None:
        super().__init__(host.widget)
        self.host, self.session, self.view = host, host.session, host.view
        self.plot = timeline.plot
        self.current = 0  # the current tier (index), when there are tiers
        self.lane: TierLane | None = None
        self.dialog: TiersDialog | None = None
        self.name_dialog: QInputDialog | None = None
        self.label_dialog: QInputDialog | None = None
        self._pending = None  # what the open name/label dialog will do with its text

        bar = host.widget.menuBar()
        self.menu = QMenu(self.tr("T&iers"), bar)
        self.menu.setObjectName("menu-tiers")
        bar.insertMenu(host.menus["help"].menuAction(), self.menu)
        host.menus["tiers"] = self.menu
        add = host.add_action
        self.add_tier_action = add("tiers.add_tier", self.tr("&New interval tier…"), self.ask_new_tier, "tiers")
        self.add_point_tier_action = add("tiers.add_point_tier", self.tr("New &point tier…"), self.ask_new_point_tier, "tiers")
        self.manage_action = add("tiers.manage", self.tr("&Tiers…"), self.show_dialog, "tiers")
        self.current_menu = self.menu.addMenu(self.tr("&Current tier"))
        self.current_menu.setObjectName("menu-current-tier")
        self.current_group = QActionGroup(self)
        self.current_group.triggered.connect(self._on_current_chosen)
        self.menu.addSeparator()
        self.add_interval_action = add("tiers.add_interval", self.tr("&Add interval from selection…"), self.ask_new_interval, "tiers")
        self.edit_label_action = add("tiers.edit_label", self.tr("&Edit interval label…"), self.ask_label, "tiers")
        self.delete_interval_action = add("tiers.delete_interval", self.tr("&Delete interval"), self.delete_interval, "tiers")

        self.session.document_reset.connect(self._on_reset)
        self.session.changed.connect(self._on_changed)
        self.view.selection_changed.connect(self._update_actions)
        self.view.playhead_changed.connect(self._on_playhead)
        self.plot.vb.sigXRangeChanged.connect(self.layout)
        self.plot.vb.sigResized.connect(self.layout)
        self._on_reset()

    # -- state ---------------------------------------------------------------------------------------
    @property
    def tiers(self) -> list:
        doc = self.session.document
        return doc.tiers if doc is not None else []

    def chosen(self) -> int | None:
        """The item of the current tier at the playhead (None: none there)."""
        tiers = self.tiers
        if not 0 <= self.current < len(tiers):
            return None
        return annotation_at(tiers[self.current], self.view.playhead_ms)

    @Slot()
    def _on_reset(self) -> None:
        self.current = 0
        self._rebuild_current_menu()
        self.layout()
        self._update_actions()

    @Slot(object)
    def _on_changed(self, changed) -> None:
        if changed.tiers:
            self.current = min(self.current, max(0, len(self.tiers) - 1))
            self._rebuild_current_menu()
            self._update_actions()
        if changed.tiers or changed.structural:
            self.layout()

    @Slot(int)
    def _on_playhead(self, _ms: int) -> None:
        if self.tiers:
            self.layout()
            self._update_actions()

    def set_current(self, index: int) -> None:
        if 0 <= index < len(self.tiers) and index != self.current:
            self.current = index
            self._rebuild_current_menu()
            self.layout()
            self._update_actions()

    def _rebuild_current_menu(self) -> None:
        for action in self.current_group.actions():
            self.current_group.removeAction(action)
            self.current_menu.removeAction(action)
            action.deleteLater()
        for k, tier in enumerate(self.tiers):
            action = QAction(tier.name, self.current_group)
            action.setCheckable(True)
            action.setChecked(k == self.current)
            action.setData(k)
            self.current_menu.addAction(action)
        self.current_menu.setEnabled(bool(self.tiers))

    @Slot(QAction)
    def _on_current_chosen(self, action: QAction) -> None:
        self.set_current(int(action.data()))

    @Slot()
    def _update_actions(self) -> None:
        doc = self.session.document
        has = bool(self.tiers)
        self.add_tier_action.setEnabled(doc is not None)
        self.add_point_tier_action.setEnabled(doc is not None)
        self.manage_action.setEnabled(doc is not None)
        self.add_interval_action.setEnabled(has and self._stretch() is not None)
        chosen = self.chosen() is not None
        self.edit_label_action.setEnabled(chosen)
        self.delete_interval_action.setEnabled(chosen)

    # -- the lane ------------------------------------------------------------------------------------
    @Slot()
    def layout(self, *_args) -> None:
        tiers = self.tiers
        if not tiers:
            if self.lane is not None:
                self.lane.scene().removeItem(self.lane)
                self.lane = None
            return
        if self.lane is None:
            self.lane = TierLane(self.plot.layer)
        t0, t1 = self.plot.time_range_ms()
        self.lane.set_tiers(tiers, self.current, self.chosen(), t0, t1, max(1.0, self.plot.vb.width()),
                            self.plot.vb.height(), self.plot.colors.text,
                            self.plot.colors.background)

    # -- tiers ---------------------------------------------------------------------------------------
    @Slot()
    def ask_new_tier(self) -> None:
        self.ask_name(self.tr("New interval tier"), "", lambda name: self.add_tier(name, points=False))

    @Slot()
    def ask_new_point_tier(self) -> None:
        self.ask_name(self.tr("New point tier"), "", lambda name: self.add_tier(name, points=True))

    def add_tier(self, name: str, points: bool = False) -> bool:
        if self.session.push(AddTier(name.strip(), points), self.tr("Add tier")):
            self.set_current(len(self.tiers) - 1)
            return True
        return False

    def rename_tier(self, index: int, name: str) -> bool:
        return self.session.push(RenameTier(index, name.strip()), self.tr("Rename tier"))

    def remove_tier(self, index: int) -> bool:
        return self.session.push(RemoveTier(index), self.tr("Remove tier"))

    def ask_name(self, title: str, value: str, then) -> None:
        if self.name_dialog is None:
            self.name_dialog = self._text_dialog("tier-name-dialog", self._on_name_chosen)
            self.name_dialog.setLabelText(self.tr("Tier name:"))
        self.name_dialog.setWindowTitle(title)
        self.name_dialog.setTextValue(value)
        self._pending = then
        self.name_dialog.open()

    def _text_dialog(self, name: str, slot) -> QInputDialog:
        dialog = QInputDialog(self.host.widget)
        dialog.setObjectName(name)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.textValueSelected.connect(slot)
        return dialog

    @Slot(str)
    def _on_name_chosen(self, text: str) -> None:
        then, self._pending = self._pending, None
        if then is not None:
            then(text)

    @Slot()
    def show_dialog(self) -> None:
        if self.dialog is None:
            self.dialog = TiersDialog(self, self.host.widget)
        self.dialog.populate()
        self.dialog.show()
        self.dialog.raise_()

    # -- intervals -----------------------------------------------------------------------------------
    def _stretch(self) -> tuple[int, int] | None:
        """The time the selection covers (a time selection, else the selected words' times); on a
        point tier the playhead will do."""
        doc = self.session.document
        if doc is None:
            return None
        span = selection(doc, self.view).span
        tiers = self.tiers
        if span is None and 0 <= self.current < len(tiers) and tiers[self.current].points:
            return self.view.playhead_ms, self.view.playhead_ms
        return span

    @Slot()
    def ask_new_interval(self) -> None:
        stretch = self._stretch()
        if stretch is None or not self.tiers:
            return
        self._ask_label(self.tr("New interval on “{0}”").format(self.tiers[self.current].name), "",
                        lambda label: self.add_interval(label, *stretch))

    def add_interval(self, label: str, start: int, end: int) -> bool:
        ok = self.session.push(AddAnnotation(self.current, int(start), int(end), label), self.tr("Add interval"))
        if ok:
            self.layout()
        return ok

    @Slot()
    def ask_label(self) -> None:
        j = self.chosen()
        if j is None:
            return
        tier = self.tiers[self.current]
        self._ask_label(self.tr("Label on “{0}”").format(tier.name), tier.items[j].label,
                        lambda label: self.set_label(self.current, j, label))

    def set_label(self, tier: int, item: int, label: str) -> bool:
        return self.session.push(SetAnnotation(tier, item, label), self.tr("Edit interval label"))

    @Slot()
    def delete_interval(self) -> None:
        j = self.chosen()
        if j is not None:
            self.session.push(DeleteAnnotation(self.current, j), self.tr("Delete interval"))

    def _ask_label(self, title: str, value: str, then) -> None:
        if self.label_dialog is None:
            self.label_dialog = self._text_dialog("tier-label-dialog", self._on_name_chosen)
            self.label_dialog.setLabelText(self.tr("Label:"))
        self.label_dialog.setWindowTitle(title)
        self.label_dialog.setTextValue(value)
        self._pending = then
        self.label_dialog.open()


class TiersDialog(QDialog):
    """The document's tiers: choose the current one, add, rename or remove them."""

    def __init__(self, controller: TiersController, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("tiers-dialog")
        self.setWindowTitle(self.tr("Annotation tiers"))
        self.controller = controller
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_row)
        self.new_button = QPushButton(self.tr("&New…"))
        self.rename_button = QPushButton(self.tr("&Rename…"))
        self.remove_button = QPushButton(self.tr("Re&move"))
        self.new_button.clicked.connect(controller.ask_new_tier)
        self.rename_button.clicked.connect(self.ask_rename)
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.rename_button, self.remove_button):
            buttons.addWidget(b)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(close)
        controller.session.changed.connect(self._on_changed)
        controller.session.document_reset.connect(self.populate)

    @Slot(object)
    def _on_changed(self, changed) -> None:
        if changed.tiers:
            self.populate()

    @Slot()
    def populate(self) -> None:
        c = self.controller
        self.list.blockSignals(True)
        self.list.clear()
        for tier in c.tiers:
            self.list.addItem(tier.name + (self.tr(" (points)") if tier.points else ""))
        if c.tiers:
            self.list.setCurrentRow(c.current)
        self.list.blockSignals(False)
        has = bool(c.tiers)
        self.rename_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    @Slot(int)
    def _on_row(self, row: int) -> None:
        self.controller.set_current(row)

    @Slot()
    def ask_rename(self) -> None:
        c = self.controller
        row = self.list.currentRow()
        if 0 <= row < len(c.tiers):
            c.ask_name(self.tr("Rename tier"), c.tiers[row].name, lambda name: c.rename_tier(row, name))

    @Slot()
    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.controller.tiers):
            self.controller.remove_tier(row)
