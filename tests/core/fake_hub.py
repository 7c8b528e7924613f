"""A local stand-in for the Hugging Face Hub's two HTTP endpoints a download uses.

Model hubs are unreachable from the test machines, and resuming can only be shown against a
server that honours ``Range``; this is that network boundary and nothing more: the real
huggingface_hub client talks HTTP to it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

SHA = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    """Serves ``repos[repo_id] = folder`` as /api/models/<repo> and /<repo>/resolve/<rev>/<file>."""

    def __init__(self, repos: dict[str, Path]):
        self.repos = repos
        self.ranges: list[str | None] = []  # the Range header of every file request, in order
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                path = unquote(urlparse(self.path).path)
                for repo, folder in hub.repos.items():
                    if path in (f"/api/models/{repo}", f"/api/models/{repo}/revision/main"):
                        return self._info(repo, folder)
                    prefix = f"/{repo}/resolve/{SHA}/"
                    if path.startswith(prefix):
                        return self._file(folder / path[len(prefix):])
                self._send(404, b'{"error": "Repository not found"}', {"X-Error-Code": "RepoNotFound"})

            def _info(self, repo, folder):
                siblings = [{"rfilename": p.relative_to(folder).as_posix(), "size": p.stat().st_size}
                            for p in sorted(folder.rglob("*")) if p.is_file()]
                body = json.dumps({"id": repo, "sha": SHA, "siblings": siblings, "private": False}).encode()
                self._send(200, body, {"Content-Type": "application/json"})

            def _file(self, file):
                if not file.is_file():
                    return self._send(404, b"", {"X-Error-Code": "EntryNotFound"})
                data = file.read_bytes()
                asked = self.headers.get("Range")
                hub.ranges.append(asked)
                if asked:
                    start = int(asked.split("=")[1].split("-")[0])
                    if start >= len(data):
                        return self._send(416, b"", {})
                    headers = {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"}
                    return self._send(206, data[start:], headers)
                self._send(200, data, {})

            def _send(self, status, body, headers):
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # in slices, so a client sees several chunks and can cancel between them
                for i in range(0, len(body), 256 * 1024):
                    try:
                        self.wfile.write(body[i:i + 256 * 1024])
                    except (BrokenPipeError, ConnectionResetError):
                        return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeHub:  # noqa: PYI034 - Self needs 3.11
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An address where nothing listens: connection refused at once, like a machine offline."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def fake_model_folder(folder: Path, weights_bytes: int = 3_000_000) -> Path:
    """config.json, tokenizer files, safetensors-named weights and a pickle the plan must skip."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text('{"model_type": "wav2vec2", "architectures": ["Wav2Vec2ForCTC"]}')
    (folder / "vocab.json").write_text('{"<pad>": 0, "|": 1, "a": 2}')
    (folder / "model.safetensors").write_bytes(bytes(i % 251 for i in range(weights_bytes)))
    (folder / "pytorch_model.bin").write_bytes(b"pickle" * 100)
    (folder / "README.md").write_text("# not fetched")
    return folder
