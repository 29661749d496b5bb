"""The sector benchmark moves on in batches: corporations are protected as people are.

The benchmark a manager reads holds the *other* corporations' released atoms and passes the
dominance rule (privacy.sector_ok: at least three of them, none over half). That protects one
version of it. Across versions it did not: when one other corporation's cohort was released,
the manager of corporation A read the sector at n = 15 and at n = 20, and 20 x new - 15 x old
gave that corporation's mean change per scale (issue 26) - the differencing attack of
releases.py, with corporations in place of people.

So the benchmark sums copies of the releases of its own (`sector_release`), and the copies
move on only in a batch: all releases made since the last batch at once, and only when what
they change rests, for every manager who reads the benchmark, on at least SECTOR_OTHERS other
corporations with none of them over DOMINANCE of the change (`batch_ok`). A corporation's part
of a change is the people who enter or leave the sector's sums with it: the releases' churn
(releases.churn) since the copy, all of a new atom, all of a copy whose atom is gone. The
difference between two versions of the benchmark a manager can read is then a sum over at
least three other corporations, none over half of it - the (1, 50) dominance rule applied to
the difference, as the handbook applies the threshold rule to differences of tables
(Hundepool et al. 2024, ch. 4; see releases.py).

Who reads: the managers of corporations (their own corporation is not in their benchmark, so
its part of a change is not theirs to see) and anyone else (a manager whose corporation has no
part in the change). A corporation that gets its first manager later reads only the versions
from then on, and every batch after that is checked with them as a reader.

Within one version every figure of the benchmark - scales, sub-scales, reliable-change shares,
time allocation, and the trend (report.py, trend.py) - rests on the same whole sector, so no
two of them differ by part of it.

What waits: a batch needs changes from at least three corporations besides any reader; until
then the sector shows the figures of its last batch (and none before its first). A corporation
that makes more than half of the sector's changes holds the benchmark back until others catch
up - that is the rule, not a fault.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from assess.db import db, end_reads, write_phase
from assess.engine.definition import Questionnaire
from assess.models import Role, SectorRelease, User
from assess.reports.organisation import privacy, releases
from assess.reports.organisation.groups import instrument
from assess.survey.registry import Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Copy:
    """The sector's copy of one atom: which release it copied (its id and time: SQLite gives
    a replaced release's id to the next one), and that release's churn."""

    id: int
    release_id: int
    released_at: datetime
    n: int
    churn: int

    def copies(self, atom: releases.Atom) -> bool:
        return (self.release_id, self.released_at) == (atom.release_id, atom.released_at)


@dataclass(frozen=True)
class Change:
    """One atom whose release differs from the sector's copy."""

    organisation_id: int
    cohort_id: int
    live: releases.Atom | None  # the release to copy (None: the atom is gone)
    copy: Copy | None  # the copy it replaces (None: a new atom)

    @property
    def weight(self) -> int:
        """The people who enter or leave the sector's sums with this change (at least one)."""
        if self.live is None:
            return max(1, self.copy.n if self.copy else 1)
        churn = int(self.live.payload.get("churn", self.live.n))
        return max(1, churn - (self.copy.churn if self.copy else 0))


def batch_ok(weights: Mapping[int, int], readers: Iterable[int | None]) -> bool:
    """A change with these weights per corporation may reach the sector: every reader (a
    corporation whose manager reads the benchmark; None: anyone else) sees either none of it,
    or a part resting on at least SECTOR_OTHERS other corporations, none over DOMINANCE."""
    for reader in {None, *readers}:
        seen = [w for org, w in weights.items() if org != reader and w > 0]
        if seen and (
            len(seen) < privacy.SECTOR_OTHERS or max(seen) > privacy.DOMINANCE * sum(seen)
        ):
            return False
    return True


def copies(q: Questionnaire) -> dict[tuple[int, int], Copy]:
    query = select(
        SectorRelease.organisation_id,
        SectorRelease.cohort_id,
        SectorRelease.id,
        SectorRelease.release_id,
        SectorRelease.released_at,
        SectorRelease.n,
        SectorRelease.churn,
    ).where(SectorRelease.questionnaire_id == q.id)
    return {(o, c): Copy(i, r, at, n, ch) for o, c, i, r, at, n, ch in db.session.execute(query)}


def readers() -> set[int]:
    """The corporations with a manager."""
    query = select(User.organisation_id).where(
        User.role == Role.MANAGER, User.organisation_id.is_not(None)
    )
    return {org for org in db.session.scalars(query) if org is not None}


def pending(q: Questionnaire, released: releases.Released) -> list[Change]:
    """The atoms whose live release is not the one the sector counts."""
    stored = copies(q)
    live = {(a.organisation_id, a.cohort_id): a for a in released.atoms}
    changes = [
        Change(org, cohort, atom, stored.get((org, cohort)))
        for (org, cohort), atom in live.items()
        if (org, cohort) not in stored or not stored[(org, cohort)].copies(atom)
    ]
    # A copy whose atom is gone from the questionnaire's releases (its cohort deleted or
    # switched to another questionnaire: then the copy is gone from the benchmark as well).
    changes += [
        Change(org, cohort, None, copy)
        for (org, cohort), copy in stored.items()
        if (org, cohort) not in live
    ]
    return changes


def advance(q: Questionnaire) -> int:
    """Move the sector on to the live releases when the change passes `batch_ok`; returns
    how many atoms it copied or dropped (0: nothing pending, or the batch waits)."""
    changes = pending(q, releases.load(q))
    if not changes:
        return 0
    releases.fetch([c.live for c in changes if c.live is not None])
    weights: dict[int, int] = defaultdict(int)
    for change in changes:
        weights[change.organisation_id] += change.weight
    if not batch_ok(weights, readers()):
        return 0
    return write(q, changes)


def write(q: Questionnaire, changes: list[Change]) -> int:
    """Store the batch in one short transaction of its own; all of it or none."""
    end_reads()
    try:
        with write_phase(), db.engine.begin() as connection:
            for change in changes:
                if change.copy is not None:
                    gone = connection.execute(
                        delete(SectorRelease).where(SectorRelease.id == change.copy.id)
                    )
                    if gone.rowcount != 1:
                        raise releases.Conflict
                if change.live is None:
                    continue
                payload = change.live.payload
                connection.execute(
                    insert(SectorRelease).values(
                        questionnaire_id=q.id,
                        organisation_id=change.organisation_id,
                        cohort_id=change.cohort_id,
                        release_id=change.live.release_id,
                        n=change.live.n,
                        churn=int(payload.get("churn", change.live.n)),
                        payload=change.live.stored or json.dumps(payload),
                        # the copied release's time: with its id, which release this is
                        released_at=change.live.released_at,
                    )
                )
    except (releases.Conflict, IntegrityError, OperationalError) as error:
        # Another process moved the sector on meanwhile, or the database is busy.
        log.info("sector batch not stored: %s", type(error).__name__)
        changes = []
    end_reads()
    return len(changes)


def release(registry: Registry, minimum: int) -> tuple[int, int]:
    """Release what is due (releases.release_due), then move the sector on when a batch is
    ready: (atoms released, atoms the sector took over)."""
    count = releases.release_due(registry, minimum)
    return count, advance(instrument(registry))
