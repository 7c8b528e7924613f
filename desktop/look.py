"""How the editor looks: the application icon, pyqtgraph settings and colours that suit light and dark.

Widgets take their colours from the system palette. Colours that carry meaning (a locked word,
a doubtful one, the playhead) come from :func:`themed`, which has a variant for light and one
for dark palettes, so nothing is drawn dark grey on a dark background.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# name -> (on a light background, on a dark background)
COLORS: dict[str, tuple[str, str]] = {
    "waveform": ("#4682b4", "#7fb2e5"),
    "boundary": ("#5a5a5a", "#b4b4b4"),
    "doubtful": ("#c8503c", "#ff8a70"),
    "locked": ("#288c46", "#5fd07f"),
    "playhead": ("#d02020", "#ff5a5a"),
    "selection": ("#503c78d8", "#606fa3ff"),  # Qt reads #AARRGGBB
    "cue": ("#7a5ab4", "#b49cf0"),
    "violation": ("#d08000", "#ffb340"),
}


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """The Wordsync icon: hand-tuned PNGs for each size (tiny ones use a bolder drawing)."""
    icon = QIcon()
    for size in ICON_SIZES:
        png = ICONS / f"wordsync-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


def is_dark(palette: QPalette | None = None) -> bool:
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(QPalette.ColorRole.WindowText).lightness()


def themed(name: str, palette: QPalette | None = None) -> QColor:
    """The colour for ``name`` that reads well on the current (or given) palette's background."""
    light, dark = COLORS[name]
    return QColor(dark if is_dark(palette) else light)


def apply_look(app) -> None:
    """Application-wide look, once at start: icon and smooth lines (waveforms, boundaries, text)."""
    import pyqtgraph as pg

    app.setWindowIcon(app_icon())
    # Antialiased lines look right at every scale factor; pyqtgraph draws aliased by default.
    pg.setConfigOptions(antialias=True)
