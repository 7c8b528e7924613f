"""Real corrected projects for the learning tests: tone-burst "speech" written with soundfile, words
timed on the bursts, some of them locked (verified) as a person would after correcting them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from aligner_core.document import Cue, Document
from aligner_core.project import Project, save_project
from aligner_core.text import tokenize

RATE = 16000
SENTENCES = [
    "hello world this is a tiny test",
    "the quick brown fox jumps over the lazy dog",
    "americans like numbers like forty two",
    "hello tiny world of the forced aligner",
]


def burst_recording(path: Path, n_words: int, *, seed: int = 0, word_s: float = 0.32, gap_s: float = 0.12, pause_every: int = 4) -> list[tuple[int, int]]:
    """A recording of ``n_words`` noise-modulated tone bursts; returns each burst's (start, end) in ms."""
    import soundfile as sf

    rng = np.random.default_rng(seed)
    t = 0.3
    times = []
    for k in range(n_words):
        dur = word_s * rng.uniform(0.7, 1.3)
        times.append((int(round(t * 1000)), int(round((t + dur) * 1000))))
        t += dur + gap_s + (0.6 if (k + 1) % pause_every == 0 else 0.0)
    total = t + 0.3
    audio = 0.002 * rng.standard_normal(int(total * RATE))
    for k, (a, b) in enumerate(times):
        i, j = a * RATE // 1000, b * RATE // 1000
        n = np.arange(j - i) / RATE
        freq = 180 + 40 * (k % 5)
        audio[i:j] += 0.3 * np.sin(2 * np.pi * freq * n) * (1 + 0.3 * rng.standard_normal(j - i)) * np.hanning(j - i)
    sf.write(str(path), audio.astype(np.float32), RATE)
    return times


def corrected_project(folder: Path, name: str, text: str, *, seed: int = 0, locked_every: int = 2, shift_ms: int = 0, language: str = "en") -> Path:
    """A saved project whose words sit on their bursts; every ``locked_every``-th word is locked.

    Unlocked words are ``shift_ms`` late (what an aligner got wrong and nobody corrected yet).
    """
    folder.mkdir(parents=True, exist_ok=True)
    tokens = list(tokenize(text, language))
    times = burst_recording(folder / f"{name}.wav", len(tokens), seed=seed)
    timed = []
    for k, (tok, (a, b)) in enumerate(zip(tokens, times)):
        locked = locked_every > 0 and k % locked_every == 0
        s = a if locked else a + shift_ms
        timed.append(replace(tok, start=s, end=max(s + 20, b if locked else b + shift_ms), locked=locked))
    import soundfile as sf

    duration = int(sf.info(str(folder / f"{name}.wav")).frames * 1000 // RATE)
    doc = Document(timed, [Cue(0, len(timed) - 1)], duration, language)
    path = folder / f"{name}.wordsync"
    save_project(Project(doc, audio_path=folder / f"{name}.wav", transcript_text=text), path)
    return path
