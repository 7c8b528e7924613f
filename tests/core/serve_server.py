"""One real ``wordsync serve`` process on a loopback port, for the serve tests and bench/serve.py.

The server runs as its own process (``python -m aligner_core.serve --port 0``), exactly as users
start it; its first stderr line says the port. Stopping it sends SIGTERM (a graceful stop) or
SIGKILL (a crash), so tests can restart a server on the same jobs folder.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]
JFK = ROOT / "resources" / "examples" / "jfk.flac"
JFK_TXT = ROOT / "resources" / "examples" / "jfk.txt"
START_TIMEOUT_S = 60


class ServeProcess:
    def __init__(self, jobs_dir: Path, *args: str, log: Path | None = None):
        self.jobs_dir = Path(jobs_dir)
        self.log = log or self.jobs_dir.parent / f"serve-{os.getpid()}-{time.monotonic_ns()}.log"
        self._log_file = open(self.log, "w")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aligner_core.serve", "--port", "0", "--jobs-dir", str(self.jobs_dir), *args],
            stdout=self._log_file, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
        )
        self.url = self._wait_for_port()

    def _wait_for_port(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            text = self.log.read_text()
            found = re.search(r"serving on (http://[^ ]+)", text)
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}: {text}")
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not start: {self.log.read_text()}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()
        return self.proc.returncode


def jfk_clip(folder: Path, seconds: float = 2.5) -> tuple[Path, Path]:
    """The first seconds of JFK (16 kHz WAV) and the words spoken in them."""
    from aligner_core.audio import decode

    samples = decode(JFK, envelope=False).samples[: int(seconds * 16000)]
    audio = folder / f"jfk_{seconds:g}s.wav"
    sf.write(audio, samples, 16000)
    text = folder / f"jfk_{seconds:g}s.txt"
    text.write_text("And so, my fellow Americans\n", encoding="utf-8")
    return audio, text


def jfk_repeated(folder: Path, times: int) -> tuple[Path, Path]:
    """JFK said ``times`` times in a row (a job that runs for seconds) and its transcript."""
    from aligner_core.audio import decode

    samples = decode(JFK, envelope=False).samples
    audio = folder / f"jfk_x{times}.wav"
    sf.write(audio, np.tile(samples, times), 16000)
    text = folder / f"jfk_x{times}.txt"
    text.write_text((JFK_TXT.read_text(encoding="utf-8").strip() + "\n") * times, encoding="utf-8")
    return audio, text
