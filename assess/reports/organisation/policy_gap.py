"""Policy vs work floor: the managers' beleidsscan next to their consultants' intake and exit.

Scales are compared on the 0-100 POMP scale, items on their own 1-5 answer points (the
beleidsscan item `mirrors:` the participant item, with the same points and keying). Since
version 2 a manager answers every mirrored item twice: what the organisation expects (the norm,
scored as "now") and how they see the consultants work now (the perception, `perception_of`,
scored as "seen"). The norm gap (expectation vs the consultants' own rating) and the perception
gap (the manager's view of current practice vs the consultants' own rating) are kept apart; a
version-1 scan has only the norm. The
managers' side is the mean over the organisation's managers who submitted a beleidsscan (it may
be one manager: it is the organisation's policy, not personal data of consultants); the
consultants' side is the organisation's released paired group (organisation/releases.py: it
changes only with at least the minimum of new participants) and is shown only when that group
meets the minimum size. Scale means are whole numbers, answer means have one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select

from assess.db import db
from assess.engine import claims, stats
from assess.engine.definition import LikertItem, Questionnaire
from assess.engine.messages import Message
from assess.engine.moments import Moment
from assess.models import Answer, Response, Role, Score, Status, User
from assess.reports.organisation import privacy, publish
from assess.reports.organisation.report import Sums, change_figures, everyone, in_group
from assess.survey.labels import scale_titles
from assess.survey.registry import Registry

POLICY_ID = "beleidsscan"
TOP_ITEMS = 5


@dataclass(frozen=True)
class GapRow:
    key: str
    title: str
    policy: float  # the norm: what the organisation expects
    intake: float | None
    exit: float | None
    is_sub: bool = False
    seen: float | None = None  # the managers' perception of how the consultants work now
    # the 95 % interval of the consultants' paired change (scales only): what "kleiner" rests on
    change_low: stats.Value | None = None
    change_high: stats.Value | None = None

    @property
    def gap_intake(self) -> float | None:
        return None if self.intake is None else abs(self.policy - self.intake)

    @property
    def gap_exit(self) -> float | None:
        return None if self.exit is None else abs(self.policy - self.exit)

    @property
    def seen_gap_intake(self) -> float | None:
        return None if self.seen is None or self.intake is None else abs(self.seen - self.intake)

    @property
    def seen_gap_exit(self) -> float | None:
        return None if self.seen is None or self.exit is None else abs(self.seen - self.exit)

    @property
    def narrowing(self) -> Message | None:
        """Whether the norm gap got smaller, larger, or cannot be told (claims.gap_change):
        never from the two point estimates alone, only from the change's interval."""
        return claims.gap_change(
            self.policy, self.intake, self.exit, self.change_low, self.change_high
        )


@dataclass(frozen=True)
class PolicyGap:
    n_managers: int
    n_consultants: int
    scales: list[GapRow]
    items: list[GapRow]
    time: list[GapRow]


def policy_questionnaire(registry: Registry) -> Questionnaire | None:
    return registry.get(POLICY_ID)


def _managers(org_id: int) -> ColumnElement[bool]:
    return (
        select(User.id)
        .where(User.organisation_id == org_id, User.role == Role.MANAGER)
        .scalar_subquery()
    )


def _policy_responses(org_id: int) -> Select[int]:
    return select(Response.id).where(
        Response.user_id.in_(_managers(org_id)),
        Response.moment == Moment.POLICY,
        Response.status == Status.SUBMITTED,
    )


def managers_submitted(org_id: int) -> int:
    return db.session.execute(
        select(func.count()).select_from(_policy_responses(org_id).subquery())
    ).scalar_one()


def policy_scale_means(org_id: int, variant: str = "now") -> dict[str, float]:
    """Mean POMP per scale: the norm ("now") or the perception ("seen")."""
    query = (
        select(Score.scale_id, func.avg(Score.pomp))
        .where(Score.response_id.in_(_policy_responses(org_id)), Score.variant == variant)
        .group_by(Score.scale_id)
    )
    return {sid: mean for sid, mean in db.session.execute(query) if mean is not None}


def policy_item_means(
    org_id: int, policy: Questionnaire, perception: bool = False
) -> dict[str, float]:
    """Mean answer per mirrored participant item id: of the norm items, or of the perception
    items (`perception_of`)."""
    mirrors = {
        i.id: i.mirrors
        for i in policy.items_by_id.values()
        if i.mirrors and (i.perception_of is not None) == perception
    }
    query = (
        select(Answer.item_id, func.avg(Answer.value))
        .where(Answer.response_id.in_(_policy_responses(org_id)), Answer.item_id.in_(list(mirrors)))
        .group_by(Answer.item_id)
    )
    return {mirrors[i]: mean for i, mean in db.session.execute(query) if mean is not None}


def floor_item_means(sums: Sums, n_group: int, minimum: int) -> dict[tuple[str, str], float]:
    """Mean answer per (moment, item) of the released group; a cell on too few is left out."""
    found = {}
    for moment, item_id in sums.times.keys():
        total = sums.times.total((moment, item_id), everyone)
        if total is None:
            continue
        n, value = total
        mean = stats.Sums.from_sql(n, value).mean
        if mean is not None and privacy.cell_ok(int(n or 0), n_group, minimum):
            found[(moment, item_id)] = mean
    return found


def floor_scale_means(sums: Sums, n_group: int, minimum: int) -> dict[tuple[str, str], float]:
    """Mean 0-100 score per (moment, scale) of the released group."""
    found = {}
    for sid, moment in sums.moments.keys():
        total = sums.moments.total((sid, moment), everyone)
        if total is None:
            continue
        _rows, n, value, _squares = total
        mean = stats.Sums.from_sql(n, value).mean
        if mean is not None and privacy.cell_ok(int(n or 0), n_group, minimum):
            found[(moment, sid)] = publish.whole(mean)
    return found


def build(
    org_id: int,
    sums: Sums,
    n_consultants: int,
    minimum: int,
    q: Questionnaire,
    policy: Questionnaire | None,
    lang: str = "nl",
) -> PolicyGap:
    """The comparison for the organisation's (already privacy-checked) released group."""
    n_managers = managers_submitted(org_id)
    if policy is None or not n_managers:
        return PolicyGap(n_managers, n_consultants, [], [], [])
    policy_scales = {sid: publish.whole(m) for sid, m in policy_scale_means(org_id).items()}
    seen_scales = {sid: publish.whole(m) for sid, m in policy_scale_means(org_id, "seen").items()}
    floor_scales = floor_scale_means(sums, n_consultants, minimum)
    changes = change_figures(sums.pairs, in_group)
    scales = [
        GapRow(
            sid,
            title,
            policy_scales[sid],
            floor_scales.get((Moment.INTAKE, sid)),
            floor_scales.get((Moment.EXIT, sid)),
            "." in sid,
            seen_scales.get(sid),
            changes[sid].ci_low if sid in changes else None,
            changes[sid].ci_high if sid in changes else None,
        )
        for sid, title in scale_titles(q, lang).items()
        if sid in policy_scales
    ]
    policy_items = policy_item_means(org_id, policy)
    seen_items = policy_item_means(org_id, policy, perception=True)
    floor_items = floor_item_means(sums, n_consultants, minimum)
    items, time = [], []
    for item_id, expected in policy_items.items():
        item = q.items_by_id.get(item_id)
        if item is None:
            continue
        # Percentages of the week as whole numbers, answers on the 1-5 points to one decimal.
        shown = publish.whole if item_id in q.time_allocation else publish.tenth
        intake = floor_items.get((Moment.INTAKE, item_id))
        exit_ = floor_items.get((Moment.EXIT, item_id))
        seen = seen_items.get(item_id)
        row = GapRow(
            item_id,
            q.item_text(item, lang),
            shown(expected),
            None if intake is None else shown(intake),
            None if exit_ is None else shown(exit_),
            seen=None if seen is None else shown(seen),
        )
        if item_id in q.time_allocation:
            time.append(row)
        elif isinstance(item, LikertItem):
            items.append(row)
    items.sort(key=lambda r: -(r.gap_intake or 0))
    return PolicyGap(n_managers, n_consultants, scales, items[:TOP_ITEMS], time)
