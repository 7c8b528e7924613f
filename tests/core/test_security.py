"""Security rules, checked on the code and on real files.

- Project and JSON files are parsed with :mod:`json` only: no pickle, eval, exec or yaml.load.
- Weights load from safetensors only, never ``torch.load`` of a pickle, never remote code.
- A project refers to audio by path only; that path is only ever handed to the audio decoder.
  A relative path resolves against the project's folder. A file found outside that folder with
  no recorded fingerprint is a *mismatch* (the app asks before using it), so a hand-edited
  ``../../etc/passwd`` is never used silently; nothing is ever written to a path from a file.
- Exports are atomic: a write the OS cuts off leaves the previous file as it was, no partial file.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aligner_core.project import load_project
from tests.reliability_cases import JFK, good_project_dict

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for d in ("aligner_core", "desktop", "bench", "packaging") for p in (REPO / d).rglob("*.py"))


def calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            yield node, owner, name


def test_sources_were_found():
    assert len(SOURCES) > 40 and any(p.name == "project.py" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(REPO)) for p in SOURCES])
def test_no_unpickling_evaluation_or_remote_code(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            assert not {"pickle", "cPickle", "dill", "marshal", "shelve"} & {n.split(".")[0] for n in names}, f"{path}:{node.lineno}"
    for node, owner, name in calls(tree):
        where = f"{path.relative_to(REPO)}:{node.lineno}"
        bare = isinstance(node.func, ast.Name) or owner == "builtins"  # model.eval() is torch's, not Python's
        assert not (bare and name in ("eval", "exec", "compile", "__import__")), where
        if name == "load" and owner in ("torch", "yaml", "pickle", "np", "numpy"):
            kw = {k.arg: k.value for k in node.keywords}
            if owner == "torch":
                assert isinstance(kw.get("weights_only"), ast.Constant) and kw["weights_only"].value is True, where
            elif owner in ("np", "numpy"):
                assert not (isinstance(kw.get("allow_pickle"), ast.Constant) and kw["allow_pickle"].value), where
            else:
                pytest.fail(f"{where}: {owner}.load")
        for k in node.keywords:
            if k.arg == "trust_remote_code":
                assert isinstance(k.value, ast.Constant) and k.value.value is False, where
            if k.arg == "use_safetensors":
                assert isinstance(k.value, ast.Constant) and k.value.value is True, where


def test_model_loaders_insist_on_safetensors():
    for rel in ("aligner_core/align/backends/qwen3.py", "aligner_core/align/backends/ctc.py", "aligner_core/learn/lora.py"):
        tree = ast.parse((REPO / rel).read_text(encoding="utf-8"))
        loads = [n for n, _o, name in calls(tree) if name == "from_pretrained" and any(k.arg == "trust_remote_code" for k in n.keywords)]
        assert loads, rel
        for n in loads:
            kw = {k.arg: k.value.value for k in n.keywords if isinstance(k.value, ast.Constant)}
            assert kw.get("use_safetensors") is True and kw.get("trust_remote_code") is False, rel


def _project_with_audio(folder: Path, audio: dict) -> Path:
    data = good_project_dict()
    data["audio"] = audio
    path = folder / "p.wordsync"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("audio", [
    {"path": "../../../../../../../../etc/passwd"},
    {"path": None, "absolute": "/etc/passwd"},
    {"path": "../outside.flac"},
])
def test_audio_outside_the_project_folder_is_not_used_without_asking(tmp_path, audio):
    project_dir = tmp_path / "proj"
    project_dir.mkdir()
    (tmp_path / "outside.flac").write_bytes(JFK.read_bytes())
    project = load_project(_project_with_audio(project_dir, audio))
    assert project.audio_path is not None
    # found but unvouched: the app must ask (mismatch) before decoding it as audio
    assert project.audio_mismatch and not project.audio_missing


def test_audio_inside_the_project_folder_without_fingerprint_is_used(tmp_path):
    (tmp_path / "talk.flac").write_bytes(JFK.read_bytes())
    project = load_project(_project_with_audio(tmp_path, {"path": "talk.flac"}))
    assert project.audio_path == tmp_path / "talk.flac"
    assert not project.audio_mismatch and not project.audio_missing


def test_symlink_inside_pointing_outside_counts_as_outside(tmp_path):
    project_dir = tmp_path / "proj"
    project_dir.mkdir()
    (tmp_path / "real.flac").write_bytes(JFK.read_bytes())
    (project_dir / "link.flac").symlink_to(tmp_path / "real.flac")
    project = load_project(_project_with_audio(project_dir, {"path": "link.flac"}))
    assert project.audio_mismatch


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "textgrid", "json"])
def test_export_cut_off_by_the_os_leaves_the_old_file_and_no_partial_one(tmp_path, fmt):
    suffix = {"textgrid": ".TextGrid"}.get(fmt, "." + fmt)
    target = tmp_path / ("out" + suffix)
    target.write_text("the previous export\n", encoding="utf-8")
    before = target.read_bytes()
    child = textwrap.dedent(
        f"""
        import resource, signal, sys
        from aligner_core.cues import PROFILES, segment
        from aligner_core.document import Document, Token
        from aligner_core.formats import export_document
        from aligner_core.edits import ReplaceCues
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
        doc = Document([Token("word%d" % i, ("word",), i * 300, i * 300 + 250, sep=" ") for i in range(20000)], [], 20000 * 300, "en")
        ReplaceCues(segment(doc, PROFILES["general"])).apply(doc)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
        try:
            export_document(doc, {str(target)!r}, {fmt!r})
        except OSError as exc:
            print("failed:", exc.errno)
            sys.exit(0)
        sys.exit("the export should have failed")
        """
    )
    done = subprocess.run([sys.executable, "-c", child], check=False, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "failed: 27" in done.stdout
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
