"""``wordsync transcribe``: real PocketSphinx on JFK, the tiny SenseVoice through sherpa-onnx, and
bad input (silence, a language the recogniser lacks, a missing or damaged model, an output that
is the input): exit 2 with one line, nothing written, nothing lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from aligner_core.transcribe_cli import main

ROOT = Path(__file__).resolve().parents[2]
JFK = ROOT / "resources" / "examples" / "jfk.flac"


def run(argv, capsys):
    code = main(["transcribe", *map(str, argv)])
    return code, capsys.readouterr().err


def one_line(err: str) -> bool:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    return len(lines) == 1 and lines[0].startswith("wordsync: error: ") and "Traceback" not in err


@pytest.fixture(scope="module")
def jfk_srt(tmp_path_factory):
    out = tmp_path_factory.mktemp("jfk") / "jfk.srt"
    code = main(["transcribe", str(JFK), "-o", str(out), "--asr", "sphinx"])
    return code, out


def test_sphinx_drafts_and_aligns_jfk_without_any_download(jfk_srt):
    code, out = jfk_srt
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "-->" in text
    words = " ".join(ln for ln in text.splitlines() if ln and not ln[0].isdigit()).lower().split()
    # rough, but the end of the sentence is heard: "... what you can do for your country"
    assert words[-5:] == ["can", "do", "for", "your", "country"]


def test_txt_is_the_draft_one_segment_a_line_ready_to_align(tmp_path, capsys):
    out = tmp_path / "draft.txt"
    code, err = run([JFK, "-o", out, "--asr", "sphinx", "--no-align"], capsys)
    assert code == 0, err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert 1 <= len(lines) <= 4 and all(ln.strip() for ln in lines)
    assert "rough draft" in err  # sphinx says what it is
    # and the draft goes straight into `wordsync align`
    from aligner_core.cli import main as align_main

    assert align_main(["align", str(JFK), str(out), "-o", str(tmp_path / "aligned.srt")]) == 0


def test_json_marks_draft_words(tmp_path, capsys):
    out = tmp_path / "draft.json"
    code, err = run([JFK, "-o", out, "--asr", "sphinx", "--no-align"], capsys)
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["words"] and all("draft" in w.get("flags", []) for w in data["words"])


def _tiny_sv(tmp_path: Path, **kw) -> Path:
    pytest.importorskip("sherpa_onnx")
    pytest.importorskip("onnx")
    from .tiny_sensevoice import build_tiny_sensevoice

    return build_tiny_sensevoice(tmp_path / "sv", **kw)


def test_sensevoice_music_only_writes_a_music_cue(tmp_path, capsys):
    model = _tiny_sv(tmp_path, event="BGM", emotion="NEUTRAL")
    sr = 16000
    t = np.arange(4 * sr) / sr
    audio = np.concatenate([np.zeros(sr // 2), 0.2 * np.sin(2 * np.pi * 1000 * t), np.zeros(sr // 2)]).astype(np.float32)
    wav = tmp_path / "music.wav"
    sf.write(str(wav), audio, sr)
    out = tmp_path / "music.srt"
    code, err = run([wav, "-o", out, "--asr", "sensevoice", "--model", model, "--language", "en"], capsys)
    assert code == 0, err
    assert "[music]" in out.read_text(encoding="utf-8")
    assert "only sound" in err


@pytest.mark.parametrize(
    "make,args,says",
    [
        ("silence", ("--asr", "sphinx"), "holds no speech and no sound"),
        ("jfk", ("--asr", "sphinx", "--language", "fr"), "does not know 'fr'"),
        ("jfk", ("--asr", "sensevoice", "--model", "{tmp}/nowhere"), "There is no SenseVoiceSmall model at"),
        ("jfk", ("--asr", "sensevoice", "--model", "{tmp}/damaged"), "cannot be used"),
        ("jfk", ("--asr", "nonsense"), "invalid choice"),
        ("jfk", ("--language", "not a language!"), "language"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, make, args, says):
    if make == "silence":
        audio = tmp_path / "quiet.wav"
        sf.write(str(audio), np.zeros(16000 * 3, np.float32), 16000)
    else:
        audio = JFK
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "model.int8.onnx").write_bytes(b"not a model")
    (damaged / "tokens.txt").write_text("<unk> 0\n", encoding="utf-8")
    out = tmp_path / "out.srt"
    code, err = run([audio, "-o", out, *(a.replace("{tmp}", str(tmp_path)) for a in args)], capsys)
    assert code == 2
    assert one_line(err), err
    assert says in err
    assert not out.exists()


def test_an_output_that_is_the_input_is_refused_before_any_work(tmp_path, capsys):
    audio = tmp_path / "jfk.flac"
    shutil.copy(JFK, audio)
    before = audio.read_bytes()
    code, err = run([audio, "-o", tmp_path / "." / "jfk.flac", "--format", "srt", "--asr", "sphinx"], capsys)
    assert code == 2 and one_line(err), err
    assert audio.read_bytes() == before


def test_batch_goes_on_past_a_bad_line(tmp_path, capsys):
    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), np.zeros(16000 * 2, np.float32), 16000)
    shutil.copy(JFK, tmp_path / "jfk.flac")
    manifest = tmp_path / "list.jsonl"
    manifest.write_text('{"audio": "jfk.flac"}\n{"audio": "quiet.wav"}\n', encoding="utf-8")
    code, err = run(["--batch", manifest, "--out-dir", tmp_path / "out", "--format", "txt", "--asr", "sphinx", "--no-align"], capsys)
    assert code == 1
    assert (tmp_path / "out" / "jfk.txt").read_text(encoding="utf-8").strip()
    assert not (tmp_path / "out" / "quiet.txt").exists()
    assert "1 of 2 transcribed" in err


def test_a_real_process_prints_exactly_one_line(tmp_path):
    import os
    import subprocess
    import sys

    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), np.zeros(16000 * 2, np.float32), 16000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("WORDSYNC_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "aligner_core.cli", "transcribe", str(quiet), "-o", str(tmp_path / "o.srt"), "--asr", "sphinx"],
        check=False, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert one_line(proc.stderr), proc.stderr
    assert not (tmp_path / "o.srt").exists()


def test_emotion_tags_for_a_draft_text_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "draft.txt"
    code, err = run([JFK, "-o", out, "--asr", "sphinx", "--emotion-tags"], capsys)
    assert code == 2 and one_line(err), err
    assert "--emotion-tags is for SRT, VTT or ASS output, not TXT" in err
    assert not out.exists()


def test_missing_sensevoice_names_the_command_that_fetches_just_its_files(tmp_path, capsys, monkeypatch):
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.delenv("WORDSYNC_SENSEVOICE", raising=False)
    out = tmp_path / "out.srt"
    code, err = run([JFK, "-o", out, "--asr", "sensevoice", "--language", "en"], capsys)
    assert code == 2 and one_line(err), err
    repo = "csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17"
    assert f"`hf download {repo} model.int8.onnx tokens.txt`" in err  # not the whole 1 GB repository
    # where that command puts the files (the Hugging Face cache) is where transcribe looks
    snapshot = cache / ("models--" + repo.replace("/", "--")) / "snapshots" / ("ab" * 20)
    _tiny_sv(tmp_path)
    snapshot.mkdir(parents=True)
    shutil.copy(tmp_path / "sv" / "model.onnx", snapshot / "model.int8.onnx")
    shutil.copy(tmp_path / "sv" / "tokens.txt", snapshot / "tokens.txt")
    (snapshot.parents[1] / "refs").mkdir()
    (snapshot.parents[1] / "refs" / "main").write_text("ab" * 20)
    from .tiny_sensevoice import tone_bursts

    tones = tmp_path / "tones.wav"
    sf.write(str(tones), tone_bursts("LH"), 16000)
    code, err = run([tones, "-o", out, "--asr", "sensevoice", "--language", "en", "--no-align"], capsys)
    assert code == 0, err
    assert "hello" in out.read_text(encoding="utf-8") and "recogniser sensevoice" in err
