"""``wordsync dataset | finetune | evaluate``: results, and bad input in exactly one line (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner_core.learn_cli import main
from tests.core.learn_data import SENTENCES, corrected_project
from tests.reliability_cases import one_line

REPO = Path(__file__).resolve().parents[2]
EVAL = Path(os.environ.get("WORDSYNC_EVAL") or REPO.parent / "shared" / "eval")


@pytest.fixture
def projects(tmp_path):
    return [corrected_project(tmp_path / f"r{i}", f"r{i}", s, seed=i, locked_every=2, shift_ms=30) for i, s in enumerate(SENTENCES)]


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_dataset_then_offline_finetune_prints_before_and_after(projects, tmp_path, capsys):
    out = tmp_path / "train.jsonl"
    code, _, err = _run(["dataset", *map(str, projects), "-o", str(out), "--eval-fraction", "0.25", "--pseudo-labels"], capsys)
    assert code == 0, err
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert {l["split"] for l in lines} == {"train", "eval"}
    assert "training segment(s)" in err
    code, stdout, err = _run(["finetune", str(out), "--base", "sphinx", "--out", str(tmp_path / "offline")], capsys)
    assert code == 0, err
    assert (tmp_path / "offline" / "adaptation.json").is_file()
    assert "| before |" in stdout and "| after |" in stdout


def test_qwen3_finetune_through_the_cli_says_how_long_it_will_take(projects, tmp_path, capsys):
    pytest.importorskip("peft")
    from tests.core.tiny_models import build_tiny_qwen3_aligner

    tiny = build_tiny_qwen3_aligner(tmp_path / "tiny")
    data = tmp_path / "train.jsonl"
    assert main(["dataset", *map(str, projects), "-o", str(data)]) == 0
    capsys.readouterr()  # what building the tiny model printed is not the CLI's
    code, stdout, err = _run(["finetune", str(data), "--base", str(tiny), "--out", str(tmp_path / "lora"), "--rank", "2", "--max-steps", "2", "--device", "cpu"], capsys)
    assert code == 0, err
    assert "should take about" in err and "this CPU" in err
    assert all(line.startswith("wordsync: ") for line in err.splitlines() if line.strip()), err  # no library chatter
    assert (tmp_path / "lora" / "adapter_model.safetensors").is_file()


@pytest.mark.parametrize("what", ["missing project", "output is the project", "no verified words", "moved audio", "bad fraction"])
def test_dataset_bad_input_is_one_line(what, projects, tmp_path, capsys):
    argv = ["dataset", *map(str, projects), "-o", str(tmp_path / "t.jsonl")]
    if what == "missing project":
        argv[1] = str(tmp_path / "nothing.wordsync")
    elif what == "output is the project":
        argv[-1] = str(projects[0])
    elif what == "no verified words":
        argv = ["dataset", str(corrected_project(tmp_path / "n", "n", "hello world", locked_every=0)), "-o", str(tmp_path / "t.jsonl")]
    elif what == "moved audio":
        wav = projects[1].with_suffix(".wav")
        wav.rename(wav.with_name("gone.wav"))
    else:
        argv += ["--eval-fraction", "1.5"]
    before = projects[0].read_bytes()
    code, _, err = _run(argv, capsys)
    assert code == 2 and one_line(err), err
    assert not (tmp_path / "t.jsonl").exists()
    assert projects[0].read_bytes() == before  # nothing lost


@pytest.mark.parametrize("content", ["not json\n", '{"audio_path": "x"}\n', ""])
def test_finetune_refuses_a_bad_training_set_in_one_line(content, tmp_path, capsys):
    (tmp_path / "t.jsonl").write_text(content)
    code, _, err = _run(["finetune", str(tmp_path / "t.jsonl"), "--base", "sphinx", "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and one_line(err), err


def test_evaluate_outputs_and_its_bad_input(tmp_path, capsys):
    gold = tmp_path / "gold"
    pred = tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    words = [{"word": w, "start": 0.5 * k, "end": 0.5 * k + 0.4} for k, w in enumerate("she had your dark suit".split())]
    (gold / "u1.json").write_text(json.dumps(words))
    (pred / "u1.json").write_text(json.dumps({"words": [{**w, "start": w["start"] + 0.03, "end": w["end"] - 0.01} for w in words[:4]]}))
    code, stdout, err = _run(["evaluate", str(gold), str(pred), "--json"], capsys)
    assert code == 0, err
    result = json.loads(stdout)
    assert result["matched_words"] == 4 and result["match_rate"] == pytest.approx(80.0)
    assert result["start"]["mean_ms"] == pytest.approx(30.0) and result["end"]["mean_ms"] == pytest.approx(10.0)
    code, stdout, _ = _run(["evaluate", str(gold / "u1.json"), str(pred / "u1.json")], capsys)
    assert code == 0 and "word match rate 80.0%" in stdout
    (tmp_path / "other.json").write_text("[]")
    for argv in (["evaluate", str(gold), str(tmp_path / "other.json")], ["evaluate", str(gold), str(tmp_path / "x.wav")], ["evaluate", str(tmp_path / "none"), str(pred)]):
        code, _, err = _run(argv, capsys)
        assert code == 2 and one_line(err), (argv, err)
    for junk in (b"not json", b"\xff\xfe\x00garbage", b'{"words": 5}', b'[{"word": "a", "start": "soon", "end": 1}]', b"[1, 2]"):
        (pred / "u1.json").write_bytes(junk)
        code, _, err = _run(["evaluate", str(gold), str(pred / "u1.json")], capsys)
        assert code == 2 and one_line(err) and "u1.json" in err, (junk, err)
    (tmp_path / "u1.wav").write_bytes(b"RIFF")
    code, _, err = _run(["evaluate", str(gold), str(tmp_path / "u1.wav")], capsys)
    assert code == 2 and "no transcript" in err and one_line(err), err


@pytest.mark.skipif(not (EVAL / "timit_dev").is_dir(), reason="../shared/eval/timit_dev is not here")
def test_evaluate_runs_the_aligner_on_audio_in_a_real_process(tmp_path):
    audio = EVAL / "timit_dev" / "dr1-fvmh0_sa1.wav"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("WORDSYNC_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "desktop.app", "evaluate", str(EVAL / "timit_dev"), str(audio), "--aligner", "sphinx", "--json"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["match_rate"] == 100.0 and result["all"]["mean_ms"] < 40
    bad = subprocess.run([sys.executable, "-m", "desktop.app", "finetune", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, env=env, timeout=60, cwd=REPO, check=False)
    assert bad.returncode == 2 and one_line(bad.stderr), bad.stderr
