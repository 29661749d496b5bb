"""Lighthouse on the chart pages (and one page without charts), signed in, on the demo data.

    python benchmarks/lighthouse.py                       # this checkout, 3 runs per page
    python benchmarks/lighthouse.py --root /tmp/before    # another checkout (e.g. `git archive`
                                                          # of an older commit), same database
    python benchmarks/lighthouse.py --runs 5 --json out.json --reports /tmp/lh-reports

npm's `lighthouse` 12 with its default settings: the mobile preset (a Moto G Power's screen,
simulated slow 4G and 4x CPU slowdown), categories performance, accessibility and best
practices. It is not a Python package, so it is installed with npm once into a cache folder
outside the repository (`~/.cache/assess-lighthouse`, or `LIGHTHOUSE_DIR`):

    npm install --prefix ~/.cache/assess-lighthouse lighthouse@12

which this script does itself when the folder has no lighthouse yet. The browser is Debian's
Chromium (`CHROME_PATH`, default /usr/bin/chromium), headless, without sandbox.

The demo world (`assess.demo.load`) is written to a fresh SQLite database and served by gunicorn
(2 workers) as in benchmarks/chart_pages.py. Each viewer signs in from Python (the participant
through their personal link, trainer and manager through the login form) and Lighthouse gets
the session cookie as an extra header. Every page is run `--runs` times; the median run (by
performance score) is printed with its total blocking time (TBT), largest contentful paint
(LCP), cumulative layout shift (CLS) and first contentful paint (FCP). Lighthouse's
simulated throttling makes the figures depend less on the machine than wall-clock times, but
CPU task durations are still measured here: run on a quiet machine and compare checkouts in
one sitting. The load average at the start and end is printed with the figures.
"""

from __future__ import annotations

import argparse
import html.parser
import http.cookiejar
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.chart_pages import MANAGER, TRAINER, prepare, start_gunicorn, stop  # noqa: E402

LIGHTHOUSE_VERSION = "12"
LIGHTHOUSE_DIR = Path(
    os.environ.get("LIGHTHOUSE_DIR", Path.home() / ".cache" / "assess-lighthouse")
).expanduser()
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {
    "TBT": "total-blocking-time",
    "LCP": "largest-contentful-paint",
    "FCP": "first-contentful-paint",
    "CLS": "cumulative-layout-shift",
}


def lighthouse_bin() -> Path:
    """The lighthouse CLI in the cache folder, installed there with npm on first use."""
    cli = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} (npm)")
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(LIGHTHOUSE_DIR),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return cli


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(who, name, path): the three chart pages of issue 18 and a page without a chart."""
    return [
        ("participant", "participant report", "/deelnemer/rapport"),
        ("trainer", "trainer analysis", f"/trainer/cohorten/{ids['cohorts'][0]}/analyse"),
        ("manager", "manager report", "/manager/"),
        ("trainer", "cohort list (no chart)", "/trainer/"),
    ]


class _Csrf(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.token = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "csrf_token" and not self.token:
            self.token = a.get("value") or ""


def session_cookie(base: str, who: str, token: str) -> str:
    """A signed-in session as a Cookie header value, obtained as a browser would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if who == "participant":
        opener.open(f"{base}/s/{token}").read()
    else:
        email, password = TRAINER if who == "trainer" else MANAGER
        parser = _Csrf()
        parser.feed(opener.open(f"{base}/auth/login").read().decode())
        form = {"csrf_token": parser.token, "email": email, "password": password}
        body = urllib.parse.urlencode(form).encode()
        opener.open(urllib.request.Request(f"{base}/auth/login", data=body)).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if not cookie:
        raise SystemExit(f"{who} could not sign in")
    return cookie


def run_lighthouse(cli: Path, url: str, cookie: str, out: Path) -> dict:
    headers = out.with_suffix(".headers.json")
    headers.write_text(json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in (1, 2):  # on a loaded machine Chromium's start sometimes times out once
        try:
            return _run_once(cli, url, headers, out, env)
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
            print(f"lighthouse failed on {url}; once more")
    raise AssertionError("unreachable")


def _run_once(cli: Path, url: str, headers: Path, out: Path, env: dict) -> dict:
    subprocess.run(
        [
            str(cli),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={headers}",
        ],
        check=True,
        env=env,
    )
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"{url}: {report['runtimeError']}")
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    if urllib.parse.urlsplit(final).path != urllib.parse.urlsplit(url).path:
        raise SystemExit(f"{url} did not open signed in (landed on {final})")
    return report


def summary(report: dict) -> dict:
    """Scores (0-100) and the metrics that explain them, of one Lighthouse report."""
    audits = report["audits"]
    result: dict[str, float | None] = {
        c: None
        if report["categories"][c]["score"] is None
        else round(report["categories"][c]["score"] * 100)
        for c in CATEGORIES
    }
    for name, audit in METRICS.items():
        result[name] = audits[audit].get("numericValue")
    failing = [
        a["id"]
        for category in ("accessibility", "best-practices")
        for a in report["categories"][category]["auditRefs"]
        if a["weight"] and (audits[a["id"]].get("score") not in (None, 1))
    ]
    result["failing"] = failing  # type: ignore[assignment]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to serve (default: this)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--port", type=int, help="port for gunicorn (default: a free one)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports here")
    args = parser.parse_args(argv)

    cli = lighthouse_bin()
    load_before = os.getloadavg()
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        instance = Path(tmp)
        reports = args.reports or instance / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance / 'demo.db'}"
        ids = prepare(database_url)
        process, port = start_gunicorn(args.root.resolve(), database_url, instance, args.port)
        base = f"http://127.0.0.1:{port}"
        try:
            cookies = {who: session_cookie(base, who, ids["token"]) for who, _n, _p in pages(ids)}
            # One untimed request per page: the workers' first rendering (imports, caches).
            for who, _name, path in pages(ids):
                request = urllib.request.Request(base + path, headers={"Cookie": cookies[who]})
                urllib.request.urlopen(request).read()
            for who, name, path in pages(ids):
                results[name] = []
                for k in range(args.runs):
                    slug = name.split(" (")[0].replace(" ", "-")
                    out = reports / f"{slug}-{k + 1}.json"
                    report = run_lighthouse(cli, base + path, cookies[who], out)
                    results[name].append(summary(report))
        finally:
            stop(process)
    load_after = os.getloadavg()

    print(f"root: {args.root.resolve()}   runs per page: {args.runs}   lighthouse: {cli}")
    print(f"load average before: {load_before[0]:.2f}  after: {load_after[0]:.2f}")
    print(
        f"{'page':24} {'perf':>5} {'(runs)':>12} {'a11y':>5} {'b-p':>4}"
        f" {'TBT':>7} {'LCP':>7} {'FCP':>7} {'CLS':>6}  failing audits"
    )
    for name, runs in results.items():
        ordered = sorted(runs, key=lambda r: r["performance"] or 0)
        median = ordered[len(ordered) // 2]
        perf_runs = "/".join(str(r["performance"]) for r in runs)
        print(
            f"{name:24} {median['performance']:>5} {perf_runs:>12}"
            f" {median['accessibility']:>5} {median['best-practices']:>4}"
            f" {median['TBT']:>5.0f}ms {median['LCP']:>5.0f}ms {median['FCP']:>5.0f}ms"
            f" {median['CLS']:>6.3f}  {', '.join(sorted({f for r in runs for f in r['failing']}))}"
        )
    print(
        "TBT median over runs: "
        + ", ".join(
            f"{n} {statistics.median(r['TBT'] for r in rs):.0f} ms" for n, rs in results.items()
        )
    )
    print("command: python benchmarks/lighthouse.py " + " ".join(argv or sys.argv[1:]))
    if args.json:
        args.json.write_text(
            json.dumps({"load": [load_before, load_after], "results": results}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
