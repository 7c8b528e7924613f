"""The spectrogram on the timeline and the waveform's amplitude zoom, with real widgets offscreen."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from aligner_core.audio import AudioInfo, DecodedAudio
from aligner_core.document import Cue, Document, Token
from aligner_core.envelope import Envelope
from aligner_core.spectrogram import SpectrogramSettings
from desktop import settings as user_settings
from desktop.session import Session
from desktop.timeline import TimelineWidget
from desktop.timeline.display import BOTH, SPECTROGRAM, WAVEFORM
from desktop.view_state import ViewState

from .conftest import new_window, show_timeline

SR = 16000


def _tone(seconds: float = 20.0, hz: float = 1000.0) -> DecodedAudio:
    """A 1 kHz sine, silent for its first second (so the spectrogram has both)."""
    t = np.arange(int(seconds * SR)) / SR
    x = (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    x[:SR] = 0.0
    info = AudioInfo("tone.wav", SR, 1, len(x), int(seconds * 1000), "pcm", "wav", "soundfile")
    return DecodedAudio(x, SR, info, Envelope.from_samples(x, SR))


@pytest.fixture
def tone(qtbot):
    audio = _tone()
    words = [Token(f"w{i}", ("w",), 1000 + i * 500, 1000 + i * 500 + 500) for i in range(20)]
    widget, session, _view = show_timeline(qtbot, audio, Document(words, [Cue(0, 9), Cue(10, 19)], audio.duration_ms, "en"), (1100, 420))
    widget.set_range_ms(0, 4000)
    yield widget, session
    widget.display.shutdown()


def _tiles_arrive(qtbot, widget) -> None:
    """Wait until every visible tile and the ones fetched ahead have arrived."""
    view, worker = widget.display.view, widget.display.tiles.worker
    qtbot.waitUntil(lambda: worker.pending() == 0 and all(image is not None for _key, image in view.visible_tiles()), timeout=10_000)
    QApplication.processEvents()


def _plot_image(widget):
    widget.plot.viewport().repaint()
    return widget.plot.viewport().grab().toImage()


def _darkest_row(image, rect, x0: int, x1: int) -> tuple[int, np.ndarray]:
    """The y of the darkest pixel row of ``rect`` between x0 and x1 (viewport pixels), and
    each row's mean grey level."""
    top = int(rect.top()) + 18  # below the "8 kHz" label
    rows = np.array([np.mean([image.pixelColor(x, y).lightness() for x in range(x0, x1, 7)]) for y in range(top, int(rect.bottom()) - 1)])
    return top + int(np.argmin(rows)), rows


def _vp_x(widget, ms: float) -> int:
    """The viewport x of time ``ms``."""
    plot = widget.plot
    return int(round(plot.mapFromScene(plot.vb.mapToScene(QPointF(plot.x_of(ms), 0))).x()))


def _vp_rect(widget, rect):
    """A rect of the plot's layer (plot pixels) in viewport pixels."""
    plot = widget.plot
    tl = plot.mapFromScene(plot.vb.mapToScene(rect.topLeft()))
    br = plot.mapFromScene(plot.vb.mapToScene(rect.bottomRight()))
    return type(rect)(QPointF(tl), QPointF(br))


def test_toggling_shows_the_spectrogram_and_back(tone, qtbot):
    widget, _session = tone
    display = widget.display
    assert display.mode == WAVEFORM and display.view is None  # the default: as before
    display.set_mode(BOTH)
    assert display.view is not None and display.view.scene() is widget.plot.scene()
    _tiles_arrive(qtbot, widget)
    rect = display.spectrogram_rect()
    assert rect.top() == pytest.approx(widget.plot.vb.height() / 2)  # the lower half
    display.set_mode(SPECTROGRAM)
    assert display.spectrogram_rect().height() > rect.height()
    # the waveform is moved out of the plot's range, so nothing paints it
    bottom, top = widget.plot.vb.viewRange()[1]
    assert bottom > 1.05
    display.set_mode(WAVEFORM)
    assert display.view is None and widget.plot.vb.viewRange()[1] == pytest.approx([-1.05, 1.45])
    assert user_settings.value("timeline/mode", "") == WAVEFORM
    display.set_mode(BOTH)
    again = TimelineWidget(widget.session, widget.view)  # the next start shows what was chosen
    assert again.display.mode == BOTH and again.display.view is not None
    again.deleteLater()


def test_the_view_menu_switches_modes_with_its_shortcuts(qtbot):
    win = new_window(qtbot)
    actions = win.actions
    for action_id, key, mode in (
        ("view.spectrogram", "Ctrl+2", SPECTROGRAM),
        ("view.waveform_spectrogram", "Ctrl+3", BOTH),
        ("view.waveform", "Ctrl+1", WAVEFORM),
    ):
        assert actions[action_id].shortcut().toString() == key
        assert actions[action_id] in win.menus["view"].actions()
        actions[action_id].trigger()
        assert win.timeline.display.mode == mode and actions[action_id].isChecked()
    win.timeline.display.shutdown()


def test_tiles_are_computed_in_the_worker_never_on_the_gui_thread(tone, qtbot):
    widget, _session = tone
    widget.display.set_mode(SPECTROGRAM)
    _tiles_arrive(qtbot, widget)
    worker = widget.display.tiles.worker
    assert worker.computed >= len(widget.display.view.indices)
    assert worker.compute_threads and threading.get_ident() not in worker.compute_threads


def test_a_1khz_sine_is_a_dark_row_at_1khz(tone, qtbot):
    widget, _session = tone
    display = widget.display
    display.set_mode(SPECTROGRAM)
    _tiles_arrive(qtbot, widget)
    rect = _vp_rect(widget, display.spectrogram_rect())
    image = _plot_image(widget)
    x_tone = _vp_x(widget, 2000)
    darkest, rows = _darkest_row(image, rect, x_tone, x_tone + 300)
    expected = rect.bottom() - rect.height() * 1000.0 / 8000.0
    assert abs(darkest - expected) <= 4
    assert rows.min() < 60 and np.median(rows) > 230  # a black line on white paper (Praat's grey)
    # the silent first second is paper white at the tone's height
    x_quiet = _vp_x(widget, 300)
    assert image.pixelColor(x_quiet, darkest).lightness() > 240


def test_scrolling_back_draws_from_the_cache(tone, qtbot):
    widget, _session = tone
    widget.display.set_mode(BOTH)
    _tiles_arrive(qtbot, widget)
    tiles = widget.display.tiles
    first = set(k for k, _ in widget.display.view.visible_tiles())
    widget.set_range_ms(14_000, 18_000)
    _tiles_arrive(qtbot, widget)
    computed = tiles.worker.computed
    hits = tiles.cache.hits
    widget.set_range_ms(0, 4000)
    # all there at once: nothing asked of the worker, every visible tile a hit
    assert set(k for k, _ in widget.display.view.visible_tiles()) == first
    assert all(image is not None for _k, image in widget.display.view.visible_tiles())
    assert tiles.worker.pending() == 0
    qtbot.wait(100)
    assert tiles.worker.computed == computed and tiles.cache.hits > hits


def test_a_missing_tile_is_drawn_from_a_coarser_one(tone, qtbot):
    widget, _session = tone
    display = widget.display
    display.set_mode(SPECTROGRAM)
    widget.set_range_ms(0, 16_000)
    _tiles_arrive(qtbot, widget)
    coarse_hop = display.view.hop
    display.tiles.worker.stop()  # nothing new arrives from here on
    widget.set_range_ms(2000, 3000)
    assert display.view.hop < coarse_hop
    assert all(image is None for _k, image in display.view.visible_tiles())
    rect = _vp_rect(widget, display.spectrogram_rect())
    image = _plot_image(widget)
    darkest, rows = _darkest_row(image, rect, 100, 900)
    assert rows.min() < 60 and abs(darkest - (rect.bottom() - rect.height() / 8)) <= 6  # no blank flash


def test_new_settings_invalidate_the_tiles_and_are_remembered(tone, qtbot):
    widget, _session = tone
    display = widget.display
    display.set_mode(SPECTROGRAM)
    _tiles_arrive(qtbot, widget)
    old = [k for k, _ in display.view.visible_tiles()]
    dialog = display.show_settings()
    assert dialog.window_ms.value() == 5.0 and dialog.max_hz.value() == 8000.0 and dialog.dynamic_range.value() == 50.0
    dialog.window_ms.setValue(30.0)
    dialog.max_hz.setValue(4000.0)
    dialog.dynamic_range.setValue(70.0)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert display.tiles.settings == SpectrogramSettings(window_ms=30.0, max_hz=4000.0, dynamic_range_db=70.0)
    assert display.view._label == "4 kHz"
    assert all(k not in display.tiles.cache for k in old)
    _tiles_arrive(qtbot, widget)
    assert all(k.settings.window_ms == 30.0 for k, _ in display.view.visible_tiles())
    # 1 kHz is now a quarter of the way up (0-4 kHz)
    rect = _vp_rect(widget, display.spectrogram_rect())
    image = _plot_image(widget)
    x = _vp_x(widget, 2000)
    darkest, rows = _darkest_row(image, rect, x, x + 300)
    assert abs(darkest - (rect.bottom() - rect.height() / 4)) <= 4
    assert user_settings.value("spectrogram/window_ms", 0.0) == 30.0
    assert user_settings.value("spectrogram/max_hz", 0.0) == 4000.0
    dialog.restore_defaults()
    assert dialog.values() == (SpectrogramSettings(), "grey")


def test_amplitude_zoom_narrows_the_waveform_range_around_zero(tone, qtbot):
    widget, _session = tone
    display, vb = widget.display, widget.plot.vb

    def zero_px() -> float:
        return vb.mapViewToScene(QPointF(0, 0)).y()

    bottom, top = vb.viewRange()[1]
    zero = zero_px()
    display.amplitude_in()
    b2, t2 = vb.viewRange()[1]
    assert (t2 - b2) == pytest.approx((top - bottom) / 2**0.5) and zero_px() == pytest.approx(zero)
    for _ in range(40):
        display.amplitude_in()
    assert display.amplitude == 64.0  # clamped
    display.amplitude_reset()
    assert vb.viewRange()[1] == pytest.approx([bottom, top])
    for _ in range(10):
        display.amplitude_out()
    assert display.amplitude == 0.5
    display.amplitude_reset()
    # Ctrl+Shift+wheel over the plot zooms the amplitude and leaves the time range alone
    t_range = widget.range_ms()
    vp = widget.plot.viewport()
    pos = QPointF(300, 200)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    ev = QWheelEvent(pos, vp.mapToGlobal(pos), QPoint(), QPoint(0, 240), Qt.MouseButton.NoButton, mods,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)
    assert display.amplitude == pytest.approx(2.0)
    assert widget.range_ms() == pytest.approx(t_range)
    # the zoomed waveform stays out of the cue and label bands
    assert display._mask is not None and display._mask.boundingRect().height() > 0


def test_the_amplitude_keys_in_the_window(qtbot):
    win = new_window(qtbot)
    display = win.timeline.display
    assert win.actions["view.amplitude_in"].shortcut().toString() == "Ctrl+Shift+Up"
    win.actions["view.amplitude_in"].trigger()
    win.actions["view.amplitude_in"].trigger()
    assert display.amplitude == pytest.approx(2.0)
    win.actions["view.amplitude_reset"].trigger()
    assert display.amplitude == 1.0
    display.shutdown()


def test_a_boundary_drags_over_the_spectrogram(tone, qtbot):
    widget, session = tone
    widget.display.set_mode(BOTH)
    _tiles_arrive(qtbot, widget)
    plot = widget.plot
    rect = widget.display.spectrogram_rect()
    y = rect.top() + rect.height() / 2  # in the middle of the spectrogram
    ms = session.document.tokens[3].end
    vp = plot.viewport()
    left = Qt.MouseButton.LeftButton

    def send(kind, pos, button, buttons):
        QApplication.sendEvent(vp, QMouseEvent(kind, pos, vp.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier))

    p0 = plot.viewport_point(ms, y)
    send(QEvent.Type.MouseButtonPress, p0, left, left)
    for s in range(1, 11):
        send(QEvent.Type.MouseMove, p0 + QPointF(3.0 * s, 0), Qt.MouseButton.NoButton, left)
    send(QEvent.Type.MouseButtonRelease, p0 + QPointF(30.0, 0), left, Qt.MouseButton.NoButton)
    assert session.undo_stack.count() == 1
    assert session.document.tokens[3].end > ms and session.document.tokens[4].start == session.document.tokens[3].end


def test_the_tile_thread_ends_with_the_timeline(qtbot):
    from PySide6.QtCore import QCoreApplication

    session, view = Session(), ViewState()
    session.set_audio(_tone(4.0), None)
    widget = TimelineWidget(session, view)
    widget.resize(800, 300)
    widget.show()
    widget.display.set_mode(SPECTROGRAM)
    _tiles_arrive(qtbot, widget)
    thread = widget.display.tiles.worker._thread
    assert thread is not None and thread.is_alive()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    thread.join(5.0)
    assert not thread.is_alive()


def _next_start(qtbot, widget) -> TimelineWidget:
    again = TimelineWidget(widget.session, widget.view)
    qtbot.addWidget(again)
    return again


def test_the_amplitude_zoom_is_remembered_and_clamped_on_the_next_start(tone, qtbot):
    widget, _session = tone
    widget.display.amplitude_in()
    widget.display.amplitude_in()
    again = _next_start(qtbot, widget)
    assert again.display.amplitude == pytest.approx(2.0)
    assert again.plot.vb.viewRange()[1] == pytest.approx(list(widget.plot.vb.viewRange()[1]))
    again.display.shutdown()
    for stored, loaded in ((1000.0, 64.0), (0.001, 0.5), (-4.0, 0.5), ("loud", 1.0), ("nan", 1.0), ("inf", 1.0)):
        user_settings.set_value("timeline/amplitude", stored)  # a hand-edited settings file
        again = _next_start(qtbot, widget)
        assert again.display.amplitude == loaded, stored
        again.display.shutdown()


def test_hand_edited_settings_fall_back_or_are_clamped(qtbot):
    user_settings.set_value("spectrogram/window_ms", "wide")
    user_settings.set_value("spectrogram/max_hz", 96000.0)
    user_settings.set_value("spectrogram/dynamic_range_db", -3.0)
    user_settings.set_value("spectrogram/palette", "plaid")
    user_settings.set_value("timeline/mode", "hologram")
    session, view = Session(), ViewState()
    session.set_audio(_tone(4.0), None)
    widget = TimelineWidget(session, view)
    widget._keep = (session, view)
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    widget.show()
    display = widget.display
    assert display.mode == WAVEFORM and display.tiles.palette == "grey"
    assert display.tiles.settings.window_ms == 5.0  # unreadable: the default
    display.set_mode(SPECTROGRAM)
    _tiles_arrive(qtbot, widget)
    key = display.view.visible_tiles()[0][0]
    assert key.settings.max_hz == 8000.0 and key.settings.dynamic_range_db == 10.0  # what 16 kHz audio holds
    assert display.view._label == "8 kHz"
    with pytest.raises(ValueError):
        display.set_mode("hologram")
    display.shutdown()


def test_the_shortcuts_list_shows_the_new_commands(qtbot):
    win = new_window(qtbot)
    dialog = win.help_menu.show_shortcuts()
    ids = dialog.visible_ids()
    for action_id in ("view.waveform", "view.spectrogram", "view.waveform_spectrogram", "view.amplitude_in",
                      "view.amplitude_out", "view.amplitude_reset", "view.spectrogram_settings"):
        assert action_id in ids
    keys = {i.data(0, Qt.ItemDataRole.UserRole): i.text(1) for i in dialog.items()}
    assert keys["view.waveform_spectrogram"] == "Ctrl+3" and keys["view.amplitude_out"] == "Ctrl+Shift+Down"
    dialog.close()
    win.timeline.display.shutdown()


def test_zooming_out_draws_the_finer_tiles_until_the_coarser_arrive(tone, qtbot):
    widget, _session = tone
    display = widget.display
    display.set_mode(SPECTROGRAM)
    widget.set_range_ms(2000, 3000)
    _tiles_arrive(qtbot, widget)
    fine_hop = display.view.hop
    display.tiles.worker.stop()
    widget.set_range_ms(2000, 3600)  # 1.6 times as wide: one level up
    assert display.view.hop == 2 * fine_hop
    assert any(image is None for _k, image in display.view.visible_tiles())
    rect = _vp_rect(widget, display.spectrogram_rect())
    image = _plot_image(widget)
    x = _vp_x(widget, 2300)
    darkest, rows = _darkest_row(image, rect, x, x + 60)
    assert rows.min() < 60 and abs(darkest - (rect.bottom() - rect.height() / 8)) <= 6


def test_the_label_and_phone_lanes_stay_clear_of_the_pictures(tone, qtbot):
    """The spectrogram alone starts below the phone lane (its labels and the kHz mark no longer
    fall on it), and in the split view the waveform is masked out of the lanes even unzoomed."""
    from desktop.timeline.items import CUE_BAND, LABEL_BAND, PHONE_BAND

    widget, _session = tone
    display = widget.display
    lanes = CUE_BAND + LABEL_BAND + PHONE_BAND
    display.set_mode(SPECTROGRAM)
    assert display.spectrogram_rect().top() >= lanes
    display.set_mode(BOTH)
    assert display.amplitude == 1.0
    assert display._mask is not None and display._mask.boundingRect().bottom() >= lanes
    display.set_mode(WAVEFORM)  # unzoomed, the waveform's own room above +1.05 keeps it out
    assert display._mask is None
