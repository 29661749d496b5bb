"""The measurement moments: one name for each, shared by the engine, the models and the pages.

A questionnaire file names the moments its sections belong to with these values; the database
stores them; labels for people live in assess/survey/labels.py.
"""

from __future__ import annotations

import enum


class Moment(enum.StrEnum):
    INTAKE = "intake"
    EXIT = "exit"
    FOLLOWUP = "followup"
    # A manager's beleidsscan: expectations of policy, not a measurement of a participant.
    POLICY = "policy"
    # The weekly pulse between course days: asked many times, stored per week, never scored
    # (assess/engine/pulse.py).
    PULSE = "pulse"
    # A manager's or colleague's rating of a participant (assess/engine/raters.py): the rater
    # form's one moment; the rating belongs to the participant's intake, exit or follow-up.
    RATER = "rater"


# A participant's moments, in course order.
PARTICIPANT_MOMENTS = (Moment.INTAKE, Moment.EXIT, Moment.FOLLOWUP)
