"""Administration: organisations, staff accounts, the audit log, and AVG rights."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from assess.admin import erasure, item_analysis, views  # noqa: E402,F401  (they register their views on bp)
