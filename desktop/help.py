"""Help → Keyboard shortcuts (F1) and Help → About: one component, built from the window's host."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from .dialogs.about import AboutDialog
from .dialogs.shortcuts import ShortcutsDialog


class HelpMenu(QObject):
    def __init__(self, host):
        super().__init__(host.widget)
        self.host = host
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.about_dialog: AboutDialog | None = None
        host.menus["help"].addSeparator()
        host.add_action("help.shortcuts", self.tr("&Keyboard shortcuts"), self.show_shortcuts, "help")
        host.add_action("help.about", self.tr("&About Wordsync"), self.show_about, "help")

    @Slot()
    def show_shortcuts(self) -> ShortcutsDialog:
        # Built afresh each time: components may have added actions since, or the user changed keys.
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(self.host, self.host.widget)
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.search.setFocus()
        return self.shortcuts_dialog

    @Slot()
    def show_about(self) -> AboutDialog:
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self.host.widget)
        self.about_dialog.show()
        self.about_dialog.raise_()
        return self.about_dialog
