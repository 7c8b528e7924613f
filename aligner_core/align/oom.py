"""Out-of-memory recovery for the neural backends: the retry ladder's shared pieces.

A GPU that runs out of memory mid-alignment should cost speed, not the alignment: the backends
retry with smaller batches and windows, then on the CPU, and say what they did in a note that
ends up in the result's summary (``AlignmentSummary.warnings``).
"""

from __future__ import annotations

import gc
from typing import Any

from .types import AlignmentError


class OutOfMemory(AlignmentError):
    """A window did not fit in memory; the caller may retry with shorter chunks (see api)."""


def is_out_of_memory(exc: BaseException) -> bool:
    """torch's CUDA OOM, or the RuntimeError other devices (MPS, ROCm builds) raise for it."""
    try:
        import torch
    except ImportError:
        return False
    oom = getattr(torch.cuda, "OutOfMemoryError", None)
    if oom is not None and isinstance(exc, oom):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def release_memory() -> None:
    """Drop what the failed forward pass left behind before trying again."""
    gc.collect()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except Exception:  # noqa: BLE001, S110 - freeing is best effort
        pass


def model_to_cpu(model: Any) -> Any:
    """The model on the CPU in float32 (bfloat16 matmuls are slow or missing there)."""
    return model.to("cpu", dtype=_float32()).eval()


def _float32():
    import torch

    return torch.float32
