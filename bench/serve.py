"""Throughput and queue latency of ``wordsync serve`` on short clips.

  python bench/serve.py [--jobs 40] [--concurrency 1,8,40] [--workers 1,2] [--seconds 2.5] [--json]

Starts a real server process per worker count (``--workers N``, the offline aligner), sends
``--jobs`` alignments of the first ``--seconds`` of JFK from ``--concurrency`` client threads at
once, each client polling its job to the end, and prints per setting: jobs per second end to end,
audio seconds aligned per wall second, the queue latency (time a job waited before a worker took
it: the server's own ``started - created``), the service time (``finished - started``) and the
request latency (submit to done, as the client sees it), median and 95th percentile, and the
server's RSS. ``--json`` prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from tests.core.serve_server import ServeProcess, jfk_clip  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else 0.0


def run_setting(url: str, audio: Path, text: Path, jobs: int, concurrency: int) -> dict:
    def one(_k: int) -> dict:
        with httpx.Client(base_url=url, timeout=600) as c:
            t0 = time.perf_counter()
            with open(audio, "rb") as a, open(text, "rb") as t:
                r = c.post("/v1/alignments", files={"audio": (audio.name, a), "transcript": (text.name, t)})
            r.raise_for_status()
            job_id = r.json()["id"]
            while True:
                job = c.get(f"/v1/alignments/{job_id}").json()
                if job["status"] in ("done", "failed", "cancelled"):
                    break
                time.sleep(0.01)
            wall = time.perf_counter() - t0
            c.delete(f"/v1/alignments/{job_id}")
            return {"status": job["status"], "wall": wall, "queue": job["started"] - job["created"], "service": job["finished"] - job["started"]}

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(jobs)))
    elapsed = time.perf_counter() - t0
    done = [r for r in results if r["status"] == "done"]
    return {
        "jobs": jobs, "concurrency": concurrency, "done": len(done), "elapsed_s": round(elapsed, 2),
        "jobs_per_s": round(len(done) / elapsed, 2),
        "queue_ms_p50": round(1000 * statistics.median(r["queue"] for r in done), 1),
        "queue_ms_p95": round(1000 * _pct([r["queue"] for r in done], 0.95), 1),
        "service_ms_p50": round(1000 * statistics.median(r["service"] for r in done), 1),
        "request_ms_p50": round(1000 * statistics.median(r["wall"] for r in done), 1),
        "request_ms_p95": round(1000 * _pct([r["wall"] for r in done], 0.95), 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=40)
    ap.add_argument("--concurrency", default="1,8,40")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--seconds", type=float, default=2.5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    report: dict = {"clip_s": args.seconds, "settings": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        audio, text = jfk_clip(folder, args.seconds)
        for workers in [int(w) for w in args.workers.split(",")]:
            server = ServeProcess(folder / f"jobs{workers}", "--workers", str(workers))
            try:
                run_setting(server.url, audio, text, 4, 2)  # warm: models loaded, threads started
                for concurrency in [int(c) for c in args.concurrency.split(",")]:
                    row = {"workers": workers, **run_setting(server.url, audio, text, args.jobs, concurrency)}
                    row["x_real_time"] = round(row["jobs_per_s"] * args.seconds, 2)
                    row["server_rss_mb"] = round(server.rss_mb())
                    report["settings"].append(row)
                    print(f"workers {workers}, {concurrency:3d} clients: {row['jobs_per_s']:6.2f} jobs/s ({row['x_real_time']:.1f}x real time), "
                          f"queue p50 {row['queue_ms_p50']:.0f} ms p95 {row['queue_ms_p95']:.0f} ms, service p50 {row['service_ms_p50']:.0f} ms, "
                          f"request p50 {row['request_ms_p50']:.0f} ms p95 {row['request_ms_p95']:.0f} ms, RSS {row['server_rss_mb']} MB", flush=True)
            finally:
                server.stop()
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
