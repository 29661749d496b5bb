"""Chart pages: time to the load event of every page that draws a chart, cold and warm, in
headless Chromium against gunicorn on the demo data.

    python benchmarks/chart_pages.py                      # this checkout
    python benchmarks/chart_pages.py --root /tmp/before   # another checkout (e.g. `git archive`
                                                          # of an older commit), same database
    python benchmarks/chart_pages.py --runs 7 --json out.json

The demo world (`assess.demo.load`) is written to a fresh SQLite database; gunicorn (the
project's gunicorn.conf.py, 2 workers, brotli copy of plotly.js made on start) serves the app
from `--root`. For each chart page (participant report, trainer analysis, comparison and the
trainer's view of a participant report, manager report and policy page):

- cold: a new browser context (empty cache, but signed in) opens the page;
- warm: the same context opens it again (plotly.js and the stylesheets come from the cache).

Each is run `--runs` times; the median and the slowest of the load-event times
(PerformanceNavigationTiming.loadEventEnd) are printed, with the bytes of plotly.js on the wire
in the cold run. The figures depend on the machine; compare checkouts on the same machine in one
sitting, and read them as ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import free_port, wait_for_http  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET_KEY = "chart-pages-benchmark-only-0123456789abcdef0123456789"
TRAINER = ("trainer@example.nl", "demo-trainer-2026")
MANAGER = ("manager@delinde.example.nl", "demo-linde-2026")


def prepare(database_url: str) -> dict:
    """The demo world in a fresh database; returns the ids and a participant's link token."""
    from assess import create_app, demo
    from assess.db import db
    from assess.models import Cohort, Participant, Response, Status
    from assess.survey import tokens

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        db.create_all()
        demo.load()
        cohorts = db.session.scalars(db.select(Cohort).order_by(Cohort.id)).all()
        # A participant with intake and exit submitted: the fullest report.
        person = db.session.scalars(
            db.select(Participant)
            .join(Response, Response.participant_id == Participant.id)
            .where(Response.status == Status.SUBMITTED, Response.moment == "exit")
            .order_by(Participant.id)
        ).first()
        ids = {
            "cohorts": [c.id for c in cohorts],
            "participant": person.id,
            "participant_cohort": person.cohort_id,
            "token": tokens.current_token(person),
        }
        db.session.remove()
        db.engine.dispose()
    return ids


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(who, name, path) of every chart page."""
    first, second = ids["cohorts"][:2]
    return [
        ("participant", "participant report", "/deelnemer/rapport"),
        ("trainer", "trainer analysis", f"/trainer/cohorten/{first}/analyse"),
        ("trainer", "trainer comparison", f"/trainer/vergelijken?cohort={first}&cohort={second}"),
        (
            "trainer",
            "trainer: participant report",
            f"/trainer/cohorten/{ids['participant_cohort']}/deelnemers/{ids['participant']}/rapport",
        ),
        ("manager", "manager report", "/manager/"),
        ("manager", "manager policy page", "/manager/beleid"),
    ]


def start_gunicorn(
    root: Path, database_url: str, instance: Path, port: int | None = None
) -> tuple[subprocess.Popen, int]:
    port = port or free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_ACCESSLOG": "/dev/null",
        "ASSESS_RATELIMIT_ENABLED": "0",
    }
    log = open(instance / "gunicorn.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(root / "gunicorn.conf.py"),
            "assess:create_app()",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_for_http(port, "/healthz", timeout=180)
    except BaseException:
        stop(process)
        raise
    return process, port


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=20)


def sign_in(context, base: str, who: str, token: str) -> None:
    page = context.new_page()
    if who == "participant":
        page.goto(f"{base}/s/{token}")
    else:
        email, password = TRAINER if who == "trainer" else MANAGER
        page.goto(f"{base}/auth/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form:has(input[name=password]) [type=submit]")
    page.close()


LOAD_EVENT = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
# When the HTML has arrived: what the server took, so the rest is the browser's (scripts, drawing).
HTML_DONE = "() => performance.getEntriesByType('navigation')[0].responseEnd"
PLOTLY_BYTES = """() => performance.getEntriesByType('resource')
    .filter(r => r.name.includes('plotly'))
    .reduce((n, r) => n + r.transferSize, 0)"""


def measure(browser, base: str, who: str, path: str, token: str) -> tuple[float, float, int, float]:
    """(cold ms, warm ms, plotly bytes transferred cold, warm HTML ms) of one page."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        sign_in(context, base, who, token)
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        if page.url.split("?")[0] != (base + path).split("?")[0]:
            raise SystemExit(f"{path} did not open (landed on {page.url})")
        if page.locator("[data-chart]").count() and not page.locator("[data-rendered]").count():
            page.locator("[data-rendered]").first.wait_for()  # drawn after the load event
        cold = page.evaluate(LOAD_EVENT)
        wire = page.evaluate(PLOTLY_BYTES)
        page.goto(base + path, wait_until="load")
        warm = page.evaluate(LOAD_EVENT)
        return cold, warm, wire, page.evaluate(HTML_DONE)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to serve (default: this)")
    parser.add_argument("--runs", type=int, default=5, help="runs per page (default 5)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--port", type=int, help="port for gunicorn (default: a free one)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chart-pages-") as tmp:
        instance = Path(tmp)
        database_url = f"sqlite:///{instance / 'demo.db'}"
        ids = prepare(database_url)
        process, port = start_gunicorn(args.root.resolve(), database_url, instance, args.port)
        base = f"http://127.0.0.1:{port}"
        results = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    # One untimed pass: the workers' first request per page (imports, caches).
                    for who, _name, path in pages(ids):
                        measure(browser, base, who, path, ids["token"])
                    for who, name, path in pages(ids):
                        runs = [
                            measure(browser, base, who, path, ids["token"])
                            for _ in range(args.runs)
                        ]
                        results[name] = {
                            "path": path,
                            "cold_ms": [round(r[0]) for r in runs],
                            "warm_ms": [round(r[1]) for r in runs],
                            "plotly_bytes": runs[0][2],
                            "warm_html_ms": [round(r[3]) for r in runs],
                        }
                finally:
                    browser.close()
        finally:
            stop(process)

    print(f"root: {args.root.resolve()}   runs per page: {args.runs}")
    print(
        f"{'page':32} {'cold median':>12} {'cold max':>9} {'warm median':>12} {'warm max':>9} {'plotly.js on the wire':>22}"
    )
    for name, r in results.items():
        print(
            f"{name:30} {statistics.median(r['cold_ms']):>10.0f}ms {max(r['cold_ms']):>7}ms"
            f" {statistics.median(r['warm_ms']):>10.0f}ms {max(r['warm_ms']):>7}ms"
            f" {statistics.median(r['warm_html_ms']):>8.0f}ms {r['plotly_bytes'] / 1e6:>13.2f} MB"
        )
    print("command: python benchmarks/chart_pages.py " + " ".join(argv or sys.argv[1:]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
