"""The figures of a manager's organisation report, each next to the sector benchmark.

Every figure is a sum of stored releases (organisation/releases.py), never of live data: the
organisation's released cohorts, split into slices (organisation/sums.py) for the chosen group
and every trend point, next to the released cohorts of the *other* corporations (the sector
benchmark never includes the manager's own corporation, so "sector minus own" is nothing new).
Means, intervals and effect sizes follow from those sums by the engine's rules
(assess/engine/stats/sums.py) and are rounded to what a manager needs (publish.py). Every
figure passes through privacy.guard, the sector through privacy.sector_ok (dominance).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from assess.db import db
from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.engine.messages import Message
from assess.engine.moments import Moment
from assess.models import Cohort
from assess.reports.organisation import privacy, publish
from assess.reports.organisation import sums as org_sums
from assess.reports.organisation.groups import Group
from assess.reports.organisation.releases import Atom, Released, fetch
from assess.reports.organisation.sums import Sliced
from assess.survey.labels import scale_titles

MOMENTS = org_sums.MOMENTS


@dataclass(frozen=True)
class Side:
    """Released sums of one side: the organisation's (slices (1, in group, point)) or the
    other corporations' (slices (0, 0, point))."""

    counts: Sliced
    moments: Sliced  # (scale, moment): rows, n, sum, sum of squares
    pairs: Sliced  # (scale,): as sums.pair_sums
    items: Sliced  # (moment, item): n, sum
    # Released participants per corporation and trend point (None: in no point).
    holders: dict[int, dict[str | None, int]] = field(default_factory=dict)

    def holdings(self, point: str | None = None, every_point: bool = True) -> list[int]:
        """Participants per corporation, over all points or at one point."""
        return [
            sum(per.values()) if every_point else per.get(point, 0) for per in self.holders.values()
        ]


@dataclass(frozen=True)
class Sums:
    """The released sums for one page: the organisation's slices and the other corporations'."""

    own: Side
    others: Side
    updated: datetime | None  # when the organisation's figures last changed

    @property
    def counts(self) -> Sliced:
        return self.own.counts

    @property
    def moments(self) -> Sliced:
        return self.own.moments

    @property
    def pairs(self) -> Sliced:
        return self.own.pairs

    @property
    def times(self) -> Sliced:
        return self.own.items


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
    sector_n: int  # participants of the other corporations (0 when not shown)
    sector_shown: bool
    updated: datetime | None = None  # when these figures were released

    @property
    def main_rows(self) -> list[ScaleRow]:
        return [r for r in self.rows if not r.is_sub]


def starts(atoms: Iterable[Atom]) -> dict[int, date | None]:
    """The start date of each released cohort (read live: a moved cohort moves its point)."""
    ids = sorted({a.cohort_id for a in atoms})
    query = select(Cohort.id, Cohort.start_date).where(Cohort.id.in_(ids))
    return {cid: start for cid, start in db.session.execute(query)}


def point_of(atoms: Iterable[Atom], points: list[org_sums.Point]) -> dict[int, str]:
    """Which trend point each released cohort falls in."""
    atoms = list(atoms)
    found = {cid: p.key for p in points for cid in p.cohort_ids}
    periods = [(p.key, p.between) for p in points if p.between is not None]
    if periods:
        for cid, start in starts(atoms).items():
            for key, (first, last) in periods:
                if start is not None and first <= start <= last:
                    found[cid] = key
    return found


def side(atoms: list[Atom], where: Any) -> Side:
    """The sums of released atoms, each put in the slice `where(atom)` gives."""
    counts, moments, pairs, items = Sliced(), Sliced(), Sliced(), Sliced()
    holders: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for atom in atoms:
        at: org_sums.Slice = where(atom)
        counts.put((), at, (atom.n,))
        holders[atom.organisation_id][at[2] if isinstance(at[2], str) else None] += atom.n
        for target, rows, keys in (
            (moments, atom.payload["moments"], 2),
            (pairs, atom.payload["pairs"], 1),
            (items, atom.payload["items"], 2),
        ):
            for row in rows:
                target.put(tuple(row[:keys]), at, tuple(row[keys:]))
    return Side(counts, moments, pairs, items, {k: dict(v) for k, v in holders.items()})


def collect(
    org_id: int,
    q: Questionnaire,
    group: Group | None,
    points: list[org_sums.Point],
    released: Released,
) -> Sums:
    """Everything the report of one group and one trend needs, from the stored releases."""
    mine, theirs = released.of(org_id), released.others(org_id)
    point = point_of([*mine, *theirs], points)
    members = group.cohort_ids if group else frozenset()
    key = (str(db.engine.url), released.state(), org_id, frozenset(point.items()))
    others = _OTHERS.get(key)
    if others is None:
        others = merged(parts(theirs, point))
        _OTHERS[key] = others
        while len(_OTHERS) > OTHERS_KEPT:
            _OTHERS.popitem(last=False)
    else:
        _OTHERS.move_to_end(key)
    fetch(mine)
    return Sums(
        side(mine, lambda a: (1, int(a.cohort_id in members), point.get(a.cohort_id))),
        others,
        released.updated(org_id),
    )


# The other corporations' side of a report, per process: summing every other corporation's
# released atoms is most of a report's work at sector scale (2,000 atoms of 100 rows at 100
# corporations), and it changes only with a release. Keyed by which releases there are (each
# new release of an atom has a new time), the organisation and the trend points, so a new
# release, a moved cohort or another trend misses and is summed anew from the database; a
# process that holds nothing gives the same page. Per key it is a few slices of sums, no person.
_OTHERS: OrderedDict[tuple[object, ...], Side] = OrderedDict()
OTHERS_KEPT = 256


# Each corporation's released atoms summed into the other corporations' slices, per process:
# the others' side of any report is the sum of these parts, and a release changes only its own
# corporation's part. So the first report after a release sums one corporation's atoms anew
# (and its payloads are the only ones read and decoded), not all 2,000 of the sector's, which
# took about a second at 20,000 participants (benchmarks/report_curve.py). Keyed by the
# corporation's releases (a new release has a new id and time) and its cohorts' trend points.
_PARTS: OrderedDict[tuple[object, ...], Side] = OrderedDict()
PARTS_KEPT = 4096


def parts(atoms: list[Atom], point: dict[int, str]) -> list[Side]:
    """Per corporation (in the order of `atoms`), its atoms summed in the slices
    (0, 0, trend point): kept ones reused, the others summed from the database."""
    by_org: dict[int, list[Atom]] = defaultdict(list)
    for atom in atoms:
        by_org[atom.organisation_id].append(atom)
    keys = {
        org: (
            str(db.engine.url),
            org,
            # as in Released.state(): ids alone repeat in a database made anew or restored
            tuple((a.release_id, a.cohort_id, a.n, a.released_at.isoformat()) for a in own),
            tuple(point.get(a.cohort_id) for a in own),
        )
        for org, own in by_org.items()
    }
    missing = [org for org, key in keys.items() if key not in _PARTS]
    fetch([a for org in missing for a in by_org[org]])
    for org in missing:
        _PARTS[keys[org]] = side(by_org[org], lambda a: (0, 0, point.get(a.cohort_id)))
    found = []
    for key in keys.values():
        _PARTS.move_to_end(key)
        found.append(_PARTS[key])
    while len(_PARTS) > max(PARTS_KEPT, len(keys)):
        _PARTS.popitem(last=False)
    return found


def merged(sides: list[Side]) -> Side:
    """The sums of several sides of different corporations."""
    total = Side(Sliced(), Sliced(), Sliced(), Sliced(), {})
    for part in sides:
        for into, sums in (
            (total.counts, part.counts),
            (total.moments, part.moments),
            (total.pairs, part.pairs),
            (total.items, part.items),
        ):
            for key, slices in sums.by_key.items():
                for where, values in slices.items():
                    into.put(key, where, values)
        total.holders.update(part.holders)
    return total


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
    sums = sums or collect(org_id, q, group, [], Released())
    sector_n = count(sums.others.counts, everyone)
    sector_shown = privacy.sector_ok(sums.others.holdings(), minimum)
    own = change_figures(sums.pairs, in_group)
    theirs = change_figures(sums.others.pairs, everyone) if sector_shown else {}
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
    return OrgReport(
        group, minimum, rows, time_rows, sector_n if sector_shown else 0, sector_shown, sums.updated
    )


def empty_change() -> Change:
    none = stats.NotComputable(Message("stats.no_pairs"))
    return Change(0, None, None, none, none, none, none, none, none)


def change_figures(pairs: org_sums.Sliced, where: org_sums.Where) -> dict[str, Change]:
    """Per scale: n, intake and exit means, change with interval, d_z and g_av, and the share who
    improved by more than the reliable-change threshold (Jacobson & Truax 1991), from the
    released sums over the paired scores of the slices `where` selects, rounded for
    publication (publish.py).
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
            int(up) / change.n
            if up is not None and change.n
            else stats.NotComputable(Message("stats.no_reliability"))
        )
        result[sid] = Change(
            change.n,
            publish.whole(stats.Sums.from_sql(n_pre, sum_pre).mean),
            publish.whole(stats.Sums.from_sql(n_post, sum_post).mean),
            publish.whole(change.mean_diff),
            publish.tenth(change.ci_low),
            publish.tenth(change.ci_high),
            publish.hundredth(change.d_z),
            publish.hundredth(share),
            publish.hundredth(g_av),
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
            result[(moment, item_id)] = (answers.n, publish.whole(answers.mean))
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
    theirs = time_means(sums.others.items, everyone) if sector_shown else {}
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
