"""Logging: one line per event with a UTC ISO 8601 timestamp, and no invitation tokens in it.

The `assess.*` loggers (security, audit, errors, …) share one handler. Request lines written
by the development server and gunicorn's access log carry paths, and the path of a personal
link is its token: a filter blanks it before anything is written (ASVS 16.2.5).
"""

from __future__ import annotations

import logging
import re
import time

from flask import Flask
from flask.logging import default_handler, wsgi_errors_stream

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# /s/<token> and any query value named token.
TOKEN_PATTERN = re.compile(r"(/s/|/r/|token=)[A-Za-z0-9_\-%.~]+")
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")
# The development server colours request lines for a terminal (Werkzeug 3.1); in a log file
# the escapes are noise that also splits a line a reader or a grep looks for.
ANSI_PATTERN = re.compile(r"\x1b\[[0-9;]*m")


class UTCFormatter(logging.Formatter):
    """Timestamps like 2025-03-01T09:30:00.123Z, whatever the server's time zone."""

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's own name)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class RedactTokens(logging.Filter):
    """Replace personal-link tokens in the formatted message by a fixed marker (and drop
    terminal colours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_PATTERN.sub(r"\1[token]", ANSI_PATTERN.sub("", message))
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def init_app(app: Flask) -> None:
    """Give the `assess` logger one UTC handler (once per process) and guard request logs."""
    logger = logging.getLogger("assess")
    logger.removeHandler(default_handler)
    if not any(getattr(h, "assess_handler", False) for h in logger.handlers):
        # The request's error stream (gunicorn's error log), else stderr, looked up per record.
        handler = logging.StreamHandler(wsgi_errors_stream)  # type: ignore[call-overload]  # a proxy to a stream
        handler.assess_handler = True  # type: ignore[attr-defined]  # marks ours, once per process
        handler.setFormatter(UTCFormatter(FORMAT))
        handler.addFilter(RedactTokens())
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    for name in REQUEST_LOGGERS:
        other = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in other.filters):
            other.addFilter(RedactTokens())
