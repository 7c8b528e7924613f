"""``--engine ray``: the same manifest gives the same bytes as the local engine, a failing item
does not stop the rest, a rerun resumes; a neural aligner goes through the ray.data actor pool.

Cost: one local Ray (num_cpus=2, no dashboard, a 256 MB object store) started once for this
module and reused by every batch (the engine keeps a Ray the program already joined).
"""

from __future__ import annotations

import json

import pytest

ray = pytest.importorskip("ray")

from aligner_core import cli  # noqa: E402

from .test_batch_engines import BAD, GOOD, check_failures, corpus, outputs, run_batch  # noqa: E402,F401

pytestmark = [pytest.mark.timeout(600), pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=256 * 1024 * 1024, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_tasks_write_what_the_local_engine_writes(corpus, tmp_path, capsys):
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    check_failures(*run_batch(corpus, local, capsys=capsys))
    check_failures(*run_batch(corpus, on_ray, "--engine", "ray", "--jobs", "2", capsys=capsys))
    assert set(outputs(on_ray)) == set(GOOD)
    assert outputs(on_ray) == outputs(local)
    code, err = run_batch(corpus, on_ray, "--engine", "ray", capsys=capsys)  # a rerun resumes
    assert code == 1 and "3 of 6 already done" in err


def test_neural_aligner_runs_in_the_actor_pool(corpus, tmp_path, capsys):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from .tiny_models import build_tiny_ctc

    model = build_tiny_ctc(tmp_path / "ctc")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    args = ("--aligner", "ctc", "--model", str(model), "--language", "en")
    code_local, _ = run_batch(corpus, local, *args, capsys=capsys)
    code_ray, err = run_batch(corpus, on_ray, *args, "--engine", "ray", capsys=capsys)
    assert code_local == code_ray == 1, err
    assert set(outputs(on_ray)) == set(GOOD)
    # the same times and words; confidences agree to 1e-6 (torch sums in another order with
    # another number of threads in the actor than in this test process)
    assert {k: _rounded(v) for k, v in outputs(on_ray).items()} == {k: _rounded(v) for k, v in outputs(local).items()}
    assert {json.loads(data)["aligner"] for data in outputs(on_ray).values()} == {"ctc"}


def _rounded(data: bytes) -> dict:
    doc = json.loads(data)
    for word in doc["words"]:
        if word.get("confidence") is not None:
            word["confidence"] = round(word["confidence"], 6)
    return doc


def test_transcribe_batch_on_ray_writes_what_local_writes(tmp_path, capsys):
    from aligner_core import transcribe_cli

    from .serve_server import jfk_clip

    audio, _ = jfk_clip(tmp_path, 2.5)
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"audio": audio.name, "id": "clip", "language": "en"}) + "\n"
                        + json.dumps({"audio": "missing.wav", "id": "gone"}) + "\n", encoding="utf-8")
    results = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        code = transcribe_cli.main(["transcribe", "--batch", str(manifest), "--out-dir", str(out), "--asr", "sphinx",
                                    "--format", "srt", "--engine", engine])
        err = capsys.readouterr().err
        assert code == 1 and "1 of 2 transcribed; 1 failed:" in err and "gone: the audio file" in err
        results[engine] = (out / "clip.srt").read_bytes()
    assert results["ray"] == results["local"] and b"-->" in results["ray"]
