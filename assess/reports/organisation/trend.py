"""The trend of a manager's report: intake, exit and change per main scale for every offered
cohort or half-year, each next to the same cohorts (or half-year) across the sector.

The organisation's side comes from its stored releases (organisation/releases.py), summed per
point, and passes through privacy.guard. Next to every point stands the *whole* sector benchmark
(the other corporations' released cohorts together, as in the report's table), shown when it
passes privacy.sector_ok. The sector of one cohort or half-year is not shown: one point's sector
minus another's, or the whole minus a point, or a point in two versions of the benchmark, could
rest on one other corporation (sector_batch.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.reports.organisation import privacy, publish
from assess.reports.organisation import sums as org_sums
from assess.reports.organisation.groups import Choices, Group, half_year_bounds
from assess.reports.organisation.releases import Released
from assess.reports.organisation.report import MOMENTS, Sums, collect


@dataclass(frozen=True)
class TrendPoint:
    group: Group
    values: dict[str, dict[str, privacy.Cell[float | None]]]  # scale id -> measure -> cell
    # scale id -> measure -> value (None = hidden): the whole sector, the same at every point
    sector: dict[str, dict[str, float | None]]


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
    sums = sums or collect(org_id, q, None, points(choices, kind), Released())
    main = [s.id for s in q.scales]
    own_moments = sums.moments.regroup(same, (0, 1, 2))
    own_pairs = sums.pairs.regroup(same, (0, 5, 6))
    sector = (
        _measures(
            sums.others.moments.regroup(same, (0, 1, 2)),
            sums.others.pairs.regroup(same, (0, 5, 6)),
            main,
            everywhere,
        )
        if privacy.sector_ok(sums.others.holdings(), minimum)
        else {}
    )
    hidden = {sid: {m: v for m, (_n, v) in sector.get(sid, {}).items()} for sid in main}
    # Cohorts by start date (those without one last, by key); half-years by key.
    groups = sorted(
        choices.of_kind(kind), key=lambda g: (g.start is None, g.start or date.min, g.key)
    )
    result = []
    for group in groups:
        own = _measures(own_moments, own_pairs, main, at_point(group.key))
        values = {
            sid: {
                m: privacy.guard(v, n, group.n, minimum) for m, (n, v) in own.get(sid, {}).items()
            }
            for sid in main
        }
        result.append(TrendPoint(group, values, hidden))
    return result


def same(s: org_sums.Slice) -> org_sums.Slice:
    return s


def at_point(key: str) -> org_sums.Where:
    """The slices of one trend point."""

    def where(s: org_sums.Slice) -> bool:
        return s[2] == key

    return where


def everywhere(_s: org_sums.Slice) -> bool:
    return True


def _measures(
    moments: org_sums.Sliced, pairs: org_sums.Sliced, scale_ids: list[str], where: org_sums.Where
) -> dict[str, dict[str, tuple[int, float | None]]]:
    """(n, mean) of intake, exit and change per scale over the slices `where` selects (a
    trend point, or all of them) from sums of (rows, n, sum)."""

    out: dict[str, dict[str, tuple[int, float | None]]] = {sid: {} for sid in scale_ids}
    for sid in scale_ids:
        for moment in MOMENTS:
            found = moments.total((sid, moment), where)
            if found is not None:
                scores = stats.Sums.from_sql(found[1], found[2])
                out[sid][moment] = (scores.n, publish.whole(scores.mean))
        found = pairs.total((sid,), where)
        if found is not None:
            changes = stats.Sums.from_sql(found[1], found[2])
            out[sid]["change"] = (changes.n, publish.whole(changes.mean))
    return out
