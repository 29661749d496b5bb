"""Landing page, language switch, health check and the self-hosted chart library."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func

from assess import clock
from assess.db import db
from assess.models import MailOutbox, OutboxStatus, Role
from assess.web.database import ping
from assess.web.forms import LanguageForm
from assess.web.security import safe_next

bp = Blueprint("main", __name__)

HOME_BY_ROLE = {
    Role.ADMIN: "admin.index",
    Role.TRAINER: "trainer.index",
    Role.MANAGER: "manager.index",
}


@bp.get("/")
def index():
    """Send each role to its home; anonymous visitors to the login page."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[current_user.role]))
    if session.get("participant"):
        return redirect(url_for("participant.home"))
    return redirect(url_for("auth.login"))


@bp.get("/login")
@bp.get("/inloggen")
def login_elsewhere():
    """The addresses people type for the login page, which lives at /auth/login."""
    return redirect(url_for("auth.login", **request.args.to_dict()), 301)


@bp.post("/taal")
def language():
    """Switch the interface language and go back to the page the person was on."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data, url_for("main.index")))


@bp.get("/healthz")
def healthz():
    """Status ok (200) or error (503, the database is down), for load balancers; signed-in staff
    also get the database status and the mail backlog, for monitoring.

    Anyone may call this, so it tells anonymous callers nothing else: no counts, ages or
    driver names for a stranger to learn the site's activity or software from. A growing
    backlog means no mail worker runs or the mail server refuses; it leaves the status "ok",
    since the web instance itself serves fine and a load balancer should keep it.
    """
    ok, detail = ping()
    if not ok:
        # Not even the login is looked at: loading the user needs the database.
        return jsonify(status="error"), 503
    if not current_user.is_authenticated:
        return jsonify(status="ok")
    return jsonify(status="ok", database=detail, mail=mail_backlog())


def mail_backlog() -> dict[str, int | None]:
    """How many mails wait for the worker, and how long the oldest has waited, in seconds."""
    count, oldest = db.session.execute(
        db.select(func.count(), func.min(MailOutbox.created_at)).where(
            MailOutbox.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING])
        )
    ).one()
    if isinstance(oldest, str):  # SQLite gives min() of a timestamp back as text
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    age = None if oldest is None else max(0, int((clock.now() - oldest).total_seconds()))
    return {"queued": count, "oldest_queued_seconds": age}


# plotly.js built from its own npm source with only the trace types the charts use (scatter, bar,
# box), licence, version and build script in assess/vendor/plotly/: 1.2 MB instead of 4.8, and
# half the evaluation time of plotly's cartesian bundle, which a phone spends on the main thread.
PLOTLY_BUNDLE = "vendor/plotly/plotly-assess.min.js"
PLOTLY_JS_VERSION = "4.1.1"
# In the script's URL: a new bundle of the same plotly.js version must not be served from caches.
PLOTLY_BUNDLE_TAG = f"{PLOTLY_JS_VERSION}-assess1"


def plotly_source() -> bytes:
    """The vendored plotly.js bundle the pages load."""
    return resources.files("assess").joinpath(PLOTLY_BUNDLE).read_bytes()


def plotly_brotli_path() -> Path:
    """Where `flask precompress` keeps the brotli copy: per bundle version, in instance/."""
    name = f"plotly-{PLOTLY_BUNDLE_TAG}.min.js.br"
    return Path(current_app.instance_path) / "vendor" / name


@cache
def _plotly_js(brotli_path: Path) -> tuple[bytes, bytes, bytes | None]:
    raw = plotly_source()
    # Brotli at its best setting saves a quarter on gzip (1.1 MB instead of 1.47 MB) but takes
    # seconds, so it is made once ahead (gunicorn's master does it on start; see
    # assess/web/maintenance.py) and read here; without it, gzip.
    packed_br = brotli_path.read_bytes() if brotli_path.is_file() else None
    return raw, gzip.compress(raw, compresslevel=9), packed_br


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """The vendored plotly.js bundle: no CDN, compressed, cached for a year."""
    raw, packed_gzip, packed_br = _plotly_js(plotly_brotli_path())
    if packed_br is not None and request.accept_encodings["br"]:
        response = Response(packed_br, mimetype="text/javascript")
        response.headers["Content-Encoding"] = "br"
    elif request.accept_encodings["gzip"]:
        response = Response(packed_gzip, mimetype="text/javascript")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(raw, mimetype="text/javascript")
    response.headers["Vary"] = "Accept-Encoding"
    # The URL carries the bundle's version (see templates/_charts.html), so a new version
    # gets a new URL and a year-long cache is safe.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def chart_drawn() -> str:
    """Called by the `chart()` macro: this page has a chart, so `chart_scripts()` loads plotly.js.
    Pages without a chart (a manager's report below the group size, an empty comparison) then
    skip the 1.5 MB script. Returns '' so the macro can print it."""
    g.page_has_chart = True
    return ""


def page_has_chart() -> bool:
    return bool(g.get("page_has_chart"))


@bp.record_once
def chart_globals(state) -> None:
    """The bundle's version for the script URL, as a Jinja global: macros imported with
    `{% from "_charts.html" import ... %}` see globals but not context processors, which left
    the URL without its version, so an upgrade would have hit year-old browser caches."""
    state.app.jinja_env.globals["plotly_version"] = PLOTLY_BUNDLE_TAG
    state.app.jinja_env.globals["chart_drawn"] = chart_drawn
    state.app.jinja_env.globals["page_has_chart"] = page_has_chart
