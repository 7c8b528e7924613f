"""Photograph the editor in its key states into resources/screenshots/*.png (for the README).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python packaging/screenshots.py
    .venv/bin/python packaging/screenshots.py                  # no display: renders offscreen
    QT_SCALE_FACTOR=2 .venv/bin/python packaging/screenshots.py --out /tmp/shots-2x   # HiDPI check

The JFK example is aligned for real with the offline aligner (sphinx), through the window's
own Align action. Settings, autosaves and recovery files go to a temporary folder, so the
pictures never depend on (or change) the user's saved layout or language. The Chinese shots
need a CJK font: on Debian/Ubuntu ``apt-get install -y fonts-noto-cjk`` (``fc-list :lang=zh``
lists what is installed); without one the script warns and the glyphs render as boxes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout
SHOTS = ("aligned", "zoomed", "spectrogram", "export", "shortcuts", "video", "chinese", "dark")
SIZE = (1200, 750)


def _isolate(tmp: Path) -> None:
    """Point settings and state at ``tmp`` before Qt reads them."""
    os.environ["WORDSYNC_STATE_DIR"] = str(tmp / "state")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_STATE_HOME"] = str(tmp / "state")
    os.environ.pop("WORDSYNC_LANG", None)
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp / "config"))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(tmp / "system"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)


def has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return True  # not fontconfig: assume the platform has its own CJK fonts
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return bool(found.strip())


def wait_until(app, predicate, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def settle(app, seconds: float = 0.2) -> None:
    """Let layouts, deferred repaints and timers run before a grab."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def save(widget, path: Path) -> Path:
    status = getattr(widget, "stage_label", None)
    if status is not None and status.text().startswith(("Playback is unavailable", "无法播放")):
        status.setText("")  # the machine taking the pictures has no sound card; users' machines do
    image = widget.grab().toImage()
    image.save(str(path), "PNG", 0)  # 0: the smallest file Qt's PNG writer makes
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"({image.width()}x{image.height()}, {path.stat().st_size // 1024} KB)")
    return path


def new_window(app, language: str):
    from desktop.i18n import install_translators
    from desktop.main_window import MainWindow

    install_translators(app, language)
    win = MainWindow()
    win.setProperty("quiet_errors", True)
    win.resize(*SIZE)
    win.show()
    win.splitter.setSizes([470, 230])  # the timeline is the subject; a few table rows are enough
    settle(app)
    return win


def show_aligned(app, win, audio, doc) -> None:
    """Load an already aligned copy (a document load, as opening a project is)."""
    win.session.set_audio(audio, ROOT / "resources" / "examples" / "jfk.flac")
    win.session.set_document(doc.copy())
    settle(app)


def select_cue(app, win, cue: int) -> None:
    doc = win.session.document
    win.view.select(cue=cue, tokens=(doc.cues[cue].first, doc.cues[cue].last))
    settle(app)


def zoom_to_words(app, win, first: int, last: int, selected: int) -> None:
    doc = win.session.document
    start, end = doc.tokens[first].start, doc.tokens[last].end
    pad = (end - start) * 0.08
    win.timeline.set_range_ms(start - pad, end + pad)
    win.view.select(tokens=(selected, selected))
    win.view.set_playhead((doc.tokens[selected].start + doc.tokens[selected].end) // 2)
    settle(app)


def make_clip(path: Path, audio) -> Path:
    """A 640x360 H.264 clip of the example's length with its audio: three shots, each a colour
    gradient with a disc drifting across, so the pane has a picture and the timeline shot changes."""
    from fractions import Fraction

    import av
    import numpy as np

    fps, (w, h) = 25, (640, 360)
    frames = int(audio.duration_ms * fps / 1000)
    ys, xs = np.mgrid[0:h, 0:w]
    tops, bottoms = ((40, 70, 120), (30, 90, 60), (110, 60, 40)), ((170, 200, 230), (190, 220, 150), (240, 190, 120))
    container = av.open(str(path), "w")
    video = container.add_stream("libx264", rate=fps)
    video.width, video.height, video.pix_fmt = w, h, "yuv420p"
    video.codec_context.options = {"preset": "veryfast", "crf": "23"}
    sound = container.add_stream("aac", rate=audio.sample_rate)
    sound.layout = "mono"
    for i in range(frames):
        shot = min(2, i * 3 // frames)
        mix = (ys / h)[..., None]
        img = (np.array(tops[shot]) * (1 - mix) + np.array(bottoms[shot]) * mix).astype(np.uint8)
        cx, cy = (80 + i * 3) % w, h // 3 + shot * 30
        img[(xs - cx) ** 2 + (ys - cy) ** 2 < 45**2] = (250, 235, 200)
        frame = av.VideoFrame.from_ndarray(img, format="rgb24")
        frame.pts, frame.time_base = i, Fraction(1, fps)
        for packet in video.encode(frame):
            container.mux(packet)
    for packet in video.encode():
        container.mux(packet)
    samples = audio.samples.astype(np.float32)
    for k in range(0, len(samples), 1024):
        chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[None, k : k + 1024]), format="fltp", layout="mono")
        chunk.sample_rate, chunk.pts, chunk.time_base = audio.sample_rate, k, Fraction(1, audio.sample_rate)
        for packet in sound.encode(chunk):
            container.mux(packet)
    for packet in sound.encode():
        container.mux(packet)
    container.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--only", nargs="*", choices=SHOTS, help="take only these")
    args = parser.parse_args(argv)
    wanted = set(args.only or SHOTS)
    args.out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with tempfile.TemporaryDirectory(prefix="wordsync-shots-") as tmp:
        _isolate(Path(tmp))
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from desktop import settings
        from desktop.look import apply_look, dark_palette

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setOrganizationName(settings.ORGANIZATION)
        app.setApplicationName(settings.APPLICATION)
        settings.set_value("align/aligner", "sphinx")  # offline: no model download, same result everywhere
        apply_look(app)
        if "chinese" in wanted and not has_cjk_font():
            print("screenshots: no CJK font found (fc-list :lang=zh): install fonts-noto-cjk", file=sys.stderr)

        started = time.monotonic()
        win = new_window(app, "en")
        win.open_example()
        wait_until(app, lambda: win.session.audio is not None and win.session.document is not None and not win.busy,
                   60, "the example to open")
        win.actions["timing.align"].trigger()
        wait_until(app, lambda: not win.busy and all(t.aligned for t in win.session.document.tokens),
                   120, "the alignment")
        print(f"aligned the example in {time.monotonic() - started:.1f} s")
        if not win.session.document.cues:  # Align makes the subtitles with the chosen profile
            print("screenshots: Align made no cues", file=sys.stderr)
            return 1
        audio, doc = win.session.audio, win.session.document.copy()

        if "aligned" in wanted:
            win.tables.tabs.setCurrentIndex(0)
            select_cue(app, win, min(1, len(doc.cues) - 1))
            win.timeline.zoom_all()
            settle(app)
            save(win, args.out / "aligned.png")
        if "zoomed" in wanted:
            zoom_to_words(app, win, 2, 6, 4)
            save(win, args.out / "zoomed.png")
        if "spectrogram" in wanted:  # View → Waveform and spectrogram, over a few words
            display = win.timeline.display
            display.set_mode("both")
            zoom_to_words(app, win, 2, 9, 5)
            wait_until(app, lambda: not display.tiles.worker.pending()
                       and all(image is not None for _key, image in display.view.visible_tiles()), 30, "the spectrogram")
            settle(app)
            save(win, args.out / "spectrogram.png")
            display.set_mode("waveform")
        if "export" in wanted:
            dialog = win.files.export()
            settle(app, 0.4)
            save(dialog, args.out / "export.png")
            dialog.close()
        if "shortcuts" in wanted:
            dialog = win.help_menu.show_shortcuts()
            dialog.resize(560, 640)
            settle(app)
            save(dialog, args.out / "shortcuts.png")
            dialog.close()
        win.session.undo_stack.setClean()  # nothing to ask about when closing
        win.close()

        if "video" in wanted:
            clip = make_clip(Path(tmp) / "jfk-video.mp4", audio)
            vid = new_window(app, "en")
            vid.load_audio(clip)
            wait_until(app, lambda: vid.session.audio is not None and not vid.busy, 60, "the clip to open")
            vid.session.set_document(doc.copy())
            vid.video.karaoke_action.setChecked(True)
            vid.video.timecode_action.setChecked(True)
            wait_until(app, lambda: len(vid.video.shots) > 0, 60, "the shot changes")
            vid.resizeDocks([vid.video.dock], [520], Qt.Orientation.Horizontal)
            cue = doc.cues[min(2, len(doc.cues) - 1)]
            tok = doc.tokens[(cue.first + cue.last) // 2]
            vid.timeline.zoom_all()
            vid.view.set_playhead(tok.start + 20)
            wait_until(app, lambda: vid.video.frame is not None and vid.video.frame.time_ms >= tok.start - 40, 30, "the frame")
            settle(app, 0.4)
            save(vid, args.out / "video.png")
            vid.session.undo_stack.setClean()
            vid.close()
        if "chinese" in wanted:
            zh = new_window(app, "zh_CN")
            show_aligned(app, zh, audio, doc)
            select_cue(app, zh, 0)
            zoom_to_words(app, zh, 0, 9, 3)
            save(zh, args.out / "chinese.png")
            zh.close()
        if "dark" in wanted:
            app.setStyle("Fusion")
            app.setPalette(dark_palette())
            dark = new_window(app, "en")
            show_aligned(app, dark, audio, doc)
            select_cue(app, dark, 2 if len(doc.cues) > 2 else 0)
            zoom_to_words(app, dark, 8, 16, 12)
            save(dark, args.out / "dark.png")
            dark.close()
        from desktop.i18n import install_translators

        install_translators(app, "en")
        print(f"done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
