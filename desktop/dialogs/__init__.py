"""Dialogs of the editor: export, crash recovery."""
