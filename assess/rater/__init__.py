"""The rater's side: a manager or colleague rates a participant through a personal link,
without an account (issue 29)."""

from flask import Blueprint

bp = Blueprint("rater", __name__)

from assess.rater import views  # noqa: E402,F401  (they register views on bp)
