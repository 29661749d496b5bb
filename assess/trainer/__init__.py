"""The trainer's workspace: cohorts, participants, links, tracking, dashboards and exports."""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")

from assess.trainer import (  # noqa: E402,F401  (they register their views on bp)
    brief_views,
    goal_views,
    pulse_views,
    report_views,
    views,
)
