"""The account-wide brake on password guessing: it slows a guesser, it never locks out the owner.

Refusing an account after N wrong passwords from anywhere would let anyone lock its owner out
by typing wrong passwords from other addresses. Instead, once an account has had
LOGIN_ACCOUNT_RATE_LIMIT wrong passwords (from all addresses together), each further wrong
password makes the address that typed it wait before its next try on that account, and the
wait doubles with every further wrong password (1 s, 2 s, 4 s … up to LOGIN_SLOWDOWN_MAX_SECONDS).
An address that typed no wrong password for the account is never made to wait, so the owner
signs in from their own computer. The per-address limits (flask-limiter decorators in
views.py) still refuse a single address that keeps trying.

The counters live in the rate-limit storage (Redis with several workers), like the limits.
"""

from __future__ import annotations

import math

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from assess import clock
from assess.extensions import limiter

PREFIX = "assess-login"


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _account_key(email: str) -> str:
    return f"{PREFIX}/failures/{email}"


def _wait_key(email: str) -> str:
    return f"{PREFIX}/wait/{get_remote_address()}/{email}"


def wait_seconds(email: str) -> int:
    """How long this address must still wait before it may try this account again (0: now)."""
    if not _enabled():
        return 0
    storage = limiter.storage
    key = _wait_key(email)
    if not storage.get(key):
        return 0
    return max(1, math.ceil(storage.get_expiry(key) - clock.timestamp()))


def note_failure(email: str) -> None:
    """Count a wrong password for the account; past the threshold, make this address wait."""
    if not _enabled():
        return
    storage = limiter.storage
    allowed = parse(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])
    failures = storage.incr(_account_key(email), allowed.get_expiry())
    excess = failures - allowed.amount
    if excess <= 0:
        return
    cap = int(current_app.config["LOGIN_SLOWDOWN_MAX_SECONDS"])
    delay = min(cap, 2 ** min(excess - 1, 30))
    key = _wait_key(email)
    storage.clear(key)
    storage.incr(key, delay)
