"""Configuration: defaults, the instance file and the environment, plus the start-up checks."""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from werkzeug.sansio.utils import host_is_trusted

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def bundled(folder: str) -> Path:
    """A top-level folder of the checkout (templates/, questionnaires/), which the wheel carries
    inside the package (setup.py): an installed app must never read from a checkout."""
    inside = PACKAGE_DIR / folder
    return inside if inside.is_dir() else PROJECT_DIR / folder


TEMPLATE_DIR = bundled("templates")

# Values that look like a key but are copied from examples; refusing them in production
# closes the "forged session from a default SECRET_KEY" hole found in other survey tools.
PLACEHOLDER_KEYS = {"", "dev", "secret", "changeme", "change-me", "please-change", "xxx", "test"}
# A key must hold at least this many bits by a per-character estimate (the Shannon entropy of
# its characters times its length). The estimate is low for random keys: token_hex(16), the
# shortest random key we accept, scored at least 90 in 100,000 draws; 32 × "a" scores 0.
MIN_KEY_BITS = 80
KEY_ADVICE = (
    'in production set it to a random value of at least 32 characters, e.g. python -c "import'
    ' secrets; print(secrets.token_hex(32))"'
)

# ASSESS_ENV: anything else ("prod", "Production") used to run silently as development, with a
# generated key, no Secure cookie, no HSTS and any Host.
ENVIRONMENTS = ("development", "production")

# Named overrides of production's refusals, for test benches only (benchmarks/world.py):
# each says which refusal it lifts, so none is switched off by accident.
OVERRIDES = {
    "ALLOW_HTTP_BASE_URL": "ASSESS_ALLOW_HTTP_BASE_URL",
    "ALLOW_NO_RATELIMIT": "ASSESS_ALLOW_NO_RATELIMIT",
}

# Plain environment names an operator expects to work, besides ASSESS_* for everything else.
ENV_NAMES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "BASE_URL",
    "RATELIMIT_STORAGE_URI",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "SMTP_SSL",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
    "TRUSTED_HOSTS",
    "PROXY_FIX_X_FOR",
    "MIN_GROUP_SIZE",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_SECONDS",
    "MAIL_POLL_SECONDS",
    "MAIL_LEASE_SECONDS",
    "RELEASE_ON_VIEW",
)


class StartupError(SystemExit):
    """Stops the start with one line saying what to fix, and no traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(f"assess: {message}")


def defaults(instance_path: str) -> dict:
    return {
        "ENV_NAME": "development",  # "production" turns on the strict checks and Secure cookies
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{os.path.join(instance_path, 'assess.db')}",
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "QUESTIONNAIRE_DIR": str(bundled("questionnaires")),
        "BASE_URL": None,  # e.g. https://zelfscan.example.nl: used for every link the app prints
        "TRUSTED_HOSTS": None,  # comma-separated; None accepts any host (development)
        "PROXY_FIX_X_FOR": 0,  # number of reverse proxies in front of the app
        "MIN_GROUP_SIZE": 5,
        # A manager's report first releases what is due, so new figures show at once. With the
        # `release` cron job (deploy/cron/assess) turn this off: reports then only read, and a
        # release, which at sector scale takes seconds (benchmarks/report_curve.py), is made
        # by cron instead of while a manager waits for the page.
        "RELEASE_ON_VIEW": True,
        # Links expire once the cohort has closed: 30 days after its last measurement window
        # closes (time to read, print or download the final report), or when it is archived.
        "LINK_GRACE_DAYS": 30,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 12,
        # A participant's session ends after this long without a request (their answers are
        # saved as a draft first); the link starts a new one.
        "PARTICIPANT_IDLE_MINUTES": 60,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "assess_session",
        # Survey pages can stay open for a long time; a token bound to the session (not
        # to the clock) keeps a slow participant from losing a page of answers.
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # A moving window has no boundary at which a fresh burst of attempts is allowed.
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,
        # The largest request body: a list of MAX_ROWS participants fits many times over.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        # One address guessing at one account is refused sooner than at any account.
        "LOGIN_ADDRESS_ACCOUNT_RATE_LIMIT": "5 per 10 minutes",
        # Per account, whatever the address: past this, every wrong password makes its address
        # wait, doubling each time (auth/throttle.py); the owner's clean address never waits.
        "LOGIN_ACCOUNT_RATE_LIMIT": "20 per 10 minutes",
        "LOGIN_SLOWDOWN_MAX_SECONDS": 900,
        "LINK_RATE_LIMIT": "20 per minute;200 per hour",
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "ARGON2_PARALLELISM": 4,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(PACKAGE_DIR / "translations"),
        "LANGUAGES": ["nl", "en"],
        "SMTP_HOST": None,
        "SMTP_PORT": 587,
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "SMTP_STARTTLS": True,
        "SMTP_SSL": False,
        "SMTP_TIMEOUT": 10,
        "MAIL_FROM": "Leergang Woonconsulent <noreply@localhost>",
        "REMINDER_DAYS": [7, 2],
        # The mail worker (assess/trainer/mail/worker.py): give up after this many attempts,
        # waiting MAIL_RETRY_SECONDS after the first failure and twice as long after each next;
        # look for new mail every MAIL_POLL_SECONDS. A claim older than MAIL_LEASE_SECONDS
        # (None: 10 × SMTP_TIMEOUT + 60) belongs to a worker that died, and is sent again.
        "MAIL_MAX_ATTEMPTS": 5,
        "MAIL_RETRY_SECONDS": 60,
        "MAIL_POLL_SECONDS": 5,
        "MAIL_LEASE_SECONDS": None,
        "RETENTION_MONTHS": 24,
        # How long an erasure waits for readers before its checkpoint of the SQLite WAL gives
        # up for now (assess/admin/wipe.py); the cron job `finish-erasures` tries again.
        "ERASURE_CHECKPOINT_SECONDS": 2,
        # Production refuses an http:// BASE_URL and switched-off rate limits unless these
        # are set (ASSESS_ALLOW_HTTP_BASE_URL=1, ASSESS_ALLOW_NO_RATELIMIT=1): test benches only.
        "ALLOW_HTTP_BASE_URL": False,
        "ALLOW_NO_RATELIMIT": False,
    }


def from_environment(config: dict) -> None:
    """Copy the operator's environment into the config, converting the obvious types."""
    for name in ENV_NAMES:
        if name in os.environ:
            config[name] = os.environ[name]
    if os.environ.get("ASSESS_ENV"):
        config["ENV_NAME"] = os.environ["ASSESS_ENV"]
    for name in (
        "SMTP_PORT",
        "SMTP_TIMEOUT",
        "PROXY_FIX_X_FOR",
        "MIN_GROUP_SIZE",
        "MAIL_MAX_ATTEMPTS",
        "MAIL_RETRY_SECONDS",
        "MAIL_POLL_SECONDS",
        "MAIL_LEASE_SECONDS",
    ):
        if isinstance(config.get(name), str):
            try:
                config[name] = int(config[name])
            except ValueError as exc:
                raise StartupError(f"{name} must be a whole number, got {config[name]!r}") from exc
    for name in ("SMTP_STARTTLS", "SMTP_SSL", "RELEASE_ON_VIEW"):
        if isinstance(config.get(name), str):
            config[name] = config[name].lower() in ("1", "true", "yes", "on")
    # Test-only switch for load tests, which all come from one address and would hit the
    # per-address limits on the personal link; never set it on a server people use.
    switch = os.environ.get("ASSESS_RATELIMIT_ENABLED")
    if switch:
        config["RATELIMIT_ENABLED"] = switch.lower() in ("1", "true", "yes", "on")
    for name, variable in OVERRIDES.items():
        if os.environ.get(variable):
            config[name] = os.environ[variable].lower() in ("1", "true", "yes", "on")


def finish(config: dict, instance_path: str) -> None:
    """Derive the settings that depend on others and refuse the unsafe ones."""
    if config["ENV_NAME"] not in ENVIRONMENTS:
        raise StartupError(
            f"ASSESS_ENV is {config['ENV_NAME']!r}; set it to production (or development,"
            " the default, on a developer's machine)"
        )
    production = config["ENV_NAME"] == "production"
    key = config.get("SECRET_KEY")
    if production:
        weakness = key_weakness(key)
        if weakness:
            raise StartupError(f"SECRET_KEY {weakness}; {KEY_ADVICE}")
        if config.get("RATELIMIT_ENABLED") is False and not config["ALLOW_NO_RATELIMIT"]:
            raise StartupError(
                "rate limits are switched off (ASSESS_RATELIMIT_ENABLED=0), which leaves logins"
                " and personal links open to guessing; production needs them (a load test on a"
                " test bench may set ASSESS_ALLOW_NO_RATELIMIT=1)"
            )
        config["SESSION_COOKIE_SECURE"] = True
    elif not key:
        config["SECRET_KEY"] = development_key(instance_path)

    url = config["DATABASE_URL"]
    # Heroku-style URLs say postgres://; SQLAlchemy wants a driver name.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StartupError(f"DATABASE_URL is not a database URL: {url!r}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StartupError(
            f"DATABASE_URL names {parsed.get_backend_name()!r}; use sqlite:///path or"
            " postgresql+psycopg://user@host:5432/name"
        )
    config["SQLALCHEMY_DATABASE_URI"] = url
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(parsed.get_backend_name())

    minimum = int(config["MIN_GROUP_SIZE"])
    # Below three, a manager could recognise individuals in any aggregate.
    config["MIN_GROUP_SIZE"] = max(minimum, 3)
    if isinstance(config.get("TRUSTED_HOSTS"), str):
        config["TRUSTED_HOSTS"] = [
            h.strip() for h in config["TRUSTED_HOSTS"].split(",") if h.strip()
        ]
    if production:
        check_public_address(
            config.get("BASE_URL"), config.get("TRUSTED_HOSTS"), config["ALLOW_HTTP_BASE_URL"]
        )


def key_weakness(key: str | None) -> str | None:
    """What makes a production SECRET_KEY guessable, in a few words; None for a good key.
    The key signs sessions and derives every personal link, so a guessed key forges both."""
    if not key or key.lower() in PLACEHOLDER_KEYS:
        return "is missing or a placeholder"
    if len(key) < 32:
        return f"has {len(key)} characters"
    # "0123456789abcdef" twice has the variety of a random key but is a short piece repeated.
    if any(key[period:] == key[:-period] for period in range(1, len(key) // 2 + 1)):
        return "is a short piece repeated"
    # 12 characters in a row made of one to four repeated ("aaaa…", "abab…") are about
    # 1 in 10^9 in a random key, at any length.
    for start in range(len(key) - 11):
        stretch = key[start : start + 12]
        if any(stretch[period:] == stretch[:-period] for period in range(1, 5)):
            return "repeats a character or a few over and over"
    counts = Counter(key).values()
    bits = -sum(n * math.log2(n / len(key)) for n in counts)
    if bits < MIN_KEY_BITS:
        return "has too few different characters to be random"
    return None


def check_public_address(
    base_url: str | None, trusted_hosts: list[str] | None, allow_http: bool = False
) -> None:
    """Production needs its public address: without BASE_URL a cron job (send-reminders) mails
    links to http://127.0.0.1:5000/s/…, and without TRUSTED_HOSTS a forged Host header reaches
    every page. The address is https: links carry personal tokens, and the session cookie is
    Secure, so over http no one could log in."""
    parts = urlsplit(base_url or "")
    if not trusted_hosts or parts.scheme not in ("http", "https") or not parts.hostname:
        raise StartupError(
            "in production set BASE_URL to the public address (e.g. https://zelfscan.example.nl)"
            " and TRUSTED_HOSTS to its host name (e.g. zelfscan.example.nl)"
        )
    if parts.scheme == "http" and not allow_http:
        raise StartupError(
            f"BASE_URL {base_url!r} is http://; in production it must be the https:// address"
            " (a test bench without TLS may set ASSESS_ALLOW_HTTP_BASE_URL=1)"
        )
    if not host_is_trusted(parts.netloc, trusted_hosts):
        raise StartupError(
            f"BASE_URL's host {parts.hostname!r} is not in TRUSTED_HOSTS {','.join(trusted_hosts)!r}:"
            " every link the app hands out would be refused"
        )


def engine_options(backend: str) -> dict:
    # Database errors are logged with their statement; hide_parameters keeps the values
    # (answers, e-mail addresses, token hashes) out of the log.
    if backend == "sqlite":
        return {"connect_args": {"timeout": 15}, "hide_parameters": True}
    # No pool_pre_ping: web/database.py checks a connection only when it has been idle, so the
    # app still recovers by itself when PostgreSQL comes back after an outage.
    return {
        "pool_size": 5,
        "max_overflow": 5,
        "pool_timeout": 10,
        "hide_parameters": True,
    }


def development_key(instance_path: str) -> str:
    """A random key kept in instance/, so development sessions survive a restart."""
    path = Path(instance_path) / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
    except OSError as exc:
        raise StartupError(f"cannot read or write {path}: {exc.strerror}") from exc
