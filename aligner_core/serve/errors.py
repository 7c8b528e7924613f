"""What the server answers a bad request with: one sentence, a stable code and the right HTTP status."""

from __future__ import annotations

from typing import Any

from ..messages import Message, msg


class ServeError(Exception):
    """A request the server refuses: ``status`` (HTTP) and a :class:`Message` (code + arguments)."""

    def __init__(self, http_status: int, code: str, /, **args: Any):
        self.status = http_status
        self.message: Message = msg(code, **args)
        super().__init__(self.message)

    def body(self) -> dict:
        return error_body(self.message)


def error_body(message: Message | str, code: str = "error") -> dict:
    """``{"error": {"code": ..., "message": ...}}``: every refusal and every failed job looks alike."""
    if isinstance(message, Message):
        return {"error": {"code": message.code, "message": str(message)}}
    return {"error": {"code": code, "message": str(message)}}


def shown_name(name: str | None, fallback: str) -> str:
    """A client's file name fit to quote in a message: its last part, printable, cut short.

    It is never joined to a path; the server stores uploads under names of its own."""
    text = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable())
    if not text:
        return fallback
    return text if len(text) <= 60 else text[:57] + "..."
