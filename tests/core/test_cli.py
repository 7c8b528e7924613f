"""``wordsync align``: the bundled JFK example through the command line to every format, batches,
re-timing subtitles, and the one-line errors with their exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner_core import cli
from aligner_core.formats import read_subtitles, read_word_timings

ROOT = Path(__file__).resolve().parents[2]
JFK = ROOT / "resources" / "examples" / "jfk.flac"
JFK_TXT = ROOT / "resources" / "examples" / "jfk.txt"
WORDS = JFK_TXT.read_text(encoding="utf-8").split()
DURATION_MS = 11000


def one_error_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("wordsync: error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "textgrid", "json"])
def test_jfk_to_every_format(tmp_path, capsys, fmt):
    out = tmp_path / f"jfk.{fmt}"
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "22 of 22 words aligned, 0 not aligned" in err and "RTF" in err
    assert out.exists()
    if fmt in ("json", "textgrid"):
        words = read_word_timings(out).words
        assert [w.text for w in words] == WORDS
        starts = [w.start_ms for w in words]
        assert starts == sorted(starts)
        assert all(0 <= w.start_ms <= w.end_ms <= DURATION_MS for w in words)
    else:
        cues = read_subtitles(out)
        assert " ".join(c.text.replace("\n", " ") for c in cues).split() == WORDS
        assert all(0 <= c.start_ms < c.end_ms <= DURATION_MS for c in cues)
        assert [c.start_ms for c in cues] == sorted(c.start_ms for c in cues)


def test_format_option_offset_and_argv_without_align(tmp_path, capsys):
    out = tmp_path / "words.out"
    assert cli.main([str(JFK), str(JFK_TXT), "-o", str(out), "--format", "json", "--offset", "1000", "--language", "en", "--aligner", "sphinx"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["words"]) == 22 and 1000 <= data["words"][0]["start"] * 1000 <= 1600


def test_retime_existing_subtitles(tmp_path, capsys):
    first = tmp_path / "first.srt"
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(first), "--profile", "one-line"]) == 0
    cues = read_subtitles(first)
    # shift every cue by 5 s: re-timing from the audio puts them back
    shifted = tmp_path / "shifted.srt"
    shifted.write_text(
        "\n".join(f"{k + 1}\n{_ts(c.start_ms + 5000)} --> {_ts(c.end_ms + 5000)}\n{c.text}\n" for k, c in enumerate(cues)),
        encoding="utf-8",
    )
    again = tmp_path / "again.srt"
    assert cli.main(["align", str(JFK), str(shifted), "-o", str(again)]) == 0
    retimed = read_subtitles(again)
    assert len(retimed) == len(cues)
    for a, b in zip(retimed, cues):
        assert a.text == b.text and abs(a.start_ms - b.start_ms) <= 100


def _ts(ms: int) -> str:
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def test_batch_goes_on_past_a_bad_item(tmp_path, capsys):
    (tmp_path / "media").mkdir()
    os.symlink(JFK, tmp_path / "media" / "speech.flac")
    (tmp_path / "media" / "speech.txt").write_text(JFK_TXT.read_text(encoding="utf-8"), encoding="utf-8")
    lines = [
        {"audio": "media/speech.flac", "transcript": "media/speech.txt", "language": "en", "id": "first"},
        {"audio": "media/missing.wav", "transcript": "media/speech.txt", "id": "broken"},
        {"audio": "media/speech.flac", "transcript": "media/speech.txt"},
    ]
    manifest = tmp_path / "batch.jsonl"
    manifest.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "subs"
    code = cli.main(["align", "--batch", str(manifest), "--out-dir", str(out), "--format", "vtt"])
    err = capsys.readouterr().err
    assert code == 1
    assert (out / "first.vtt").exists() and (out / "speech.vtt").exists()
    assert not (out / "broken.vtt").exists()
    assert "2 of 4 aligned; 2 failed" in err
    assert "broken:" in err and "line 4:" in err and "Traceback" not in err


def test_batch_all_good_exits_zero(tmp_path, capsys):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"audio": str(JFK), "transcript": str(JFK_TXT), "id": "jfk"}) + "\n", encoding="utf-8")
    assert cli.main(["align", "--batch", str(manifest), "--out-dir", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "jfk.srt").exists()


@pytest.mark.parametrize(
    "argv, needle",
    [
        ([], "give AUDIO and TRANSCRIPT"),
        ([str(JFK), str(JFK_TXT)], "-o OUT"),
        ([str(JFK), str(JFK_TXT), "-o", "x.docx"], "extension"),
        ([str(JFK), str(JFK_TXT), "-o", "x.srt", "--format", "mp4"], "invalid choice"),
        ([str(JFK), str(JFK_TXT), "-o", "x.srt", "--offset", "soon"], "whole milliseconds"),
        ([str(JFK), str(JFK_TXT), "-o", "x.srt", "--profile", "nope"], "unknown cue profile"),
        ([str(JFK), str(JFK_TXT), "-o", "x.srt", "--bogus"], "unrecognized arguments"),
        (["nothing.wav", str(JFK_TXT), "-o", "x.srt"], "does not exist"),
        ([str(JFK), "nothing.txt", "-o", "x.srt"], "does not exist"),
        (["--batch", "m.jsonl"], "--out-dir"),
        (["--batch", "missing.jsonl", "--out-dir", "d"], "does not exist"),
        ([str(JFK), str(JFK_TXT), "-o", "x.srt", "--language", "de", "--aligner", "sphinx"], "only knows English"),
        ([str(JFK), str(JFK_TXT), "-o", "x.json", "--emotion-tags"], "--emotion-tags is for SRT, VTT or ASS output, not JSON"),
        ([str(JFK), str(JFK_TXT), "-o", "x.TextGrid", "--no-sound-cues"], "--no-sound-cues is for SRT, VTT or ASS output, not TEXTGRID"),
        ([str(JFK), str(JFK_TXT), "-o", "x.json", "--phones", "--no-phones"], "not allowed with argument"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["align", *argv]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert needle in line


def test_unreadable_audio_is_bad_input(tmp_path, capsys):
    fake = tmp_path / "fake.wav"
    fake.write_bytes(b"this is not audio at all" * 100)
    assert cli.main(["align", str(fake), str(JFK_TXT), "-o", str(tmp_path / "x.srt")]) == 2
    one_error_line(capsys.readouterr().err)


def test_missing_qwen3_model_offline_names_the_offline_aligner(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    code = cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(tmp_path / "x.srt"), "--aligner", "qwen3"])
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert "sphinx" in line and "Qwen3" in line
    assert not (tmp_path / "x.srt").exists()


def test_help_exits_zero(capsys):
    assert cli.main(["align", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--batch" in out and "--phones" in out and "--no-phones" in out


def test_phones_follow_the_output_format_unless_asked():
    """One rule for the CLI, the batch and the server: a format that writes phones gets them."""
    assert [cli.wants_phones(f, None) for f in ("srt", "vtt", "ass", "textgrid", "json")] == [False, False, False, True, True]
    assert cli.wants_phones("srt", True) and not cli.wants_phones("json", False)


@pytest.mark.parametrize("name, flags, phones", [("w.json", [], True), ("w.TextGrid", [], True), ("w.json", ["--no-phones"], False)])
def test_word_files_carry_phones_by_default(tmp_path, capsys, name, flags, phones):
    out = tmp_path / name
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(out), *flags]) == 0
    words = read_word_timings(out).words
    assert [w.text for w in words] == WORDS
    assert all(bool(w.phones) == phones for w in words)
    if phones:
        assert all(w.phones[0].start == w.start_ms and w.phones[-1].end == w.end_ms for w in words)


def test_batch_follows_the_same_phone_rule(tmp_path, capsys):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"audio": str(JFK), "transcript": str(JFK_TXT), "id": "jfk"}) + "\n", encoding="utf-8")
    assert cli.main(["align", "--batch", str(manifest), "--out-dir", str(tmp_path / "a"), "--format", "json"]) == 0
    assert all(w.phones for w in read_word_timings(tmp_path / "a" / "jfk.json").words)
    assert cli.main(["align", "--batch", str(manifest), "--out-dir", str(tmp_path / "b"), "--format", "json", "--no-phones"]) == 0
    assert not any(w.phones for w in read_word_timings(tmp_path / "b" / "jfk.json").words)


def test_module_entry_point(tmp_path):
    out = tmp_path / "jfk.json"
    proc = subprocess.run(
        [sys.executable, "-m", "aligner_core.cli", "align", str(JFK), str(JFK_TXT), "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "22 of 22 words aligned" in proc.stderr and out.exists()
    bad = subprocess.run([sys.executable, "-m", "aligner_core.cli", "align", "--nope"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def _jfk_json_with_emotion_and_applause(tmp_path) -> Path:
    """JFK's word JSON as `align` writes it, with a recogniser's emotion on the first cue and a
    "(applause)" sound cue after the speech."""
    first = tmp_path / "first.json"
    assert cli.main(["align", str(JFK), str(JFK_TXT), "-o", str(first)]) == 0
    data = json.loads(first.read_text(encoding="utf-8"))
    data["cues"][0]["emotion"] = "HAPPY"
    data["words"].append({"word": "(applause)", "start": 10.5, "end": 10.95})
    n = len(data["words"]) - 1
    data["cues"].append({"start": 10.5, "end": 10.95, "text": "(applause)", "word_range": [n, n]})
    path = tmp_path / "drafted.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_emotion_tags_and_no_sound_cues_options(tmp_path, capsys):
    source = _jfk_json_with_emotion_and_applause(tmp_path)
    plain, tagged, speech = tmp_path / "plain.srt", tmp_path / "tagged.srt", tmp_path / "speech.srt"
    assert cli.main(["align", str(JFK), str(source), "-o", str(plain)]) == 0
    assert cli.main(["align", str(JFK), str(source), "-o", str(tagged), "--emotion-tags"]) == 0
    assert cli.main(["align", str(JFK), str(source), "-o", str(speech), "--no-sound-cues"]) == 0
    plain_cues, tagged_cues, speech_cues = (read_subtitles(p) for p in (plain, tagged, speech))
    assert plain_cues[-1].text == "(applause)" and not any("HAPPY" in c.text for c in plain_cues)
    assert plain_cues[0].emotion is None
    # the tag is in the file, and reading it back gives the emotion, not a word
    assert "[HAPPY] And so," in tagged.read_text(encoding="utf-8")
    assert tagged_cues[0].emotion == "HAPPY" and tagged_cues[0].text.startswith("And so,")
    assert tagged_cues[-1].text == "(applause)"
    assert [c.text for c in speech_cues] == [c.text for c in plain_cues[:-1]]
