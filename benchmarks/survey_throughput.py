"""Survey page throughput: requests/s and latency of a participant's survey page (GET) and of
a page submit (POST) under gunicorn with 2 workers, driven by wrk on loopback, as a ratio to
a bare Flask app in the same run under the same gunicorn settings (same HTML bytes on GET;
form read and redirect on POST). A third server, benchmarks/floor_app.py, shows what a page
that reads a session cookie, runs one SQL statement and renders the same HTML through Jinja
costs at all, as a floor under the app's figures.

    python benchmarks/survey_throughput.py [--database-url URL] [--connections 32] [--seconds 10]
                                           [--participants N]

Every connection set belongs to a different participant (own session cookie and CSRF token),
rotated per request, so the POSTs update 32 different drafts as 32 people would. Targets:
ratio >= 0.5, p99 < 100 ms at 32 connections. Needs wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Gunicorn, load_average  # noqa: E402
from benchmarks.world import SERVER_ENV, Browser, Survey, questionnaire, seed  # noqa: E402

DEFAULT_SQLITE = "sqlite:////tmp/bench_production/throughput.db"
PAGE = 3  # the longest intake page: 11 statements

LUA = """
local sessions = %s
local method, path = "%s", "%s"
local counter = 0
local offset = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
function init(args)
  offset = tonumber(wrk.thread:get("offset")) or 0
end
function request()
  counter = counter + 1
  local s = sessions[(counter + offset) %% #sessions + 1]
  local headers = {["Cookie"] = s.cookie}
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", path, headers, s.body)
  end
  return wrk.format("GET", path, headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency.max))
end
"""


def lua_table(sessions: list[dict]) -> str:
    rows = ", ".join(
        f"{{cookie={json.dumps(s['cookie'])}, body={json.dumps(s.get('body', ''))}}}"
        for s in sessions
    )
    return "{" + rows + "}"


def wrk(port: int, method: str, path: str, sessions, connections: int, seconds: int, tmp: Path):
    script = tmp / f"{method.lower()}-{port}.lua"
    script.write_text(LUA % (lua_table(sessions), method, path))
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if not match:
        raise RuntimeError(f"wrk gave no result:\n{out}")
    requests, micros, p50, p99, errors, non_2xx_3xx, worst = map(int, match.groups())
    return {
        "rps": requests / (micros / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "max": worst / 1000,
        "errors": errors,
        "bad_status": non_2xx_3xx,
        "requests": requests,
    }


def worker_cpu(server: Gunicorn) -> float:
    """CPU seconds used so far by the server's worker processes."""
    total = 0.0
    for pid in server.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def median_run(runs: list[dict]) -> dict:
    """Per figure, the median over the rounds; counts summed."""
    out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p99", "max", "cpu_ms")}
    out.update({k: sum(r[k] for r in runs) for k in ("requests", "errors", "bad_status")})
    return out


def participant_sessions(port: int, database_url: str, links: list[str]) -> tuple[list, str]:
    """Each participant opens the link and page PAGE; their cookie and page form, and the HTML."""
    q = questionnaire(database_url)
    sessions, html = [], ""
    for i, token in enumerate(links):
        browser = Browser(port)
        survey = Survey(browser, q, token, seed=i)
        survey.enter()
        for n in range(1, PAGE):  # earlier pages answered, as in real use
            form = survey.page_form("intake", n)
            survey.expect(browser.request("POST", f"/deelnemer/intake/pagina/{n}", form), 302)
        form = survey.page_form("intake", PAGE)
        html = browser.request("GET", f"/deelnemer/intake/pagina/{PAGE}")[2]
        sessions.append({"cookie": browser.cookie, "body": urlencode(form)})
        browser.close()
    return sessions, html


def floor_session(port: int) -> str:
    """The floor app's session cookie ("name=value")."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/start")
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("Set-Cookie", "").split(";", 1)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_SQLITE)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--participants",
        type=int,
        default=0,
        help="other participants in the database, each with a submitted intake and exit"
        " (benchmarks/synthetic.py's sector), to show how the pages' cost grows with the data",
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)")
        return 2
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    links = seed(args.database_url, args.connections, background=args.participants)
    path = f"/deelnemer/intake/pagina/{PAGE}"
    results = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**SERVER_ENV, "DATABASE_URL": args.database_url}
        with Gunicorn(env, workers=2) as real:
            sessions, html = participant_sessions(real.port, args.database_url, links)
            (tmp / "page.html").write_text(html)
            bare_env = {"BARE_PAGE_FILE": str(tmp / "page.html")}
            floor_env = {**bare_env, "DATABASE_URL": args.database_url}
            with (
                Gunicorn(bare_env, workers=2, app="benchmarks.bare_app:app", health="/page") as bare,
                Gunicorn(floor_env, workers=2, app="benchmarks.floor_app:app", health="/start") as floor,
            ):  # fmt: skip
                anonymous = [{"cookie": "x=1", "body": s["body"]} for s in sessions]
                floor_cookie = floor_session(floor.port)
                floored = [{"cookie": floor_cookie, "body": s["body"]} for s in sessions]
                servers = (
                    ("app", real, path, sessions),
                    ("bare", bare, "/page", anonymous),
                    ("floor", floor, "/page", floored),
                )
                print(f"{load_average()}; page of {len(html.encode()):,} bytes; warming up")
                for method in ("GET", "POST"):
                    for _name, server, target, who in servers:
                        wrk(server.port, method, target, who, args.connections, 2, tmp)
                # Rounds alternate app and baselines, so a burst of load from elsewhere on the
                # machine hits all; medians over the rounds, plus the workers' CPU per request.
                for _ in range(args.rounds):
                    for method in ("GET", "POST"):
                        for name, server, target, who in servers:
                            before = worker_cpu(server)
                            r = wrk(
                                server.port,
                                method,
                                target,
                                who,
                                args.connections,
                                args.seconds,
                                tmp,
                            )
                            r["cpu_ms"] = (
                                (worker_cpu(server) - before) * 1000 / max(r["requests"], 1)
                            )
                            results.setdefault((name, method), []).append(r)
    print(
        f"gunicorn 2 sync workers, wrk -t2 -c{args.connections} -d{args.seconds}s x {args.rounds}"
        f" rounds (medians); {args.participants} other participants; {load_average()}"
    )
    passed = True
    for method, label in (("GET", "survey page"), ("POST", "page submit")):
        app, bare = median_run(results[("app", method)]), median_run(results[("bare", method)])
        floor = median_run(results[("floor", method)])
        for name, r in (("app", app), ("bare Flask", bare), ("floor", floor)):
            print(
                f"  {label:12} {name:10} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms"
                f"  p99 {r['p99']:6.1f} ms  max {r['max']:6.1f} ms"
                f"  {r['cpu_ms']:5.2f} ms worker CPU/request"
                f"  ({r['requests']} requests, {r['errors']} socket errors,"
                f" {r['bad_status']} non-2xx/3xx)"
            )
        ratio = app["rps"] / bare["rps"]
        cpu_ratio = bare["cpu_ms"] / app["cpu_ms"]
        ok = ratio >= 0.5 and app["p99"] < 100 and not app["errors"] and not app["bad_status"]
        passed = passed and ok
        print(
            f"  {label:12} ratio app/bare {ratio:.2f} req/s, {cpu_ratio:.2f} CPU per request"
            f" (target >= 0.5; p99 {app['p99']:.0f} ms, target < 100 ms)"
        )
        print(
            f"  {label:12} ratio floor/bare {floor['rps'] / bare['rps']:.2f} req/s"
            f" (session + one SQL statement + Jinja, no ORM, forms or CSRF);"
            f" app/floor {app['rps'] / floor['rps']:.2f}"
        )
    print(
        f"reproduce: python benchmarks/survey_throughput.py --database-url {args.database_url}"
        f" --connections {args.connections} --seconds {args.seconds} --rounds {args.rounds}"
        + (f" --participants {args.participants}" if args.participants else "")
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
