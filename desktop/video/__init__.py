"""The video pane (issue 17): frames decoded by PyAV on a worker thread, shown in a dock."""

from .component import VideoComponent

__all__ = ["VideoComponent"]
