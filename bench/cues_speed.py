"""Time cue segmentation of long documents (30,000 English words; 30,000 Chinese characters).

Run: .venv/bin/python bench/cues_speed.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner_core.cues import check_cues, get_profile, segment  # noqa: E402
from aligner_core.document import Break, Document, Token  # noqa: E402

VOCAB = "the of and to a in that is was he for it with as his on be at by I this had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people".split()


def english(n: int, seed: int = 0) -> Document:
    rnd = random.Random(seed)
    tokens, t = [], 0
    for i in range(n):
        word = rnd.choice(VOCAB)
        r = rnd.random()
        text = word + ("." if r < 0.07 else "," if r < 0.15 else "")
        dur = 120 + 45 * len(word)
        brk = Break.PARAGRAPH if i and rnd.random() < 0.002 else Break.NONE
        tokens.append(Token(text, start=t, end=t + dur, brk=brk))
        t += dur + (rnd.choice([0, 0, 30, 250, 700]) if text[-1] in ".," else rnd.choice([0, 0, 0, 20, 120]))
    return Document(tokens, [], t + 1000, "en")


def chinese(n: int, seed: int = 0) -> Document:
    rnd = random.Random(seed)
    tokens, t = [], 0
    for i in range(n):
        ch = chr(0x4E00 + rnd.randrange(2000))
        if i and rnd.random() < 0.08:
            tokens.append(Token(rnd.choice("，。"), sep=""))
        tokens.append(Token(ch, start=t, end=t + 180, sep=""))
        t += 180 + rnd.choice([0, 0, 0, 40, 300])
    return Document(tokens, [], t + 1000, "zh-Hans")


def timed(doc: Document, profile: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    cues = segment(doc, get_profile(profile))
    return time.perf_counter() - t0, len(cues)


def main() -> None:
    for name, doc, profile in (
        ("30,000 English words, netflix-en", english(30_000), "netflix-en"),
        ("30,000 English words, general", english(30_000), "general"),
        ("30,000 Chinese characters, netflix-zh-hans", chinese(30_000), "netflix-zh-hans"),
    ):
        secs, n = min(timed(doc, profile) for _ in range(3))
        doc.cues = segment(doc, get_profile(profile))
        t0 = time.perf_counter()
        violations = check_cues(doc, get_profile(profile))
        check = time.perf_counter() - t0
        print(f"{name}: segment {secs * 1000:.0f} ms -> {n} cues; check_cues {check * 1000:.0f} ms ({len(violations)} violations)")


if __name__ == "__main__":
    main()
