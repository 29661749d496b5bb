"""Releases: the managers' figures are published, not read live.

A minimum group size protects a group at one moment, not across moments: a manager who reads
a mean of 5 people today and of 6 people tomorrow knows the sixth person's score
(6 x new - 5 x old). Statistics offices call this *disclosure by differencing* and answer it
by publishing in releases whose successive tables differ only by groups that are themselves
safe to publish. What we follow, and where it comes from:

- Minimum frequency rule (threshold rule): a published cell rests on at least k
  contributors; k is MIN_GROUP_SIZE. Hundepool et al., *Handbook on Statistical Disclosure
  Control*, 2nd ed. (2024), ch. 4 (magnitude tables, sensitivity rules); Bond, Brandt & de
  Wolf, *Guidelines for the checking of output based on microdata research* (Eurostat, 2015),
  "threshold rule" and "differencing".
- Differencing across releases (linked tables in time): the handbook's rule that a new table
  must not be derivable from an old one by subtraction unless the difference is itself a
  publishable cell. Here the unit of release is one *atom*: one organisation's paired
  participants (intake and exit submitted) in one cohort. An atom's sums are stored in a
  `report_release` row and replaced only when at least k participants who were not counted
  in any release have arrived. The difference between two releases of an atom is then "at
  least k new people minus whoever was erased" - never one person.
- Membership is sticky: who was released in an atom stays in it when moved to another cohort
  or organisation (see `placed`). Atoms thus never share a person, and each atom's releases
  form a chain in which every new person arrives in a block of at least k who appear together
  in every later release; no sum or difference of published figures isolates one person
  (checked by the attacker property test, tests/manager/test_differencing_attack.py).
- Every figure a manager sees (groups, trend points, the sector, the policy page, the XLSX,
  the pulse weeks) is a sum of stored atom releases; nothing is read live, so between
  releases nothing a manager can see changes, whatever is submitted, erased or moved. An
  atom below k is never released, so it is not counted anywhere (a small cohort waits until
  it holds k people).
- Erasure (AVG art. 17) deletes the person's answers and scores at once and their row in
  `release_member`; the released sums are anonymous and stay until the atom's next release
  recomputes them without the person (the handbook's view of published aggregates).
- Window close: the brief allowed a release when a cohort's window closes with at least k
  people. A closing cohort that gained fewer than k people since its last release would then
  publish those few by differencing, so a closed cohort is released by the same rule: its
  first release once it holds k people, later ones only with k new.
- Rescoring keeps the releases (a new scoring reaches the managers with the next release of
  each atom); clearing them would release atoms with fewer than k new people at once.
- Weekly pulses (the manager's "Weekpuls"): a release also stores, per pulse week of the
  atom's cohort that had closed, the sums of the planned-work share its members answered
  (`pulse_sums`). Answers to a closed week never change, so a week's sums can change only by
  members who were not counted in it yet; a week is (re)computed only when at least k such
  answers have come, otherwise the atom's next release carries its stored sums over
  unchanged (a week first appears with at least k answers). Then, as for the scales, the
  difference between two releases of a week is at least k answers minus whoever was erased.
  An erased person's answer leaves a carried-over week's anonymous sums only when the week is
  next recomputed. A week that closes after an atom's last release waits for its next one
  (a release is made for k new paired people, never for pulse answers alone).
- The dominance rule for the sector benchmark lives in privacy.sector_ok: at least three
  other corporations and none of them more than half of their participants, the (1, 50)
  (n, k)-dominance rule of the handbook with corporations as the contributors. That rule
  protects one version of the benchmark; across versions the corporations are protected as
  people are here: the benchmark sums its own copies of the releases, and they move on only
  in batches that rest on at least three other corporations with none over half
  (sector_batch.py).

Releases are made lazily, when a manager's report is read (`refresh`), or from cron with
`flask --app assess release`. `refresh` reads what is due in the request's transaction and
writes the new releases in a short transaction of its own (`write`), so the lead's GET-write
mechanism can wrap that one function. Two processes that release the same atom at once: the
second one's write finds the release it started from gone and leaves the atom alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, NotRequired, TypedDict

from sqlalchemy import Select, and_, delete, exists, func, insert, join, select
from sqlalchemy.exc import IntegrityError, OperationalError

from assess import clock
from assess.db import db, end_reads, write_phase
from assess.engine import pulse as engine_pulse
from assess.engine import stats
from assess.engine.definition import Questionnaire
from assess.models import (
    Cohort,
    Participant,
    Pulse,
    PulseAnswer,
    PulseResponse,
    Release,
    ReleaseMember,
    SectorRelease,
    utcnow,
)
from assess.reports.organisation import sector as sector_summary
from assess.reports.organisation import sums as org_sums
from assess.reports.organisation.groups import instrument, paired
from assess.survey.registry import Registry

# 2: with `pulses`. A format-1 payload has none: its atom shows no pulse weeks until its
# next release.
FORMAT = 2
log = logging.getLogger(__name__)


class Payload(TypedDict):
    """One atom's sums as stored: rows of key columns followed by value columns."""

    format: int
    moments: list[list[Any]]  # scale, moment: rows, n, sum, sum of squares
    pairs: list[list[Any]]  # scale: as sums.pair_sums (improved None: no threshold)
    items: list[list[Any]]  # moment, item: n, sum (time allocation and mirrored items)
    # week of the course (1: the week of the cohort's first pulse): n, sum, sum of squares of
    # the planned-work share (0-100), over the members who answered that closed week
    pulses: NotRequired[list[list[Any]]]
    # how many people entered or left the atom's sums over all its releases (added plus
    # erased or gone, release by release): the sector benchmark weighs a corporation's part in
    # a change by it (sector_batch.py). Missing in older payloads: then n.
    churn: NotRequired[int]


@dataclass(eq=False)
class Atom:
    """One stored release: an organisation's paired participants in one cohort."""

    organisation_id: int
    cohort_id: int
    n: int
    released_at: datetime
    release_id: int = 0  # of its report_release row, or of its sector_release copy
    # The payload as stored (JSON): read by `fetch` and decoded only for the atoms summed.
    stored: str | None = field(default=None, compare=False)
    copy: bool = False  # the sector benchmark's copy (sector_batch.py), not a live release

    @cached_property
    def payload(self) -> Payload:
        if self.stored is None:
            raise LookupError(f"the payload of release {self.release_id} was not fetched")
        decoded: Payload = json.loads(self.stored)
        return decoded


@dataclass(frozen=True)
class Due:
    """An atom whose live participants include at least k not counted in its release."""

    organisation_id: int
    cohort_id: int
    release_id: int | None  # the release it replaces (None: the first)


@dataclass
class Released:
    """Every stored release of a questionnaire."""

    atoms: list[Atom] = field(default_factory=list)
    # The sector benchmark's copies of the releases (sector_batch.py): it moves on in batches.
    sector: list[Atom] = field(default_factory=list)

    def of(self, org_id: int) -> list[Atom]:
        return [a for a in self.atoms if a.organisation_id == org_id]

    def others(self, org_id: int) -> list[Atom]:
        """The other corporations' atoms as the sector benchmark counts them."""
        return [a for a in self.sector if a.organisation_id != org_id]

    def state(self) -> str:
        """Which releases these are, as a digest: a new release of an atom has a new time."""
        seen = [
            (a.copy, a.organisation_id, a.cohort_id, a.n, a.released_at.isoformat())
            for a in (*self.atoms, *self.sector)
        ]
        return hashlib.sha256(repr(seen).encode()).hexdigest()

    def updated(self, org_id: int) -> datetime | None:
        """When the organisation's figures last changed."""
        return max((a.released_at for a in self.of(org_id)), default=None)


def placed(q: Questionnaire) -> Select[int, int, int, int]:
    """Every paired participant with the atom they count in: (organisation, cohort,
    participant, release id or None).

    Membership is sticky: someone counted in a release stays in that atom (their live answers
    are summed there at its next release) even when they move to another cohort or
    organisation. Were they summed in their new atom instead, the old atom's next release
    would drop them and differencing the two releases with the new atom's could isolate them.
    Someone not yet released counts in their own organisation and cohort.
    """
    return (
        select(
            func.coalesce(Release.organisation_id, Participant.organisation_id).label("org"),
            func.coalesce(Release.cohort_id, Participant.cohort_id).label("cohort"),
            Participant.id.label("participant"),
            Release.id.label("release"),
        )
        .select_from(Participant)
        # release_member joined to the releases of q first, so each participant costs one
        # lookup in its participant index (an IN over every release id was one per release).
        .outerjoin(
            join(
                ReleaseMember,
                Release,
                and_(Release.id == ReleaseMember.release_id, Release.questionnaire_id == q.id),
            ),
            ReleaseMember.participant_id == Participant.id,
        )
        .where(paired(q))
    )


def unreleased(q: Questionnaire) -> list[tuple[int, int, int]]:
    """Per atom: (organisation, cohort, paired participants counted in no release of q yet).

    Someone in no release counts in their own organisation and cohort (see `placed`), so these
    are exactly the atom's live participants minus those its release already counts. Asked on
    every report: one lookup per participant in release_member's participant index, and one
    grouped row per atom with new people.
    """
    in_release = (
        exists()
        .where(
            ReleaseMember.participant_id == Participant.id,
            Release.id == ReleaseMember.release_id,
            Release.questionnaire_id == q.id,
        )
        .correlate(Participant)
    )
    query = (
        select(Participant.organisation_id, Participant.cohort_id, func.count(Participant.id))
        .where(~in_release, paired(q))
        .group_by(Participant.organisation_id, Participant.cohort_id)
    )
    return [(o, c, n) for o, c, n in db.session.execute(query)]


def current(q: Questionnaire) -> dict[tuple[int, int], int]:
    """The id of each atom's stored release."""
    query = select(Release.organisation_id, Release.cohort_id, Release.id).where(
        Release.questionnaire_id == q.id
    )
    return {(o, c): rid for o, c, rid in db.session.execute(query)}


def due(q: Questionnaire, minimum: int) -> list[Due]:
    """The atoms to release now: at least `minimum` participants, of whom at least `minimum`
    are not in any release yet (the second implies the first)."""
    fresh = [(org, cohort) for org, cohort, new in unreleased(q) if new >= minimum]
    if not fresh:
        return []
    stored = current(q)
    return [Due(org, cohort, stored.get((org, cohort))) for org, cohort in fresh]


def members(q: Questionnaire, atoms: Sequence[Due]) -> dict[tuple[int, int], list[int]]:
    """The live paired participants each atom counts (sticky, see `placed`)."""
    wanted = {(a.organisation_id, a.cohort_id) for a in atoms}
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    for org, cohort, pid, _rid in db.session.execute(placed(q)):
        if (org, cohort) in wanted:
            found[(org, cohort)].append(pid)
    return found


def item_ids(q: Questionnaire, mirrored: Iterable[str]) -> list[str]:
    """The items whose answers a release sums: time allocation and the policy page's."""
    return sorted({*q.time_allocation, *(i for i in mirrored if i in q.items_by_id)})


def compute(
    q: Questionnaire, people: list[int], items: list[str], thresholds: dict[str, stats.Value]
) -> Payload:
    """The sums of one atom, over exactly the participants its release will count."""
    slicing = org_sums.Slicing(q, only=people)
    known = {sid for sid, t in thresholds.items() if stats.is_computable(t)}
    pairs = []
    for row in org_sums.pair_sums(slicing, thresholds).rows():
        values = list(row[3:])
        if values[0] not in known:
            values[-1] = None  # no threshold: nobody counts as improved
        pairs.append(values)
    return {
        "format": FORMAT,
        "moments": [list(r[3:]) for r in org_sums.moment_sums(slicing).rows()],
        "pairs": pairs,
        "items": [list(r[3:]) for r in org_sums.time_sums(slicing, items).rows()],
        "pulses": [],
    }


def pulse_weeks(cohort_id: int, people: list[int], today: date) -> dict[int, list[Any]]:
    """Per closed pulse week of the cohort (numbered from its first pulse's week): n, sum and
    sum of squares of the planned share the given people answered."""
    first = db.session.scalar(select(func.min(Pulse.week)).where(Pulse.cohort_id == cohort_id))
    if first is None or not people:
        return {}
    query = (
        select(Pulse.week, PulseAnswer.value)
        .join(PulseResponse, PulseResponse.pulse_id == Pulse.id)
        .join(PulseAnswer, PulseAnswer.response_id == PulseResponse.id)
        .where(
            Pulse.cohort_id == cohort_id,
            Pulse.closes_on < today,
            PulseResponse.participant_id.in_(people),
            PulseAnswer.item_id == engine_pulse.PLANNED,
            PulseAnswer.value.is_not(None),
        )
    )
    found: dict[int, list[Any]] = {}
    for week, value in db.session.execute(query):
        if value is None:
            continue
        index = (week - first).days // 7 + 1
        row = found.setdefault(index, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += float(value)
        row[2] += float(value) ** 2
    return found


def pulse_sums(
    cohort_id: int,
    people: list[int],
    before: Payload | None,
    minimum: int,
    today: date,
) -> list[list[Any]]:
    """The pulse rows of an atom's new release: a week recomputed over all its members when at
    least `minimum` answers are new to it (live count minus the count stored before), else the
    stored row carried over unchanged; see the module's docstring."""
    live = pulse_weeks(cohort_id, people, today)
    return carried(live, before.get("pulses", []) if before else [], minimum)


def carried(live: dict[int, list[Any]], stored: list[list[Any]], minimum: int) -> list[list[Any]]:
    """The rule of `pulse_sums`, on numbers: per week, the live sums when their count exceeds
    the stored count by at least `minimum`, else the stored row as it was (or no row).

    Live minus stored undercounts the answers new to a week by the erased ones among those
    counted, so it errs on the safe side."""
    before = {row[0]: row for row in stored}
    rows = []
    for index in sorted({*live, *before}):
        old = before.get(index)
        now = live.get(index, [0, 0.0, 0.0])
        if now[0] - (old[1] if old else 0) >= minimum:
            rows.append([index, *now])
        elif old is not None:
            rows.append(list(old))
    return rows


def previous(ids: Iterable[int | None]) -> dict[int, Payload]:
    """The stored payloads of the releases about to be replaced."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    query = select(Release.id, Release.payload).where(Release.id.in_(wanted))
    return {rid: json.loads(payload) for rid, payload in db.session.execute(query)}


def counted_before(ids: Iterable[int | None]) -> dict[int, tuple[int, set[int]]]:
    """Per release about to be replaced: how many it counted, and who of them is still in it
    (erasure removes a member's row)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    found: dict[int, tuple[int, set[int]]] = {
        rid: (n, set())
        for rid, n in db.session.execute(
            select(Release.id, Release.n).where(Release.id.in_(wanted))
        )
    }
    query = select(ReleaseMember.release_id, ReleaseMember.participant_id).where(
        ReleaseMember.release_id.in_(wanted)
    )
    for rid, pid in db.session.execute(query):
        found[rid][1].add(pid)
    return found


def churn(ids: list[int], old: Payload | None, old_n: int, still: set[int]) -> int:
    """The atom's churn after this release: the old churn plus who is new and who is gone."""
    if old is None:
        return len(ids)
    kept = len(still.intersection(ids))
    return int(old.get("churn", old_n)) + (len(ids) - kept) + (old_n - kept)


def release_due(registry: Registry, minimum: int) -> int:
    """Release what is due for the questionnaire the managers' reports are about (a report
    being read, or `flask --app assess release` from cron)."""
    q = instrument(registry)
    policy = registry.get("beleidsscan")
    mirrored = [i.mirrors for i in policy.items_by_id.values() if i.mirrors] if policy else []
    return refresh(q, minimum, mirrored)


def refresh(q: Questionnaire, minimum: int, mirrored: Iterable[str] = ()) -> int:
    """Release every atom that is due; returns how many were released."""
    todo = due(q, minimum)
    if not todo:
        return 0
    people = members(q, todo)
    items = item_ids(q, mirrored)
    thresholds = sector_summary.load(q).thresholds
    before = previous(a.release_id for a in todo)
    counted = counted_before(a.release_id for a in todo)
    today = clock.today()
    made = []
    for atom in todo:
        ids = people[(atom.organisation_id, atom.cohort_id)]
        payload = compute(q, ids, items, thresholds)
        old = before.get(atom.release_id) if atom.release_id is not None else None
        payload["pulses"] = pulse_sums(atom.cohort_id, ids, old, minimum, today)
        payload["churn"] = churn(ids, old, *counted.get(atom.release_id or 0, (0, set())))
        made.append((atom, ids, payload))
    return write(q, made)


class Conflict(Exception):
    """Another process released one of the atoms meanwhile."""


def write(q: Questionnaire, made: list[tuple[Due, list[int], Payload]]) -> int:
    """Store new releases in one short transaction of its own; all or none of them."""
    now = utcnow()
    # End the caller's transaction first: outside a request (cron) it holds SQLite's write
    # lock, which this connection would wait for. Its reads are done; nothing is pending.
    end_reads()
    try:
        # write_phase: a manager's GET reads, and this is its one short write (the rule in
        # assess/web/database.py); on SQLite the transaction takes the lock when it begins.
        with write_phase(), db.engine.begin() as connection:
            for atom, ids, payload in made:
                if atom.release_id is not None:
                    connection.execute(
                        delete(ReleaseMember).where(ReleaseMember.release_id == atom.release_id)
                    )
                    gone = connection.execute(delete(Release).where(Release.id == atom.release_id))
                    if gone.rowcount != 1:
                        raise Conflict
                new_id = connection.execute(
                    insert(Release)
                    .values(
                        questionnaire_id=q.id,
                        organisation_id=atom.organisation_id,
                        cohort_id=atom.cohort_id,
                        n=len(ids),
                        payload=json.dumps(payload, separators=(",", ":")),
                        released_at=now,
                    )
                    .returning(Release.id)
                ).scalar_one()
                connection.execute(
                    insert(ReleaseMember),
                    [{"release_id": new_id, "participant_id": pid} for pid in ids],
                )
    except (Conflict, IntegrityError, OperationalError) as error:
        # Someone else released meanwhile, or the database is busy: the next read tries again.
        log.info("release not stored: %s", type(error).__name__)
        made = []
    # So that the reads that follow see the new releases.
    end_reads()
    return len(made)


def load(q: Questionnaire) -> Released:
    """Every stored release of the questionnaire, for the cohorts that still use it, and the
    sector benchmark's copies; their payloads are read by `fetch`, for the atoms a page sums (2,000 payloads are 10 MB)."""
    query = (
        select(
            Release.id,
            Release.organisation_id,
            Release.cohort_id,
            Release.n,
            Release.released_at,
        )
        .join(Cohort, Cohort.id == Release.cohort_id)
        .where(Release.questionnaire_id == q.id, Cohort.questionnaire_id == q.id)
        .order_by(Release.organisation_id, Release.cohort_id)
    )
    copies = (
        select(
            SectorRelease.id,
            SectorRelease.organisation_id,
            SectorRelease.cohort_id,
            SectorRelease.n,
            SectorRelease.released_at,
        )
        .join(Cohort, Cohort.id == SectorRelease.cohort_id)
        .where(SectorRelease.questionnaire_id == q.id, Cohort.questionnaire_id == q.id)
        .order_by(SectorRelease.organisation_id, SectorRelease.cohort_id)
    )
    return Released(
        [Atom(org, cohort, n, at, rid) for rid, org, cohort, n, at in db.session.execute(query)],
        [
            Atom(org, cohort, n, at, rid, copy=True)
            for rid, org, cohort, n, at in db.session.execute(copies)
        ],
    )


def fetch(atoms: Sequence[Atom]) -> None:
    """Read the stored payloads of these atoms, one query per table."""
    for table, copy in ((Release, False), (SectorRelease, True)):
        wanted = {a.release_id: a for a in atoms if a.stored is None and a.copy == copy}
        if not wanted:
            continue
        query = select(table.id, table.payload).where(table.id.in_(sorted(wanted)))
        for rid, payload in db.session.execute(query):
            wanted[rid].stored = payload
