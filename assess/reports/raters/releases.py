"""The colleagues' aggregate of one participant's moment: released once, then frozen.

The rule is `assess.engine.raters.release_due`; this module applies it to the stored
invitations and writes the `RaterRelease` (per scale: how many colleagues had a score, and their
mean). Reading a report releases what is due first, so no cron job is needed; the caller
commits. Nothing here ever recomputes a release: a later colleague, a rater who erases their
rating, or a rescore leaves it as it was, because any update would differ from it by one rater.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from assess.db import db
from assess.engine import raters as rules
from assess.engine.scoring import score_response
from assess.models import Participant, RaterInvitation, RaterRelease, RaterState, Rating
from assess.survey.raters.records import invitations_of
from assess.survey.registry import Registry


def rater_means(invitation: RaterInvitation, registry: Registry) -> dict[str, float | None]:
    """One completed rater's mean per scale on the item metric (1–5), from their ratings."""
    if invitation.questionnaire_id is None or invitation.questionnaire_version is None:
        return {}
    form = registry.get(invitation.questionnaire_id, invitation.questionnaire_version)
    if form is None:
        return {}
    answers = {
        r.item_id: r.value
        for r in db.session.scalars(db.select(Rating).where(Rating.invitation_id == invitation.id))
        if r.value is not None
    }
    sheet = score_response(form, answers, rules.RATER)
    means: dict[str, float | None] = {}
    for scale in form.scales:
        found = sheet.get(scale.id)
        means[scale.id] = found.mean if found is not None else None
    return means


def window_closed(participant: Participant, moment: str, today: date) -> bool:
    window = participant.cohort.window(moment)
    return window is not None and window.state(today) == "closed"


def released(participant_id: int, moment: str) -> RaterRelease | None:
    found: RaterRelease | None = db.session.scalar(
        db.select(RaterRelease).where(
            RaterRelease.participant_id == participant_id, RaterRelease.moment == moment
        )
    )
    return found


def release_if_due(
    participant: Participant,
    moment: str,
    invitations: Sequence[RaterInvitation],
    registry: Registry,
    today: date,
) -> RaterRelease | None:
    """The moment's release: the stored one, else a new one when the rule says it is due."""
    existing = released(participant.id, moment)
    colleagues = [i for i in invitations if i.role == rules.COLLEAGUE and i.moment == moment]
    completed = [i for i in colleagues if i.state == RaterState.COMPLETED]
    still_open = sum(
        1 for i in colleagues if i.state == RaterState.INVITED and i.expires_on >= today
    )
    closed = window_closed(participant, moment, today)
    if not rules.release_due(len(completed), still_open, closed, existing is not None):
        return existing
    per_rater = [rater_means(i, registry) for i in completed]
    scales = sorted({s for means in per_rater for s in means})
    payload = {}
    for scale_id in scales:
        agg = rules.aggregate(means.get(scale_id) for means in per_rater)
        payload[scale_id] = {"n": agg.n, "mean": agg.mean}
    release = RaterRelease(
        participant_id=participant.id, moment=moment, n=len(completed), payload=json.dumps(payload)
    )
    db.session.add(release)
    db.session.flush()
    return release


def aggregates(release: RaterRelease | None) -> dict[str, rules.Aggregate]:
    """The released figures per scale (empty before the release)."""
    if release is None:
        return {}
    return {
        scale_id: rules.Aggregate(int(v["n"]), v["mean"])
        for scale_id, v in json.loads(release.payload).items()
    }


def release_due(
    participant: Participant, moments: Sequence[str], registry: Registry, today: date
) -> None:
    """Write the releases that are due for these moments (the caller is in a write phase)."""
    every = invitations_of(participant.id)
    for moment in moments:
        invitations = [i for i in every if i.moment == moment]
        if invitations:
            release_if_due(participant, moment, invitations, registry, today)
