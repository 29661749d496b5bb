"""How long each moment takes to fill in: the one figure every page and mail states.

`moment_duration` is the only place that decides it (engine/duration.py has the rule): the
measured median of the active time of the people who submitted this version's moment, once at
least the minimum group size did, else the questionnaire's estimate, said to be one. The home
page, the invitation mails and the staff's overview all ask it, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.engine.definition import Questionnaire
from assess.engine.duration import PAGE_IDLE_CAP_SECONDS, Duration, duration, estimate_minutes
from assess.engine.moments import PARTICIPANT_MOMENTS
from assess.survey import page_times

# The most one showing of a page counts for, in minutes, as the staff's overview states it.
CAP_MINUTES = round(PAGE_IDLE_CAP_SECONDS / 60)


def moment_duration(q: Questionnaire, moment: str, minimum: int) -> Duration:
    """What people are told a moment of this version takes (`minimum`: MIN_GROUP_SIZE)."""
    return duration(q, moment, page_times.measured_seconds(q.id, q.version, moment), minimum)


@dataclass(frozen=True)
class MomentTimes:
    """One moment for the staff: the estimate, the measurement and what participants read."""

    moment: str
    estimate: int  # minutes the file states, else the rule's estimate
    measured: int  # submitted responses with page times
    told: Duration


def per_moment(q: Questionnaire, minimum: int) -> list[MomentTimes]:
    """Every participant moment of the version, in course order."""
    out = []
    for moment in PARTICIPANT_MOMENTS:
        if moment not in q.moments:
            continue
        told = moment_duration(q, moment, minimum)
        estimate = q.minutes_for(moment) or estimate_minutes(q, moment)
        out.append(MomentTimes(moment, estimate, told.people, told))
    return out
