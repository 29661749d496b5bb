"""Report medians at growing data sizes, including the manager's first view after a submission.

    python benchmarks/synthetic.py --database-url sqlite:////tmp/bench/20k.db \\
        --organisations 100 --cohorts 666 --participants 20000 --followup 0.5 \\
        --cohorts-per-trainer 50
    python benchmarks/report_curve.py sqlite:////tmp/bench/1k.db sqlite:////tmp/bench/20k.db

Each database is copied first (SQLite: the file; PostgreSQL: `CREATE DATABASE … TEMPLATE`), the
copy is released once (`flask release`, untimed) and every scenario then runs against it
through the Flask test client with logged-in staff, so the figures are the server's time
without a network. Scenarios:

- manager report: the organisation report of the manager's corporation, nothing new;
- manager, after a submission: one new paired participant of the corporation (submitted by
  the app's writer, untimed), then the first view (nothing is due: the release check only);
- manager, after a release is due: k (MIN_GROUP_SIZE) new paired participants of the
  corporation in one cohort, then the first view, which makes the release on its request;
- manager, after cron released: the same, but the release is made first (untimed, as the
  cron job does) and the view only reads (RELEASE_ON_VIEW off, as in production);
- trainer analysis: one cohort of 30 with intake, exit and (half of them) follow-up;
- compare: the trainer's comparison page with the table of their 50 cohorts, 4 chosen; and
  with all of them chosen.

Targets (issue 18): manager report < 300 ms median including the first views after a
submission at 100 organisations / 20,000 participants; trainer analysis < 150 ms; compare
< 300 ms over 50 cohorts.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.db import db  # noqa: E402
from assess.models import Cohort, Organisation, Participant, User  # noqa: E402
from assess.reports.organisation import releases  # noqa: E402
from assess.survey import questionnaires  # noqa: E402
from benchmarks.harness import CpuClock, load_average  # noqa: E402
from benchmarks.synthetic import PASSWORD, bench_app  # noqa: E402
from tests import factories as make  # noqa: E402

COHORT_SIZE = 30  # the trainer analysis is timed on a cohort of this size


def copy_database(url: str, folder: Path) -> str:
    """A fresh copy of the benchmark database, so that every run starts from the same data."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = folder / Path(parsed.database or "").name
        source = create_engine(url)
        with source.connect() as connection:  # a consistent copy, WAL included
            connection.exec_driver_sql(f"VACUUM INTO '{target}'")
        source.dispose()
        return str(parsed.set(database=str(target)))
    name = f"{parsed.database}_run"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def drop_copy(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


def the_cohort() -> int:
    """A cohort of the middle trainer with COHORT_SIZE participants (the analysis page's)."""
    sizes = (
        select(Participant.cohort_id, func.count(Participant.id))
        .group_by(Participant.cohort_id)
        .order_by(Participant.cohort_id)
    )
    full = [cid for cid, n in db.session.execute(sizes) if n == COHORT_SIZE]
    return full[len(full) // 2]


class World:
    """Who is timed: a trainer with their cohorts, a manager of one of the cohort's corporations."""

    def __init__(self, app) -> None:
        with app.app_context():
            self.cohort_id = the_cohort()
            cohort = db.session.get(Cohort, self.cohort_id)
            self.trainer_email = db.session.get(User, cohort.trainer_id).email
            self.own = db.session.scalars(
                select(Cohort.id).where(Cohort.trainer_id == cohort.trainer_id).order_by(Cohort.id)
            ).all()
            self.organisation_id = db.session.scalar(
                select(Participant.organisation_id)
                .where(Participant.cohort_id == self.cohort_id)
                .limit(1)
            )
            self.manager_email = db.session.scalar(
                select(User.email).filter_by(organisation_id=self.organisation_id)
            )
            self.minimum = max(3, int(app.config["MIN_GROUP_SIZE"]))
            self.seed = 1
            db.session.remove()

    def submit(self, app, n: int, cohort_id: int) -> None:
        """n new participants of the manager's corporation with intake and exit submitted."""
        with app.app_context():
            org = db.session.get(Organisation, self.organisation_id)
            make.panel(org, db.session.get(Cohort, cohort_id), n, seed=self.seed)
            self.seed += 1
            db.session.commit()
            db.session.remove()


def login(app, email: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"login of {email} failed"
    return client


def fetch(client, path: str) -> Callable[[], int]:
    def get() -> int:
        response = client.get(path)
        assert response.status_code == 200, f"{path} gave {response.status_code}"
        return len(response.data)

    return get


def timed(fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None):
    """Wall and CPU milliseconds of `repeat` runs of fn, each after an untimed `before`."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        with CpuClock() as clock:
            fn()
        walls.append(clock.wall * 1000)
        cpus.append(clock.cpu * 1000)
    return walls, cpus


def profile(name: str, fn: Callable[[], object], runs: int, before=None, top: int = 20) -> None:
    """cProfile of `runs` runs of one scenario: the top functions by own time and cumulative."""
    profiler = cProfile.Profile()
    for _ in range(runs):
        if before is not None:
            before()
        profiler.enable()
        fn()
        profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(f"\n--- {name}: {runs} runs, by {order}")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())


def run(
    url: str, repeat: int, folder: Path, profiled: list[str] | None = None
) -> tuple[int, dict[str, tuple[list, list]]]:
    copy = copy_database(url, folder)
    app = bench_app(copy)
    with app.app_context():
        participants = db.session.scalar(select(func.count(Participant.id)))
        with CpuClock() as clock:
            released = releases.release_due(
                questionnaires.registry(), max(3, int(app.config["MIN_GROUP_SIZE"]))
            )
        print(f"  (initial release of {released} atoms: {clock.wall:.1f} s, untimed)")
        db.session.remove()
    world = World(app)
    manager = login(app, world.manager_email)
    trainer = login(app, world.trainer_email)
    report = fetch(manager, "/manager/")

    def report_only() -> int:
        app.config["RELEASE_ON_VIEW"] = False
        try:
            return report()
        finally:
            app.config["RELEASE_ON_VIEW"] = True

    def cron_release() -> None:
        with app.app_context():
            releases.release_due(
                questionnaires.registry(), max(3, int(app.config["MIN_GROUP_SIZE"]))
            )
            db.session.remove()

    analysis = fetch(trainer, f"/trainer/cohorten/{world.cohort_id}/analyse")
    chosen = "&".join(f"cohort={c}" for c in world.own[:4])
    compare = fetch(trainer, f"/trainer/vergelijken?{chosen}")
    every = "&".join(f"cohort={c}" for c in world.own)
    compare_all = fetch(trainer, f"/trainer/vergelijken?{every}")
    for fn in (report, analysis, compare, compare_all):
        fn()  # warm-up: caches, compiled statements, pool
    other = next(c for c in world.own if c != world.cohort_id)
    scenarios = {
        "manager report": (report, repeat, None),
        "manager, after a submission": (
            report,
            repeat,
            lambda: world.submit(app, 1, world.cohort_id),
        ),
        "manager, after a release is due": (
            report,
            max(3, repeat // 3),
            lambda: world.submit(app, world.minimum, other),
        ),
        # Production (RELEASE_ON_VIEW off): cron made the release (untimed), the report reads.
        "manager, after cron released": (
            report_only,
            max(3, repeat // 3),
            lambda: (world.submit(app, world.minimum, other), cron_release()),
        ),
        f"trainer analysis ({COHORT_SIZE})": (analysis, repeat, None),
        f"compare (4 of {len(world.own)})": (compare, repeat, None),
        f"compare (all {len(world.own)})": (compare_all, repeat, None),
    }
    if profiled is not None:
        for name, (fn, runs, before) in scenarios.items():
            if any(name.startswith(p) for p in profiled):
                profile(name, fn, min(runs, 5), before)
        return participants, {}
    results = {name: timed(fn, runs, before) for name, (fn, runs, before) in scenarios.items()}
    with app.app_context():
        db.engine.dispose()
    drop_copy(copy)
    return participants, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+", help="benchmark databases (benchmarks/synthetic.py)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--profile",
        action="append",
        metavar="SCENARIO",
        help="print cProfile top-20 tables of the scenarios starting so instead of timing",
    )
    args = parser.parse_args(argv)
    table = []
    with tempfile.TemporaryDirectory(prefix="report-curve-") as folder:
        for url in args.urls:
            print(f"{make_url(url)!r}  ({load_average()})")
            participants, results = run(url, args.repeat, Path(folder), args.profile)
            for name, (walls, cpus) in results.items():
                row = (
                    make_url(url).get_backend_name(),
                    participants,
                    name,
                    statistics.median(walls),
                    min(walls),
                    max(walls),
                    statistics.median(cpus),
                )
                table.append(row)
                print(
                    f"  {name:34} median {row[3]:7.1f} ms wall (min {row[4]:6.1f},"
                    f" max {row[5]:7.1f})  {row[6]:7.1f} ms CPU"
                )
            print(f"  after: {load_average()}")
    print("\n| database | participants | page | median ms | min | max | CPU ms |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for backend, n, name, median, low, high, cpu in table:
        print(f"| {backend} | {n} | {name} | {median:.0f} | {low:.0f} | {high:.0f} | {cpu:.0f} |")
    print(
        f"reproduce: python benchmarks/report_curve.py {' '.join(args.urls)} --repeat {args.repeat}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
