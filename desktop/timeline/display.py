"""What the timeline's plot area shows: the waveform, the spectrogram or both, and how tall the
waveform is drawn (amplitude zoom).

Both are done around the plot rather than inside it: the waveform's height is the ViewBox's y
range (zooming the amplitude narrows it around 0, so silence stays centred), "both" gives the
waveform the upper half of that range and the spectrogram the lower half, and "spectrogram"
moves the waveform out of the range altogether (an item outside the view is not painted). The
words' boundary lines run down the whole plot, so they are drawn, and dragged, over the
spectrogram exactly as over the waveform.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Slot
from PySide6.QtGui import QActionGroup, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

from aligner_core.spectrogram import SpectrogramSettings

from .. import settings as user_settings
from .items import CUE_BAND, LABEL_BAND, PHONE_BAND
from .spectrogram import GREY, SpectrogramTiles, SpectrogramView

WAVEFORM, SPECTROGRAM, BOTH = "waveform", "spectrogram", "both"
MODES = (WAVEFORM, SPECTROGRAM, BOTH)
MODE_KEY = "timeline/mode"
AMPLITUDE_KEY = "timeline/amplitude"
SETTINGS_KEYS = {  # QSettings key -> SpectrogramSettings field
    "spectrogram/window_ms": "window_ms",
    "spectrogram/max_hz": "max_hz",
    "spectrogram/dynamic_range_db": "dynamic_range_db",
}
PALETTE_KEY = "spectrogram/palette"

WAVE_TOP, WAVE_BOTTOM = 1.45, -1.05  # the y range that shows the waveform with room for the bands
AMPLITUDE_STEP = 2 ** 0.5
BANDS_PX = CUE_BAND + LABEL_BAND + PHONE_BAND  # the cue, word label and phone lanes at the top
AMPLITUDE_RANGE = (0.5, 64.0)  # from half height to a -36 dB whisper filling the band


def load_settings() -> tuple[SpectrogramSettings, str]:
    """The user's spectrogram settings (defaults where unset or unreadable)."""
    default = SpectrogramSettings()
    values = {field: user_settings.value(key, float(getattr(default, field))) for key, field in SETTINGS_KEYS.items()}
    return SpectrogramSettings(**values), user_settings.value(PALETTE_KEY, GREY)


def save_settings(settings: SpectrogramSettings, palette: str) -> None:
    for key, field in SETTINGS_KEYS.items():
        user_settings.set_value(key, float(getattr(settings, field)))
    user_settings.set_value(PALETTE_KEY, palette)


class _Mask(QGraphicsObject):
    """Background over the bands above the waveform: a zoomed waveform must not run under the
    cue and label bands (the ViewBox clips only at its own edges)."""

    def __init__(self, parent: QGraphicsItem, plot) -> None:
        super().__init__(parent)
        self.setZValue(-10)
        self._rect = QRectF()
        self._plot = plot  # its colours, read when painting: they follow a light/dark switch

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        painter.fillRect(self._rect, self._plot.colors.background)


class TimelineDisplay(QObject):
    """The plot's display mode and amplitude zoom, the spectrogram's tiles and its settings."""

    def __init__(self, plot, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plot, self.session = plot, session
        self.tiles = SpectrogramTiles(self)
        self.tiles.tile_arrived.connect(self._on_tile)
        self.tiles.set_settings(*load_settings())
        self.mode = WAVEFORM
        self.amplitude = 1.0
        # made only while shown: every item in the plot's layer, even hidden, slows each repaint
        self.view: SpectrogramView | None = None
        self._mask: _Mask | None = None
        self.mode_actions: dict[str, object] = {}
        self.settings_dialog = None
        plot.vb.sigXRangeChanged.connect(self._on_range)
        plot.vb.sigResized.connect(self._on_range)
        session.audio_changed.connect(self._on_audio)
        plot.viewport().installEventFilter(self)
        self._on_audio()
        mode = user_settings.value(MODE_KEY, WAVEFORM)
        self.set_mode(mode if mode in MODES else WAVEFORM, remember=False)
        gain = user_settings.value(AMPLITUDE_KEY, 1.0)
        self.set_amplitude(gain if math.isfinite(gain) else 1.0, remember=False)  # a hand-edited file: clamped

    # -- actions -----------------------------------------------------------------------------------
    def install_actions(self, window) -> None:
        menu = window.menus["view"]
        menu.addSeparator()
        group = QActionGroup(self)
        group.setExclusive(True)
        for mode, action_id, text in (
            (WAVEFORM, "view.waveform", self.tr("Wav&eform")),
            (SPECTROGRAM, "view.spectrogram", self.tr("S&pectrogram")),
            (BOTH, "view.waveform_spectrogram", self.tr("Waveform &and spectrogram")),
        ):
            action = window.add_action(action_id, text, None, "view", checkable=True)
            group.addAction(action)
            action.setChecked(mode == self.mode)
            action.setData(mode)
            self.mode_actions[mode] = action
        group.triggered.connect(self._on_mode_action)
        window.add_action("view.amplitude_in", self.tr("Amplitude zoom i&n"), self.amplitude_in, "view")
        window.add_action("view.amplitude_out", self.tr("Amplitude zoom ou&t"), self.amplitude_out, "view")
        window.add_action("view.amplitude_reset", self.tr("&Reset amplitude zoom"), self.amplitude_reset, "view")
        window.add_action("view.spectrogram_settings", self.tr("Spectro&gram settings…"), self.show_settings, "view")

    @Slot(object)
    def _on_mode_action(self, action) -> None:
        self.set_mode(action.data())

    # -- mode --------------------------------------------------------------------------------------
    def set_mode(self, mode: str, *, remember: bool = True) -> None:
        """Show the waveform, the spectrogram or both (remembered for the next start)."""
        if mode not in MODES:
            raise ValueError(f"unknown timeline mode {mode!r}")
        self.mode = mode
        if remember:
            user_settings.set_value(MODE_KEY, mode)
        action = self.mode_actions.get(mode)
        if action is not None and not action.isChecked():
            action.setChecked(True)
        if mode == WAVEFORM and self.view is not None:
            self.plot.scene().removeItem(self.view)
            self.view = None
        elif mode != WAVEFORM and self.view is None:
            self.view = SpectrogramView(self.plot.layer, self.tiles)
        self._layout()

    # -- amplitude ---------------------------------------------------------------------------------
    def set_amplitude(self, gain: float, *, remember: bool = True) -> None:
        """Zoom the waveform's height by ``gain``, within AMPLITUDE_RANGE (remembered for the next start)."""
        self.amplitude = float(min(max(gain, AMPLITUDE_RANGE[0]), AMPLITUDE_RANGE[1]))
        if remember:
            user_settings.set_value(AMPLITUDE_KEY, self.amplitude)
        self._layout()

    @Slot()
    def amplitude_in(self) -> None:
        self.set_amplitude(self.amplitude * AMPLITUDE_STEP)

    @Slot()
    def amplitude_out(self) -> None:
        self.set_amplitude(self.amplitude / AMPLITUDE_STEP)

    @Slot()
    def amplitude_reset(self) -> None:
        self.set_amplitude(1.0)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        # Ctrl+Shift+wheel zooms the amplitude (Ctrl+wheel zooms time, the wheel scrolls)
        if event.type() == QEvent.Type.Wheel:
            both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            if event.modifiers() & both == both:
                delta = event.angleDelta()
                steps = (delta.y() or delta.x()) / 120.0
                if steps:
                    self.set_amplitude(self.amplitude * AMPLITUDE_STEP**steps)
                event.accept()
                return True
        return super().eventFilter(obj, event)

    # -- geometry ----------------------------------------------------------------------------------
    def wave_range(self) -> tuple[float, float]:
        """The y range (bottom, top) of the plot for the mode and amplitude zoom."""
        if self.mode == SPECTROGRAM:
            return 100.0 + WAVE_BOTTOM, 100.0 + WAVE_TOP  # the waveform lies outside: never painted
        span = WAVE_TOP - WAVE_BOTTOM
        bottom = WAVE_BOTTOM - span if self.mode == BOTH else WAVE_BOTTOM
        return bottom / self.amplitude, WAVE_TOP / self.amplitude

    def spectrogram_rect(self) -> QRectF:
        """Where the spectrogram goes in the plot (pixels): below the waveform, or below the bands
        (the phone lane's too: its labels do not read over a dark spectrogram, nor does the kHz mark
        under them)."""
        h, w = self.plot.vb.height(), self.plot.vb.width()
        top = h / 2.0 if self.mode == BOTH else BANDS_PX
        return QRectF(0.0, top, w, max(0.0, h - top))

    def _layout(self) -> None:
        bottom, top = self.wave_range()
        vb = self.plot.vb
        if tuple(vb.viewRange()[1]) != (bottom, top):
            vb.setYRange(bottom, top, padding=0)
        # in the split view the waveform's top is only ~8 % of the plot below its edge, inside the
        # label and phone lanes even unzoomed: mask it there too
        masked = self.mode != SPECTROGRAM and (self.amplitude > 1.0 or self.mode == BOTH)
        if masked:
            if self._mask is None:
                self._mask = _Mask(self.plot.layer, self.plot)
            span = WAVE_TOP - WAVE_BOTTOM
            full = span * (2 if self.mode == BOTH else 1)
            band = max((WAVE_TOP - 1.05) / full * vb.height(), BANDS_PX)  # above the waveform's +1.05 at zoom 1
            self._mask.set_rect(QRectF(0.0, 0.0, vb.width(), band))
        elif self._mask is not None:
            self.plot.scene().removeItem(self._mask)
            self._mask = None
        self._on_range()

    @Slot()
    def _on_range(self, *_args) -> None:
        if self.view is not None:
            t0, t1 = self.plot.time_range_ms()
            self.view.set_frame(self.spectrogram_rect(), t0, t1)
        if self._mask is not None and self._mask.boundingRect().width() != self.plot.vb.width():
            self._layout()

    @Slot()
    def _on_audio(self) -> None:
        self.tiles.set_audio(self.session.audio)
        self._on_range()

    @Slot()
    def _on_tile(self) -> None:
        if self.view is not None:
            self.view.update()

    # -- settings ----------------------------------------------------------------------------------
    def apply_settings(self, settings: SpectrogramSettings, palette: str) -> None:
        """Use and remember new spectrogram settings: every tile is computed again."""
        save_settings(settings, palette)
        self.tiles.set_settings(settings, palette)
        self._on_range()

    @Slot()
    def show_settings(self):
        from ..dialogs.spectrogram_settings import SpectrogramSettingsDialog

        if self.settings_dialog is None:
            self.settings_dialog = SpectrogramSettingsDialog(self.plot.window())
            self.settings_dialog.accepted.connect(self._settings_accepted)
        self.settings_dialog.set_values(self.tiles.settings, self.tiles.palette)
        self.settings_dialog.open()
        return self.settings_dialog

    @Slot()
    def _settings_accepted(self) -> None:
        self.apply_settings(*self.settings_dialog.values())

    def shutdown(self) -> None:
        self.tiles.shutdown()
