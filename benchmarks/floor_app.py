"""A second baseline for the throughput benchmark: the least any database-backed page does.

GET /page reads the signed session cookie, runs one SQL query (the answers of one response,
through SQLAlchemy Core on the same database as the app) and renders the survey page's HTML
through Jinja with one substitution per radio button. POST /page reads the session and the
form, runs one UPDATE in a transaction and redirects. No ORM, no forms, no CSRF, no
translations, no security headers: a floor under what the real survey page can reach, so the
ratio against static bytes can be read against what a dynamic page costs at all.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, redirect, request, session
from sqlalchemy import create_engine, text

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "floor-benchmark-only-secret-key-0123456789")
# No ping before each request, like the app (assess/web/database.py checks only a connection
# idle for over 10 s, which under load is none): the floor's one statement is its only one.
engine = create_engine(os.environ.get("DATABASE_URL", "sqlite://"))
_page = Path(os.environ.get("BARE_PAGE_FILE", "/dev/null")).read_text()
_count = iter(range(10**6))
# Every radio button's id becomes a template expression, so Jinja does per-option work.
# Compiled once, as Flask does for template files.
TEMPLATE = app.jinja_env.from_string(
    re.sub(r'id="(a_[^"]+)"', lambda m: f'id="{{{{ ids[{next(_count)}] }}}}"', _page)
)
IDS = re.findall(r'id="(a_[^"]+)"', _page)
ANSWERS = text("SELECT item_id, value FROM answer WHERE response_id = :rid")
TOUCH = text("UPDATE response SET updated_at = :now WHERE id = :rid")


@app.get("/start")
def start():
    session["p"] = 1
    return "ok"


@app.get("/page")
def page():
    if "p" not in session:
        return "no session", 403
    with engine.connect() as connection:
        answers = connection.execute(ANSWERS, {"rid": session["p"]}).all()
    html = TEMPLATE.render(ids=IDS, answers=answers)
    return Response(html, mimetype="text/html")


@app.post("/page")
def save():
    if "p" not in session:
        return "no session", 403
    fields = len(request.form)
    with engine.begin() as connection:
        # The bare-Flask baseline imports nothing of assess, its clock included.
        connection.execute(TOUCH, {"now": datetime.now(UTC), "rid": session["p"]})  # noqa: TID251
    return redirect(f"/page?fields={fields}", 302)
