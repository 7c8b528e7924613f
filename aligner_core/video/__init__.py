"""Video for timing against the picture: what a file's video stream is, its frames at a time,
frame-accurate times and timecode, and where the shots change. Qt-free, on PyAV."""

from .frames import Frame, FrameSource
from .info import VideoInfo, probe_video
from .shots import detect_shots
from .snapping import snap_edge, snap_to_shot
from .timecode import format_timecode, frame_index, frame_ms, parse_timecode, snap_to_frame

__all__ = [
    "Frame",
    "FrameSource",
    "VideoInfo",
    "probe_video",
    "detect_shots",
    "format_timecode",
    "frame_index",
    "frame_ms",
    "parse_timecode",
    "snap_to_frame",
    "snap_edge",
    "snap_to_shot",
]
