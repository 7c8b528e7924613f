"""Video: the frame at a time is the right frame, seeks both ways, timecode and frame snapping,
shot changes found within a frame and none on moving content, audio-only files have no video.

Clips are H.264 yuv420p made at test time (tests/core/video_clips.py); each frame shows its own
number, read back from the decoded picture.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from aligner_core.progress import CancelToken, Cancelled
from aligner_core.video import (
    FrameSource,
    detect_shots,
    format_timecode,
    frame_index,
    frame_ms,
    parse_timecode,
    probe_video,
    snap_to_frame,
)
from aligner_core.video.frames import fit_size

from .media import tone, write_sf
from .video_clips import read_number, write_clip

NTSC = Fraction(30000, 1001)


@pytest.fixture(scope="module", params=[Fraction(25), NTSC], ids=["25fps", "29.97fps"])
def clip(request, tmp_path_factory):
    fps = request.param
    path = write_clip(tmp_path_factory.mktemp("video") / "clip.mp4", fps=fps, scenes=(30, 30, 30), gop=50)
    return path, fps


def test_probe_reports_the_stream(clip):
    path, fps = clip
    info = probe_video(path)
    assert info.has_video and (info.width, info.height) == (320, 180)
    assert info.fps == fps
    assert info.frame_count == 90
    assert abs(info.duration_ms - 90 * 1000 / fps) <= 1000 / fps


def test_each_frame_at_its_time_in_any_order(clip):
    path, fps = clip
    order = list(range(90))
    random.Random(3).shuffle(order)
    with FrameSource(path, cache_frames=4) as source:
        for k in order:
            frame = source.frame_at(frame_ms(k, fps), (160, 90))
            assert read_number(frame.rgb) == k == frame.index
            assert frame.size == (160, 90)
            assert frame.time_ms == frame_ms(k, fps)


def test_a_time_inside_a_frame_shows_that_frame(clip):
    path, fps = clip
    with FrameSource(path) as source:
        for k in (0, 17, 45, 89):
            start, nxt = frame_ms(k, fps), frame_ms(k + 1, fps)
            for ms in (start, (start + nxt) // 2, nxt - 1):
                assert read_number(source.frame_at(ms, (64, 36)).rgb) == k, (k, ms)


def test_seeks_backwards_and_forwards_and_reads_on_without_seeking(clip):
    path, fps = clip
    with FrameSource(path) as source:
        for k in (80, 5, 61, 60, 59, 88, 1):
            assert read_number(source.frame_at(frame_ms(k, fps), (160, 90)).rgb) == k
        seeks = source.seeks
        # playback: every frame in order from 10 to 70 (past two keyframes) never seeks
        for k in range(10, 71):
            assert read_number(source.frame_at(frame_ms(k, fps), (160, 90)).rgb) == k
        assert source.seeks <= seeks + 1


def test_before_the_first_and_after_the_last_frame(clip):
    path, fps = clip
    with FrameSource(path) as source:
        assert read_number(source.frame_at(-500, (64, 36)).rgb) == 0
        assert read_number(source.frame_at(60_000, (64, 36)).rgb) == 89
        assert read_number(source.frame_at(0, (64, 36)).rgb) == 0


def test_frames_repeat_from_the_cache(clip):
    path, fps = clip
    with FrameSource(path) as source:
        first = source.frame_at(frame_ms(40, fps), (64, 36))
        decoded = source.decoded
        assert source.frame_at(frame_ms(40, fps) + 5, (64, 36)) is first
        assert source.decoded == decoded
        # another size is another picture of the same frame
        assert source.frame_at(frame_ms(40, fps), (32, 18)).size == (32, 18)
        # any size, as one C-contiguous block (a QImage is made straight from its buffer)
        for size in ((522, 294), (322, 182), (2, 2)):
            frame = source.frame_at(frame_ms(40, fps), size)
            assert frame.size == size and frame.rgb.flags.c_contiguous


def test_shot_changes_within_one_frame_and_none_on_moving_content(clip):
    path, fps = clip
    cuts = detect_shots(path)
    assert len(cuts) == 2
    for cut, frame in zip(cuts, (30, 60)):
        assert abs(cut - frame_ms(frame, fps)) <= 1000 / fps


def test_a_single_moving_textured_shot_has_no_cut(tmp_path):
    path = write_clip(tmp_path / "one.mp4", scenes=(100,), texture=True)
    assert detect_shots(path) == []


def test_shot_detection_reports_progress_and_cancels(tmp_path):
    path = write_clip(tmp_path / "long.mp4", scenes=(60, 60))
    seen: list[float] = []
    assert len(detect_shots(path, progress=lambda f, _s: seen.append(f))) == 1
    assert seen and seen == sorted(seen) and 0 < seen[-1] <= 1.0
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        detect_shots(path, cancel=token)


def test_audio_only_files_have_no_video(tmp_path):
    wav = write_sf(tmp_path / "a.wav", tone(440, 0.5, 16000), 16000)
    assert not probe_video(wav).has_video
    assert detect_shots(wav) == []
    with pytest.raises(ValueError):
        FrameSource(wav)
    assert not probe_video(tmp_path / "missing.mp4").has_video
    (tmp_path / "junk.mp4").write_bytes(b"\0" * 1000)
    assert not probe_video(tmp_path / "junk.mp4").has_video


def test_snapping_to_frames():
    assert snap_to_frame(1234, 25) == 1240
    assert snap_to_frame(1219, 25) == 1200
    assert snap_to_frame(-30, 25) == 0
    # 29.97 fps: frame 1 starts at 33.37 ms, stored as 33, and still reads as frame 1
    assert frame_ms(1, NTSC) == 33 and frame_index(33, NTSC) == 1
    for k in range(0, 5000, 7):
        ms = frame_ms(k, NTSC)
        assert frame_index(ms, NTSC) == k
        assert snap_to_frame(ms, NTSC) == ms
        assert snap_to_frame(ms + 10, NTSC) == ms
    assert frame_index(32, NTSC) == 0


def test_timecode_round_trip():
    assert format_timecode(0, 25) == "00:00:00:00"
    assert format_timecode(3_723_480, 25) == "01:02:03:12"
    assert format_timecode(1001, NTSC) == "00:00:01:00"  # 30 frames of 1/29.97 s
    for fps in (Fraction(25), NTSC, Fraction(24000, 1001), Fraction(60)):
        for k in (0, 1, 29, 1799, 107_892):
            ms = frame_ms(k, fps)
            assert parse_timecode(format_timecode(ms, fps), fps) == ms
    assert parse_timecode("00:00:02;05", 25) == 2200
    with pytest.raises(ValueError):
        parse_timecode("00:00:01:25", 25)  # no frame 25 at 25 fps
    with pytest.raises(ValueError):
        parse_timecode("1.5 s", 25)
    with pytest.raises(ValueError):
        snap_to_frame(100, 0)


def test_fit_size_keeps_the_shape(clip):
    info = probe_video(clip[0])
    assert fit_size(info, 960, 540) == (960, 540)
    assert fit_size(info, 400, 400) == (400, 224)
    w, h = fit_size(info, 101, 1000)
    assert w % 2 == 0 and h % 2 == 0 and abs(w / h - 16 / 9) < 0.1


def test_edges_snap_to_shot_changes_before_frames():
    from aligner_core.video.snapping import snap_edge, snap_to_shot

    shots = [1200, 2400]
    assert snap_to_shot(1230, shots, 40) == 1200
    assert snap_to_shot(1300, shots, 40) == 1300
    assert snap_to_shot(2390, [], 40) == 2390
    assert snap_edge(2371, shots=shots, tolerance_ms=40, fps=25) == 2400
    assert snap_edge(1713, shots=shots, tolerance_ms=40, fps=25) == 1720
    assert snap_edge(1713, shots=None, fps=None) == 1713
    assert snap_edge(1713, fps=NTSC) == frame_ms(51, NTSC)
    assert snap_edge(1019, fps=25, origin_ms=10) == 1010  # a video that starts 10 ms in


def test_one_pass_finds_the_shots_and_writes_a_proxy_with_the_same_frames(clip, tmp_path):
    import av

    from aligner_core.video.proxy import PROXY_GOP, shots_and_proxy

    path, fps = clip
    cuts, proxy = shots_and_proxy(path, tmp_path / "proxy.mp4")
    assert cuts == detect_shots(path)
    assert proxy == tmp_path / "proxy.mp4" and not (tmp_path / "proxy.mp4.part").exists()
    info = probe_video(proxy)
    assert info.frame_count == 90 and info.fps == fps
    with av.open(str(proxy)) as container:
        keys = [k for k, f in enumerate(container.decode(video=0)) if f.key_frame]
    assert keys[0] == 0 and max(b - a for a, b in zip(keys, keys[1:] + [90])) <= PROXY_GOP
    order = list(range(90))
    random.Random(5).shuffle(order)
    with FrameSource(proxy) as source:
        for k in order[:40]:
            frame = source.frame_at(frame_ms(k, fps), (160, 90))
            assert read_number(frame.rgb) == k == frame.index


def test_a_cancelled_pass_leaves_no_proxy(clip, tmp_path):
    from aligner_core.video.proxy import shots_and_proxy

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        shots_and_proxy(clip[0], tmp_path / "proxy.mp4", cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_a_long_decode_can_be_abandoned_and_the_next_frame_is_still_right(clip):
    from aligner_core.video.frames import Interrupted

    path, fps = clip
    with FrameSource(path) as source:
        source.frame_at(0, (64, 36))
        assert source.would_seek(frame_ms(80, fps)) and not source.would_seek(frame_ms(3, fps))
        calls = []
        with pytest.raises(Interrupted):
            source.frame_at(frame_ms(80, fps), (64, 36), abort=lambda: len(calls) > 3 or calls.append(1))
        for k in (80, 81, 40):
            assert read_number(source.frame_at(frame_ms(k, fps), (64, 36)).rgb) == k


def test_cuts_between_fast_panning_detailed_shots_are_found_by_their_colours(tmp_path):
    # the texture moves 4 px a frame: every frame differs as much as at a cut, pixel by pixel
    path = write_clip(tmp_path / "pans.mp4", scenes=(50, 50, 50), texture=True)
    cuts = detect_shots(path)
    assert len(cuts) == 2 and all(abs(c - frame_ms(f, 25)) <= 40 for c, f in zip(cuts, (50, 100)))


def test_a_picture_track_of_noise_is_one_sentence_with_a_code(tmp_path):
    from aligner_core.messages import message_of
    from aligner_core.video.frames import VideoError

    from ..reliability_cases import _speech_video

    path = _speech_video("noise")(tmp_path)
    assert probe_video(path).has_video
    with FrameSource(path) as source:
        with pytest.raises(VideoError) as caught:
            source.frame_at(1000, (64, 36))
    assert message_of(caught.value).code == "video_undecodable"
    assert str(caught.value) == f"The picture of {path.name} could not be decoded; its sound is not affected."
    assert detect_shots(path) == []


def test_stepping_back_after_a_seek_needs_no_decoding(clip):
    path, fps = clip
    with FrameSource(path) as source:
        source.frame_at(0, (64, 36))
        assert read_number(source.frame_at(frame_ms(80, fps), (64, 36)).rgb) == 80
        decoded, seeks = source.decoded, source.seeks
        for k in (79, 78, 77):
            assert read_number(source.frame_at(frame_ms(k, fps) + 3, (64, 36)).rgb) == k
        assert (source.decoded, source.seeks) == (decoded, seeks)
