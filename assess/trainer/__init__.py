"""The trainer's workspace: cohorts, participants, links, tracking, dashboards and exports."""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")

from assess.trainer import report_views, views  # noqa: E402,F401  (they register their views on bp)
