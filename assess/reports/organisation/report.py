"""The figures of a manager's organisation report, each next to the sector benchmark.

The database sums the paired scores once per page, split into slices (organisation/sums.py):
the organisation, the chosen group and every trend point, next to the rest of the sector's
stored sums (organisation/sector.py). Means, intervals and effect sizes follow from those sums
by the engine's rules (assess/engine/stats/sums.py), reliable-change shares from the sector's
thresholds. Every figure passes through privacy.guard, so none rests on fewer participants
than the minimum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from assess.db import db
from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.engine.messages import Message
from assess.engine.moments import Moment
from assess.models import Cohort
from assess.reports.organisation import privacy
from assess.reports.organisation import sector as sector_summary
from assess.reports.organisation import sums as org_sums
from assess.reports.organisation.groups import Group
from assess.survey.labels import scale_titles

MOMENTS = org_sums.MOMENTS


@dataclass(frozen=True)
class Sums:
    """The database's sums for one page: the organisation's slices and the sector's."""

    counts: org_sums.Sliced
    moments: org_sums.Sliced
    pairs: org_sums.Sliced
    times: org_sums.Sliced
    sector: sector_summary.Sector
    point_of: dict[int, str]  # cohort id -> trend point, for the sector's side of the trend

    @property
    def reliability(self) -> dict[str, stats.Value]:
        return self.sector.reliability

    def known(self, scale_id: str) -> bool:
        """The scale has a reliable-change threshold."""
        return stats.is_computable(self.sector.thresholds.get(scale_id, NO_THRESHOLD))


NO_THRESHOLD = stats.NotComputable(Message("stats.no_reliability"))


@dataclass(frozen=True)
class Change:
    """Intake-to-exit figures of one scale for one group of paired participants (0-100 scale)."""

    n: int
    mean_pre: float | None
    mean_post: float | None
    mean_diff: stats.Value
    ci_low: stats.Value
    ci_high: stats.Value
    d_z: stats.Value
    share_improved: stats.Value
    # Hedges' g_av (Lakens' correction): the effect size the words "small/medium/large" go with
    g_av: stats.Value


@dataclass(frozen=True)
class ScaleRow:
    scale_id: str
    title: str
    is_sub: bool
    change: privacy.Cell[Change]
    improved: privacy.Cell[stats.Value]  # share (0..1) of reliably improved participants
    sector: Change | None


@dataclass(frozen=True)
class TimeRow:
    item_id: str
    title: str
    intake: privacy.Cell[float | None]
    exit: privacy.Cell[float | None]
    sector_intake: float | None
    sector_exit: float | None


@dataclass
class OrgReport:
    group: Group
    minimum: int
    rows: list[ScaleRow]
    time_rows: list[TimeRow]
    sector_n: int
    sector_shown: bool
    reliability: dict[str, stats.Value] = field(default_factory=dict)

    @property
    def main_rows(self) -> list[ScaleRow]:
        return [r for r in self.rows if not r.is_sub]


def collect(
    org_id: int, q: Questionnaire, group: Group | None, points: list[org_sums.Point]
) -> Sums:
    """Everything the report of one group and one trend needs: the sector's stored sums and
    the organisation's, in a few grouped queries over its own participants.
    """
    sector = sector_summary.load(q)
    slicing = org_sums.Slicing(q, org_id, group.cohort_ids if group else (), points)
    return Sums(
        org_sums.counts(slicing),
        org_sums.moment_sums(slicing),
        org_sums.pair_sums(slicing, sector.thresholds),
        org_sums.time_sums(slicing, list(q.time_allocation)),
        sector,
        point_of(q, points),
    )


def point_of(q: Questionnaire, points: list[org_sums.Point]) -> dict[int, str]:
    """Which trend point each cohort of the sector falls in (start dates read live)."""
    found = {cid: p.key for p in points for cid in p.cohort_ids}
    periods = [(p.key, p.between) for p in points if p.between is not None]
    if periods:
        low = min(first for _key, (first, _last) in periods)
        high = max(last for _key, (_first, last) in periods)
        cohorts = db.session.execute(
            select(Cohort.id, Cohort.start_date).where(
                Cohort.questionnaire_id == q.id, Cohort.start_date.between(low, high)
            )
        )
        for cid, start in cohorts:
            for key, (first, last) in periods:
                if start is not None and first <= start <= last:
                    found[cid] = key
    return found


def everyone(_slice: org_sums.Slice) -> bool:
    return True


def in_group(s: org_sums.Slice) -> bool:
    return s[1] == 1


def count(counts: org_sums.Sliced, where: org_sums.Where) -> int:
    found = counts.total((), where)
    return int(found[0] or 0) if found else 0


def build(
    org_id: int,
    group: Group,
    q: Questionnaire,
    minimum: int,
    lang: str = "nl",
    sums: Sums | None = None,
) -> OrgReport:
    """The organisation report for one offered group."""
    sums = sums or collect(org_id, q, group, [])
    sector_n = sums.sector.n
    own_n = count(sums.counts, everyone)
    sector_shown = privacy.benchmark_ok(sector_n, own_n, minimum)
    own = change_figures(sums, sums.pairs, in_group)
    theirs = change_figures(sums, sums.sector.pairs, everyone) if sector_shown else {}
    rows = []
    for scale_id, title in scale_titles(q, lang).items():
        change = own.get(scale_id) or empty_change()
        rows.append(
            ScaleRow(
                scale_id,
                title,
                "." in scale_id,
                privacy.guard(change, change.n, group.n, minimum),
                privacy.guard(change.share_improved, change.n, group.n, minimum),
                theirs.get(scale_id),
            )
        )
    time_rows = time_allocation(sums, q, group.n, minimum, sector_shown, lang)
    return OrgReport(group, minimum, rows, time_rows, sector_n, sector_shown, sums.reliability)


def empty_change() -> Change:
    none = stats.NotComputable(Message("stats.no_pairs"))
    return Change(0, None, None, none, none, none, none, none, none)


def change_figures(sums: Sums, pairs: org_sums.Sliced, where: org_sums.Where) -> dict[str, Change]:
    """Per scale: n, intake and exit means, change with interval, d_z and g_av, and the share who
    improved by more than the reliable-change threshold (Jacobson & Truax 1991), from the
    database's sums over the paired scores of the slices `where` selects.
    """
    result: dict[str, Change] = {}
    for (sid,) in pairs.keys():
        found = pairs.total((sid,), where)
        if found is None:
            continue
        _rows, n_pre, sum_pre, n_post, sum_post, n, total, squares, up, sq_pre, sq_post = found
        change = stats.change_from_sums(stats.Sums.from_sql(n, total, squares))
        _d_av, g_av = stats.effect_from_sums(
            stats.Sums.from_sql(n_pre, sum_pre, sq_pre),
            stats.Sums.from_sql(n_post, sum_post, sq_post),
            stats.Sums.from_sql(n, total, squares),
        )
        share: stats.Value = (
            int(up or 0) / change.n
            if sums.known(sid) and change.n
            else stats.NotComputable(Message("stats.no_reliability"))
        )
        result[sid] = Change(
            change.n,
            stats.Sums.from_sql(n_pre, sum_pre).mean,
            stats.Sums.from_sql(n_post, sum_post).mean,
            change.mean_diff,
            change.ci_low,
            change.ci_high,
            change.d_z,
            share,
            g_av,
        )
    return result


def time_means(
    times: org_sums.Sliced, where: org_sums.Where
) -> dict[tuple[str, str], tuple[int, float | None]]:
    """(n, mean) of each time-allocation item per moment over the slices `where` selects."""
    result: dict[tuple[str, str], tuple[int, float | None]] = {}
    for moment, item_id in times.keys():
        found = times.total((moment, item_id), where)
        if found is not None:
            n, total = found
            answers = stats.Sums.from_sql(n, total)
            result[(moment, item_id)] = (answers.n, answers.mean)
    return result


def time_allocation(
    sums: Sums,
    q: Questionnaire,
    n_group: int,
    minimum: int,
    sector_shown: bool,
    lang: str,
) -> list[TimeRow]:
    """Share of the week per kind of work (reactive vs planned) at intake and exit."""
    ids = list(q.time_allocation)
    own = time_means(sums.times, in_group)
    theirs = time_means(sums.sector.times, everyone) if sector_shown else {}
    rows = []
    for item_id in ids:
        item = q.items_by_id[item_id]
        cells = {}
        for moment in MOMENTS:
            n, mean = own.get((moment, item_id), (0, None))
            cells[moment] = privacy.guard(mean, n, n_group, minimum)
        rows.append(
            TimeRow(
                item_id,
                q.item_text(item, lang),
                cells[Moment.INTAKE],
                cells[Moment.EXIT],
                theirs.get((Moment.INTAKE, item_id), (0, None))[1],
                theirs.get((Moment.EXIT, item_id), (0, None))[1],
            )
        )
    return rows
