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
(PerformanceNavigationTiming.loadEventEnd) are printed, and of the time until the charts on
the first screen are drawn (charts.js draws charts after the load event, when they come into
view, and marks each one; older checkouts drew every chart before the load event, so there the
load event is that time), with the bytes of plotly.js on the wire in the cold run. The figures depend on the machine; compare checkouts on the same machine in one
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


# The charts that are on the first screen when the page has loaded (charts.js draws those at once,
# the others when they are scrolled to): their ids, to wait for, and then the time the last of
# them was drawn (charts.js marks each chart it draws), from the start of the navigation.
CHARTS_IN_VIEW = """() => Array.from(document.querySelectorAll('[data-chart]'))
    .filter(el => el.getBoundingClientRect().top < window.innerHeight)
    .map(el => el.id)"""
DRAWN_AT = """ids => Math.max(0, ...ids.map(id => {
    const marks = performance.getEntriesByName('chart-drawn:' + id);
    return marks.length ? marks[0].startTime : NaN;
}))"""


def open_page(page, url: str) -> tuple[float, float | None]:
    """Opens the page; (load event ms, ms until the charts on the first screen were drawn or
    None when there is none). Pages of older checkouts draw every chart before the load event
    and set no marks: their charts count as drawn at the load event."""
    page.goto(url, wait_until="load")
    load = page.evaluate(LOAD_EVENT)
    in_view = page.evaluate(CHARTS_IN_VIEW)
    for chart_id in in_view:
        page.locator(f"#{chart_id}[data-rendered]").wait_for(timeout=60000)
    if not in_view:
        return load, None
    drawn = page.evaluate(DRAWN_AT, in_view)
    return load, drawn if drawn == drawn else load  # NaN: no marks


def measure(browser, base: str, who: str, path: str, token: str) -> dict:
    """Cold and warm load event, charts on the first screen drawn, plotly bytes transferred
    cold and the warm HTML's responseEnd of one page, in ms (bytes)."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        sign_in(context, base, who, token)
        page = context.new_page()
        cold, cold_drawn = open_page(page, base + path)
        if page.url.split("?")[0] != (base + path).split("?")[0]:
            raise SystemExit(f"{path} did not open (landed on {page.url})")
        wire = page.evaluate(PLOTLY_BYTES)
        warm, warm_drawn = open_page(page, base + path)
        return {
            "cold": cold,
            "warm": warm,
            "cold_drawn": cold_drawn,
            "warm_drawn": warm_drawn,
            "plotly_bytes": wire,
            "warm_html": page.evaluate(HTML_DONE),
        }
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
                            "cold_ms": [round(r["cold"]) for r in runs],
                            "warm_ms": [round(r["warm"]) for r in runs],
                            "cold_drawn_ms": [
                                r["cold_drawn"] and round(r["cold_drawn"]) for r in runs
                            ],
                            "warm_drawn_ms": [
                                r["warm_drawn"] and round(r["warm_drawn"]) for r in runs
                            ],
                            "plotly_bytes": runs[0]["plotly_bytes"],
                            "warm_html_ms": [round(r["warm_html"]) for r in runs],
                        }
                finally:
                    browser.close()
        finally:
            stop(process)

    load = os.getloadavg()[0]
    print(f"root: {args.root.resolve()}   runs per page: {args.runs}   load average: {load:.2f}")
    print(
        f"{'page':30} {'load event cold':>16} {'warm':>13} {'1st screen drawn cold':>22}"
        f" {'warm':>13} {'warm HTML':>10} {'plotly.js':>10}"
    )
    print(
        f"{'':30} {'median':>8} {'max':>7} {'median':>6} {'max':>6} {'median':>14} {'max':>7}"
        f" {'median':>6} {'max':>6} {'median':>10} {'on wire':>10}"
    )

    def cells(values: list) -> str:
        values = [v for v in values if v is not None]
        if not values:
            return f"{'-':>6} {'-':>6}"
        return f"{statistics.median(values):>6.0f} {max(values):>6}"

    for name, r in results.items():
        print(
            f"{name:30}   {cells(r['cold_ms'])} {cells(r['warm_ms'])}        "
            f"{cells(r['cold_drawn_ms'])} {cells(r['warm_drawn_ms'])}"
            f" {statistics.median(r['warm_html_ms']):>10.0f} {r['plotly_bytes'] / 1e6:>7.2f} MB"
        )
    print("ms; '1st screen drawn': until the charts on the first screen (1280x900) are drawn,")
    print("'-' where none is; 'warm HTML': responseEnd of the warm page (the server's share)")
    print("command: python benchmarks/chart_pages.py " + " ".join(argv or sys.argv[1:]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
