"""The manager's "Weekpuls": the mean planned-work share per week of the course, summed over
the organisation's stored releases (organisation/releases.py, `pulses` of each atom).

Like every other manager figure it is a sum of releases, never live answers: between releases
it does not change. Weeks are numbered per cohort from the week of its first pulse, so week 2
of one cohort is summed with week 2 of another whatever their dates. A week is shown only when
its total rests on at least the minimum group size of answers (each atom already stores a week
only from that many, so this holds also when the minimum was raised after a release).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from assess.engine import stats
from assess.reports.organisation import privacy, publish
from assess.reports.organisation.releases import Atom


@dataclass(frozen=True)
class Week:
    index: int  # 1: the week of a cohort's first pulse
    planned: privacy.Cell[float | None]  # mean planned share (0-100), whole percent


def weeks(atoms: Iterable[Atom], minimum: int) -> list[Week]:
    """Per course week in the released pulse sums: the mean planned share, hidden below the
    minimum. Atoms stored before pulse sums existed (format 1) add nothing."""
    totals: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for atom in atoms:
        for index, n, total, _squares in atom.payload.get("pulses", []):
            totals[int(index)][0] += n
            totals[int(index)][1] += total
    out = []
    # Every week up to the last released one, so the axis has no holes: a week without released
    # sums is shown as hidden.
    for index in range(1, max(totals, default=0) + 1):
        n, total = totals.get(index, (0, 0.0))
        mean = publish.whole(stats.Sums.from_sql(n, total).mean)
        out.append(Week(index, privacy.guard(mean, int(n), int(n), minimum)))
    return out


def shown(found: list[Week]) -> bool:
    """Anything to show at all."""
    return any(w.planned.shown for w in found)
