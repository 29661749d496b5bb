"""Report scale: how long the trainer's and the manager's dashboards take on a sector-sized
database, and whether a single cohort's dashboard stays as fast when the database grows.

    python benchmarks/synthetic.py --database-url sqlite:////tmp/bench/small.db \\
        --organisations 5 --cohorts 50 --participants 1000
    python benchmarks/synthetic.py --database-url sqlite:////tmp/bench/large.db
    python benchmarks/report_scale.py --small sqlite:////tmp/bench/small.db \\
        --large sqlite:////tmp/bench/large.db

Both databases have cohorts of 20 and organisations of about 200 participants, so a cohort's
(and an organisation's) dashboard does the same work in both; only the rest of the database
is 20 times bigger. Targets: every dashboard median < 300 ms; single-cohort ratio large/small
<= 1.3 (indexed queries, aggregation in SQL).

When the app has the trainer's and the manager's pages, the real pages are timed through the
Flask test client with a logged-in session (`--mode pages`, the default when they exist);
otherwise the dashboards' queries (`--mode queries`): the group scores of
assess/reports/scores.py and, below, the aggregates the first dashboards were planned on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.engine import make_url
from sqlalchemy.orm import aliased

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.db import db  # noqa: E402
from assess.engine import stats  # noqa: E402
from assess.models import Cohort, Participant, Response, Score, Status, User  # noqa: E402
from assess.reports import scores as reports  # noqa: E402
from benchmarks.harness import CpuClock, backend_pids, load_average  # noqa: E402
from benchmarks.synthetic import PASSWORD, bench_app  # noqa: E402

Scenario = Callable[[], object]


def middle_cohort() -> int:
    ids = db.session.scalars(select(Cohort.id).order_by(Cohort.id)).all()
    return ids[len(ids) // 2]


# --------------------------------------------------------------------------- query mode
# The aggregates the dashboards were first planned on; the pages now use assess/reports.


def submitted_counts(group: ColumnElement[bool]) -> dict[str, int]:
    """How many of the group submitted each moment."""
    query = (
        select(Response.moment, func.count())
        .join(Participant, Participant.id == Response.participant_id)
        .where(group, Response.status == Status.SUBMITTED)
        .group_by(Response.moment)
    )
    return dict(db.session.execute(query).all())


def change_per_scale(rows) -> dict[str, stats.PairedChange]:
    """The engine's paired change (means, interval, effect sizes, p) for every scale."""
    return {
        scale_id: stats.paired_change(pairs.pre, pairs.post)
        for scale_id, pairs in reports.pair_up(rows).items()
    }


@dataclass(frozen=True)
class Aggregate:
    scale_id: str
    moment: str
    variant: str
    n: int
    mean: float | None
    sd: float | None


def aggregate_scores(group: ColumnElement[bool]) -> list[Aggregate]:
    """n, mean and SD of the "now" scores per scale and moment, from sums in SQL (SQLite has
    no STDDEV).
    """
    query = (
        select(
            Score.scale_id,
            Response.moment,
            Score.variant,
            func.count(Score.pomp),
            func.sum(Score.pomp),
            func.sum(Score.pomp * Score.pomp),
        )
        .join(Response, Score.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            group,
            Response.status == Status.SUBMITTED,
            Response.moment.in_(("intake", "exit")),
            Score.variant == "now",
        )
        .group_by(Score.scale_id, Response.moment, Score.variant)
    )
    result = []
    for scale_id, moment, variant, n, total, squares in db.session.execute(query):
        sums = stats.Sums.from_sql(n, total, squares)
        result.append(Aggregate(scale_id, moment, variant, sums.n, sums.mean, sums.sd))
    return result


def paired_change_sql(group: ColumnElement[bool]) -> dict[str, stats.ChangeFromSums]:
    """Intake-to-exit change per scale, the pairs joined and summed in SQL."""
    r1, r2 = aliased(Response), aliased(Response)
    s1, s2 = aliased(Score), aliased(Score)
    diff = s2.pomp - s1.pomp
    query = (
        select(s1.scale_id, func.count(diff), func.sum(diff), func.sum(diff * diff))
        .select_from(Participant)
        .join(r1, and_(r1.participant_id == Participant.id, r1.moment == "intake"))
        .join(r2, and_(r2.participant_id == Participant.id, r2.moment == "exit"))
        .join(s1, and_(s1.response_id == r1.id, s1.variant == "now"))
        .join(s2, and_(s2.response_id == r2.id, s2.variant == "now", s2.scale_id == s1.scale_id))
        .where(group, r1.status == Status.SUBMITTED, r2.status == Status.SUBMITTED)
        .group_by(s1.scale_id)
    )
    return {
        scale_id: stats.change_from_sums(stats.Sums.from_sql(n, total, squares))
        for scale_id, n, total, squares in db.session.execute(query)
    }


def query_scenarios(app) -> dict[str, Scenario]:
    """The dashboards' queries, for before the pages exist."""
    with app.app_context():
        return _query_scenarios(app)


def _query_scenarios(app) -> dict[str, Scenario]:
    cohort_id = middle_cohort()
    trainer_id = db.session.get(Cohort, cohort_id).trainer_id
    own = db.session.scalars(select(Cohort.id).where(Cohort.trainer_id == trainer_id)).all()
    organisation_id = db.session.scalar(
        select(Participant.organisation_id).where(Participant.cohort_id == cohort_id).limit(1)
    )

    def cohort_dashboard():
        group = Participant.cohort_id == cohort_id
        submitted_counts(group)
        change_per_scale(reports.group_scores(group))

    def cohort_comparison():
        for cid in own:
            group = Participant.cohort_id == cid
            submitted_counts(group)
            aggregate_scores(group)
            paired_change_sql(group)

    def organisation_report():
        group = Participant.organisation_id == organisation_id
        submitted_counts(group)
        aggregate_scores(group)
        paired_change_sql(group)
        aggregate_scores(true())  # the sector benchmark
        paired_change_sql(true())

    def in_context(fn: Scenario) -> Scenario:
        def call():
            with app.app_context():
                fn()

        return call

    return {
        "cohort dashboard (1 cohort)": in_context(cohort_dashboard),
        f"cohort comparison ({len(own)} cohorts)": in_context(cohort_comparison),
        "organisation report + sector": in_context(organisation_report),
    }


def page_scenarios(app) -> dict[str, Scenario]:
    """The real pages, fetched by logged-in staff through the test client.

    Requests run outside any app context of ours: inside one, Flask would reuse it, and the
    logged-in user cached in its `g` would leak from one client's request to the other's.
    """
    with app.app_context():
        cohort_id = middle_cohort()
        trainer = db.session.get(User, db.session.get(Cohort, cohort_id).trainer_id)
        organisation_id = db.session.scalar(
            select(Participant.organisation_id).where(Participant.cohort_id == cohort_id).limit(1)
        )
        manager = db.session.scalar(select(User).filter_by(organisation_id=organisation_id))
        own = db.session.scalars(
            select(Cohort.id).where(Cohort.trainer_id == trainer.id).order_by(Cohort.id)
        ).all()
        logins = [(trainer.email, app.test_client()), (manager.email, app.test_client())]
        db.session.remove()
    for email, client in logins:
        login = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert login.status_code == 302, f"login of {email} failed"
    trainer_client, manager_client = logins[0][1], logins[1][1]

    def get(client, path: str) -> Scenario:
        def fetch():
            response = client.get(path)
            assert response.status_code == 200, f"{path} gave {response.status_code}"
            return len(response.data)

        return fetch

    return {
        "cohort dashboard (1 cohort)": get(
            trainer_client, f"/trainer/cohorten/{cohort_id}/analyse"
        ),
        # Four of the trainer's cohorts side by side, above the table of all of them.
        f"cohort comparison (4 of {len(own)} cohorts)": get(
            trainer_client, "/trainer/vergelijken?" + "&".join(f"cohort={c}" for c in own[:4])
        ),
        "organisation report + sector": get(manager_client, "/manager/"),
    }


def has_pages(app) -> bool:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    return {"trainer.compare", "manager.index"} <= endpoints and any(
        e.startswith("trainer.cohort") for e in endpoints
    )


def measure(fn: Scenario, repeat: int, pids: list[int]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (app + database server backends) milliseconds of each run."""
    fn()  # warm-up: caches, compiled statements, pool
    walls, cpus = [], []
    for _ in range(repeat):
        with CpuClock(pids=pids) as clock:
            fn()
        walls.append(clock.wall * 1000)
        cpus.append(clock.cpu * 1000)
    return walls, cpus


def run(database_url: str, mode: str, repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    app = bench_app(database_url)
    if mode == "auto":
        mode = "pages" if has_pages(app) else "queries"
    with app.app_context():
        participants = db.session.scalar(select(func.count(Participant.id)))
        db.session.remove()
    scenarios = page_scenarios(app) if mode == "pages" else query_scenarios(app)
    for fn in scenarios.values():
        fn()  # fill the pool, so that the backends measured are the ones used
    with app.app_context():
        pids = backend_pids(db.engine)
    results = {name: measure(fn, repeat, pids) for name, fn in scenarios.items()}
    with app.app_context():
        db.engine.dispose()
    print(f"\n{make_url(database_url)!r}  ({participants} participants, {mode}; {load_average()})")
    for name, (walls, cpus) in results.items():
        print(
            f"  {name:34} median {statistics.median(walls):7.1f} ms wall"
            f" (min {min(walls):6.1f}, max {max(walls):6.1f})"
            f"  {statistics.median(cpus):7.1f} ms CPU"
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", required=True, help="database URL with ~1,000 participants")
    parser.add_argument("--large", required=True, help="database URL with ~20,000 participants")
    parser.add_argument("--mode", choices=("auto", "pages", "queries"), default="auto")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    small = run(args.small, args.mode, args.repeat)
    large = run(args.large, args.mode, args.repeat)
    single = next(name for name in small if name.startswith("cohort dashboard"))
    for index, kind in ((0, "wall"), (1, "CPU")):
        ratio = statistics.median(large[single][index]) / statistics.median(small[single][index])
        slowest = max(statistics.median(t[index]) for t in large.values())
        print(
            f"\n{kind}: single-cohort dashboard large/small {ratio:.2f} (target <= 1.3);"
            f" slowest dashboard median at scale {slowest:.1f} ms (target < 300 ms)"
        )
    print(
        "reproduce: python benchmarks/report_scale.py"
        f" --small {args.small} --large {args.large} --mode {args.mode} --repeat {args.repeat}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
