"""The participant's side: personal link, survey, personal report and own data."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from assess.participant import views  # noqa: E402,F401  (registers its views on bp)
