"""The participant's side: personal link, survey, personal report and own data."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from assess.participant import (  # noqa: E402,F401  (they register views on bp)
    goal_views,
    pulse_views,
    rater_views,
    views,
)
