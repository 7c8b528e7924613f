"""CTC forced alignment by Viterbi, written in torch so it runs on the GPU when there is one.

A chain of plain functions (as in the torchaudio tutorial and ctc-forced-aligner):
``log_probs (T, V)`` + target ``items`` --:func:`forced_align`--> one state per frame -->
:func:`item_spans` --> frames of each item.

The state graph is CTC's (blank, item, blank, item, ..., blank) with one addition: items may be
*optional* (the ``<star>`` wildcard that soaks up audio the transcript lacks), so a path may skip
them. Moves go from state ``s`` to ``s + k`` for ``k`` in ``0..K`` when every state jumped over is
optional (blanks always are) and the move does not join two equal labels with nothing between
them (which CTC's collapse would merge into one).

Memory is one byte of back-pointer per frame and state (``T * S``), so a guard refuses inputs
past ``max_cells`` with an :class:`AlignmentError` that tells the caller to use shorter windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ..progress import CancelToken, ProgressCallback, Stage
from .types import AlignmentError

if TYPE_CHECKING:  # pragma: no cover
    import torch

#: Default limit on frames x states: 1 GiB of back-pointers.
DEFAULT_MAX_CELLS = 1 << 30

_NEG = float("-inf")


@dataclass(frozen=True)
class StateGraph:
    """The expanded CTC states of a target: ``labels[s]`` is the emission column of state ``s``."""

    labels: np.ndarray  # (S,) int64
    optional: np.ndarray  # (S,) bool: blanks and optional items may be skipped
    allowed: np.ndarray  # (K + 1, S) bool: allowed[k, s] == the move s - k -> s is legal
    starts: np.ndarray  # (S,) bool: states a path may begin in
    ends: np.ndarray  # (S,) bool: states a path may end in

    @property
    def num_states(self) -> int:
        return int(self.labels.shape[0])

    @property
    def max_jump(self) -> int:
        return int(self.allowed.shape[0]) - 1


@dataclass(frozen=True)
class AlignmentPath:
    """The best path: ``states[t]`` is the state of frame ``t``; ``score`` its total log-probability."""

    states: np.ndarray  # (T,) int64, non-decreasing
    score: float


def build_graph(items: Sequence[int], blank: int, optional: Sequence[bool] | None = None) -> StateGraph:
    """Expand target ``items`` (emission columns) into CTC states ``blank, item0, blank, item1, ..., blank``."""
    n = len(items)
    opt_items = [False] * n if optional is None else [bool(o) for o in optional]
    if len(opt_items) != n:
        raise ValueError("optional must have one flag per item")
    if any(int(i) == blank for i in items):
        raise ValueError("items must not contain the blank label")
    size = 2 * n + 1
    labels = np.full(size, blank, dtype=np.int64)
    optional_states = np.ones(size, dtype=bool)
    for i, (label, opt) in enumerate(zip(items, opt_items)):
        labels[2 * i + 1] = int(label)
        optional_states[2 * i + 1] = opt

    required = np.flatnonzero(~optional_states)
    # The farthest move jumps from a state to the next required one (or over the optional tail).
    max_jump = 1
    nxt = size  # index of the next required state at or after s
    for s in range(size - 1, -1, -1):
        if s + 1 < size and not optional_states[s + 1]:
            nxt = s + 1
        max_jump = max(max_jump, min(nxt, size - 1) - s)
    allowed = np.zeros((max_jump + 1, size), dtype=bool)
    allowed[0, :] = True
    for s in range(size):
        for k in range(1, max_jump + 1):
            p = s - k
            if p < 0:
                break
            if k > 1 and not optional_states[p + 1 : s].all():
                break
            if labels[p] == labels[s] and labels[s] != blank:
                continue
            allowed[k, s] = True
    first_req = int(required[0]) if required.size else size - 1
    last_req = int(required[-1]) if required.size else 0
    starts = np.arange(size) <= first_req
    ends = np.arange(size) >= last_req
    return StateGraph(labels, optional_states, allowed, starts, ends)


def min_frames(graph: StateGraph) -> int:
    """The fewest frames any path through ``graph`` needs (required items plus blanks between equal ones)."""
    req = graph.labels[~graph.optional]
    if req.size == 0:
        return 1
    return int(req.size + np.count_nonzero(req[1:] == req[:-1]))


def forced_align(
    log_probs: "torch.Tensor",
    items: Sequence[int],
    blank: int,
    *,
    optional: Sequence[bool] | None = None,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
    check_every: int = 256,
) -> AlignmentPath:
    """Best CTC path of ``items`` through ``log_probs`` (T, V), on the tensor's device.

    ``progress(fraction, "viterbi")`` and the cancel check run every ``check_every`` frames.
    Raises :class:`AlignmentError` when no path exists (too few frames) or the input is past
    ``max_cells`` frames x states.
    """
    graph = build_graph(items, blank, optional)
    return viterbi(log_probs, graph, cancel=cancel, progress=progress, max_cells=max_cells, check_every=check_every)


def viterbi(
    log_probs: "torch.Tensor",
    graph: StateGraph,
    *,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
    check_every: int = 256,
) -> AlignmentPath:
    """Viterbi over an expanded :class:`StateGraph`; see :func:`forced_align`."""
    import torch

    if log_probs.dim() != 2:
        raise ValueError("log_probs must have shape (frames, vocabulary)")
    num_frames = int(log_probs.shape[0])
    size = graph.num_states
    if num_frames * size > max_cells:
        raise AlignmentError(
            f"This stretch is too long for one alignment pass ({num_frames} frames x {size} states); "
            "align it in shorter windows."
        )
    needed = min_frames(graph)
    if num_frames < needed:
        raise AlignmentError(
            f"The audio is too short for its transcript ({num_frames} frames for at least {needed}); "
            "give this window more audio or fewer words."
        )

    device = log_probs.device
    work_dtype = torch.float64 if device.type == "cpu" else torch.float32
    emissions = log_probs.to(work_dtype)
    labels = torch.as_tensor(graph.labels, device=device)
    jumps = graph.max_jump
    bias = torch.where(
        torch.as_tensor(graph.allowed, device=device),
        torch.zeros((), dtype=work_dtype, device=device),
        torch.full((), _NEG, dtype=work_dtype, device=device),
    )  # (K + 1, S)
    back = torch.zeros((num_frames, size), dtype=torch.uint8, device=device)
    start_bias = torch.where(
        torch.as_tensor(graph.starts, device=device),
        torch.zeros((), dtype=work_dtype, device=device),
        torch.full((), _NEG, dtype=work_dtype, device=device),
    )

    # Each step is a handful of small ops: thread hand-offs cost more than they save (10x slower
    # on a busy 2-core machine), so the CPU loop runs on one thread and restores the setting.
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(1)
    try:
        score = _forward(emissions, labels, bias, start_bias, back, jumps, cancel, progress, max(1, check_every))
    finally:
        if device.type == "cpu":
            torch.set_num_threads(threads)

    final = score + torch.where(
        torch.as_tensor(graph.ends, device=device),
        torch.zeros((), dtype=work_dtype, device=device),
        torch.full((), _NEG, dtype=work_dtype, device=device),
    )
    total, last = final.max(dim=0)
    total_f = float(total)
    if not np.isfinite(total_f):
        raise AlignmentError("No alignment path fits this audio and transcript; give this window more audio.")

    back_np = back.cpu().numpy()
    states = np.empty(num_frames, dtype=np.int64)
    s = int(last)
    for t in range(num_frames - 1, -1, -1):
        states[t] = s
        s -= int(back_np[t, s])
    if progress is not None:
        progress(1.0, Stage("stage_viterbi"))
    return AlignmentPath(states=states, score=total_f)


def _forward(emissions, labels, bias, start_bias, back, jumps, cancel, progress, block):
    """The Viterbi recursion; fills ``back`` and returns the last frame's scores."""
    import torch

    num_frames, size = back.shape
    padded = torch.full((size + jumps,), _NEG, dtype=emissions.dtype, device=emissions.device)
    gathered = emissions[0:block].index_select(1, labels)
    score = gathered[0] + start_bias
    for t in range(1, num_frames):
        if t % block == 0:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if progress is not None:
                progress(t / num_frames, Stage("stage_viterbi"))
            gathered = emissions[t : t + block].index_select(1, labels)
        padded[jumps:] = score
        # candidates[k, s] = score[s - k]; unfold gives windows padded[j : j + S] == shift by K - j.
        candidates = padded.unfold(0, size, 1).flip(0) + bias
        best, arg = candidates.max(dim=0)
        back[t] = arg.to(torch.uint8)
        score = best + gathered[t % block]
    return score


def item_spans(path: AlignmentPath | np.ndarray, num_items: int) -> list[tuple[int, int] | None]:
    """Frames ``[first, last + 1)`` each item occupies on the path; ``None`` for a skipped optional item."""
    states = path.states if isinstance(path, AlignmentPath) else np.asarray(path)
    spans: list[tuple[int, int] | None] = []
    for i in range(num_items):
        s = 2 * i + 1
        lo = int(np.searchsorted(states, s, side="left"))
        hi = int(np.searchsorted(states, s, side="right"))
        spans.append((lo, hi) if hi > lo else None)
    return spans


def path_score(log_probs: np.ndarray, graph: StateGraph, states: Sequence[int]) -> float:
    """Score of a given state path (``-inf`` if it breaks the graph's rules); for tests and checks."""
    lp = np.asarray(log_probs, dtype=np.float64)
    states = [int(s) for s in states]
    if not states or not graph.starts[states[0]] or not graph.ends[states[-1]]:
        return _NEG
    total = lp[0, graph.labels[states[0]]]
    for t in range(1, len(states)):
        k = states[t] - states[t - 1]
        if k < 0 or k > graph.max_jump or not graph.allowed[k, states[t]]:
            return _NEG
        total += lp[t, graph.labels[states[t]]]
    return float(total)


def add_wildcard(
    log_probs: "torch.Tensor", blank: int, penalty: float, exclude: Sequence[int] = ()
) -> tuple["torch.Tensor", int]:
    """Append a ``<star>`` column: "some speech the transcript does not name is here".

    Its log-probability is ``log P(not blank) - penalty`` (special tokens in ``exclude`` do not
    count as speech). In silence blank wins; over transcribed speech the right characters beat
    the penalised wildcard; over untranscribed speech the wildcard beats both blanks and the
    neighbouring words' characters, so those words are not dragged across it. (ctc-forced-aligner
    gives its star a flat log-probability of 0, which only works at the edges of a transcript.)
    Returns the widened tensor and the star's column index.
    """
    import torch

    keep = torch.ones(log_probs.shape[1], dtype=torch.bool, device=log_probs.device)
    keep[blank] = False
    for idx in exclude:
        if 0 <= int(idx) < keep.numel():
            keep[int(idx)] = False
    speech = torch.logsumexp(log_probs[:, keep], dim=1, keepdim=True) - float(penalty)
    return torch.cat([log_probs, speech.to(log_probs.dtype)], dim=1), int(log_probs.shape[1])
