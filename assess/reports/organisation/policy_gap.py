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
consultants' side is the organisation's paired group and is shown only when that group meets
the minimum size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select

from assess.db import db
from assess.engine.definition import LikertItem, Questionnaire
from assess.engine.moments import Moment
from assess.models import Answer, Participant, Response, Role, Score, Status, User
from assess.reports.organisation.report import MOMENTS
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
    def narrows(self) -> bool | None:
        """True when the course brought the consultants closer to the policy."""
        if self.gap_intake is None or self.gap_exit is None:
            return None
        return self.gap_exit < self.gap_intake


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


def floor_item_means(
    condition: ColumnElement[bool], item_ids: list[str]
) -> dict[tuple[str, str], float]:
    query = (
        select(Response.moment, Answer.item_id, func.avg(Answer.value))
        .join(Response, Answer.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            condition,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(MOMENTS),
            Answer.item_id.in_(item_ids),
        )
        .group_by(Response.moment, Answer.item_id)
    )
    return {(m, i): mean for m, i, mean in db.session.execute(query) if mean is not None}


def floor_scale_means(condition: ColumnElement[bool]) -> dict[tuple[str, str], float]:
    query = (
        select(Response.moment, Score.scale_id, func.avg(Score.pomp))
        .join(Response, Score.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            condition,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(MOMENTS),
            Score.variant == "now",
        )
        .group_by(Response.moment, Score.scale_id)
    )
    return {(m, s): mean for m, s, mean in db.session.execute(query) if mean is not None}


def build(
    org_id: int,
    condition: ColumnElement[bool],
    n_consultants: int,
    q: Questionnaire,
    policy: Questionnaire | None,
    lang: str = "nl",
) -> PolicyGap:
    """The comparison for the organisation's (already privacy-checked) paired group."""
    n_managers = managers_submitted(org_id)
    if policy is None or not n_managers:
        return PolicyGap(n_managers, n_consultants, [], [], [])
    policy_scales = policy_scale_means(org_id)
    seen_scales = policy_scale_means(org_id, "seen")
    floor_scales = floor_scale_means(condition)
    scales = [
        GapRow(
            sid,
            title,
            policy_scales[sid],
            floor_scales.get((Moment.INTAKE, sid)),
            floor_scales.get((Moment.EXIT, sid)),
            "." in sid,
            seen_scales.get(sid),
        )
        for sid, title in scale_titles(q, lang).items()
        if sid in policy_scales
    ]
    policy_items = policy_item_means(org_id, policy)
    seen_items = policy_item_means(org_id, policy, perception=True)
    floor_items = floor_item_means(condition, list(policy_items))
    items, time = [], []
    for item_id, expected in policy_items.items():
        item = q.items_by_id.get(item_id)
        if item is None:
            continue
        row = GapRow(
            item_id,
            q.item_text(item, lang),
            expected,
            floor_items.get((Moment.INTAKE, item_id)),
            floor_items.get((Moment.EXIT, item_id)),
            seen=seen_items.get(item_id),
        )
        if item_id in q.time_allocation:
            time.append(row)
        elif isinstance(item, LikertItem):
            items.append(row)
    items.sort(key=lambda r: -(r.gap_intake or 0))
    return PolicyGap(n_managers, n_consultants, scales, items[:TOP_ITEMS], time)
