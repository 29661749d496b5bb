"""The trend of a manager's report: intake, exit and change per main scale for every offered
cohort or half-year, each next to the same cohorts (or half-year) across the sector.

The organisation's side comes from its own sums per trend point (a slice of
organisation/sums.py); the sector's from the stored per-cohort sums (organisation/sector.py),
added up per point. A point's figures pass
through privacy.guard, and the sector's are shown only when others than the organisation
number at least the minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.reports.organisation import privacy
from assess.reports.organisation import sums as org_sums
from assess.reports.organisation.groups import Choices, Group, half_year_bounds
from assess.reports.organisation.report import MOMENTS, Sums, collect, count


@dataclass(frozen=True)
class TrendPoint:
    group: Group
    values: dict[str, dict[str, privacy.Cell[float | None]]]  # scale id -> measure -> cell
    sector: dict[str, dict[str, float | None]]  # scale id -> measure -> value (None = hidden)


def points(choices: Choices, kind: str) -> list[org_sums.Point]:
    """The trend's points as slices: each offered cohort, or each offered half-year."""
    return [
        org_sums.Point(g.key, between=half_year_bounds(g.key.removeprefix("periode-")))
        if g.kind == "period"
        else org_sums.Point(g.key, cohort_ids=g.cohort_ids)
        for g in choices.of_kind(kind)
    ]


def trend(
    org_id: int,
    choices: Choices,
    kind: str,
    q: Questionnaire,
    minimum: int,
    sums: Sums | None = None,
) -> list[TrendPoint]:
    """Intake, exit and change per main scale for every offered cohort or half-year."""
    sums = sums or collect(org_id, q, None, points(choices, kind))
    main = [s.id for s in q.scales]
    own_moments = sums.moments.regroup(same, (0, 1, 2))
    own_pairs = sums.pairs.regroup(same, (0, 5, 6))

    def sector_point(s: org_sums.Slice) -> org_sums.Slice | None:
        key = sums.point_of.get(s[2]) if isinstance(s[2], int) else None
        return None if key is None else (0, 0, key)

    sector_counts, sector_moments, sector_pairs = sums.sector.per_point(sector_point)
    # Cohorts by start date (those without one last, by key); half-years by key.
    groups = sorted(
        choices.of_kind(kind), key=lambda g: (g.start is None, g.start or date.min, g.key)
    )
    result = []
    for group in groups:
        own = _measures(own_moments, own_pairs, main, group.key)
        sector_n = count(sector_counts, at_point(group.key))
        sector = (
            _measures(sector_moments, sector_pairs, main, group.key)
            if privacy.benchmark_ok(sector_n, group.n, minimum)
            else {}
        )
        values = {
            sid: {
                m: privacy.guard(v, n, group.n, minimum) for m, (n, v) in own.get(sid, {}).items()
            }
            for sid in main
        }
        hidden = {sid: {m: v for m, (_n, v) in sector.get(sid, {}).items()} for sid in main}
        result.append(TrendPoint(group, values, hidden))
    return result


def same(s: org_sums.Slice) -> org_sums.Slice:
    return s


def at_point(key: str) -> org_sums.Where:
    """The slices of one trend point."""

    def where(s: org_sums.Slice) -> bool:
        return s[2] == key

    return where


def _measures(
    moments: org_sums.Sliced, pairs: org_sums.Sliced, scale_ids: list[str], key: str
) -> dict[str, dict[str, tuple[int, float | None]]]:
    """(n, mean) of intake, exit and change per scale at one trend point (rows, n, sum)."""

    out: dict[str, dict[str, tuple[int, float | None]]] = {sid: {} for sid in scale_ids}
    for sid in scale_ids:
        for moment in MOMENTS:
            found = moments.total((sid, moment), at_point(key))
            if found is not None:
                scores = stats.Sums.from_sql(found[1], found[2])
                out[sid][moment] = (scores.n, scores.mean)
        found = pairs.total((sid,), at_point(key))
        if found is not None:
            changes = stats.Sums.from_sql(found[1], found[2])
            out[sid]["change"] = (changes.n, changes.mean)
    return out
