"""Entry script frozen into both bundle executables (``wordsync-editor`` and ``wordsync``).

Both run the same ``desktop.app.main`` as the installed ``wordsync`` command: ``align ...`` runs
headless, anything else opens the editor. They differ only in the console flag of their EXE.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # torch and transformers may start worker processes; a frozen child must not re-run main()
    multiprocessing.freeze_support()
    from desktop.app import main

    sys.exit(main())
