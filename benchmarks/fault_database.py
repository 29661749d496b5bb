"""Fault (b) against gunicorn: the database goes away while participants fill in the survey.

PostgreSQL: gunicorn reaches the database through a TCP relay that the scenario cuts (as a
database restart or a network failure would) and restores; separately, every server backend
of the app is terminated (pg_terminate_backend). SQLite: another process holds an exclusive
lock for longer than the 15 s busy timeout (a long maintenance job).

Expected: a Dutch 503 page ("Even niet beschikbaar … niets half opgeslagen"), no answer of the
failed request stored, /healthz 503 meanwhile, and the app serving again by itself, without a
restart, as soon as the database is back.

    python benchmarks/fault_database.py --database-url postgresql://postgres@127.0.0.1:5432/bench_production_fault
    python benchmarks/fault_database.py                  # SQLite in /tmp/bench_production

The database named is emptied first. Exit status 0 when every check holds.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Checks, Gunicorn, TcpProxy  # noqa: E402
from benchmarks.world import SERVER_ENV, Browser, Survey, questionnaire, seed, stored  # noqa: E402

DEFAULT_SQLITE = "sqlite:////tmp/bench_production/outage.db"
DUTCH_503 = ("Even niet beschikbaar", "niets half opgeslagen")


def is_dutch_503(got) -> bool:
    status, _, body = got
    return status == 503 and all(words in body for words in DUTCH_503)


def half_way(survey: Survey, pages: int) -> None:
    """Open the link and save the first `pages` pages."""
    survey.enter()
    for n in range(1, pages + 1):
        form = survey.page_form("intake", n)
        survey.expect(survey.browser.request("POST", f"/deelnemer/intake/pagina/{n}", form), 302)


def finish(survey: Survey, checks: Checks, what: str, enter: bool = False) -> None:
    try:
        if enter:
            survey.enter()
        survey.fill()
        survey.submit()
        checks.check(True, what)
    except Exception as exc:
        checks.check(False, f"{what}: {exc}")


def postgres_outage(database_url: str, checks: Checks) -> None:
    url = make_url(database_url).set(drivername="postgresql+psycopg")
    links = seed(url.render_as_string(hide_password=False), 2)
    q = questionnaire(url.render_as_string(hide_password=False))
    proxy = TcpProxy(url.port or 5432).start()
    through = url.set(port=proxy.port).render_as_string(hide_password=False)
    try:
        with Gunicorn({**SERVER_ENV, "DATABASE_URL": through}, workers=2) as server:
            browser = Browser(server.port)
            survey = Survey(browser, q, links[0], seed=0)
            half_way(survey, 2)
            before = stored(url.render_as_string(hide_password=False)).answers
            form = survey.page_form("intake", 3)

            proxy.stop()
            print("  database cut off")
            saved = browser.request("POST", "/deelnemer/intake/pagina/3", form)
            shown = browser.request("GET", "/deelnemer/intake/pagina/3")
            health = browser.request("GET", "/healthz")
            checks.check(
                is_dutch_503(saved), f"saving a page gives the Dutch 503 page ({saved[0]})"
            )
            checks.check(
                is_dutch_503(shown), f"opening a page gives the Dutch 503 page ({shown[0]})"
            )
            checks.check(health[0] == 503, f"/healthz says 503 ({health[0]})")
            after = stored(url.render_as_string(hide_password=False)).answers
            checks.check(after == before, "nothing of the failed save was stored")

            proxy.start()
            print("  database back")
            again = browser.request("GET", "/healthz")
            checks.check(
                again[0] == 200, f"the first request after the outage succeeds ({again[0]})"
            )
            finish(survey, checks, "the participant finishes and submits without a restart")

            # Every backend of the app killed by the server (a failover, an admin's cleanup).
            admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": url.database},
                ).scalar()
            admin.dispose()
            print(f"  {killed} database connections terminated")
            second = Survey(Browser(server.port), q, links[1], seed=1)
            finish(
                second,
                checks,
                "after pg_terminate_backend the next participant gets through",
                enter=True,
            )
            browser.close()
            second.browser.close()
    finally:
        proxy.stop()
    final = stored(url.render_as_string(hide_password=False))
    checks.check(final.submitted == 2 and final.drafts == 0, "both submitted once")


def sqlite_lock(database_url: str, checks: Checks, hold: float = 18.0) -> None:
    links = seed(database_url, 1)
    q = questionnaire(database_url)
    path = make_url(database_url).database
    with Gunicorn({**SERVER_ENV, "DATABASE_URL": database_url}, workers=2) as server:
        browser = Browser(server.port)
        survey = Survey(browser, q, links[0], seed=0)
        half_way(survey, 2)
        before = stored(database_url).answers
        form = survey.page_form("intake", 3)

        locked, release = threading.Event(), threading.Event()

        def hold_lock():
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            conn.execute("BEGIN EXCLUSIVE")
            locked.set()
            release.wait(hold)
            conn.execute("ROLLBACK")
            conn.close()

        holder = threading.Thread(target=hold_lock)
        holder.start()
        locked.wait(30)
        print(f"  another process holds an exclusive lock for {hold:.0f} s")
        started = time.monotonic()
        saved = browser.request("POST", "/deelnemer/intake/pagina/3", form)
        waited = time.monotonic() - started
        release.set()
        holder.join(60)
        checks.check(
            is_dutch_503(saved),
            f"saving a page gives the Dutch 503 page after the busy timeout ({saved[0]},"
            f" after {waited:.1f} s)",
        )
        checks.check(
            stored(database_url).answers == before, "nothing of the failed save was stored"
        )
        finish(survey, checks, "once the lock is gone the participant finishes and submits")
        browser.close()
    final = stored(database_url)
    checks.check(final.submitted == 1 and final.drafts == 0, "submitted once")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_SQLITE)
    args = parser.parse_args(argv)
    checks = Checks()
    if args.database_url.startswith("postgres"):
        print("(b) PostgreSQL unavailable during requests")
        postgres_outage(args.database_url, checks)
    else:
        Path(make_url(args.database_url).database).parent.mkdir(parents=True, exist_ok=True)
        print("(b) SQLite locked beyond the busy timeout during a request")
        sqlite_lock(args.database_url, checks)
    print(f"{checks.passed} checks passed, {len(checks.failed)} failed")
    print(f"reproduce: python benchmarks/fault_database.py --database-url {args.database_url}")
    return 0 if not checks.failed else 1


if __name__ == "__main__":
    sys.exit(main())
