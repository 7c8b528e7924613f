"""A language model made from the transcript itself, for finding the transcript in the audio.

A recogniser that may only say the transcript's words, and strongly expects them in the
transcript's order, turns audio into a word string that is mostly the transcript where the audio
holds it, and a scatter of transcript words over anything else (untranscribed speech, music). That
is the property the anchors need (Gentle finds its ``not-found-in-audio`` words the same way): long
runs that agree with the transcript are where it is spoken.

The model is a bigram in ARPA text: every transcript bigram takes most of the probability mass
after its first word (``follow``), the rest backs off to the transcript's unigrams, so any word may
follow any other, only at a price. Probabilities need not be smoothed carefully: the model only has
to rank "the next transcript word" far above "some other transcript word".
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

__all__ = ["transcript_bigram_arpa"]


def transcript_bigram_arpa(words: Sequence[str], follow: float = 0.9) -> str:
    """ARPA text of a bigram model of ``words`` (decoder word names, in transcript order)."""
    if not words:
        raise ValueError("a language model needs at least one word")
    if not 0.0 < follow < 1.0:
        raise ValueError("follow must be between 0 and 1")
    unigrams = Counter(words)
    total = len(words)
    history = ["<s>", *words]
    bigrams = Counter(zip(history, [*words, "</s>"]))
    starts = Counter(history)
    backoff = math.log10(1.0 - follow)
    lines = ["\\data\\", f"ngram 1={len(unigrams) + 2}", f"ngram 2={len(bigrams)}", "", "\\1-grams:"]
    lines.append(f"-99 <s> {backoff:.4f}")
    lines.append(f"{math.log10(1.0 / total):.4f} </s> 0")
    for w, c in unigrams.items():
        lines.append(f"{math.log10(c / total):.4f} {w} {backoff:.4f}")
    lines += ["", "\\2-grams:"]
    for (u, v), c in bigrams.items():
        lines.append(f"{math.log10(follow * c / starts[u]):.4f} {u} {v}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
