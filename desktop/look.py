"""How the editor looks: the application icon, pyqtgraph settings and colours that suit light and dark.

Widgets take their colours from the system palette. Colours that carry meaning (an error, a
warning) come from :func:`themed`, which has a variant for light and one for dark palettes, so
nothing is drawn dark red on a dark background.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

# name -> (on a light background, on a dark background). The timeline derives its own colours
# from the palette (desktop.timeline.items.Colors); these are for the rest (messages, tables).
COLORS: dict[str, tuple[str, str]] = {
    "error": ("#b00020", "#ff7a8a"),
    "warning": ("#9a6400", "#ffc04d"),
    "ok": ("#1e7e34", "#6fdc8c"),
    "sound": ("#7b3fa0", "#c59cf0"),  # sound cues ("[music]"): apart from speech cues and from warnings
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


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style: for screenshots and checking that colours hold up in the dark."""
    palette = QPalette()
    role = QPalette.ColorRole
    for r, color in (
        (role.Window, "#2b2b2e"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e20"),
        (role.AlternateBase, "#26262a"), (role.Text, "#e6e6e6"), (role.Button, "#35353a"),
        (role.ButtonText, "#e6e6e6"), (role.Highlight, "#3d7bd9"), (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#35353a"), (role.ToolTipText, "#e6e6e6"), (role.PlaceholderText, "#8a8a90"),
        (role.Link, "#7fb2ff"), (role.Light, "#505055"), (role.Mid, "#3a3a3f"), (role.Dark, "#18181a"),
    ):
        palette.setColor(r, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#77777c"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#77777c"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#77777c"))
    return palette
