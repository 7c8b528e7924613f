"""The lock files (packaging/requirements.lock, torch.lock) against pyproject.toml, lockcheck, and
what makes CI prove the bundle again (packaging/prove_bundle.sh).

The lock is what dev.sh, CI and the bundle install with ``pip --require-hashes``; pyproject.toml keeps
ranges for library users. These tests catch the two drifting apart, entries pip would refuse, and a
lock that would pull CUDA builds.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "packaging" / "requirements.lock"
TORCH_LOCK = ROOT / "packaging" / "torch.lock"


def _load_lockcheck():
    spec = importlib.util.spec_from_file_location("lockcheck", ROOT / "packaging" / "lockcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lockcheck = _load_lockcheck()


def _locked(path: Path) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in lockcheck.parse_lock(path.read_text())}


def _pyproject_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("neural", "test", "packaging"):
        wanted += project["optional-dependencies"][extra]
    return [Requirement(r) for r in wanted]


def test_every_pyproject_requirement_is_locked_inside_its_range():
    locked = _locked(LOCK) | _locked(TORCH_LOCK)
    checked = 0
    for req in _pyproject_requirements():
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # e.g. the PySide6 line for another Python
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is in pyproject.toml but not locked: run packaging/lock.sh"
        version = lockcheck.locked_version(locked[name])
        assert req.specifier.contains(Version(version), prereleases=True), (
            f"the lock pins {req.name} {version}, outside pyproject's {req.specifier}: run packaging/lock.sh")
        checked += 1
    assert checked >= 15


def test_each_entry_is_pinned_once_with_sha256_hashes():
    for path in (LOCK, TORCH_LOCK):
        text = path.read_text()
        names = [canonicalize_name(r.name) for r in lockcheck.parse_lock(text)]
        assert len(names) == len(set(names)), f"{path.name} names a distribution twice"
        for name, digests in lockcheck.hashes_of(text).items():
            assert digests, f"{name} has no hash in {path.name}: pip --require-hashes would refuse it"
            assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests), name
        for req in lockcheck.parse_lock(text):
            assert [s.operator for s in req.specifier] == ["=="], f"{req.name} is not pinned in {path.name}"


def test_torch_is_apart_and_nothing_cuda_is_locked():
    locked = _locked(LOCK)
    assert "torch" not in locked
    cuda = [n for n in locked if n.startswith(("nvidia-", "cuda-", "triton"))]
    assert cuda == []
    assert list(_locked(TORCH_LOCK)) == ["torch"]


def test_the_lock_is_closed_on_this_platform():
    """Every dependency of a locked distribution is locked too (or is torch): otherwise
    ``pip install --require-hashes`` stops with 'hashes are required' on a fresh machine."""
    locked = _locked(LOCK) | _locked(TORCH_LOCK)
    looked = 0
    for name, req in locked.items():
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if dist.version.split("+")[0] != lockcheck.locked_version(req):
            continue  # its metadata is for another version
        looked += 1
        for line in dist.requires or []:
            dep = Requirement(line)
            if dep.marker is not None and not dep.marker.evaluate({"extra": ""}):
                continue
            assert canonicalize_name(dep.name) in locked, f"{name} needs {dep.name}, which is not locked"
    assert looked >= 30


def test_lockcheck_names_each_difference(tmp_path):
    name, have = "pytest", metadata.version("pytest")
    lock = tmp_path / "x.lock"
    lock.write_text(
        f"{name}=={have} \\\n    --hash=sha256:{'0' * 64}\n"
        "surely-not-installed-dist==1.0 \\\n    --hash=sha256:" + "1" * 64 + "\n"
        "pytest-timeout==0.0.1 \\\n    --hash=sha256:" + "2" * 64 + "\n"
        "pywin32-ctypes==0.2.3 ; sys_platform == 'win32' and sys_platform != 'win32' \\\n"
        "    --hash=sha256:" + "3" * 64 + "\n"
        "torch==0.0.1 \\\n    --hash=sha256:" + "4" * 64 + "\n"
    )
    problems, notes = lockcheck.differences(lockcheck.parse_lock(lock.read_text()))
    assert problems == ["surely-not-installed-dist 1.0 is not installed",
                        f"pytest-timeout is {metadata.version('pytest-timeout')} here, the lock says 0.0.1"]
    # torch is the machine's choice (WORDSYNC_TORCH): a note, never a failure
    assert notes == [f"torch is {metadata.version('torch')} here, the lock says 0.0.1"]

    run = subprocess.run([sys.executable, str(ROOT / "packaging" / "lockcheck.py"), str(lock)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "not the locked one (2 differences)" in run.stderr.splitlines()[1]
    assert "Traceback" not in run.stderr


def test_lockcheck_passes_and_writes_the_manifest_for_a_matching_lock(tmp_path):
    lock = tmp_path / "ok.lock"
    lock.write_text("".join(f"{d}=={metadata.version(d)} \\\n    --hash=sha256:{'a' * 64}\n"
                            for d in ("pytest", "packaging")))
    manifest = tmp_path / "versions.txt"
    run = subprocess.run([sys.executable, str(ROOT / "packaging" / "lockcheck.py"), "--manifest",
                          str(manifest), str(lock)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = manifest.read_text().splitlines()
    assert lines[0].endswith(hashlib.sha256(lock.read_bytes()).hexdigest()[:16])
    assert f"pytest=={metadata.version('pytest')}" in lines
    assert lines[-1].startswith("python==")


@pytest.fixture()
def bundle_inputs(tmp_path):
    """A copy of what prove_bundle.sh digests, so a test may change it."""
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    shutil.copytree(ROOT / "packaging", copy / "packaging", ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _prove(repo: Path, *args, env=None, cache: Path):
    venv = Path(sys.executable).parent.parent
    full_env = {k: v for k, v in os.environ.items() if k not in ("WORDSYNC_TORCH", "WORDSYNC_PROVE_BUNDLE")}
    full_env |= {"WORDSYNC_VENV": str(venv), "WORDSYNC_CI_CACHE": str(cache), **(env or {})}
    return subprocess.run(["bash", str(repo / "packaging" / "prove_bundle.sh"), *args],
                          capture_output=True, text=True, env=full_env, timeout=120)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils")
def test_prove_bundle_digest_follows_the_lock_pyproject_and_packaging_only(bundle_inputs, tmp_path):
    cache = tmp_path / "cache"
    first = _prove(bundle_inputs, "--digest", cache=cache).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert _prove(bundle_inputs, "--digest", cache=cache).stdout.strip() == first

    # code outside packaging/ is the test suite's business, not a reason to rebuild
    (bundle_inputs / "aligner_core").mkdir()
    (bundle_inputs / "aligner_core" / "x.py").write_text("x = 1\n")
    assert _prove(bundle_inputs, "--digest", cache=cache).stdout.strip() == first
    assert _prove(bundle_inputs, "--digest", cache=cache,
                  env={"WORDSYNC_TORCH": "torch==2.13.0"}).stdout.strip() != first

    digests = {first}
    for changed in ("packaging/requirements.lock", "packaging/torch.lock", "pyproject.toml",
                    "packaging/wordsync.spec", "packaging/linux/install.sh"):
        path = bundle_inputs / changed
        before = path.read_bytes()
        path.write_bytes(before + b"\n# changed\n")
        digest = _prove(bundle_inputs, "--digest", cache=cache).stdout.strip()
        assert digest not in digests, f"changing {changed} did not change the digest"
        digests.add(digest)
        path.write_bytes(before)
    assert _prove(bundle_inputs, "--digest", cache=cache).stdout.strip() == first


def test_prove_bundle_skips_inputs_already_proven_on_this_machine(bundle_inputs, tmp_path):
    cache = tmp_path / "cache"
    digest = _prove(bundle_inputs, "--digest", cache=cache).stdout.strip()
    cache.mkdir()
    (cache / f"bundle-proven-{digest}").write_text("2026-12-05T05:00:00Z, 300 s to build and check\n")
    run = _prove(bundle_inputs, cache=cache)
    assert run.returncode == 0, run.stderr
    assert f"({digest}) were already proven on this machine: 2026-12-05T05:00:00Z" in run.stdout
    assert not (bundle_inputs / "dist").exists()  # nothing was built
