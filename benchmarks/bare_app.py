"""The baseline of the throughput benchmark: a bare Flask app under the same gunicorn settings.

GET /page answers the bytes of BARE_PAGE_FILE (a copy of the real survey page, so the same
size); POST /page reads the form and redirects, as the survey's page submit does. No
database, no templates, no session: what remains is Flask and gunicorn themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, redirect, request

app = Flask(__name__)
PAGE = Path(os.environ.get("BARE_PAGE_FILE", "/dev/null")).read_bytes()


@app.get("/page")
def page():
    """The static copy of the survey page."""
    return Response(PAGE, mimetype="text/html")


@app.post("/page")
def save():
    """Read the posted form and move on, like the survey's POST-redirect-GET."""
    return redirect(f"/page?fields={len(request.form)}", 302)
