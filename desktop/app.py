"""The ``wordsync`` entry point: ``wordsync align ...`` runs headless, anything else opens the editor.

The entry point lives at the top (here), so the GUI-free core never reaches into the GUI: the
CLI is imported from ``aligner_core`` and Qt is imported only when a window is wanted.
"""

from __future__ import annotations

import sys

USAGE = """usage: wordsync [AUDIO [TRANSCRIPT]]       open the editor (optionally on files)
       wordsync PROJECT.wordsync           open the editor on a saved project
       wordsync align AUDIO TRANSCRIPT -o OUT ...   align headless (wordsync align --help)"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "align":
        from aligner_core.cli import main as cli_main

        return cli_main(argv)
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if argv and argv[0] in ("-V", "--version"):
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"wordsync {version('wordsync')}")
        except PackageNotFoundError:
            print("wordsync (not installed)")
        return 0
    return run_editor(argv)


def run_editor(files: list[str]) -> int:
    try:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:  # a broken Qt install: say what is wrong in one line
        print(f"wordsync: error: the editor needs PySide6 ({exc}); `wordsync align` works without it", file=sys.stderr)
        return 2
    from .i18n import install_translators
    from .look import apply_look
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Wordsync")
    app.setOrganizationName("Wordsync")
    install_translators(app)  # before any widget exists: widgets translate their text when built
    apply_look(app)
    window = MainWindow()
    window.show()
    if files:
        window.open_files(files)
    # once the window is up: offer the unsaved work of an editor that crashed
    QTimer.singleShot(0, window.files.check_recovery)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
