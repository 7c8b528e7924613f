"""``wordsync serve``: the HTTP API on this machine (see :mod:`aligner_core.serve.app`).

::

    wordsync serve [--host 127.0.0.1] [--port 8765] [--token TOKEN] [--jobs-dir DIR]
                   [--max-upload-mb N] [--max-audio-min N] [--workers N] [--expire-hours H]

Loopback only unless a token is given: any other address can be reached by other computers, so
it needs ``--token`` and every request then carries ``Authorization: Bearer TOKEN``. Bad usage
is one line ``wordsync: error: ...`` and exit status 2, like ``wordsync align``. The first line
on stderr says where it listens (``--port 0`` picks a free port and says which).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import Sequence

from ..cli import PROG, UsageError, _Parser, _positive_int, run_guarded, writable_folder
from ..messages import msg

DEFAULT_PORT = 8765


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, not {text[:24]!r}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {text[:24]!r}")
    return int(text)


def default_jobs_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wordsync" / "serve-jobs"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=f"{PROG} serve", description="Serve alignment and transcription over HTTP (docs at /docs).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; any other needs --token)")
    p.add_argument("--port", default=DEFAULT_PORT, type=_port, help=f"default: {DEFAULT_PORT}; 0 picks a free one")
    p.add_argument("--token", help="bearer token every request must carry (required off loopback)")
    p.add_argument("--jobs-dir", metavar="DIR", type=Path, help=f"where jobs are kept across restarts (default: {default_jobs_dir()})")
    p.add_argument("--max-upload-mb", metavar="N", type=_positive_float, default=512.0, help="largest request (default: 512)")
    p.add_argument("--max-audio-min", metavar="N", type=_positive_float, default=240.0, help="longest audio in minutes (default: 240)")
    p.add_argument("--workers", metavar="N", type=_positive_int, default=1, help="jobs run at once (default: 1)")
    p.add_argument("--expire-hours", metavar="H", type=_positive_float, default=24.0, help="finished jobs are deleted after H hours (default: 24)")
    return p


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "serve":
        args_list = args_list[1:]
    err = sys.stderr
    return run_guarded(lambda: serve(build_parser().parse_args(args_list), err), err, say_cancelled=False)


def _listen(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise UsageError(f"cannot listen on {host!r}: not an address of this machine") from None
    family, _type, _proto, _name, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    sock.listen(128)
    return sock


def serve(args: argparse.Namespace, err) -> int:
    if not is_loopback(args.host) and not args.token:
        raise UsageError(str(msg("serve_needs_token", host=args.host)))
    if args.token is not None and (len(args.token) < 8 or not args.token.isprintable() or " " in args.token):
        raise UsageError("--token needs at least 8 printable characters without spaces")
    try:
        import uvicorn

        from .app import ServeConfig, create_app
    except ImportError as exc:
        raise UsageError(f"wordsync serve needs FastAPI and uvicorn ({exc.name} is missing): pip install 'wordsync[serve]'") from None
    jobs_dir = args.jobs_dir or default_jobs_dir()
    writable_folder(jobs_dir, "jobs folder")
    config = ServeConfig(jobs_dir=jobs_dir, token=args.token, max_upload_mb=args.max_upload_mb,
                         max_audio_min=args.max_audio_min, workers=args.workers, expire_hours=args.expire_hours)
    sock = _listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"{PROG}: serving on http://{shown}:{port} (API docs at /docs); jobs in {jobs_dir}", file=err, flush=True)
    if args.token:
        print(f"{PROG}: every request needs the header 'Authorization: Bearer <token>'", file=err, flush=True)
    app = create_app(config)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=10))
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
