"""The groups a manager's report can show: all, one cohort or one half-year, privacy-checked.

Every figure of the organisation report rests on the *paired* participants: those who submitted
both the intake and the exit, as counted in the organisation's releases (releases.py). Intake average, exit average, change, reliable change, time
allocation and trend all use that one set, so switching the "moment" shown never changes who is
counted (no differencing between moments). The cohort and period filters offer only the groups
that `privacy.offered_groups` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import aliased

from assess.db import db
from assess.engine.definition import Questionnaire
from assess.engine.moments import Moment
from assess.models import Cohort, Participant, Response, Status
from assess.reports.organisation import privacy
from assess.survey.registry import Registry

ALL = "alle"


def instrument(registry: Registry) -> Questionnaire:
    """The participant questionnaire the reports are about: the one the beleidsscan mirrors."""
    policy = registry.get("beleidsscan")
    mirrored = registry.get(policy.mirrors) if policy is not None and policy.mirrors else None
    return mirrored or registry.latest("participant")[0]


def submitted(moment: str) -> ColumnElement[bool]:
    """The participant submitted this moment (a correlated EXISTS on Participant)."""
    # An alias, so the subquery never correlates with a Response of the outer query.
    r = aliased(Response)
    return exists().where(submitted_as(r, moment)).correlate(Participant)


def submitted_as(r: type[Response], moment: str) -> ColumnElement[bool]:
    """`r` is the participant's submitted response at this moment: the condition to join on.

    A participant has at most one response per moment, so joining the submitted intake and
    exit this way selects exactly the participants `paired` selects, once each.
    """
    return and_(
        r.participant_id == Participant.id, r.moment == moment, r.status == Status.SUBMITTED
    )


def paired(q: Questionnaire) -> ColumnElement[bool]:
    """Participants of cohorts on this questionnaire with intake and exit both submitted."""
    cohorts = select(Cohort.id).where(Cohort.questionnaire_id == q.id)
    return and_(
        Participant.cohort_id.in_(cohorts), submitted(Moment.INTAKE), submitted(Moment.EXIT)
    )


def half_year(day: date) -> str:
    """The key of the half-year a day falls in: "2026-1" or "2026-2"."""
    return f"{day.year}-{1 if day.month <= 6 else 2}"


def half_year_label(key: str) -> str:
    year, half = key.split("-")
    return _("1e helft %(year)s", year=year) if half == "1" else _("2e helft %(year)s", year=year)


def half_year_bounds(key: str) -> tuple[date, date]:
    year, half = (int(part) for part in key.split("-"))
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


@dataclass(frozen=True)
class Group:
    """One group the manager may choose; `n` released participants (always ≥ the minimum)."""

    key: str
    kind: str  # all | cohort | period
    label: str
    cohort_ids: frozenset[int]
    n: int
    start: date | None = None


@dataclass(frozen=True)
class Choices:
    """The offered groups of one organisation and how many paired participants it has in all."""

    groups: list[Group]
    total: int

    def get(self, key: str | None) -> Group | None:
        key = key or ALL
        return next((g for g in self.groups if g.key == key), None)

    def of_kind(self, kind: str) -> list[Group]:
        return [g for g in self.groups if g.kind == kind]


def released_cohorts(atoms: dict[int, int]) -> list[tuple[int, str, date | None, int]]:
    """(cohort id, name, start date, released participants) of the organisation's released
    cohorts (`atoms`: cohort id -> n of its release), by start date."""
    query = (
        select(Cohort.id, Cohort.name, Cohort.start_date)
        .where(Cohort.id.in_(sorted(atoms)))
        .order_by(Cohort.start_date, Cohort.id)
    )
    return [(cid, name, start, atoms[cid]) for cid, name, start in db.session.execute(query)]


def choices(atoms: dict[int, int], minimum: int) -> Choices:
    """Every group the privacy rules allow for an organisation whose released cohorts are
    `atoms` (cohort id -> released n), "all" first."""
    cohorts = released_cohorts(atoms)
    atoms = {cid: n for cid, _name, _start, n in cohorts}
    candidates: dict[str, Group] = {
        ALL: Group(ALL, "all", _("Alle cohorten"), frozenset(atoms), sum(atoms.values()))
    }
    periods: dict[str, set[int]] = {}
    for cid, _name, start, _n in cohorts:
        if start is not None:
            periods.setdefault(half_year(start), set()).add(cid)
    for key in sorted(periods):
        candidates[f"periode-{key}"] = Group(
            f"periode-{key}", "period", half_year_label(key), frozenset(periods[key]), 0
        )
    for cid, name, start, _n in cohorts:
        candidates[f"cohort-{cid}"] = Group(
            f"cohort-{cid}", "cohort", name, frozenset({cid}), 0, start
        )
    allowed = privacy.offered_groups(
        atoms, {key: g.cohort_ids for key, g in candidates.items()}, minimum
    )
    groups = [
        Group(g.key, g.kind, g.label, g.cohort_ids, allowed[key], g.start)
        for key, g in candidates.items()
        if key in allowed
    ]
    return Choices(groups, sum(atoms.values()))
