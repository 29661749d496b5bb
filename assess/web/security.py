"""Response hardening: security headers, no caching of personal pages, safe redirects, links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, session, url_for
from flask import Request as FlaskRequest
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

# Scripts only from our own origin: chart data travels as JSON in the page and is drawn by
# static/js/charts.js. plotly.js writes style attributes, which CSP counts as inline style,
# so styles (not scripts) allow 'unsafe-inline'.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The largest id a database INTEGER column holds (PostgreSQL's is 32-bit).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """<int:…> in routes, bounded: a larger number is a 404, not a database overflow (500)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def parse_id(value) -> int | None:
    """An id typed into a form field, or None for anything that cannot be one."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        return None
    return int(text)


def query_id(value: str) -> int:
    """An id in the query string, as `type=` of request.args.get/getlist: text that is no
    whole number is a ValueError (so get() gives its default, getlist() leaves it out), and a
    number beyond any id is a 404, as the same number in a path is (IdConverter)."""
    text = value.strip()
    # isdigit() alone lets "²" through, which int() then refuses.
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not an id: {value!r}")
    if int(text) > MAX_ID:
        abort(404)
    return int(text)


# What no one types: the C0 controls other than tab, line feed and carriage return, DEL and
# the C1 controls. A list exported by another system may carry them (a NUL is a 500 on
# PostgreSQL, which cannot store it), and in a name they would travel on into mail headers.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """The text without control characters; tabs and line breaks stay."""
    return CONTROL_CHARACTERS.sub("", text)


def one_line(value: object) -> str:
    """A value for a mail header or a name in a sentence: no control characters, and every
    run of white space (line breaks included) one space, so nothing can start a new header."""
    return " ".join(without_controls(str(value or "")).split())


class NulFreeMultiDict(ImmutableMultiDict):
    """Form and query values with NUL characters replaced: PostgreSQL text cannot hold them,
    so one pasted NUL would otherwise turn a form post into a 500."""

    def __init__(self, mapping=None) -> None:
        if isinstance(mapping, list | tuple):
            mapping = [
                (key, value.replace("\x00", "\ufffd") if isinstance(value, str) else value)
                for key, value in mapping
            ]
        super().__init__(mapping)


class Request(FlaskRequest):
    parameter_storage_class = NulFreeMultiDict


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered: their routes pick up the id converter."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = Request
    app.after_request(set_headers)


def set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Invitation links carry tokens: never leak a URL to another site. "same-origin" sends no
    # Referer at all to other origins, and the full one only to ourselves. "no-referrer" would
    # break every form behind HTTPS: Flask-WTF's WTF_CSRF_SSL_STRICT refuses a secure POST
    # whose Referer is missing or not https://<this host>/ (and browsers send "Origin: null"
    # under no-referrer, so an Origin check could not replace it). The token itself never
    # becomes a Referer: /s/<token> answers with a bare redirect that swaps it for a session.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["ENV_NAME"] == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    personal = current_user.is_authenticated or "participant" in session
    # send_file (exports) sets "no-cache", which still lets a shared computer keep a copy:
    # every personal response becomes no-store unless a view marked it public on purpose.
    if personal and request.endpoint != "static" and not response.cache_control.public:
        headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None, fallback: str) -> str:
    """Return target only when it is a path on this site; anything else becomes the fallback.

    Refuses //evil, /\\evil, https:evil, javascript:… and control characters, which browsers
    would otherwise read as another origin.
    """
    if not target or any(ord(c) < 32 for c in target) or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mails and copy buttons, built on BASE_URL when it is configured.

    Building on the request's Host header would let a forged header poison the links the
    app hands out (host-header injection); BASE_URL pins them.
    """
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, _external=False, **values)
    return url_for(endpoint, _external=True, **values)
