"""Timing → Transcribe this span: draft words for an untranscribed span (issue 14).

An alignment keeps the speech no transcript word covers in ``Document.untranscribed`` and the
timeline shades it. This action takes the span under the time selection, else under the playhead,
runs the core's :func:`~aligner_core.transcribe.transcribe_span` on the editor's task runner with
the recogniser the Transcribe dialog last used, and applies its draft as ONE undo step (the words
go in, the span goes), or drops it when the document changed meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from aligner_core.document import spans_overlapping
from aligner_core.edits import Changed
from aligner_core.transcribe.types import TranscribeError

from . import settings
from .messages import localize, say
from .transcription import installed_models, stage_text


class _SpanJob:
    """Runs on the worker thread; reports its own (translated) label and stage, the core's fraction."""

    def __init__(self, request, start_ms: int, end_ms: int, stage: str):
        self.request, self.start_ms, self.end_ms, self.stage = request, start_ms, end_ms, stage

    def __call__(self, context):
        from aligner_core.transcribe import transcribe_span

        return transcribe_span(self.request, self.start_ms, self.end_ms, lambda fraction, stage: context.progress(fraction, stage_text(self.stage, stage)), context.cancel)


class SpanTranscriptionController(QObject):
    """Adds Timing → Transcribe this span and keeps it enabled only on a span."""

    def __init__(self, host) -> None:
        super().__init__(host.widget)
        self.host, self.session, self.view = host, host.session, host.view
        self.action = host.add_action("timing.transcribe_span", self.tr("T&ranscribe this span"), self.start, "timing")
        self.session.document_reset.connect(self._update_action)
        self.session.audio_changed.connect(self._update_action)
        self.session.changed.connect(self._on_changed)
        self.view.playhead_changed.connect(self._update_action)
        self.view.selection_changed.connect(self._update_action)
        host.actions_changed.connect(self._update_action)
        self._update_action()

    def span(self) -> tuple[int, int] | None:
        """The untranscribed span the user points at: under the time selection, else the playhead."""
        doc = self.session.document
        if doc is None or not doc.untranscribed:
            return None
        lo, hi = self.view.time_range if self.view.time_range is not None else (self.view.playhead_ms,) * 2
        hit = spans_overlapping(doc.untranscribed, lo, hi)
        return doc.untranscribed[hit.start] if hit else None

    @Slot()
    def start(self) -> None:
        from aligner_core.transcribe import TranscribeRequest

        span = self.span()
        if span is None or self.session.audio is None or self.host.tasks.busy:
            return
        doc = self.session.document
        name = self.session.audio_path.name if self.session.audio_path is not None else "the audio"
        options = dict(
            asr=settings.value("transcribe/asr", "auto"), language=settings.value("transcribe/language", "auto"),
            events=settings.value("transcribe/events", True), profile=self.session.profile.name, name=name,
            device=self.host.alignment.options.device, installed=installed_models(),
        )
        request = TranscribeRequest.from_document(doc, self.session.audio.samples, **options)
        stage = self.tr("Transcribing {0:.1f}–{1:.1f} s").format(span[0] / 1000.0, span[1] / 1000.0)
        self.host.tasks.run(_SpanJob(request, span[0], span[1], stage), stage, self._finished)

    @Slot(object)
    def _finished(self, result) -> None:
        doc = self.session.document
        if doc is None or not result.is_current(doc):
            self.host.status(self.tr("The document changed during transcription; the draft was dropped."))
            return
        try:
            edit = result.to_edit(doc)
        except TranscribeError as exc:  # no speech in the span: the core's one sentence
            self.host.error(say(exc))
            return
        if self.session.push(edit, self.tr("Transcribe span")):
            self.host.status(localize(result.summary.line()))

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        if changed.spans:
            self._update_action()

    @Slot()
    def _update_action(self, *_args) -> None:
        self.action.setEnabled(self.session.audio is not None and not self.host.tasks.busy and self.span() is not None)
