"""The core's messages in the user's language.

The core raises errors that carry a stable ``code`` and arguments (for example
:class:`aligner_core.outputs.OutputError`); the CLI prints their English ``str()``, the editor
looks the code up here and shows the translated sentence. An error without a known code falls
back to its English text, so a new core message is never lost, only untranslated (a test walks
every code in the core and fails on one missing here).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from aligner_core.outputs import MESSAGES as OUTPUT_MESSAGES
from aligner_core.outputs import OutputError


def _output_templates() -> dict[str, str]:
    # literal strings, so lupdate finds every one; {path} etc. are filled in below
    return {
        "same_as_input": QCoreApplication.translate("CoreMessages", "“{path}” is the same file as the input “{input}”; choose another name."),
        "is_folder": QCoreApplication.translate("CoreMessages", "“{path}” is a folder; give a file name."),
        "not_writable_kind": QCoreApplication.translate("CoreMessages", "“{path}” is a {kind}, not a file; nothing was written."),
        "special_not_allowed": QCoreApplication.translate("CoreMessages", "“{path}” is a {kind}; choose a regular file."),
        "read_only": QCoreApplication.translate("CoreMessages", "“{path}” is read-only; it was not replaced. Make it writable or choose another name."),
        "no_folder": QCoreApplication.translate("CoreMessages", "The folder “{folder}” does not exist."),
        "folder_not_folder": QCoreApplication.translate("CoreMessages", "“{folder}” is not a folder."),
        "folder_not_writable": QCoreApplication.translate("CoreMessages", "Cannot write into the folder “{folder}” (permission denied)."),
        "name_too_long": QCoreApplication.translate("CoreMessages", "The file name “{name}” is too long for its folder ({size} bytes, at most {limit})."),
    }


def _kind(name: str) -> str:
    kinds = {
        "folder": QCoreApplication.translate("CoreMessages", "folder"),
        "character device": QCoreApplication.translate("CoreMessages", "device"),
        "block device": QCoreApplication.translate("CoreMessages", "disk device"),
        "named pipe (FIFO)": QCoreApplication.translate("CoreMessages", "named pipe"),
        "socket": QCoreApplication.translate("CoreMessages", "socket"),
    }
    return kinds.get(name, QCoreApplication.translate("CoreMessages", "special file"))


def _shown(value: object) -> str:
    """A path as people read it in a dialog: the name for a file, the whole path for a folder."""
    text = os.fspath(value) if isinstance(value, (str, os.PathLike)) else str(value)
    return Path(text).name or text


def known_codes() -> set[str]:
    return set(_output_templates())


def core_message(exc: BaseException) -> str:
    """The translated sentence for a core error, or its English text when it has no code."""
    if isinstance(exc, OutputError) and exc.code in OUTPUT_MESSAGES:
        template = _output_templates().get(exc.code)
        if template is not None:
            args = dict(exc.args_dict)
            for key in ("path", "input", "name"):
                if key in args:
                    args[key] = _shown(args[key])
            if "kind" in args:
                args["kind"] = _kind(str(args["kind"]))
            return template.format(**args)
    return str(exc)
