"""A bounded load on a real ``wordsync serve``: 50 small jobs at once, every one ends ``done``, and
the server's memory after them is what it was after the first few (no job keeps anything)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from .serve_server import ServeProcess, jfk_clip  # noqa: E402

JOBS = 50
#: what the server may grow by across a second round of 50 jobs: the first round grows the request
#: threads' allocator arenas and the model caches to their size under this load (about 100 MB);
#: a leak of the samples, uploads or document of each job would add several MB a job
RSS_GROWTH_MB = 40

pytestmark = [pytest.mark.timeout(600), pytest.mark.slow]


def _run(url: str, audio, text, n: int) -> list[dict]:
    def one(_k):
        with httpx.Client(base_url=url, timeout=300) as c:
            with open(audio, "rb") as a, open(text, "rb") as t:
                r = c.post("/v1/alignments", files={"audio": (audio.name, a), "transcript": (text.name, t)})
            assert r.status_code == 202, r.text
            job_id = r.json()["id"]
            while True:
                job = c.get(f"/v1/alignments/{job_id}").json()
                if job["status"] in ("done", "failed", "cancelled"):
                    c.get(f"/v1/alignments/{job_id}/result", params={"format": "srt"}).raise_for_status()
                    c.delete(f"/v1/alignments/{job_id}")
                    return job
                time.sleep(0.05)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_fifty_concurrent_small_jobs_all_done_and_memory_flat(tmp_path):
    audio, text = jfk_clip(tmp_path, 2.5)
    server = ServeProcess(tmp_path / "jobs", "--workers", "2")
    try:
        warm = _run(server.url, audio, text, JOBS)
        assert {j["status"] for j in warm} == {"done"}
        rss_warm = server.rss_mb()
        jobs = _run(server.url, audio, text, JOBS)
        rss_after = server.rss_mb()
        print(f"server RSS: {rss_warm:.0f} MB after the first {JOBS} jobs, {rss_after:.0f} MB after the next {JOBS}")
        assert [j["status"] for j in jobs] == ["done"] * JOBS, [j["error"] for j in jobs if j["status"] != "done"]
        assert all(j["summary"]["aligned"] == 5 for j in jobs)
        assert rss_after - rss_warm < RSS_GROWTH_MB, (rss_warm, rss_after)
        assert list((tmp_path / "jobs").iterdir()) == []  # every finished job was deleted with its files
    finally:
        server.stop()
