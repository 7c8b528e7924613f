"""The metadata of an ONNX file, read without onnx or onnxruntime.

sherpa-onnx ends the whole process (exit -1) when a SenseVoice export lacks a metadata key it
needs, so a damaged or foreign model must be refused before it is handed over. An ONNX file is a
protobuf ``ModelProto``; its metadata is field 14 (``StringStringEntryProto``: key 1, value 2).
Only the top level is walked, and the large graph field is skipped by its length, never parsed.
"""

from __future__ import annotations

import mmap
import os

__all__ = ["read_metadata", "OnnxFileError"]

_METADATA_FIELD = 14


class OnnxFileError(ValueError):
    """The file is not a readable ONNX model."""


def _varint(buf, pos: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise OnnxFileError("truncated varint")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7


def _fields(buf, pos: int, end: int):
    """(field number, wire type, value or (start, end) of a length-delimited field)."""
    while pos < end:
        key, pos = _varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise OnnxFileError("field number 0")
        if wire == 0:
            value, pos = _varint(buf, pos, end)
            yield number, wire, value
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            size, pos = _varint(buf, pos, end)
            if pos + size > end:
                raise OnnxFileError("a field runs past the end of the file")
            yield number, wire, (pos, pos + size)
            pos += size
        else:
            raise OnnxFileError(f"wire type {wire}")
        if pos > end:
            raise OnnxFileError("truncated field")


def read_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """The model's metadata properties; raises :class:`OnnxFileError` for a file that is not ONNX."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            raise OnnxFileError("empty file")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            meta: dict[str, str] = {}
            seen_graph = False
            for number, wire, value in _fields(buf, 0, size):
                if number == 7 and wire == 2:
                    seen_graph = True
                if number == _METADATA_FIELD and wire == 2:
                    key = val = ""
                    for n, w, v in _fields(buf, *value):
                        if w == 2 and n in (1, 2):
                            text = bytes(buf[v[0] : v[1]]).decode("utf-8", "replace")
                            key, val = (text, val) if n == 1 else (key, text)
                    meta[key] = val
            if not seen_graph:
                raise OnnxFileError("no graph")
            return meta
