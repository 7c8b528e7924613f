"""``python -m aligner_core.serve``: the same as ``wordsync serve``."""

import sys

if __name__ == "__main__":  # importing this module (a check that imports every module) starts nothing
    from .cli import main

    sys.exit(main())
