"""Where a survey page's time goes: cProfile over many requests of one page, in process.

    python benchmarks/survey_profile.py [--database-url URL] [--method GET|POST] [--requests 400]
                                        [--participants 0] [--top 20] [--sort tottime]

The app runs as the throughput benchmark runs it (production settings, the same database
world: an open cohort, page 3 of the intake with pages 1 and 2 answered), driven by Flask's
test client instead of gunicorn, so only the app's own work is measured. Prints the top
functions by own time (or cumulative time) and the mean wall time per request. The figures
are for finding what to remove; speed itself is measured by survey_throughput.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import load_average  # noqa: E402
from benchmarks.world import SERVER_ENV, FormParser, questionnaire, seed  # noqa: E402

PAGE = 3
HOST = "https://127.0.0.1"


def production_app(database_url: str):
    """The app as gunicorn builds it from the environment of the throughput benchmark."""
    os.environ.update({**SERVER_ENV, "DATABASE_URL": database_url})
    from assess import create_app

    return create_app()


def sessions(app, database_url: str, links: list[str]) -> list[tuple]:
    """Per participant: a test client holding their session, and the page's form to post."""
    from benchmarks.world import Survey

    q = questionnaire(database_url)
    out = []
    for i, token in enumerate(links):
        client = app.test_client()
        headers = {"Referer": f"{HOST}/deelnemer/"}
        assert client.get(f"/s/{token}", base_url=HOST).status_code == 302
        answers = Survey.__new__(Survey)
        answers.q, answers.seed = q, i
        wanted = answers.answers_for("intake")
        form = {}
        for n in range(1, PAGE + 1):
            body = client.get(f"/deelnemer/intake/pagina/{n}", base_url=HOST).get_data(True)
            parser = FormParser()
            parser.feed(body)
            form = {"csrf_token": parser.csrf, "action": "next"}
            for item in q.sections_for("intake")[n - 1].items:
                if item.id in wanted:
                    value = wanted[item.id]
                    form["a_" + item.id] = (
                        f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
                    )
            if n < PAGE:
                got = client.post(
                    f"/deelnemer/intake/pagina/{n}", data=form, base_url=HOST, headers=headers
                )
                assert got.status_code == 302, got.get_data(True)[:500]
        out.append((client, urlencode(form), headers))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/bench_profile/profile.db")
    parser.add_argument("--method", choices=("GET", "POST"), default="GET")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--people", type=int, default=8, help="participants taking turns")
    parser.add_argument(
        "--participants", type=int, default=0, help="other participants in the database"
    )
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    links = seed(args.database_url, args.people, background=args.participants)
    app = production_app(args.database_url)
    people = sessions(app, args.database_url, links)
    path = f"/deelnemer/intake/pagina/{PAGE}"

    def one(i: int) -> None:
        client, body, headers = people[i % len(people)]
        if args.method == "GET":
            got = client.get(path, base_url=HOST)
            assert got.status_code == 200, got.status_code
        else:
            got = client.post(
                path,
                data=body,
                base_url=HOST,
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            )
            assert got.status_code == 302, got.get_data(True)[:500]

    for i in range(50):  # warm: templates compiled, caches filled, connections open
        one(i)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(args.requests):
        one(i)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    profiler = cProfile.Profile(time.process_time)  # CPU: the machine is shared
    profiler.enable()
    for i in range(args.requests):
        one(i)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
    print(
        f"{args.method} {path}: {wall / args.requests * 1000:.2f} ms wall,"
        f" {cpu / args.requests * 1000:.2f} ms CPU per request (test client, unprofiled);"
        f" {load_average()}"
    )
    print(
        f"reproduce: python benchmarks/survey_profile.py --database-url {args.database_url}"
        f" --method {args.method} --requests {args.requests} --participants {args.participants}"
        f" --sort {args.sort}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
