"""The video pane on real widgets offscreen, with an H.264 clip made at test time: it appears for
video and not for audio, follows the playhead frame by frame, steps one frame, draws the cue,
and the timeline shows the shot changes and snaps drags to them and to frames."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from aligner_core.document import Cue, Document
from aligner_core.text import read_transcript, tokenize
from aligner_core.video import frame_ms
from desktop.main_window import EXAMPLE_DIR

from ..core.media import tone, write_sf
from ..core.video_clips import read_number, write_clip
from .conftest import new_window
from .test_timeline import WORD_Y, drag

FPS = Fraction(25)
SHOTS = (1200, 2400)  # frames 30 and 60


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("video")
    audio = tone(300, 3.6, 16000)[:, 0]
    return write_clip(folder / "clip.mp4", fps=FPS, scenes=(30, 30, 30), size=(320, 180), audio=audio)


def _doc(duration_ms: int) -> Document:
    """The 22 JFK words, 150 ms each from 100 ms, touching; two cues."""
    toks = tokenize(read_transcript(EXAMPLE_DIR / "jfk.txt"), "en")
    toks = [t.with_times(100 + i * 150, 250 + i * 150) for i, t in enumerate(toks)]
    return Document(toks, [Cue(0, 10, line_starts=(5,)), Cue(11, 21)], duration_ms, "en")


def _open(qtbot, path, doc=True):
    win = new_window(qtbot)
    win.resize(1300, 800)
    win.load_audio(path)
    qtbot.waitUntil(lambda: win.session.audio is not None and win.session.audio_path == path, timeout=20_000)
    if doc:
        win.session.set_document(_doc(win.session.audio.duration_ms))
    return win


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return raw[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def _shown(qtbot, win, index: int) -> None:
    video = win.video
    qtbot.waitUntil(lambda: video.frame is not None and video.frame.index == index, timeout=10_000)
    assert read_number(_pixels(video.pane.view.image)) == index


def test_the_pane_appears_for_video_and_not_for_audio(qtbot, clip, tmp_path):
    win = _open(qtbot, clip)
    video = win.video
    assert video.has_video and video.dock.isVisible()
    assert win.actions["view.video"].isChecked() and win.actions["play.frame_forward"].isEnabled()
    _shown(qtbot, win, 0)
    assert "00:00:00:00" in video.pane.readout.text()
    # the View menu hides and shows it again
    win.actions["view.video"].trigger()
    assert not video.dock.isVisible()
    win.actions["view.video"].trigger()
    assert video.dock.isVisible()
    # an audio file: no pane, nothing to step, no shot lines
    wav = write_sf(tmp_path / "tone.wav", tone(300, 2.0, 16000), 16000)
    win.load_audio(wav)
    qtbot.waitUntil(lambda: win.session.audio_path == wav, timeout=20_000)
    assert not video.has_video and not video.dock.isVisible()
    assert not win.actions["view.video"].isEnabled() and not win.actions["play.frame_forward"].isEnabled()
    assert video.fetcher is None and win.timeline.plot.picture.item is None


def test_the_frame_follows_the_playhead(qtbot, clip):
    win = _open(qtbot, clip)
    for k in (37, 12, 89, 61):
        win.view.set_playhead(frame_ms(k, FPS) + 10)
        _shown(qtbot, win, k)
        assert f"Frame {k} " in win.video.pane.readout.text()


def test_frame_step_moves_exactly_one_frame(qtbot, clip):
    win = _open(qtbot, clip)
    win.view.set_playhead(frame_ms(10, FPS) + 7)  # inside frame 10
    win.actions["play.frame_forward"].trigger()
    assert win.view.playhead_ms == frame_ms(11, FPS)
    _shown(qtbot, win, 11)
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(win, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert win.view.playhead_ms == frame_ms(9, FPS)
    _shown(qtbot, win, 9)
    win.view.set_playhead(0)
    win.actions["play.frame_back"].trigger()
    assert win.view.playhead_ms == 0  # no frame before the first
    win.view.set_playhead(frame_ms(89, FPS))
    win.actions["play.frame_forward"].trigger()
    assert win.view.playhead_ms == frame_ms(89, FPS)  # nor after the last


def test_the_cue_is_drawn_on_the_frame_with_its_line_layout(qtbot, clip):
    win = _open(qtbot, clip)
    video = win.video
    win.view.set_playhead(2000)  # between the cues (cue 0 ends at 1750, cue 1 starts at 1750)
    doc = win.session.document
    win.view.set_playhead(300)
    _shown(qtbot, win, frame_ms(7, FPS) // 40)
    view = video.pane.view
    with_text = _pixels(view.grab().toImage())
    assert view.painted_lines == doc.cue_lines(doc.cues[0]) and len(view.painted_lines) == 2
    view.set_caption([])
    without = _pixels(view.grab().toImage())
    rect = view.picture_rect()
    band = slice(int(rect.top() + rect.height() * 0.6), int(rect.bottom()))
    changed = np.abs(with_text[band].astype(int) - without[band].astype(int)).sum(axis=2) > 60
    assert changed.sum() > 200  # the text and its outline
    top = slice(int(rect.top()), int(rect.top() + rect.height() * 0.3))
    assert np.array_equal(with_text[top], without[top])  # the picture above it untouched
    # karaoke: the words spoken by now in yellow, the rest white
    video._refresh_caption()
    assert not any(p.spoken for line in view.caption for p in line)
    win.actions["view.karaoke"].trigger()
    spoken = [p.spoken for line in view.caption for p in line]
    assert spoken[:2] == [True, True] and not any(spoken[2:])  # words 0 and 1 start at 100 and 250
    image = _pixels(view.grab().toImage())[band]
    yellow = (image[..., 0] > 200) & (image[..., 1] > 180) & (image[..., 2] < 90)
    assert yellow.sum() > 20


def test_shot_changes_on_the_timeline_and_snapping(qtbot, clip):
    win = _open(qtbot, clip)
    plot = win.timeline.plot
    qtbot.waitUntil(lambda: plot.picture.item is not None, timeout=20_000)
    assert [abs(a - b) <= 40 for a, b in zip(win.video.shots.tolist(), SHOTS)] == [True, True]
    win.timeline.set_range_ms(0, 3600)
    assert len(plot.picture.item.xs) == 2
    win.timeline.set_range_ms(0, 1000)  # no cut in view: no line drawn
    assert len(plot.picture.item.xs) == 0
    # a boundary dragged to within a few px of the shot change lands on it
    cut = int(win.video.shots[0])
    win.timeline.set_range_ms(900, 1500)
    doc = win.session.document
    i = next(k for k, t in enumerate(doc.tokens) if t.end is not None and abs(t.end - cut) <= 100 and t.end != cut)
    edge = doc.tokens[i].end
    drag(plot, edge, WORD_Y, (cut - edge) / plot.ms_per_px() - 3 * np.sign(cut - edge))
    assert doc.tokens[i].end == cut
    win.session.undo_stack.undo()
    # frame snapping: a drag away from any cut lands on a frame start
    win.actions["timing.snap_shots"].setChecked(False)
    win.actions["timing.snap_frames"].setChecked(True)
    drag(plot, edge, WORD_Y, -37 / plot.ms_per_px())
    assert doc.tokens[i].end != edge and doc.tokens[i].end % 40 == 0


def test_the_shot_pass_runs_in_the_task_runners_background_slot(qtbot, clip):
    from desktop.video.component import PASS

    win = new_window(qtbot)
    started = []
    run = win.tasks.run

    def recording(job, label, on_finished, **options):  # the real runner, told what it was asked
        task = run(job, label, on_finished, **options)
        slot = options.get("background")
        started.append((slot, task is not None and (win.tasks.running(slot) if slot else win.tasks.running()) is task))
        return task

    win.tasks.run = recording
    win.load_audio(clip)
    qtbot.waitUntil(lambda: win.video.proxy is not None, timeout=20_000)
    assert started == [(None, True), (PASS, True)]  # the decode in the busy slot, then the pass in its own
    # both end and are let go by the runner
    qtbot.waitUntil(lambda: not win.tasks.busy and win.tasks.running(PASS) is None, timeout=5000)


def test_times_as_timecode(qtbot, clip):
    win = _open(qtbot, clip)
    axis = win.timeline.plot.getAxis("bottom")
    assert axis.tickStrings([1.0, 2.0], 1.0, 1.0) == ["1", "2"]
    win.actions["view.timecode"].trigger()
    assert axis.tickStrings([1.0, 2.48], 1.0, 1.0) == ["00:00:01:00", "00:00:02:12"]


def test_after_the_background_pass_a_seek_shows_the_proxy_then_the_sharp_frame(qtbot, clip):
    win = _open(qtbot, clip)
    video = win.video
    qtbot.waitUntil(lambda: video.proxy is not None, timeout=20_000)
    scratch = video.proxy.parent
    assert video.proxy.exists()
    _shown(qtbot, win, 0)
    seen: list[tuple[int, bool]] = []
    video.fetcher.frame_ready.connect(lambda frame, _image, sharp: seen.append((frame.index, sharp)))
    win.view.set_playhead(frame_ms(80, FPS))  # past a keyframe, 3 s ahead: a seek
    qtbot.waitUntil(lambda: (80, True) in seen, timeout=10_000)
    assert seen == [(80, False), (80, True)]
    assert video.sharp and read_number(_pixels(video.pane.view.image)) == 80
    # the proxy goes with the file
    win.load_audio(write_sf(scratch.parent / "tone-after-proxy.wav", tone(300, 1.0, 16000), 16000))
    qtbot.waitUntil(lambda: not video.has_video, timeout=20_000)
    assert not scratch.exists()


def test_the_video_commands_are_in_the_f1_list(qtbot):
    win = new_window(qtbot)
    dialog = win.help_menu.show_shortcuts()
    rows = {i.data(0, Qt.ItemDataRole.UserRole): (i.text(0), i.text(1)) for i in dialog.items()}
    assert rows["play.frame_forward"] == ("Next frame", "Ctrl+Shift+Right")
    assert rows["play.frame_back"] == ("Previous frame", "Ctrl+Shift+Left")
    for action_id in ("view.video", "view.karaoke", "view.timecode", "timing.snap_shots", "timing.snap_frames"):
        assert action_id in rows
    dialog.close()


def test_requests_while_scrubbing_are_coalesced_to_the_latest(qtbot, clip):
    win = _open(qtbot, clip)
    video = win.video
    _shown(qtbot, win, 0)
    seen: list[int] = []
    video.fetcher.frame_ready.connect(lambda frame, _image, _sharp: seen.append(frame.index))
    targets = [(k * 37) % 90 for k in range(1, 31)]  # 30 jumps back and forth, faster than frames decode
    for k in targets:
        win.view.set_playhead(frame_ms(k, FPS) + 5)
    _shown(qtbot, win, targets[-1])
    assert len(seen) < len(targets) and seen[-1] == targets[-1]


def test_a_saved_layout_with_the_pane_open_shows_no_empty_pane_before_a_video(qtbot, clip):
    from desktop.settings import save_window

    win = _open(qtbot, clip)
    assert win.video.dock.isVisible()
    save_window(win)  # the layout remembers the pane open
    second = new_window(qtbot)
    qtbot.wait(50)
    assert not second.video.dock.isVisible() and not second.video.has_video


def test_a_picture_that_cannot_be_decoded_is_one_sentence_and_the_sound_still_opens(qtbot, tmp_path):
    from tests.reliability_cases import _speech_video

    path = _speech_video("noise")(tmp_path)
    win = _open(qtbot, path)
    assert win.session.audio.duration_ms > 2000
    qtbot.waitUntil(lambda: "could not be decoded" in win.stage_label.text(), timeout=10_000)
    assert win.stage_label.text() == f"The picture of “{path.name}” could not be decoded; its sound is not affected."
    assert win.video.frame is None


def test_the_picture_follows_playback_frame_by_frame(qtbot, clip):
    from aligner_core.video import frame_index

    from .test_playback import FakeCard

    win = _open(qtbot, clip)
    video = win.video
    _shown(qtbot, win, 0)
    win.session.mark_saved()
    card = FakeCard(pace=1.0)  # only the sound card is faked; its clock runs in real time
    win.playback.set_stream_factory(card)
    shown: list[int] = []
    video.fetcher.frame_ready.connect(lambda frame, _image, _sharp: shown.append(frame.index))
    win.view.set_playhead(frame_ms(5, FPS))
    win.playback.toggle()
    qtbot.waitUntil(lambda: win.view.playhead_ms > 1500, timeout=10_000)
    win.playback.toggle()
    qtbot.waitUntil(lambda: not win.playback.playing, timeout=5_000)
    at = frame_index(win.view.playhead_ms, FPS)
    _shown(qtbot, win, at)
    # forward only, many frames along the way (how many depends on the machine's load: frames
    # that cannot be decoded in time are skipped), and the one under the playhead at the end
    assert shown == sorted(shown) and len(set(shown)) >= 5 and shown[-1] == at


def test_a_long_caption_line_fits_a_narrow_picture(qtbot):
    """The caption's size follows the picture's height: a one-line cue on a portrait picture ran
    off both sides of it; the font now shrinks until the widest line fits."""
    from desktop.video.caption import Piece
    from desktop.video.pane import FrameView

    view = FrameView()
    qtbot.addWidget(view)
    view.aspect = 9 / 16  # a phone's portrait video
    view.resize(300, 533)
    words = "And so my fellow Americans ask not what your country can do for you".split()
    view.set_caption([[Piece(w if i == 0 else " " + w, False) for i, w in enumerate(words)]])
    image = _pixels(view.grab().toImage())
    rect = view.picture_rect()
    assert view.painted_lines == [" ".join(words)]
    white = (image[..., :3] > 200).all(axis=2)
    assert white.sum() > 200  # the text is there
    assert not white[:, :3].any() and not white[:, -3:].any()  # and not cut by the picture's sides
    assert rect.left() <= view.caption_rect.left() and view.caption_rect.right() <= rect.right()
    # a short line keeps the size the picture's height gives it
    view.set_caption([[Piece("Yes", False)]])
    view.grab()
    assert view.caption_rect.height() >= rect.height() / 15
