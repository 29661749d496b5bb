"""Managers: aggregated, privacy-safe reports of their own organisation and the beleidsscan."""

from flask import Blueprint

bp = Blueprint("manager", __name__, url_prefix="/manager")

from assess.manager import views  # noqa: E402,F401  (registers its views on bp)
