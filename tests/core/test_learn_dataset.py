"""Corrected projects -> training segments (aligner_core.learn.dataset), on real saved projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner_core.learn import LearnError
from aligner_core.learn.dataset import build_dataset, read_dataset, segments_of, write_dataset
from aligner_core.messages import message_of
from aligner_core.project import load_project
from tests.core.learn_data import SENTENCES, corrected_project


def _projects(root: Path, n: int = 5, **kw) -> list[Path]:
    return [corrected_project(root / f"rec{i}", f"rec{i}", SENTENCES[i % len(SENTENCES)], seed=i, **kw) for i in range(n)]


def test_split_is_by_recording_and_stable(tmp_path):
    projects = _projects(tmp_path)
    ds = build_dataset(projects, eval_fraction=0.4)
    by_split = {"train": set(), "eval": set()}
    for line in ds.lines:
        by_split[line["split"]].add(line["recording"])
    assert len(by_split["eval"]) == 2 and len(by_split["train"]) == 3
    assert not by_split["eval"] & by_split["train"]
    again = build_dataset(list(reversed(projects)), eval_fraction=0.4)
    assert {l["recording"] for l in again.lines if l["split"] == "eval"} == by_split["eval"]


def test_verified_words_and_pseudo_labels(tmp_path):
    projects = _projects(tmp_path, n=2, locked_every=2, shift_ms=40)
    plain = build_dataset(projects, eval_fraction=0.0)
    pseudo = build_dataset(projects, eval_fraction=0.0, pseudo_labels=True)
    doc = load_project(projects[0]).document
    line = next(l for l in plain.lines if l["audio_path"].endswith("rec0.wav"))
    assert line["verified"] == [t.locked for t in doc.tokens]
    assert line["words"] == [t.text for t in doc.tokens]
    for tok, ts, v in zip(doc.tokens, line["timestamps"], line["verified"]):
        assert (ts is not None) == v
        if v:
            assert ts == [tok.start / 1000, tok.end / 1000]
    pline = next(l for l in pseudo.lines if l["audio_path"].endswith("rec0.wav"))
    assert pline["verified"] == line["verified"]
    assert all(ts == [t.start / 1000, t.end / 1000] for t, ts in zip(doc.tokens, pline["timestamps"]))
    assert line["start"] <= doc.tokens[0].start / 1000 and line["end"] >= doc.tokens[-1].end / 1000


def test_long_recordings_are_cut_at_pauses_within_the_window(tmp_path):
    text = " ".join(SENTENCES * 3)
    path = corrected_project(tmp_path / "long", "long", text, locked_every=1)
    doc = load_project(path).document
    segments = segments_of(doc.tokens, doc.duration_ms, max_s=5.0)
    assert len(segments) > 3
    assert sum(len(s["words"]) for s in segments) == len(doc.tokens)  # every word once
    for a, b in zip(segments, segments[1:]):
        assert a["end"] <= b["start"]
    for s in segments:
        assert s["end"] - s["start"] <= 5.0
        first, last = s["timestamps"][0], s["timestamps"][-1]
        assert s["start"] <= first[0] and last[1] <= s["end"]


def test_written_file_reads_back_and_bad_lines_are_named(tmp_path):
    ds = build_dataset(_projects(tmp_path, n=3), eval_fraction=0.34)
    write_dataset(ds, tmp_path / "train.jsonl")
    assert read_dataset(tmp_path / "train.jsonl") == ds.lines
    lines = (tmp_path / "train.jsonl").read_text().splitlines()
    broken = json.loads(lines[1])
    broken["timestamps"] = broken["timestamps"][:-1]
    (tmp_path / "bad.jsonl").write_text("\n".join([lines[0], json.dumps(broken)]) + "\n")
    with pytest.raises(LearnError) as info:
        read_dataset(tmp_path / "bad.jsonl")
    assert "line 2" in str(info.value) and "differ in length" in str(info.value)


def _code(exc) -> str:
    return message_of(exc).code


def test_no_verified_words_moved_audio_and_other_language_are_refused(tmp_path):
    none = _projects(tmp_path / "a", n=2, locked_every=0)
    with pytest.raises(LearnError) as info:
        build_dataset(none)
    assert _code(info.value) == "learn_no_verified"

    moved = _projects(tmp_path / "b", n=1)[0]
    wav = moved.with_suffix(".wav")
    wav.rename(wav.with_name("elsewhere.wav"))
    with pytest.raises(LearnError) as info:
        build_dataset([moved])
    assert _code(info.value) == "learn_audio_missing" and "rec0.wordsync" in str(info.value)

    replaced = _projects(tmp_path / "e", n=1)[0]
    wav = replaced.with_suffix(".wav")
    wav.write_bytes(wav.read_bytes()[:-3200])  # another cut of the recording under the same name
    with pytest.raises(LearnError) as info:
        build_dataset([replaced])
    assert _code(info.value) == "learn_audio_changed"

    en = _projects(tmp_path / "c", n=1)[0]
    fr = corrected_project(tmp_path / "d", "fr", "bonjour le monde", language="fr")
    with pytest.raises(LearnError) as info:
        build_dataset([en, fr])
    assert _code(info.value) == "learn_language_mixed"

    (tmp_path / "junk.wordsync").write_text("not json")
    with pytest.raises(LearnError) as info:
        build_dataset([tmp_path / "junk.wordsync"])
    assert _code(info.value) == "learn_not_project"
