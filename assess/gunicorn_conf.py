"""gunicorn settings for production: `gunicorn --config python:assess.gunicorn_conf` (installed
from the wheel, e.g. in the systemd unit under deploy/), or plain `gunicorn` in a checkout,
whose gunicorn.conf.py loads this module.

Every value can be changed through the environment, so one file serves a laptop, a VM and a
container. The app keeps no state in process memory (sessions are signed cookies, rate limits
live in Redis via RATELIMIT_STORAGE_URI), so any number of workers and instances can run side
by side behind a load balancer.

    DATABASE_URL=postgresql+psycopg://assess@db:5432/assess \
    RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 ASSESS_ENV=production SECRET_KEY=... \
    BASE_URL=https://zelfscan.example.nl TRUSTED_HOSTS=zelfscan.example.nl PROXY_FIX_X_FOR=1 \
    gunicorn
"""

from __future__ import annotations

import multiprocessing
import os
import re

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "assess:create_app()"

# Behind a reverse proxy bind to loopback (or a private address); the proxy terminates TLS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# WEB_CONCURRENCY is the usual name on PaaS platforms. The pages are CPU-bound Python with
# short database calls, so about two workers per core; each worker holds ~120 MB (numpy,
# scipy, plotly), hence the cap.
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9))
# Threads > 1 switches to the gthread worker: useful without a buffering proxy in front.
threads = _int("GUNICORN_THREADS", 1)

# A request that runs longer than this is stuck (the slowest page, a large report, takes well
# under a second); the worker is killed and replaced, its open transaction rolled back by the
# database, so a half-done submit leaves nothing behind.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a deploy (SIGTERM/SIGHUP) workers get this long to finish the requests they are serving.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep-alive between the proxy and gunicorn; shorter than the proxy's upstream idle time.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Load the app once in the master and fork: less memory, and a replaced worker starts in
# milliseconds instead of re-importing numpy and scipy. post_fork below gives every worker
# its own database connections.
preload_app = True
# Recycle workers now and then so a slow leak can never grow without bound; the jitter keeps
# them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# gunicorn itself trusts X-Forwarded-Proto (for wsgi.url_scheme) only from these addresses:
# set FORWARDED_ALLOW_IPS to the proxy's address. The app's ProxyFix (PROXY_FIX_X_FOR = the
# number of proxies, normally 1) does the same for the client address that rate limits and
# audit use. Trusting more hops than there are proxies lets a client forge its address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn >= 25 opens a control socket at one fixed path per user; two instances on one host
# (blue/green deploys, the benchmarks) would fight over it. Set GUNICORN_CONTROL_SOCKET to a
# path of your own to use `gunicornc`.
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# No query string, no referrer, and the personal link's token is masked (see TokenSafeLogger):
# an access log must never hand out a way into someone's survey.
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
)

# Paths that carry a secret: the participant's personal link /s/<token>, a rater's /r/<token>.
SECRET_PATHS = re.compile(r"^(/s/|/r/)[^/]+")


class TokenSafeLogger(Logger):
    """gunicorn's logger with personal-link tokens masked in the request path."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = atoms.get("U") or ""
        atoms["U"] = SECRET_PATHS.sub(r"\1…", path)
        atoms["r"] = f"{atoms.get('m')} {atoms['U']} {atoms.get('H')}"
        atoms["q"] = "-"
        atoms["{raw_uri}e"] = atoms["U"]
        return atoms


logger_class = TokenSafeLogger


def is_assess(app) -> bool:
    """The hooks below are for assess; the benchmarks also run a bare Flask app here."""
    return "sqlalchemy" in getattr(app, "extensions", {})


def post_fork(server, worker):
    """Drop connections inherited from the master: a pooled connection must not be shared."""
    from assess.db import db

    app = server.app.wsgi()
    if not is_assess(app):
        return
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def when_ready(server):
    """In the master, before the workers fork: compress plotly.js once for all of them."""
    from assess.web.maintenance import prepare_assets

    app = server.app.wsgi()
    if is_assess(app):
        prepare_assets(app, server.log)


def on_starting(server):
    """Warn about settings that work for one process but not for several."""
    if os.environ.get("ASSESS_ENV") == "production":
        if not os.environ.get("RATELIMIT_STORAGE_URI", "").startswith(("redis", "rediss")):
            server.log.warning(
                "RATELIMIT_STORAGE_URI is not Redis: every worker counts rate limits on its own"
            )
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            server.log.warning("DATABASE_URL is not PostgreSQL: SQLite serialises all writes")
