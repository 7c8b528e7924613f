"""Transcription: a draft transcript from audio alone, aligned by the usual engine (issue 14).

Qt-free. :func:`transcribe` is the entry point (see :mod:`.api`); recognisers live behind
:mod:`.registry` (SenseVoiceSmall through sherpa-onnx, Qwen3-ASR through transformers, and
PocketSphinx's bundled English model as a rough offline draft).
"""

from .api import SpanTranscription, TranscribeRequest, TranscriptionResult, TranscriptionSummary, transcribe, transcribe_span
from .registry import RECOGNISERS
from .types import RecogniserUnavailable, TranscribeError

__all__ = ["transcribe", "transcribe_span", "SpanTranscription", "TranscribeRequest", "TranscriptionResult", "TranscriptionSummary", "TranscribeError", "RecogniserUnavailable", "RECOGNISERS"]
