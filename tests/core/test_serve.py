"""``wordsync serve``: a real server process on a loopback port, spoken to over HTTP.

JFK through every endpoint (our jobs, Gentle's and OpenAI's shapes), progress as server-sent
events, cancel, a restart with jobs on disk, bad uploads (one sentence and the right status, and
nothing left behind), the token, and the command's own refusals.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from aligner_core import cli  # noqa: E402

from .serve_server import JFK, JFK_TXT, ROOT, ServeProcess, jfk_clip, jfk_repeated  # noqa: E402

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    proc = ServeProcess(folder / "jobs", "--workers", "1")
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c


def submit(client, audio=JFK, transcript=JFK_TXT, **fields):
    with open(audio, "rb") as a, open(transcript, "rb") as t:
        return client.post("/v1/alignments", files={"audio": (audio.name, a), "transcript": (transcript.name, t)}, data=fields)


def wait(client, job_id, statuses=("done", "failed", "cancelled"), timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/alignments/{job_id}").json()
        if job["status"] in statuses:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} never reached {statuses}: {job}")


def sse(client, path):
    """(event, data) pairs of a server-sent event stream, read until the server ends it."""
    events, kind = [], None
    with client.stream("GET", path) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    return events


def test_jfk_through_the_job_api_with_progress_events(client, tmp_path):
    response = submit(client, language="en", profile="general")
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/alignments/{job_id}"
    events = sse(client, f"/v1/alignments/{job_id}/events")
    kinds = [k for k, _ in events]
    assert kinds[-1] == "done" and "progress" in kinds
    stages = {d["status"] for _, d in events}
    assert "aligning" in stages
    progress = [d["progress"] for _, d in events]
    assert progress == sorted(progress) and progress[-1] == 1.0
    job = client.get(f"/v1/alignments/{job_id}").json()
    assert job["status"] == "done" and job["summary"]["aligned"] == 22 and job["error"] is None

    # the SRT is what `wordsync align` writes for the same files
    cli_srt = tmp_path / "cli.srt"
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(cli_srt), "--language", "en"]) == 0
    srt = client.get(f"/v1/alignments/{job_id}/result", params={"format": "srt"})
    assert srt.status_code == 200 and srt.text == cli_srt.read_text(encoding="utf-8")
    for fmt, marker in (("vtt", "WEBVTT"), ("ass", "[Events]"), ("textgrid", "IntervalTier")):
        r = client.get(f"/v1/alignments/{job_id}/result", params={"format": fmt})
        assert r.status_code == 200 and marker in r.text, fmt
    words = client.get(f"/v1/alignments/{job_id}/result").json()
    assert [w["word"] for w in words["words"]][:4] == ["And", "so,", "my", "fellow"]

    gentle = client.get(f"/v1/alignments/{job_id}/result", params={"format": "gentle"}).json()
    check_gentle(gentle)


def check_gentle(body):
    text = JFK_TXT.read_text(encoding="utf-8")
    assert body["transcript"] == text
    assert len(body["words"]) == 22
    for w in body["words"]:
        assert text[w["startOffset"] : w["endOffset"]] == w["word"]
        assert w["case"] == "success" and w["alignedWord"] == w["word"].lower() and 0 <= w["start"] < w["end"] <= 11.0
    assert [w["word"] for w in body["words"][:5]] == ["And", "so", "my", "fellow", "Americans"]


def test_gentle_clients_work_unchanged(client):
    with open(JFK, "rb") as a, open(JFK_TXT, "rb") as t:
        r = client.post("/transcriptions", params={"async": "false"}, files={"audio": ("a.flac", a), "transcript": ("t.txt", t)})
    assert r.status_code == 200
    check_gentle(r.json())
    # the transcript as a plain form field, as some Gentle clients send it, and the async redirect
    with open(JFK, "rb") as a:
        r = client.post("/transcriptions", files={"audio": ("a.flac", a)}, data={"transcript": JFK_TXT.read_text()})
    assert r.status_code == 302
    job_id = r.headers["location"].rsplit("/", 1)[1]
    wait(client, job_id)
    check_gentle(client.get(f"/transcriptions/{job_id}").json())


def test_openai_transcription_shape(client, tmp_path):
    clip, _ = jfk_clip(tmp_path)
    with open(clip, "rb") as a:
        r = client.post("/v1/audio/transcriptions", files={"file": ("clip.wav", a)},
                        data={"model": "sphinx", "language": "en", "response_format": "verbose_json", "timestamp_granularities[]": "word"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["task"] == "transcribe" and body["language"] == "en" and body["duration"] == pytest.approx(2.5, abs=0.05)
    assert "fellow" in body["text"] and body["segments"] and body["words"]
    assert all(0 <= w["start"] < w["end"] <= 2.5 for w in body["words"])
    assert body["events"] == [] and isinstance(body["emotions"], list) and body["recogniser"] == "sphinx"
    # each answer is a transcription of its own (seconds each with sphinx): two more shapes only
    for fmt, check in (("vtt", lambda t: t.startswith("WEBVTT") and "-->" in t), ("json", lambda t: "fellow" in json.loads(t)["text"])):
        with open(clip, "rb") as a:  # another client's model name picks our best recogniser
            r = client.post("/v1/audio/transcriptions", files={"file": ("clip.wav", a)}, data={"model": "whisper-1", "response_format": fmt, "language": "en"})
        assert r.status_code == 200 and check(r.text), fmt


def test_cancel_a_running_and_a_queued_job_then_delete(client, tmp_path):
    audio, text = jfk_repeated(tmp_path, 8)
    running = submit(client, audio, text).json()["id"]
    queued = submit(client, audio, text).json()["id"]  # one worker: it waits
    wait(client, running, ("decoding", "aligning"))
    assert client.get(f"/v1/alignments/{queued}").json()["status"] == "queued"
    r = client.delete(f"/v1/alignments/{queued}")
    assert r.status_code == 202 and r.json()["status"] == "cancelled"
    assert client.delete(f"/v1/alignments/{running}").status_code == 202
    assert wait(client, running)["status"] == "cancelled"
    r = client.get(f"/v1/alignments/{running}/result")
    assert r.status_code == 409 and r.json()["error"]["code"] == "serve_not_ready"
    assert client.delete(f"/v1/alignments/{running}").status_code == 204  # finished: deleted
    r = client.get(f"/v1/alignments/{running}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "serve_unknown_job"


def test_jobs_survive_a_restart(tmp_path):
    jobs = tmp_path / "jobs"
    audio, text = jfk_repeated(tmp_path, 4)
    first = ServeProcess(jobs, "--workers", "1")
    try:
        with httpx.Client(base_url=first.url, timeout=120) as c:
            done = submit(c).json()["id"]
            wait(c, done)
            running = submit(c, audio, text).json()["id"]
            queued = submit(c, audio, text).json()["id"]
            wait(c, running, ("decoding", "aligning"))
    finally:
        first.stop(signal.SIGKILL)  # a crash: nothing is tidied up
    cut_off = jobs / ("f" * 32)  # an upload the crash interrupted: a folder with no state
    cut_off.mkdir()
    (cut_off / "audio.wav").write_bytes(b"RIFF")
    second = ServeProcess(jobs, "--workers", "1")
    try:
        with httpx.Client(base_url=second.url, timeout=120) as c:
            crashed = c.get(f"/v1/alignments/{running}").json()  # answered once the jobs are read back
            assert not cut_off.exists()
            assert crashed["status"] == "failed" and crashed["error"]["code"] == "serve_interrupted"
            assert wait(c, queued)["status"] == "done"  # its uploads were on disk: it ran
            assert "-->" in c.get(f"/v1/alignments/{done}/result", params={"format": "srt"}).text
            stopped = submit(c, audio, text).json()["id"]
            wait(c, stopped, ("decoding", "aligning"))
    finally:
        second.stop()  # a graceful stop: the running job is queued again, not lost
    assert "Traceback" not in second.log.read_text()
    third = ServeProcess(jobs, "--workers", "1")
    try:
        with httpx.Client(base_url=third.url, timeout=120) as c:
            assert wait(c, stopped)["status"] == "done"
    finally:
        third.stop()


def test_finished_jobs_expire(tmp_path):
    jobs = tmp_path / "jobs"
    one = ServeProcess(jobs, "--expire-hours", "0.0003")  # about a second
    try:
        with httpx.Client(base_url=one.url, timeout=60) as c:
            job_id = submit(c).json()["id"]
            wait(c, job_id)
            deadline = time.monotonic() + 30
            while c.get(f"/v1/alignments/{job_id}").status_code != 404 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert c.get(f"/v1/alignments/{job_id}").status_code == 404
            assert not (jobs / job_id).exists()
    finally:
        one.stop()


# -- bad input -------------------------------------------------------------------------------------


def test_phones_follow_the_clis_rule(client):
    """The kept result is word JSON, which carries phones: measured unless phones=false."""
    words = {}
    for phones in (None, "false"):
        job = wait(client, submit(client, **({"phones": phones} if phones else {})).json()["id"])
        assert job["status"] == "done", job
        words[phones] = client.get(f"/v1/alignments/{job['id']}/result").json()["words"]
    assert all(w.get("phones") for w in words[None]) and not any("phones" in w for w in words["false"])
    assert [(w["start"], w["end"]) for w in words[None]] == [(w["start"], w["end"]) for w in words["false"]]


def _post(client, files, data=None, path="/v1/alignments"):
    return client.post(path, files=files, data=data or {})


BAD_UPLOADS = [
    # name, files, data, status, code
    ("not audio", lambda: {"audio": ("x.flac", JFK_TXT.read_bytes()), "transcript": ("t.txt", JFK_TXT.read_bytes())}, {}, 415, "serve_not_audio"),
    ("empty audio", lambda: {"audio": ("x.wav", b""), "transcript": ("t.txt", JFK_TXT.read_bytes())}, {}, 400, "serve_empty_upload"),
    ("empty transcript", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"")}, {}, 400, "serve_empty_upload"),
    ("binary transcript", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", bytes(range(256)) * 8)}, {}, 422, "serve_bad_transcript"),
    ("no words", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"[music]\n")}, {}, 422, "serve_bad_transcript"),
    ("broken SRT", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.srt", b"1\n00:00:01,000 --> nonsense\nHi\n")}, {}, 422, "serve_bad_transcript"),
    ("missing transcript", lambda: {"audio": ("a.flac", JFK.read_bytes())}, {}, 400, "serve_missing_field"),
    ("bad language", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"hi")}, {"language": "english!"}, 400, "serve_bad_field"),
    ("unknown aligner", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"hi")}, {"aligner": "gentle"}, 400, "serve_bad_field"),
    ("model as a path", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"hi")}, {"model": "/etc/passwd"}, 400, "serve_bad_field"),
    ("unknown profile", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"hi")}, {"profile": "nope"}, 400, "serve_bad_field"),
    ("phones not yes or no", lambda: {"audio": ("a.flac", JFK.read_bytes()), "transcript": ("t.txt", b"hi")}, {"phones": "maybe"}, 400, "serve_bad_field"),
    ("path in file name", lambda: {"audio": ("../../../etc/x.flac", JFK_TXT.read_bytes()), "transcript": ("../t.txt", b"hi")}, {}, 415, "serve_not_audio"),
]


@pytest.mark.parametrize("name, files, data, status, code", BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_bad_upload_is_one_sentence_and_leaves_nothing(client, server, name, files, data, status, code):
    before = sorted(p.name for p in server.jobs_dir.iterdir())
    r = _post(client, files(), data)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code
    message = error["message"]
    assert "\n" not in message and "Traceback" not in message and str(server.jobs_dir) not in message
    assert message.endswith(".") and len(message) < 300
    if name == "path in file name":
        assert "'x.flac'" in message  # the client's name is shown cut to its last part, never used
    assert sorted(p.name for p in server.jobs_dir.iterdir()) == before


def test_bad_requests_elsewhere(client):
    for path, status, code in (("/v1/alignments/" + "0" * 32, 404, "serve_unknown_job"), ("/v1/alignments/../../etc", 404, None),
                               ("/nowhere", 404, "serve_no_route")):
        r = client.get(path)
        assert r.status_code == status and r.json()["error"]["message"], path
        if code:
            assert r.json()["error"]["code"] == code
    r = client.put("/v1/alignments")
    assert r.status_code == 405 and r.json()["error"]["code"] == "serve_bad_method"
    with open(JFK, "rb") as a:
        r = client.post("/v1/audio/transcriptions", files={"file": ("a.flac", a)}, data={"response_format": "docx"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "serve_unknown_format"
    with open(JFK_TXT, "rb") as a:
        r = client.post("/v1/audio/transcriptions", files={"file": ("a.flac", a)})
    assert r.status_code == 415 and r.json()["error"]["code"] == "serve_not_audio"
    assert client.get("/docs").status_code == 200 and "/v1/alignments" in client.get("/openapi.json").text


def test_limits_and_token(tmp_path):
    small = ServeProcess(tmp_path / "jobs", "--max-upload-mb", "1", "--max-audio-min", "0.03", "--token", "s3cret-token")
    try:
        auth = {"Authorization": "Bearer s3cret-token"}
        with httpx.Client(base_url=small.url, timeout=60) as c:
            r = c.get("/v1/alignments/" + "0" * 32)
            assert r.status_code == 401 and r.json()["error"]["code"] == "serve_unauthorized"
            assert r.headers["www-authenticate"] == "Bearer"
            assert c.get("/v1/alignments/" + "0" * 32, headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert c.get("/v1/alignments/" + "0" * 32, headers=auth).status_code == 404
            # too long: the clip is 2.5 s, the limit 1.8 s
            clip, _ = jfk_clip(tmp_path)
            with open(clip, "rb") as a:
                r = c.post("/v1/alignments", headers=auth, files={"audio": ("a.wav", a), "transcript": ("t.txt", b"hi")})
            assert r.status_code == 413 and r.json()["error"]["code"] == "serve_too_long"
            # too large, declared: refused before the body is read
            big = b"\0" * (1100 * 1024)
            r = c.post("/v1/alignments", headers=auth, files={"audio": ("a.wav", big), "transcript": ("t.txt", b"hi")})
            assert r.status_code == 413 and r.json()["error"]["code"] == "serve_too_large"

            # too large, streamed without a length: cut off at the limit
            def chunks():
                yield b"--b\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n\r\n"
                for _ in range(40):  # 2.5 MB
                    yield b"\0" * 65536

            r = c.post("/v1/alignments", headers={**auth, "content-type": "multipart/form-data; boundary=b"}, content=chunks())
            assert r.status_code == 413 and r.json()["error"]["code"] == "serve_too_large"
        assert list((tmp_path / "jobs").iterdir()) == []  # nothing refused was kept
    finally:
        small.stop()
    assert "Authorization: Bearer" in small.log.read_text()


@pytest.mark.parametrize("args, said", [
    (["--host", "0.0.0.0"], "needs --token"),
    (["--port", "99999"], "port number"),
    (["--workers", "0"], "positive whole number"),
    (["--token", "short"], "at least 8"),
    (["--max-upload-mb", "nan"], "positive number"),
])
def test_serve_refuses_bad_usage_in_one_line(args, said, tmp_path):
    r = subprocess.run([sys.executable, "-m", "desktop.app", "serve", "--jobs-dir", str(tmp_path), *args],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wordsync: error: ") and said in lines[0], r.stderr
