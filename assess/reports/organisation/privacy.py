"""The minimum group size: the one place that decides whether a figure may be shown to a manager.

Rules (AVG/GDPR: a manager must never be able to single out a participant):

1. A figure rests on at least `minimum` participants (`MIN_GROUP_SIZE`, default 5, never below 3).
2. No differencing. The groups a manager can choose (all, one cohort, one half-year period) are
   unions of cohorts. Cohorts smaller than the minimum are glued into one hidden block; when that
   block holds 1..minimum-1 people, the smallest visible cohort joins it until it holds 0 or at
   least `minimum`. A group is offered only when it is a union of whole blocks (it holds the hidden
   block entirely or not at all). Then every set one can compute from two or more offered groups
   (A minus B, A minus B minus C …) is again a union of blocks: empty or at least `minimum`.
3. The complement rule: a filtered group is shown only when the rest of the organisation outside it
   is 0 or at least `minimum` (this follows from 2 and is checked explicitly as well).
4. The sector benchmark holds only the *other* corporations (so "sector minus own" is nothing
   to compute) and is shown only when at least SECTOR_OTHERS of them take part and none supplies
   more than half of their participants: a (1, 50) dominance rule with corporations as the
   contributors, so no manager reads one other corporation's result through the benchmark.
5. Across time: every figure comes from releases (releases.py), which change only with at
   least `minimum` new participants; the sector benchmark moves on only in batches that rest
   on at least SECTOR_OTHERS other corporations, none over DOMINANCE of the change
   (sector_batch.py), so two of its versions do not give one corporation's figures away.

The functions below are pure (numbers and sets in, numbers and sets out); the caller passes the
configured minimum (assess/manager/pages.py reads it from the app's config).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask_babel import gettext as _

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)
V = TypeVar("V", covariant=True)  # a Cell of a Change is a Cell of an object
T = TypeVar("T")

SUPPRESSED_SHORT = "< min"


def reason(minimum: int) -> str:
    """Why a cell is empty, in Dutch."""
    return _("minder dan %(n)d deelnemers: niet getoond om herleidbaarheid te voorkomen", n=minimum)


def may_show(n: int, minimum: int) -> bool:
    """A figure may rest on n participants."""
    return n >= minimum


def complement_ok(n_group: int, n_total: int, minimum: int) -> bool:
    """The rest of the whole outside the group is empty or big enough to be shown itself."""
    rest = n_total - n_group
    return rest == 0 or rest >= minimum


def cell_ok(n_cell: int, n_group: int, minimum: int) -> bool:
    """A figure of a shown group on n_cell of its n_group participants (some may lack a score)."""
    return may_show(n_cell, minimum) and complement_ok(n_cell, n_group, minimum)


SECTOR_OTHERS = 3  # other corporations a sector benchmark needs at least
DOMINANCE = 0.5  # the largest of them supplies at most this share of their participants


def sector_ok(holdings: list[int], minimum: int) -> bool:
    """The other corporations' participants (one number per corporation) may be shown as a
    sector benchmark: enough corporations, enough people, and none dominates."""
    present = [n for n in holdings if n > 0]
    total = sum(present)
    return (
        len(present) >= SECTOR_OTHERS
        and may_show(total, minimum)
        and max(present) <= DOMINANCE * total
    )


def hidden_block(atoms: Mapping[K, int], minimum: int) -> frozenset[K]:
    """The atoms (cohorts) glued into one block that no offered group may cut through.

    Starts with every non-empty atom below the minimum; while the block holds 1..minimum-1
    participants, the smallest remaining atom joins it.
    """
    present = {k: n for k, n in atoms.items() if n > 0}
    block = {k for k, n in present.items() if n < minimum}
    rest = sorted((k for k in present if k not in block), key=lambda k: (present[k], str(k)))
    while 0 < sum(present[k] for k in block) < minimum and rest:
        block.add(rest.pop(0))
    return frozenset(block)


def offered_groups(
    atoms: Mapping[K, int], groups: Mapping[G, frozenset[K]], minimum: int
) -> dict[G, int]:
    """The groups that may be offered as a filter, with their sizes (insertion order kept).

    `atoms` are disjoint (participants per cohort), `groups` unions of atoms.
    """
    block = hidden_block(atoms, minimum)
    total = sum(n for n in atoms.values() if n > 0)
    shown: dict[G, int] = {}
    for key, members in groups.items():
        size = sum(atoms.get(k, 0) for k in members)
        inside = block & members
        if inside and inside != block:
            continue  # the group would cut the hidden block: differencing could isolate it
        if may_show(size, minimum) and complement_ok(size, total, minimum):
            shown[key] = size
    return shown


@dataclass(frozen=True)
class Cell(Generic[V]):
    """One figure for a manager: the value, or None with the reason it is not shown."""

    value: V | None
    n: int
    hidden_reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.hidden_reason is None


def guard(value: T, n: int, n_group: int, minimum: int) -> Cell[T]:
    """Wrap a figure: hidden (with the Dutch reason) when it rests on too few participants."""
    if cell_ok(n, n_group, minimum):
        return Cell(value, n)
    return Cell(None, n, reason(minimum))
