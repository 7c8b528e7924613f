"""Viterbi forced alignment against a brute-force reference and on hand-made emissions."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, settings, strategies as st  # noqa: E402

from aligner_core.align.types import AlignmentError  # noqa: E402
from aligner_core.align.viterbi import (  # noqa: E402
    add_wildcard,
    build_graph,
    forced_align,
    item_spans,
    min_frames,
    path_score,
)
from aligner_core.progress import CancelToken, Cancelled  # noqa: E402

BLANK = 0


def _collapse(seq):
    out = []
    prev = None
    for lab in seq:
        if lab != prev and lab != BLANK:
            out.append(lab)
        prev = lab
    return tuple(out)


def _brute_force(log_probs: np.ndarray, items, optional):
    """Best score over every frame labelling whose CTC collapse is the target (optional items dropped or kept)."""
    num_frames, vocab = log_probs.shape
    targets = set()
    opt_idx = [i for i, o in enumerate(optional) if o]
    for r in range(len(opt_idx) + 1):
        for dropped in itertools.combinations(opt_idx, r):
            targets.add(tuple(lab for i, lab in enumerate(items) if i not in dropped))
    best, best_seq = -math.inf, None
    for seq in itertools.product(range(vocab), repeat=num_frames):
        if _collapse(seq) in targets:
            score = float(sum(log_probs[t, seq[t]] for t in range(num_frames)))
            if score > best:
                best, best_seq = score, seq
    return best, best_seq


@st.composite
def _problems(draw):
    vocab = draw(st.integers(2, 4))
    num_frames = draw(st.integers(1, 6))
    n_items = draw(st.integers(0, 3))
    items = draw(st.lists(st.integers(1, vocab - 1), min_size=n_items, max_size=n_items))
    optional = draw(st.lists(st.booleans(), min_size=n_items, max_size=n_items))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(num_frames, vocab)) * 2.0
    log_probs = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    return log_probs, items, optional


@settings(max_examples=150, deadline=None)
@given(_problems())
def test_viterbi_matches_brute_force(problem):
    log_probs, items, optional = problem
    best, _ = _brute_force(log_probs, items, optional)
    emissions = torch.from_numpy(log_probs)
    if best == -math.inf:
        with pytest.raises(AlignmentError):
            forced_align(emissions, items, BLANK, optional=optional)
        return
    path = forced_align(emissions, items, BLANK, optional=optional)
    assert path.score == pytest.approx(best, abs=1e-6)
    graph = build_graph(items, BLANK, optional)
    # The path itself is legal, scores what Viterbi says, and collapses to an allowed target.
    assert path_score(log_probs, graph, path.states) == pytest.approx(best, abs=1e-6)
    labels = [int(graph.labels[s]) for s in path.states]
    kept = tuple(lab for i, lab in enumerate(items) if item_spans(path, len(items))[i] is not None)
    assert _collapse(labels) == kept
    assert all(b >= a for a, b in zip(path.states, path.states[1:]))
    for i, (opt, span) in enumerate(zip(optional, item_spans(path, len(items)))):
        if not opt:
            assert span is not None, f"required item {i} was skipped"


def test_min_frames_counts_repeats():
    graph = build_graph([1, 1, 2, 2, 2], BLANK)
    assert min_frames(graph) == 5 + 3
    assert min_frames(build_graph([1, 3, 1], BLANK, [False, True, False])) == 3


def test_too_few_frames_is_a_clear_error():
    emissions = torch.log_softmax(torch.randn(3, 4), dim=1)
    with pytest.raises(AlignmentError, match="too short"):
        forced_align(emissions, [1, 1, 2], BLANK)


def test_memory_guard():
    emissions = torch.log_softmax(torch.randn(100, 4), dim=1)
    with pytest.raises(AlignmentError, match="shorter windows"):
        forced_align(emissions, [1, 2, 3], BLANK, max_cells=100 * 6)


def test_cancel_inside_long_viterbi():
    emissions = torch.log_softmax(torch.randn(2000, 5), dim=1)
    token = CancelToken()
    seen = []

    def progress(fraction, stage):
        seen.append(fraction)
        if fraction > 0.2:
            token.cancel()

    with pytest.raises(Cancelled):
        forced_align(emissions, [1, 2, 3, 4], BLANK, cancel=token, progress=progress, check_every=64)
    assert seen and seen[-1] < 0.5


def _synthetic(num_frames, segments, vocab=8, high=0.9):
    """Emissions: blank everywhere except ``segments`` of (first frame, label) one-frame peaks."""
    probs = np.full((num_frames, vocab), (1 - 0.97) / (vocab - 1))
    probs[:, BLANK] = 0.97
    for frame, label in segments:
        probs[frame] = (1 - high) / (vocab - 1)
        probs[frame, label] = high
    return torch.from_numpy(np.log(probs))


def test_wildcard_keeps_words_off_untranscribed_speech():
    # "a b" spoken at frames 10-12, then 40 frames of speech the transcript lacks (labels 5/6/7),
    # then "c d" at 80-82. Without the wildcard, "b" or "c" stretches over the extra speech.
    segs = [(10, 1), (12, 2)] + [(f, 5 + f % 3) for f in range(30, 70, 2)] + [(80, 3), (82, 4)]
    # Fill the untranscribed stretch fully with speech (no blank between its peaks).
    emissions = _synthetic(100, segs)
    probs = emissions.exp()
    for f in range(30, 70):
        probs[f] = 0.02 / 7
        probs[f, 5 + f % 3] = 0.98
        probs[f, BLANK] = 0.0
    emissions = torch.log(probs / probs.sum(dim=1, keepdim=True) + 1e-12)

    plain = forced_align(emissions, [1, 2, 3, 4], BLANK)
    spans_plain = item_spans(plain, 4)

    starred, star = add_wildcard(emissions, BLANK, penalty=1.5)
    items = [star, 1, 2, star, 3, 4, star]
    optional = [True, False, False, True, False, False, True]
    path = forced_align(starred, items, BLANK, optional=optional)
    spans = item_spans(path, len(items))
    b, c = spans[2], spans[4]
    assert b == (12, 13) and c == (80, 81)
    assert spans[3] is not None and spans[3][0] <= 31 and spans[3][1] >= 69
    # ...and the plain alignment really was dragged, or this test proves nothing.
    assert spans_plain[1][1] > 20 or spans_plain[2][0] < 70


def test_wildcard_does_not_eat_transcribed_speech():
    emissions = _synthetic(40, [(5, 1), (8, 2), (20, 3), (24, 4)])
    starred, star = add_wildcard(emissions, BLANK, penalty=1.5)
    items = [star, 1, 2, star, 3, 4, star]
    path = forced_align(starred, items, BLANK, optional=[True, False, False, True, False, False, True])
    spans = item_spans(path, len(items))
    assert [spans[i][0] for i in (1, 2, 4, 5)] == [5, 8, 20, 24]
    assert all(spans[i] is None for i in (0, 3, 6))


def test_runs_on_float32_and_returns_ordered_spans():
    emissions = torch.log_softmax(torch.randn(50, 6), dim=1).float()
    items = [1, 2, 2, 3, 4, 5]
    path = forced_align(emissions, items, BLANK)
    spans = item_spans(path, len(items))
    assert all(s is not None for s in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
