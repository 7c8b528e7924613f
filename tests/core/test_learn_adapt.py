"""The offline aligner learning boundary offsets from verified words (aligner_core.learn.adapt)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from aligner_core.document import Document, Token
from aligner_core.learn import adapt, evaluate
from aligner_core.text import tokenize

REPO = Path(__file__).resolve().parents[2]
EVAL = Path(os.environ.get("WORDSYNC_EVAL") or REPO.parent / "shared" / "eval")


def _tokens(times, locked=()):
    words = tokenize("she had your dark suit in greasy wash water", "en")
    return [replace(t, start=a, end=b, locked=i in locked) for i, (t, (a, b)) in enumerate(zip(words, times))]


TIMES = [(500, 660), (660, 900), (900, 990), (990, 1300), (1300, 1600), (1900, 2000), (2000, 2400), (2400, 2700), (3300, 3700)]


def test_boundaries_know_pauses_from_junctions():
    kinds = [(b.kind, b.left, b.right) for b in adapt.boundaries(_tokens(TIMES))]
    assert kinds[0] == ("start", None, 0)
    assert ("junction", 0, 1) in kinds and ("end", 4, None) in kinds and ("start", None, 5) in kinds
    assert kinds[-1] == ("end", 8, None)
    # every word edge is one boundary: 9 words, 3 pauses (before, in the middle twice, after)
    assert sum(b.kind == "junction" for b in adapt.boundaries(_tokens(TIMES))) == 6


def test_a_learned_offset_is_applied_and_shrunk_towards_its_parent():
    truth = _tokens(TIMES, locked=range(9))
    late = [replace(t, start=t.start + 30, end=t.end + 30, locked=False) for t in truth]
    model = adapt.fit([adapt.Example(late, truth)])
    fixed = adapt.apply(model, late)
    before = sum(abs(a.start - b.start) + abs(a.end - b.end) for a, b in zip(late, truth))
    after = sum(abs(a.start - b.start) + abs(a.end - b.end) for a, b in zip(fixed, truth))
    assert after < before / 2
    # one boundary of a kind teaches less than many: shrunk towards 0 by the prior
    one = adapt.fit([adapt.Example(late[:1], truth[:1])])
    assert 0 < one.offset(adapt.boundaries(late[:1])[0]) < 30


def test_locked_words_never_move_and_order_holds():
    truth = _tokens(TIMES, locked=range(9))
    late = [replace(t, start=t.start + 60, end=t.end + 60, locked=False) for t in truth]
    model = adapt.fit([adapt.Example(late, truth)])
    mixed = [replace(t, locked=i in (1, 5, 8)) for i, t in enumerate(late)]
    fixed = adapt.apply(model, mixed, duration_ms=4000)
    for i in (1, 5, 8):
        assert (fixed[i].start, fixed[i].end) == (mixed[i].start, mixed[i].end)
    assert fixed[2].start == mixed[2].start  # its junction with a locked word stays
    assert fixed[2].end != mixed[2].end  # its other edge was corrected
    assert Document(fixed, [], 4000, "en").problems() == []
    # a huge learned shift can not push a word across its neighbour or below the shortest word
    wild = adapt.OffsetModel({k: (500.0 * 100, 100) for b in adapt.boundaries(mixed) for k in b.keys()})
    assert Document(adapt.apply(wild, mixed, 4000), [], 4000, "en").problems() == []


def test_model_round_trips_and_damaged_files_are_refused(tmp_path):
    truth = _tokens(TIMES, locked=range(9))
    late = [replace(t, start=t.start + 30, end=t.end + 30, locked=False) for t in truth]
    model = adapt.fit([adapt.Example(late, truth)])
    adapt.save_model(model, tmp_path / "m")
    assert adapt.load_model(tmp_path / "m").stats == model.stats
    (tmp_path / "m" / "adaptation.json").write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError):
        adapt.load_model(tmp_path / "m")


def test_the_aligner_uses_an_adaptation_folder_as_model_and_keeps_locked_words(tmp_path):
    import numpy as np

    from aligner_core.align.api import AlignRequest, align
    from aligner_core.align.registry import choose

    from aligner_core.audio import decode

    audio = decode(REPO / "resources" / "examples" / "jfk.flac", envelope=False).samples[: 4 * 16000]
    words = list(tokenize("And so my fellow Americans", "en"))
    plain = align(AlignRequest(tuple(words), audio, aligner="sphinx"))
    # a model that learned every boundary is 40 ms early
    model = adapt.OffsetModel({"start": (-40.0 * 50, 50), "end": (-40.0 * 50, 50), "junction": (-40.0 * 50, 50)})
    adapt.save_model(model, tmp_path / "adapted")
    assert choose("auto", "en", str(tmp_path / "adapted")).aligner == "sphinx"
    adapted = align(AlignRequest(tuple(words), audio, aligner="auto", model=str(tmp_path / "adapted")))
    moved = [b.start - a.start for a, b in zip(plain.timings, adapted.timings) if a.start is not None]
    assert np.median(moved) > 20  # later, as the model says
    locked = [replace(t, start=p.start, end=p.end, locked=(i == 2)) for i, (t, p) in enumerate(zip(words, plain.timings))]
    kept = align(AlignRequest(tuple(locked), audio, aligner="sphinx", model=str(tmp_path / "adapted")))
    assert (kept.timings[2].start, kept.timings[2].end) == (locked[2].start, locked[2].end)


@pytest.mark.skipif(not (EVAL / "timit_dev").is_dir(), reason="../shared/eval/timit_dev is not here")
def test_timit_dev_learning_from_five_utterances_improves_the_other_five():
    sys.path.insert(0, str(REPO / "bench"))
    import adapt as bench_adapt  # bench/adapt.py

    report = bench_adapt.run(EVAL / "timit_dev", swap=True)
    for fold in report["folds"]:
        before, after = fold["before"]["all"], fold["after"]["all"]
        assert fold["learned_boundaries"] > 300
        assert after["mean_ms"] < before["mean_ms"], fold["fold"]
        assert fold["after"]["matched_words"] == fold["before"]["matched_words"]


@pytest.mark.skipif(not (EVAL / "timit_dev").is_dir(), reason="../shared/eval/timit_dev is not here")
def test_evaluate_matches_the_reference_scorer_on_timit(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("reference_score", EVAL / "score.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    folder = EVAL / "timit_dev"
    rng = __import__("random").Random(0)
    files = []
    for gold in sorted(folder.glob("*.json"))[:12]:
        words = json.loads(gold.read_text())
        pred = []
        for k, w in enumerate(words):
            if k % 7 == 3:
                continue  # a missing word
            text = w["word"].upper() + ("," if k % 5 == 0 else "")
            if k % 11 == 4 and k + 1 < len(words):  # a hyphenated pair on the prediction side
                text = f"{w['word']}-{words[k + 1]['word']}"
            pred.append({"word": text, "start": w["start"] + rng.uniform(-0.08, 0.08), "end": w["end"] + rng.uniform(-0.08, 0.08)})
        path = tmp_path / gold.name
        path.write_text(json.dumps(pred))
        files.append((gold.stem, str(gold), str(path)))
    expected, _ = reference.score_pairs(files)
    got = evaluate.score((u, evaluate.load_words(g), evaluate.load_words(p)) for u, g, p in files).result
    assert got == expected
    assert evaluate.format_report(got) == reference.format_report(expected)
