"""The participant's own data as a JSON-ready dict, for "download my data" (AVG art. 15 and 20)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from assess.db import db
from assess.models import Participant, Pulse, PulseAnswer, PulseResponse, Response
from assess.reports.participant import scores_of, version_of
from assess.survey.answers import stored_answers
from assess.survey.registry import Registry


def export(participant: Participant, registry: Registry) -> dict[str, object]:
    """Everything stored about the participant, for "download my data" (AVG art. 15 and 20)."""
    found = db.session.scalars(
        select(Response).where(Response.participant_id == participant.id).order_by(Response.id)
    ).all()
    scores = scores_of([r.id for r in found])
    out = []
    for response in found:
        out.append(
            {
                "moment": response.moment,
                "status": response.status,
                "questionnaire": response.questionnaire_id,
                "questionnaire_version": response.questionnaire_version,
                "started_at": _iso(response.started_at),
                "submitted_at": _iso(response.submitted_at),
                "answers": stored_answers(response.id, version_of(response, registry)),
                "scores": [
                    {
                        "scale": scale_id,
                        "variant": variant,
                        "mean": s.mean,
                        "score_0_100": s.pomp,
                        "band": s.band,
                        "answered": s.n_answered,
                        "items": s.n_items,
                        "status": s.status,
                    }
                    for (moment, scale_id, variant), s in sorted(scores.items())
                    if moment == response.moment
                ],
            }
        )
    return {
        "name": participant.name,
        "email": participant.email,
        "code": participant.code,
        "cohort": participant.cohort.name,
        "organisation": participant.organisation.name,
        "responses": out,
        "pulses": pulses_of(participant),
    }


def pulses_of(participant: Participant) -> list[dict[str, object]]:
    """Every weekly pulse the participant answered: the week and the answers by item id."""
    rows = db.session.execute(
        select(Pulse.week, PulseResponse.id, PulseResponse.submitted_at)
        .join(Pulse, Pulse.id == PulseResponse.pulse_id)
        .where(PulseResponse.participant_id == participant.id)
        .order_by(Pulse.week)
    ).all()
    answers: dict[int, dict[str, object]] = {rid: {} for _w, rid, _at in rows}
    for rid, item_id, value, text in db.session.execute(
        select(
            PulseAnswer.response_id, PulseAnswer.item_id, PulseAnswer.value, PulseAnswer.text
        ).where(PulseAnswer.response_id.in_(list(answers)))
    ):
        answers[rid][item_id] = value if value is not None else text
    return [
        {"week": week.isoformat(), "submitted_at": _iso(at), "answers": answers[rid]}
        for week, rid, at in rows
    ]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
