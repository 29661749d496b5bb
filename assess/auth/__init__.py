"""Staff sign-in: login, logout and changing one's password."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from assess.auth import views  # noqa: E402,F401  (registers its views on bp)
