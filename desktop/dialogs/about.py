"""Help → About: the version, what it runs on, and the licences of the parts it is built from."""

from __future__ import annotations

import html
import platform
from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ..look import app_icon

# (name, distribution that tells the installed version or None, licence). Names are not translated.
COMPONENTS: tuple[tuple[str, str | None, str], ...] = (
    ("Qt 6 / PySide6", "PySide6_Essentials", "LGPL-3.0"),
    ("pyqtgraph", "pyqtgraph", "MIT"),
    ("NumPy", "numpy", "BSD-3-Clause"),
    ("PocketSphinx", "pocketsphinx", "BSD-2-Clause"),
    ("CMU Pronouncing Dictionary", None, "BSD-2-Clause"),
    ("python-soundfile / libsndfile", "soundfile", "BSD-3-Clause / LGPL-2.1"),
    ("PyAV / FFmpeg", "av", "BSD-3-Clause / LGPL-2.1+"),
    ("python-soxr / libsoxr", "soxr", "LGPL-2.1+"),
    ("sounddevice / PortAudio", "sounddevice", "MIT"),
    ("srt", "srt", "MIT"),
    ("charset-normalizer", "charset-normalizer", "MIT"),
    ("num2words", "num2words", "LGPL-2.1"),
    ("spylls", "spylls", "MPL-2.0"),
    ("sherpa-onnx / ONNX Runtime", "sherpa-onnx", "Apache-2.0 / MIT"),
    ("PyTorch", "torch", "BSD-3-Clause"),
    ("Hugging Face Transformers", "transformers", "Apache-2.0"),
)


def installed_version(dist: str | None) -> str | None:
    if dist is None:
        return None
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def wordsync_version() -> str:
    return installed_version("wordsync") or "0+dev"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.setWindowTitle(self.tr("About Wordsync"))
        self.resize(520, 540)

        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(
            "<h2>Wordsync {0}</h2><p>{1}</p><p>{2}</p>".format(
                html.escape(wordsync_version()),
                html.escape(self.tr("A subtitle editor that aligns a transcript to its audio, word by word.")),
                html.escape(self.tr("Free software under the MIT licence.")),
            )
        )
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.heading, 1)

        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(True)
        self.details.setHtml(self._details_html())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def _details_html(self) -> str:
        runtime = self.tr("Python {0}, Qt {1}, PySide6 {2} on {3}").format(
            platform.python_version(), qVersion(), pyside_version, platform.system() or "?"
        )
        rows = []
        for name, dist, licence in COMPONENTS:
            ver = installed_version(dist)
            if dist is not None and ver is None:
                continue  # optional parts (the neural aligners) only when installed
            rows.append(
                f"<tr><td>{html.escape(name)}</td><td>{html.escape(ver or '')}</td><td>{html.escape(licence)}</td></tr>"
            )
        built_with = self.tr("Built with")
        headers = (self.tr("Component"), self.tr("Version"), self.tr("Licence"))
        note = self.tr("The LGPL libraries are linked dynamically and can be replaced with your own builds.")
        head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
        return (
            f"<p>{html.escape(runtime)}</p><h3>{html.escape(built_with)}</h3>"
            f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{''.join(rows)}</table>"
            f"<p>{html.escape(note)}</p>"
        )
