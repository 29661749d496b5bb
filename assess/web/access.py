"""Who is signed in and what they may open: the login loader, session time-outs, role checks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from assess import clock
from assess.db import db
from assess.extensions import login_manager
from assess.models import Organisation, User

log = logging.getLogger("assess.security")
F = TypeVar("F", bound=Callable)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the session version check below does the job
    app.before_request(enforce_session_timeouts)
    app.before_request(require_own_password)


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """Load the user only when the cookie's session version is still the current one."""
    try:
        user_id, version = (int(part) for part in cookie_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def start_session(user: User) -> None:
    """Called right after login_user: stamp the login and last-seen times."""
    now = clock.timestamp()
    session["login_at"] = now
    session["seen_at"] = now


def enforce_session_timeouts():
    """Log staff out after the idle and the absolute time-out (ASVS 7.3.1, 7.3.2)."""
    if not current_user.is_authenticated:
        return None
    now = clock.timestamp()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]).total_seconds()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    if now - seen_at > idle or now - login_at > absolute:
        log.info("session expired user=%s", current_user.id)
        logout_user()
        session.clear()
        flash(_l("Je sessie is verlopen. Log opnieuw in."), "info")
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return redirect(url_for("auth.login"))
    session["seen_at"] = now
    return None


# What someone who must choose a password may still open: that page, logging out, the
# language switch and the files those pages load.
OPEN_BEFORE_OWN_PASSWORD = frozenset(
    {
        "auth.change_password",
        "auth.logout",
        "main.language",
        "static",
        "main.healthz",
        "main.plotly_js",
    }
)


def require_own_password():
    """After an admin generated the password, the person chooses their own before anything else."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in OPEN_BEFORE_OWN_PASSWORD:
        return None
    return redirect(url_for("auth.change_password"))


def role_required(*roles: str) -> Callable[[F], F]:
    """Let through only signed-in staff with one of the roles; others get the login or a 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                log.warning(
                    "authorization denied user=%s role=%s endpoint=%s",
                    current_user.id,
                    current_user.role,
                    request.endpoint,
                )
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def managed_organisation() -> Organisation:
    """The signed-in manager's own, active organisation, or a 403 with the reason."""
    organisation = current_user.organisation
    if organisation is None:
        abort(403, description=_l("Je account is nog niet aan een corporatie gekoppeld."))
    if not organisation.active:
        abort(403, description=_l("Je corporatie is gedeactiveerd in deze omgeving."))
    return organisation
