"""Invertible edits of a document's annotation tiers (:class:`~aligner_core.document.Tier`).

Tiers are independent of words and cues, so these edits swap the tier list as a whole (tiers
and their items are immutable values: the swap shares all untouched ones) and report
``Changed(tiers=True)``. Each edit is checked before anything changes and refuses with one
sentence (a :class:`~aligner_core.messages.Message`).
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from .document import Annotation, Document, Tier, tier_name_problem
from .edits import Changed, Edit, EditError, _internal
from .messages import msg

__all__ = ["AddTier", "RemoveTier", "RenameTier", "AddAnnotation", "SetAnnotation", "DeleteAnnotation", "annotation_at"]


class _TierEdit(Edit):
    """Base: subclasses return the new tier list from :meth:`_tiers` (raising EditError to refuse)."""

    def __init__(self) -> None:
        super().__init__()
        self._old: list[Tier] | None = None

    def apply(self, doc: Document) -> Changed:
        if self._old is not None:
            raise _internal(f"{self.description}: already applied")
        new = self._tiers(doc)
        self._old, doc.tiers = doc.tiers, new
        doc.revision += 1
        return Changed(tiers=True)

    def revert(self, doc: Document) -> Changed:
        if self._old is None:
            raise _internal(f"{self.description}: not applied")
        doc.tiers, self._old = self._old, None
        doc.revision += 1
        return Changed(tiers=True)

    @property
    def applied(self) -> bool:
        return self._old is not None

    def _tiers(self, doc: Document) -> list[Tier]:  # pragma: no cover - abstract
        raise NotImplementedError


def _tier(doc: Document, index: int) -> Tier:
    if not 0 <= index < len(doc.tiers):
        raise _internal(f"tier {index} does not exist (there are {len(doc.tiers)})")
    return doc.tiers[index]


def _check_name(doc: Document, name: str, skip: int | None = None) -> None:
    problem = tier_name_problem(name, [t.name for k, t in enumerate(doc.tiers) if k != skip])
    if problem is not None:
        raise EditError(problem)


class AddTier(_TierEdit):
    """A new, empty tier named ``name`` at the end (an interval tier, or a point tier)."""

    description = "Add tier"

    def __init__(self, name: str, points: bool = False):
        super().__init__()
        self.name, self.points = name, points

    def _tiers(self, doc: Document) -> list[Tier]:
        _check_name(doc, self.name)
        return [*doc.tiers, Tier(self.name, (), self.points)]


class RemoveTier(_TierEdit):
    description = "Remove tier"

    def __init__(self, index: int):
        super().__init__()
        self.index = index

    def _tiers(self, doc: Document) -> list[Tier]:
        _tier(doc, self.index)
        return doc.tiers[: self.index] + doc.tiers[self.index + 1 :]


class RenameTier(_TierEdit):
    description = "Rename tier"

    def __init__(self, index: int, name: str):
        super().__init__()
        self.index, self.name = index, name

    def _tiers(self, doc: Document) -> list[Tier]:
        tier = _tier(doc, self.index)
        _check_name(doc, self.name, skip=self.index)
        return doc.tiers[: self.index] + [replace(tier, name=self.name)] + doc.tiers[self.index + 1 :]


def _placed(doc: Document, tier: Tier, items: list[Annotation], item: Annotation) -> list[Annotation]:
    """``items`` (the tier's others, ordered) with ``item`` in its place, or EditError."""
    if tier.points:
        item = replace(item, end=item.start)
    elif item.end <= item.start:
        raise EditError(msg("tier_interval_empty"))
    if item.start < 0 or (doc.duration_ms is not None and item.end > doc.duration_ms):
        raise EditError(msg("tier_item_outside", start=item.start, end=item.end))
    k = bisect.bisect_left(items, item.start, key=_start)
    before, after = items[k - 1] if k else None, items[k] if k < len(items) else None
    if tier.points:
        clash = (before is not None and before.start == item.start) or (after is not None and after.start == item.start)
    else:
        clash = (before is not None and before.end > item.start) or (after is not None and after.start < item.end)
    if clash:
        raise EditError(msg("tier_item_overlaps", start=item.start, end=item.end, tier=tier.name))
    return items[:k] + [item] + items[k:]


def _start(a: Annotation) -> int:
    return a.start


def _with_items(doc: Document, index: int, items: list[Annotation]) -> list[Tier]:
    return doc.tiers[:index] + [replace(doc.tiers[index], items=tuple(items))] + doc.tiers[index + 1 :]


class AddAnnotation(_TierEdit):
    """An interval ``start..end`` (a point at ``start`` on a point tier) labelled ``label``."""

    description = "Add interval"

    def __init__(self, tier: int, start: int, end: int, label: str = ""):
        super().__init__()
        self.tier, self.item = tier, Annotation(int(start), int(end), label)

    def _tiers(self, doc: Document) -> list[Tier]:
        tier = _tier(doc, self.tier)
        return _with_items(doc, self.tier, _placed(doc, tier, list(tier.items), self.item))


class SetAnnotation(_TierEdit):
    """Item ``item`` of tier ``tier`` gets a new label, and new times where given."""

    description = "Edit interval"

    def __init__(self, tier: int, item: int, label: str, start: int | None = None, end: int | None = None):
        super().__init__()
        self.tier, self.item, self.label, self.start, self.end = tier, item, label, start, end

    def _tiers(self, doc: Document) -> list[Tier]:
        tier = _tier(doc, self.tier)
        if not 0 <= self.item < len(tier.items):
            raise _internal(f"tier {tier.name!r} has no item {self.item}")
        old = tier.items[self.item]
        new = Annotation(old.start if self.start is None else int(self.start), old.end if self.end is None else int(self.end), self.label)
        others = list(tier.items[: self.item] + tier.items[self.item + 1 :])
        return _with_items(doc, self.tier, _placed(doc, tier, others, new))


class DeleteAnnotation(_TierEdit):
    description = "Delete interval"

    def __init__(self, tier: int, item: int):
        super().__init__()
        self.tier, self.item = tier, item

    def _tiers(self, doc: Document) -> list[Tier]:
        tier = _tier(doc, self.tier)
        if not 0 <= self.item < len(tier.items):
            raise _internal(f"tier {tier.name!r} has no item {self.item}")
        return _with_items(doc, self.tier, list(tier.items[: self.item] + tier.items[self.item + 1 :]))


def annotation_at(tier: Tier, ms: float) -> int | None:
    """The index of the tier's interval holding ``ms`` (a point tier: the point nearest to it)."""
    items = tier.items
    if not items:
        return None
    k = bisect.bisect_right(items, ms, key=_start) - 1  # asked on every playhead step: no list built
    if tier.points:
        near = [j for j in (k, k + 1) if 0 <= j < len(items)]
        return min(near, key=lambda j: abs(items[j].start - ms))
    return k if k >= 0 and tier.items[k].start <= ms < tier.items[k].end else None
