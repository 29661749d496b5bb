"""Reverse keying: how the answer to a Likert item counts towards its scale.

A reverse-keyed item states the opposite of its scale ("Ik neem elk telefoontje meteen op" on
*nee zeggen*), so its answer is mirrored on the scale's points before it counts: on the points
low..high, a value v counts as (low + high) - v. A retrospective ("then") item is keyed as the
item it looks back on. Scoring, the simulated answers, the cohort report's alpha and the SQL
behind the sector's alpha all key answers with this module; `Keying.apply` works on numbers and
on SQL expressions alike, so the database sums exactly what the engine would compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Self, TypeVar

from assess.engine.definition import LikertItem, Questionnaire


class Mirrorable(Protocol):
    """A value that `int - value` is defined for, of the same kind: a number or an expression."""

    def __rsub__(self, other: int, /) -> Self: ...


M = TypeVar("M", bound=Mirrorable)


def reverse_key(value: M, lo: int, hi: int) -> M:
    """Reverse-key a value on the points lo..hi: (lo + hi) - value (an involution)."""
    return (lo + hi) - value


@dataclass(frozen=True, slots=True)
class Keying:
    """How the answers to one item count: as given, or mirrored on the points low..high."""

    reverse: bool
    low: int
    high: int

    def apply(self, value: M) -> M:
        """The value as it counts towards the scale."""
        return reverse_key(value, self.low, self.high) if self.reverse else value


def keying(q: Questionnaire, item: LikertItem) -> Keying:
    """The keying of an item's answers: on its own points, reversed as the item it looks back
    on when it is retrospective. The definition's checks keep every item of a scale on the
    scale's points, so these are the bounds scoring mirrors on as well.
    """
    keyed = item
    source = item.retrospective_of or item.perception_of
    if source is not None:
        original = q.items_by_id.get(source)
        if isinstance(original, LikertItem):
            keyed = original
    points = q.points_for(item)
    return Keying(keyed.reverse, points.min, points.max)
