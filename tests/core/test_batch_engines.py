"""``wordsync align --batch`` on the local engine: the same manifest gives the same bytes in this
process and in a pool of worker processes; a failing item does not stop the rest; a rerun skips
what is done and redoes what changed. Ray: test_batch_engines_ray.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aligner_core import cli, transcribe_cli
from aligner_core.batch.resume import STATE_NAME

from .serve_server import jfk_clip

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Three JFK clips of different lengths, one item that is not audio, one missing transcript."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = []
    for seconds in (2.5, 4.0, 6.0):
        audio, text = jfk_clip(folder, seconds)
        if seconds > 2.5:
            text.write_text("And so, my fellow Americans, ask not\n", encoding="utf-8")
        lines.append({"audio": audio.name, "transcript": text.name, "id": f"clip{seconds:g}"})
    (folder / "noise.wav").write_bytes(b"RIFF not really a wave file")
    lines.insert(1, {"audio": "noise.wav", "transcript": lines[0]["transcript"], "id": "broken"})
    lines.append({"audio": lines[0]["audio"], "transcript": "absent.txt", "id": "no_transcript"})
    manifest = folder / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(line) + "\n" for line in lines) + "not json\n", encoding="utf-8")
    return manifest


GOOD = ("clip2.5", "clip4", "clip6")
BAD = ("broken", "no_transcript", "line 6")


def run_batch(manifest: Path, out: Path, *extra: str, capsys) -> tuple[int, str]:
    code = cli.main(["align", "--batch", str(manifest), "--out-dir", str(out), "--format", "json", *extra])
    return code, capsys.readouterr().err


def outputs(out: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted(out.glob("*.json")) if p.name != STATE_NAME}


def check_failures(code: int, err: str) -> None:
    assert code == 1
    summary = err[err.index("3 of 6 aligned; 3 failed:"):].splitlines()
    assert [line.split(":")[0].strip() for line in summary[1:]] == ["broken", "no_transcript", "line 6"]  # manifest order
    assert "Traceback" not in err


def test_local_one_and_two_workers_write_the_same_bytes_and_go_past_failures(corpus, tmp_path, capsys):
    one, two = tmp_path / "one", tmp_path / "two"
    check_failures(*run_batch(corpus, one, capsys=capsys))
    check_failures(*run_batch(corpus, two, "--jobs", "2", capsys=capsys))
    assert set(outputs(one)) == set(GOOD)
    assert outputs(one) == outputs(two)
    words = json.loads((one / "clip6.json").read_text())["words"]
    assert [w["word"] for w in words] == ["And", "so,", "my", "fellow", "Americans,", "ask", "not"]


def test_rerun_skips_what_is_done_and_redoes_what_changed(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    run_batch(corpus, out, capsys=capsys)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("clip*.json")}
    code, err = run_batch(corpus, out, capsys=capsys)
    assert code == 1 and "3 of 6 already done in an earlier run; skipped" in err
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("clip*.json")} == stamps
    # another profile changes the outputs: everything runs again
    code, err = run_batch(corpus, out, "--profile", "netflix" if "netflix" in _profiles() else _profiles()[-1], capsys=capsys)
    assert "already done" not in err
    # an output deleted by hand is made again, the others are kept
    (out / "clip4.json").unlink()
    code, err = run_batch(corpus, out, capsys=capsys)
    assert (out / "clip4.json").exists()
    # --redo runs everything
    code, err = run_batch(corpus, out, "--redo", capsys=capsys)
    assert "already done" not in err


def _profiles():
    from aligner_core.cues import PROFILES

    return list(PROFILES)


def test_a_batch_cut_off_resumes_where_it_stopped(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    full = tmp_path / "full"
    run_batch(corpus, full, capsys=capsys)
    # as if the run had been killed after its first item, in the middle of writing its second record
    out.mkdir()
    shutil.copy2(full / "clip2.5.json", out)
    first = next(line for line in (full / STATE_NAME).read_text().splitlines() if '"clip2.5"' in line)
    (out / STATE_NAME).write_text(first + "\n" + '{"name": "clip4", "key": "ab', encoding="utf-8")
    code, err = run_batch(corpus, out, capsys=capsys)
    assert "1 of 6 already done" in err
    assert outputs(out) == outputs(full)
    code, err = run_batch(corpus, out, capsys=capsys)  # the records after the torn line count
    assert "3 of 6 already done" in err


@pytest.mark.parametrize("args, said", [
    (["--engine", "ray"], "go with --batch"),
    (["--batch", "m.jsonl", "--out-dir", "o", "--address", "ray://x:1"], "add --engine ray"),
    (["--batch", "m.jsonl", "--out-dir", "o", "--engine", "spark"], "invalid choice"),
])
def test_engine_usage_errors(args, said, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = [] if "--batch" in args else ["a.wav", "t.txt", "-o", "x.srt"]
    assert cli.main(["align", *extra, *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("wordsync: error:") and said in err[0]
    assert transcribe_cli.main(["transcribe", *(["a.wav", "-o", "x.srt"] if "--batch" not in args else []), *args]) == 2


def test_an_unreachable_ray_cluster_is_one_line_at_once(corpus, tmp_path, capsys):
    pytest.importorskip("ray")
    import socket

    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, err = run_batch(corpus, tmp_path / "o", "--engine", "ray", "--address", f"127.0.0.1:{port}", capsys=capsys)
    assert code == 2
    assert err.strip().splitlines() == [f"wordsync: error: cannot reach the Ray cluster at '127.0.0.1:{port}': nothing answers there (start it with `ray start --head`)"]
