"""Does this Python environment hold exactly the locked versions? (packaging/requirements.lock, torch.lock)

    python packaging/lockcheck.py [--manifest FILE] LOCK...

Run with the venv's Python. Exit 0 when every locked distribution that applies to this platform is
installed at its locked version; otherwise exit 1 naming each difference. torch is the exception:
``WORDSYNC_TORCH`` may install another build on purpose (CUDA), so a different torch is reported as a
note, and the manifest records which one was used. ``--manifest`` writes what the bundle ships:
every locked distribution with its installed version, and the digest of the lock files.

dev.sh runs this after installing, build.sh before freezing, so "what we ship" is "what we tested".
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# torch's build is the machine's choice (packaging/dev.sh, WORDSYNC_TORCH)
CHOSEN_BY_MACHINE = {"torch"}


def parse_lock(text: str) -> list[Requirement]:
    """The requirements of a pip lock file (``name==version ; marker`` with ``--hash`` options)."""
    joined = text.replace("\\\n", " ")
    requirements = []
    for line in joined.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirements.append(Requirement(line.split(" --hash", 1)[0].strip()))
    return requirements


def hashes_of(text: str) -> dict[str, list[str]]:
    """Each locked name with the sha256 digests its entry allows."""
    joined = text.replace("\\\n", " ")
    found = {}
    for line in joined.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name = canonicalize_name(Requirement(line.split(" --hash", 1)[0].strip()).name)
        found[name] = [part.split(":", 1)[1] for part in line.split() if part.startswith("--hash=sha256:")]
    return found


def locked_version(req: Requirement) -> str:
    (spec,) = req.specifier  # the lock pins each with exactly one ==
    if spec.operator != "==":
        raise ValueError(f"{req.name} is not pinned with == in the lock")
    return spec.version


def differences(requirements: list[Requirement]) -> tuple[list[str], list[str]]:
    """(problems, notes): locked distributions missing or at another version here."""
    problems, notes = [], []
    for req in requirements:
        if req.marker is not None and not req.marker.evaluate():
            continue  # another platform's
        want = locked_version(req)
        try:
            have = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{req.name} {want} is not installed")
            continue
        # a local label names the build (torch 2.13.0+cpu), not another release
        if have.split("+", 1)[0] == want.split("+", 1)[0]:
            continue
        line = f"{req.name} is {have} here, the lock says {want}"
        (notes if canonicalize_name(req.name) in CHOSEN_BY_MACHINE else problems).append(line)
    return problems, notes


def manifest(lock_paths: list[Path]) -> str:
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in lock_paths)).hexdigest()
    lines = [f"# versions frozen into this bundle; lock files sha256 {digest[:16]}"]
    for path in lock_paths:
        for req in parse_lock(path.read_text()):
            if req.marker is None or req.marker.evaluate():
                lines.append(f"{req.name}=={metadata.version(req.name)}")
    lines.append(f"wordsync=={metadata.version('wordsync')}")
    lines.append(f"python=={sys.version.split()[0]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    out = None
    if len(argv) >= 2 and argv[0] == "--manifest":
        out, argv = Path(argv[1]), argv[2:]
    paths = [Path(p) for p in argv]
    if not paths:
        print("usage: python packaging/lockcheck.py [--manifest FILE] LOCK...", file=sys.stderr)
        return 2
    requirements = [req for path in paths for req in parse_lock(path.read_text())]
    problems, notes = differences(requirements)
    for note in notes:
        print(f"lockcheck: note: {note} (WORDSYNC_TORCH chose it)", file=sys.stderr)
    if problems:
        print(f"lockcheck: this environment is not the locked one ({len(problems)} differences); "
              "run 'bash packaging/dev.sh setup', or 'bash packaging/lock.sh' to lock these versions:",
              file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if out is not None:
        out.write_text(manifest(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
