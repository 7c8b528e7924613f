"""The ``wordsync`` entry point: ``wordsync align|transcribe|serve ...`` run headless, anything else opens the editor.

The entry point lives at the top (here), so the GUI-free core never reaches into the GUI: the
CLI is imported from ``aligner_core`` and Qt is imported only when a window is wanted.
"""

from __future__ import annotations

import os
import sys
import time

_IMPORTED_AT = time.time()

USAGE = """usage: wordsync [AUDIO [TRANSCRIPT]]       open the editor (optionally on files)
       wordsync PROJECT.wordsync           open the editor on a saved project
       wordsync align AUDIO TRANSCRIPT -o OUT ...   align headless (wordsync align --help)
       wordsync transcribe AUDIO -o OUT ...         draft a transcript from audio, then align it
       wordsync serve [--port 8765] ...             alignment over a local HTTP API (wordsync serve --help)
       wordsync dataset PROJECT... -o train.jsonl   corrected projects -> a training set
       wordsync finetune train.jsonl --out DIR      teach an aligner from it (--base sphinx: the offline one)
       wordsync evaluate GOLD PRED_OR_AUDIO...      word-boundary error against gold times"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "align":
        from aligner_core.cli import main as cli_main

        return cli_main(argv)
    if argv and argv[0] == "transcribe":
        from aligner_core.transcribe_cli import main as transcribe_main

        return transcribe_main(argv)
    if argv and argv[0] == "serve":
        from aligner_core.serve.cli import main as serve_main

        return serve_main(argv)
    if argv and argv[0] in ("dataset", "finetune", "evaluate"):
        from aligner_core.learn_cli import main as learn_main

        return learn_main(argv)
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
    # Wayland's app id: ties the window to packaging/linux's desktop entry and its icon
    app.setDesktopFileName("io.github.wordsync.Wordsync")
    install_translators(app)  # before any widget exists: widgets translate their text when built
    apply_look(app)
    window = MainWindow()
    window.show()
    if os.environ.get("WORDSYNC_EXIT_AFTER_SHOW"):
        _exit_once_exposed(app, window)
    if files:
        window.open_files(files)
    # once the window is up: offer the unsaved work of an editor that crashed
    QTimer.singleShot(0, window.files.check_recovery)
    code = app.exec()
    window.stop_background_work()  # the loop can end without a close (quit, logout, the hook below)
    return code


def _exit_once_exposed(app, window) -> None:
    """WORDSYNC_EXIT_AFTER_SHOW=1: quit as soon as the window is on screen, printing how long that took.

    packaging/check_bundle.sh uses it to prove a frozen editor starts and to time it. The clock
    starts at WORDSYNC_LAUNCH_T0 (epoch seconds, set by the launcher) when given, else at this
    module's import, which leaves out the interpreter's and the bundle's own start.
    """
    from PySide6.QtCore import QTimer

    t0 = float(os.environ.get("WORDSYNC_LAUNCH_T0") or _IMPORTED_AT)
    timer = QTimer(app)
    timer.setInterval(5)

    def check() -> None:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            timer.stop()
            print(f"wordsync: window shown after {time.time() - t0:.2f} s", flush=True)
            app.exit(0)

    timer.timeout.connect(check)
    timer.start()


if __name__ == "__main__":
    sys.exit(main())
