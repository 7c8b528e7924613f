"""A TextGrid's other tiers as the document's annotation tiers (:class:`~aligner_core.document.Tier`).

Tiers a TextGrid has besides its words, phones and cues are a researcher's own layers: they come
in as annotation tiers, as the export wrote them. Praat allows what the document does not keep
apart, so the import repairs it and says so: empty intervals (the padding Praat needs) are not
items, points at the same time keep the first, points outside the audio are left out and intervals
clipped to it, and a tier whose name is taken (by another tier, or by the words', phones' or
cues') gets a number.
"""

from __future__ import annotations

from typing import Sequence

from ..document import Annotation, Tier, tier_name_problem
from . import textgrid


def annotation_tiers(tiers: Sequence[textgrid.Tier], duration_ms: int | None, warnings: list[str]) -> list[Tier]:
    out: list[Tier] = []
    for tg in tiers:
        points = tg.kind == "TextTier"
        name = " ".join(tg.name.split()) or "tier"
        base, n = name, 1
        while tier_name_problem(name, [t.name for t in out]) is not None:
            n += 1
            name = f"{base} ({n})"
        if name != tg.name:
            warnings.append(f"tier {tg.name!r} was renamed {name!r} (the name is taken or not usable)")
        items: list[Annotation] = []
        dropped = 0
        for iv in tg.intervals:
            if not iv.text.strip():
                continue  # Praat's padding between intervals
            start, end = max(0, iv.start_ms), iv.end_ms if duration_ms is None else min(iv.end_ms, duration_ms)
            if (points and (iv.start_ms != start or start > end or (items and items[-1].start >= start))) or (not points and end <= start):
                dropped += 1
                continue
            items.append(Annotation(start, start if points else end, iv.text))
        if dropped:
            warnings.append(f"tier {tg.name!r}: {dropped} item(s) outside the audio or at the same time as another were left out")
        out.append(Tier(name, tuple(items), points))
    return out
