"""Dutch error pages for every status a person can meet, and the database-outage page."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from assess.db import db
from assess.extensions import login_manager

log = logging.getLogger("assess.errors")

MESSAGES = {
    400: (
        _l("Verzoek niet begrepen"),
        _l("Er ging iets mis met wat je verstuurde. Probeer het opnieuw."),
    ),
    403: (_l("Geen toegang"), _l("Je hebt geen toegang tot deze pagina.")),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet (meer). Controleer de link.")),
    405: (_l("Niet toegestaan"), _l("Deze actie kan zo niet worden uitgevoerd.")),
    413: (
        _l("Te groot"),
        _l(
            "Wat je verstuurde is te groot (hoogstens 2 MB). Ga terug en verdeel een lange lijst"
            " over meer keren, of kies een kleiner bestand."
        ),
    ),
    429: (
        _l("Te veel pogingen"),
        _l("Je hebt het te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."),
    ),
    500: (
        _l("Er ging iets mis"),
        _l(
            "Er ging bij ons iets mis. Wat je al had opgeslagen, is bewaard. Probeer het later opnieuw."
        ),
    ),
    503: (
        _l("Even niet beschikbaar"),
        _l(
            "De database is tijdelijk niet bereikbaar. Er is niets half opgeslagen."
            " Probeer het over een minuut opnieuw."
        ),
    ),
}


def render_error(code: int, description: str | None = None, minimal: bool = False):
    title, message = MESSAGES.get(code, MESSAGES[500])
    # Werkzeug's default English descriptions are not for our users; our own aborts pass
    # a Dutch (lazy) string, which we do show.
    detail = description if description and not isinstance(description, str) else None
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=detail or message, minimal=minimal
        ),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code in (301, 302, 303, 307, 308):
            return exc
        return render_error(exc.code or 500, exc.description)

    @app.errorhandler(SecurityError)
    def untrusted_host(exc: SecurityError):
        # A Host outside TRUSTED_HOSTS leaves the request without a URL adapter, so no
        # page with links can be rendered: answer in plain text.
        log.warning("untrusted host refused")
        return Response("Dit adres hoort niet bij deze site.", 400, mimetype="text/plain")

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        log.warning("csrf rejected endpoint=%s", request.endpoint)
        return (
            render_template(
                "errors/error.html",
                code=400,
                title=_l("Formulier verlopen"),
                message=_l(
                    "Dit formulier is verlopen of niet geldig. Ga terug, laad de pagina opnieuw"
                    " en probeer het nog eens."
                ),
                minimal=False,
            ),
            400,
        )

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        db.session.rollback()
        # The response headers (and Flask-Login) ask who is logged in, which reads the user
        # from the database again and fails again, turning the 503 into a bare 500; for the
        # rest of this request the answer is "nobody".
        g._login_user = login_manager.anonymous_user()
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            log.error("database unavailable: %s", type(exc.orig).__name__)
            return render_error(503, minimal=True)
        # Not log.exception: a database's message quotes the values it refused (an e-mail
        # address, an answer), so only the kind of error and where it happened are logged.
        log.error(
            "database error on %s: %s\n%s",
            request.path,
            type(exc.orig).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        return render_error(500, minimal=True)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # As above: the kind of error and the traceback's lines, not the message, which may
        # quote what a person typed (a ValueError on an answer, a KeyError on an e-mail).
        log.error(
            "unhandled error on %s: %s\n%s",
            request.path,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        db.session.rollback()
        return render_error(500, minimal=True)
