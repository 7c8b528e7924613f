"""Draw the application icon: resources/icons/wordsync.svg (+ a bolder one for tiny sizes) and PNGs.

A waveform with a word-boundary marker. Run after changing the drawing:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SMALL = 32  # at or below this size the fine waveform turns to grey mush: draw fewer, wider bars

# a speech-like envelope: two words, a short gap (where the boundary marker stands), two more
DETAILED = (40, 70, 120, 180, 150, 90, 60, 100, 160, 210, 170, 110, 50, 20, 60, 130, 190, 150, 100, 140, 90, 50)
BOLD = (90, 170, 230, 150, 40, 40, 200, 250, 140)


def svg(heights: tuple[int, ...], bar: float, marker_after: int) -> str:
    x0, x1 = 76.0, 436.0
    step = (x1 - x0) / (len(heights) - 1)
    bars = "\n".join(
        f'    <rect x="{x0 + i * step - bar / 2:.1f}" y="{256 - h / 2:.1f}" width="{bar:g}" height="{h}" rx="{bar / 2:g}"/>'
        for i, h in enumerate(heights)
        if i != marker_after
    )
    mx = x0 + marker_after * step
    w = bar * 1.3
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2f6fb3"/>
      <stop offset="1" stop-color="#1d4a80"/>
    </linearGradient>
  </defs>
  <rect x="16" y="16" width="480" height="480" rx="104" fill="url(#bg)"/>
  <g fill="#ffffff">
{bars}
  </g>
  <rect x="{mx - w / 2:.1f}" y="96" width="{w:g}" height="320" rx="4" fill="#ffb020"/>
  <path d="M {mx - w / 2:.1f} 96 h {w * 4.5:g} l -{w * 1.4:g} 26 l {w * 1.4:g} 26 h -{w * 4.5:g} z" fill="#ffb020"/>
</svg>
"""


def main() -> None:
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - rendering needs one
    ICONS.mkdir(parents=True, exist_ok=True)
    drawings = {"wordsync.svg": svg(DETAILED, 12, 13), "wordsync-small.svg": svg(BOLD, 30, 4)}
    for name, text in drawings.items():
        (ICONS / name).write_text(text, encoding="utf-8")
    for size in SIZES:
        source = drawings["wordsync-small.svg" if size <= SMALL else "wordsync.svg"]
        renderer = QSvgRenderer(QByteArray(source.encode()))
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"wordsync-{size}.png"))
        print(f"wrote {ICONS / f'wordsync-{size}.png'}")


if __name__ == "__main__":
    main()
