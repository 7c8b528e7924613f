"""``wordsync serve``'s HTTP API (FastAPI): alignments as jobs, Gentle's and OpenAI's shapes.

The event loop only parses requests and answers: storing uploads, checking them, aligning and
rendering run on threads (uploads and renders on the request thread pool, jobs on the server's
own pool of ``workers`` threads, which share the models the core caches, so each model is loaded
once). Every refusal is ``{"error": {"code", "message"}}`` with one sentence and its HTTP status.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..messages import msg
from ..progress import Cancelled, CancelToken
from . import jobs as J
from . import work
from .errors import ServeError, error_body, shown_name

ALIGNERS = ("auto", "sphinx", "qwen3", "ctc")
OPENAI_FORMATS = ("text", "json", "verbose_json", "srt", "vtt")
OPEN_PATHS = ("/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc")
SYNC_POLL_S = 0.05


@dataclass(frozen=True)
class ServeConfig:
    jobs_dir: Path
    token: str | None = None
    max_upload_mb: float = 512.0
    max_audio_min: float = 240.0
    workers: int = 1
    expire_hours: float = 24.0


class _Refused(HTTPException):
    """A ServeError raised where only an HTTPException gets through (FastAPI's body reading)."""

    def __init__(self, error: ServeError):
        super().__init__(error.status)
        self.error = error


class Guard:
    """ASGI middleware: the bearer token, and the request size counted as the body streams in.

    A declared Content-Length over the limit is refused before a byte is read; a body without one
    is counted and cut off at the limit, so a client cannot fill the disk by leaving it out."""

    def __init__(self, app, config: ServeConfig):
        self.app = app
        self.token = config.token.encode() if config.token else None
        self.limit = int(config.max_upload_mb * 1024 * 1024)
        self.limit_mb = config.max_upload_mb

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.token is not None and scope["path"] not in OPEN_PATHS and not self._authorised(scope):
            return await _send_json(send, 401, error_body(msg("serve_unauthorized")), {"www-authenticate": "Bearer"})
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            # read and drop the body (nothing is kept) so the client hears the answer, not a reset
            while (await receive()).get("more_body"):
                pass
            return await _send_json(send, 413, error_body(msg("serve_too_large", limit_mb=self.limit_mb)))
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _Refused(ServeError(413, "serve_too_large", limit_mb=self.limit_mb))
            return message

        return await self.app(scope, counted, send)

    def _authorised(self, scope) -> bool:
        header = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, given = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)


async def _send_json(send, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
    data = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": data})


def _refusal(error: ServeError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def _checked_options(language: str | None, aligner: str | None, model: str | None, profile: str | None, phones: str | None = None, answer: str = "json") -> dict:
    """The form's options, each refused in one sentence (400) when it is not one we know.

    ``phones`` follows the CLI's rule (cli.wants_phones) for ``answer``, the format the endpoint
    answers in: a job's kept result is word JSON, which carries each word's phones."""
    import argparse
    import re

    from ..cli import _language_code
    from ..cues import PROFILES

    options: dict[str, Any] = {}
    if language:
        try:
            options["language"] = _language_code(language)
        except argparse.ArgumentTypeError as exc:
            raise ServeError(400, "serve_bad_field", field="language", reason=str(exc)) from None
    aligner = aligner or "auto"
    if aligner not in ALIGNERS:
        raise ServeError(400, "serve_bad_field", field="aligner", reason=f"choose one of {', '.join(ALIGNERS)}")
    options["aligner"] = aligner
    if model:
        # a Hub id only: a client never names a folder on the server
        if ".." in model or not re.fullmatch(r"[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?", model):
            raise ServeError(400, "serve_bad_field", field="model", reason="give a Hugging Face model id such as Qwen/Qwen3-ForcedAligner-0.6B")
        options["model"] = model
    if profile:
        if profile not in PROFILES:
            raise ServeError(400, "serve_bad_field", field="profile", reason=f"choose one of {', '.join(PROFILES)}")
        options["profile"] = profile
    from ..cli import wants_phones

    options["phones"] = wants_phones(answer, _yes_no(phones, "phones"))
    return options


def _yes_no(value: str | None, field: str) -> bool | None:
    """A form's true/false (None when not given), refused in one sentence otherwise."""
    if value is None or not value.strip():
        return None
    word = value.strip().lower()
    if word in ("true", "1", "yes", "on"):
        return True
    if word in ("false", "0", "no", "off"):
        return False
    raise ServeError(400, "serve_bad_field", field=field, reason="give true or false")


class Server:
    """The jobs, the worker pool and the routes' work, apart from FastAPI's wiring."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.store = J.JobStore(config.jobs_dir, config.expire_hours * 3600)
        self.pool = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="wordsync-job")

    def start(self) -> None:
        for job_id in self.store.restore():
            self.pool.submit(work.run_alignment, self.store, job_id)

    def stop(self) -> None:
        """Running jobs stop and are queued again on disk; the next server picks them up."""
        self.store.shutting_down = True
        for job in self.store.all():
            if job.status in J.RUNNING:
                self.store.cancel_token(job.id).cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def submit_alignment(self, audio: UploadFile, transcript: UploadFile | str, options: dict) -> J.JobState:
        """Store and check the uploads (a bad one leaves nothing behind), then queue the job."""
        audio_name = shown_name(audio.filename, "audio")
        transcript_name = shown_name(getattr(transcript, "filename", None), "transcript")
        job, folder = self.store.new("alignment", {**options, "audio_name": audio_name, "transcript_name": transcript_name})
        try:
            files = {"audio": "audio" + work.safe_suffix(audio.filename)}
            work.store_upload(audio.file, folder / files["audio"], "audio", audio_name)
            seconds = work.check_audio(folder / files["audio"], audio_name, self.config.max_audio_min)
            files["transcript"] = "transcript" + work.safe_suffix(getattr(transcript, "filename", None))
            if isinstance(transcript, str):
                import io

                work.store_upload(io.BytesIO(transcript.encode("utf-8")), folder / files["transcript"], "transcript", transcript_name)
            else:
                work.store_upload(transcript.file, folder / files["transcript"], "transcript", transcript_name)
            work.check_transcript(folder / files["transcript"], transcript_name, options.get("language"))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = replace(job, files=files, options={**job.options, "audio_s": round(seconds, 3)})
        self.store.add(job)
        self.pool.submit(work.run_alignment, self.store, job.id)
        return job

    def job(self, job_id: str) -> J.JobState:
        job = self.store.get(job_id)
        if job is None:
            raise ServeError(404, "serve_unknown_job", id=job_id[:40])
        return job

    async def finished(self, job_id: str, request: Request) -> J.JobState:
        """Wait for a job without holding a thread; a client that goes away cancels it."""
        while True:
            job = self.job(job_id)
            if job.status in J.FINISHED:
                return job
            if await request.is_disconnected():
                self.store.cancel(job_id)
                raise ServeError(400, "serve_cancelled")
            await asyncio.sleep(SYNC_POLL_S)

    def result(self, job: J.JobState, fmt: str) -> tuple[str, str]:
        if fmt not in work.RESULT_FORMATS:
            raise ServeError(400, "serve_unknown_format", format=fmt[:20], choices=", ".join(work.RESULT_FORMATS))
        if job.status != J.DONE:
            raise ServeError(409, "serve_not_ready", id=job.id, status=job.status)
        return work.render_result(self.store.folder(job.id), job, fmt)

    def transcribe(self, upload: UploadFile, options: dict):
        """An OpenAI-shaped transcription: stored and checked like an alignment's audio, then run."""
        name = shown_name(upload.filename, "audio")
        _job, folder = self.store.new("transcription", options)
        try:
            path = folder / ("audio" + work.safe_suffix(upload.filename))
            work.store_upload(upload.file, path, "file", name)
            work.check_audio(path, name, self.config.max_audio_min)
            return self.pool.submit(work.transcribe_file, path, name, options, options.pop("cancel")), folder
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


async def _expire_now_and_then(server: Server) -> None:
    """Finished jobs are deleted once they expire, whether or not anyone sends a request."""
    interval = min(60.0, max(0.2, server.store.expire_s / 4))
    while True:
        await asyncio.sleep(interval)
        await run_in_threadpool(server.store.expire)


def create_app(config: ServeConfig) -> FastAPI:
    from contextlib import asynccontextmanager

    server = Server(config)

    @asynccontextmanager
    async def lifespan(_app):
        server.start()
        sweeper = asyncio.create_task(_expire_now_and_then(server))
        try:
            yield
        finally:
            sweeper.cancel()
            await run_in_threadpool(server.stop)

    app = FastAPI(
        title="Wordsync", version="1", lifespan=lifespan,
        description="Force-align a transcript to its audio word by word; transcribe audio. "
        "Errors are {\"error\": {\"code\", \"message\"}} with one sentence.",
    )
    app.state.server = server

    @app.exception_handler(ServeError)
    async def _serve_error(_request, exc: ServeError):
        return _refusal(exc)

    @app.exception_handler(_Refused)
    async def _refused(_request, exc: _Refused):
        return _refusal(exc.error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        field = str((first.get("loc") or ("", "request"))[-1])
        if first.get("type") == "missing":
            return _refusal(ServeError(400, "serve_missing_field", field=field))
        return _refusal(ServeError(400, "serve_bad_field", field=field, reason=str(first.get("msg", "not valid")).rstrip(".")))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        if exc.status_code == 404:
            return _refusal(ServeError(404, "serve_no_route", path=request.url.path[:60]))
        if exc.status_code == 405:
            return _refusal(ServeError(405, "serve_bad_method", method=request.method, path=request.url.path[:60]))
        return JSONResponse(error_body(str(exc.detail), "http_error"), status_code=exc.status_code)

    # -- alignments ------------------------------------------------------------------------------

    @app.post("/v1/alignments", status_code=202, summary="Queue an alignment of a transcript to its audio")
    async def create_alignment(
        audio: UploadFile = File(..., description="audio or video file"),
        transcript: UploadFile = File(..., description="plain text, or SRT/VTT/ASS/JSON/TextGrid to re-time"),
        language: str | None = Form(None), aligner: str | None = Form("auto"),
        model: str | None = Form(None), profile: str | None = Form(None),
        phones: str | None = Form(None, description="true/false: each word's phones too (default true: the result is word JSON)"),
    ):
        options = _checked_options(language, aligner, model, profile, phones)
        job = await run_in_threadpool(server.submit_alignment, audio, transcript, options)
        return JSONResponse(job.public(), status_code=202, headers={"Location": f"/v1/alignments/{job.id}"})

    @app.get("/v1/alignments/{job_id}", summary="A job's status, progress, stage and error")
    async def get_alignment(job_id: str):
        return server.job(job_id).public()

    @app.get("/v1/alignments/{job_id}/events", summary="Progress as server-sent events until the job ends")
    async def alignment_events(job_id: str, request: Request):
        server.job(job_id)

        async def stream():
            version = -1
            while True:
                job = server.store.get(job_id)
                if job is None:
                    yield "event: deleted\ndata: {}\n\n"
                    return
                if job.version != version:
                    version = job.version
                    kind = job.status if job.status in J.FINISHED else "progress"
                    yield f"event: {kind}\ndata: {json.dumps(job.public(), ensure_ascii=False)}\n\n"
                    if job.status in J.FINISHED:
                        return
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.1)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @app.get("/v1/alignments/{job_id}/result", summary="The result: json, srt, vtt, ass, textgrid or gentle")
    async def alignment_result(job_id: str, format: str = Query("json")):  # noqa: A002 - the API's name
        job = server.job(job_id)
        text, media = await run_in_threadpool(server.result, job, format)
        return Response(text, media_type=media)

    @app.delete("/v1/alignments/{job_id}", summary="Cancel a job; delete a finished one")
    async def delete_alignment(job_id: str):
        job = server.job(job_id)
        if job.status in J.FINISHED:
            await run_in_threadpool(server.store.delete, job_id)
            return Response(status_code=204)
        return JSONResponse(server.store.cancel(job_id).public(), status_code=202)

    # -- Gentle ----------------------------------------------------------------------------------

    @app.post("/transcriptions", summary="Gentle-compatible alignment (audio + transcript)")
    async def gentle(request: Request, audio: UploadFile = File(...), transcript: UploadFile | str = Form(...),
                     async_: str = Query("true", alias="async")):
        from ..cli import wants_phones

        # Gentle's answer (serve.shapes.gentle_json) writes no phones, so none are measured
        job = await run_in_threadpool(server.submit_alignment, audio, transcript, {"aligner": "auto", "phones": wants_phones("gentle", None)})
        if async_.lower() not in ("false", "0", "no"):
            return Response(status_code=302, headers={"Location": f"/transcriptions/{job.id}"})
        job = await server.finished(job.id, request)
        return await _gentle_answer(job)

    @app.get("/transcriptions/{job_id}", summary="A Gentle job's words once done, its status before")
    async def gentle_result(job_id: str):
        job = server.job(job_id)
        if job.status in J.FINISHED:
            return await _gentle_answer(job)
        return {"status": job.status, "percent": job.progress}

    async def _gentle_answer(job: J.JobState):
        if job.status != J.DONE:
            error = job.error or {"code": "serve_cancelled", "message": str(msg("serve_cancelled"))}
            return JSONResponse({"error": error}, status_code=422 if job.status == J.FAILED else 409)
        text, _media = await run_in_threadpool(server.result, job, "gentle")
        return Response(text, media_type="application/json")

    # -- OpenAI ----------------------------------------------------------------------------------

    @app.post("/v1/audio/transcriptions", summary="OpenAI-shaped transcription (words with times, events, emotions)")
    async def openai_transcription(
        request: Request, file: UploadFile = File(...), model: str | None = Form(None), language: str | None = Form(None),
        response_format: str = Form("json"), granularities: list[str] = Form([], alias="timestamp_granularities[]"),
    ):
        from ..transcribe_cli import RECOGNISERS
        from .shapes import openai_text, openai_verbose

        if response_format not in OPENAI_FORMATS:
            raise ServeError(400, "serve_unknown_format", format=response_format[:20], choices=", ".join(OPENAI_FORMATS))
        options: dict[str, Any] = {"asr": model if model in RECOGNISERS else "auto"}
        if language and language != "auto":
            options["language"] = _checked_options(language, None, None, None)["language"]
        cancel = CancelToken()
        future, folder = await run_in_threadpool(server.transcribe, file, {**options, "cancel": cancel})
        try:
            while not future.done():
                if await request.is_disconnected():
                    cancel.cancel()
                await asyncio.sleep(SYNC_POLL_S)
            try:
                result = future.result()
            except Cancelled:
                raise ServeError(400, "serve_cancelled") from None
            except Exception as exc:  # noqa: BLE001 - one sentence, never a traceback
                from ..cli import _reason

                raise ServeError(422, "serve_transcribe_failed", reason=_reason(exc).replace(str(folder), "").rstrip(".")) from None
        finally:
            await run_in_threadpool(shutil.rmtree, folder, True)
        if response_format == "text":
            return PlainTextResponse(openai_text(result) + "\n")
        if response_format == "json":
            return {"text": openai_text(result)}
        if response_format == "verbose_json":
            return openai_verbose(result, words="word" in granularities)
        from ..formats import ExportOptions, render_document

        text, _ = await run_in_threadpool(lambda: render_document(result.document, response_format, options=ExportOptions(fix=True)))
        return PlainTextResponse(text, media_type="text/vtt" if response_format == "vtt" else "application/x-subrip")

    return Guard(app, config)  # type: ignore[return-value]
