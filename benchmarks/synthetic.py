"""Sector-scale synthetic data: organisations, trainers, cohorts and participants who submitted
an intake and an exit, with simulated answers; scores come from a timed `responses.rescore()`,
which is the rescoring benchmark (target: all responses in under 60 s).

    python benchmarks/synthetic.py --database-url sqlite:///bench/sector.db
    python benchmarks/synthetic.py --database-url postgresql://postgres@127.0.0.1:5432/bench_production
    python benchmarks/synthetic.py --participants 1000 --organisations 5 --cohorts 50 ...

The database is emptied first. Rows are precomputed in Python and bulk-inserted (executemany on
SQLite, COPY on PostgreSQL); answers come from the engine's simulate_answers, so the data has
the shape of real surveys (intake 45 answers, exit 79 with the retrospective block), each person
drawn by draw_participant, so the figures look like real self-report data (alphas .70-.85,
scale correlations .30-.50, scenario-Likert r <= .30, self-ratings near the ceiling, change
g_av .20-.50: the table and its sources are in assess/engine/simulate.py).
Every staff account gets the password in PASSWORD, for the report benchmark's logins.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess import clock as app_clock
from assess import create_app
from assess.db import db  # noqa: E402
from assess.engine import simulate_answers  # noqa: E402
from assess.engine.simulate import POPULATION_LEVEL, draw_participant  # noqa: E402
from assess.models import Cohort, MomentWindow, Organisation, Participant, Response, User
from assess.survey import questionnaires  # noqa: E402
from assess.survey.answers import NUMERIC_TYPES  # noqa: E402
from assess.survey.responses import rescore  # noqa: E402
from assess.web.passwords import hash_password  # noqa: E402
from benchmarks.harness import CpuClock, load_average  # noqa: E402

INSTRUMENT = "leergang-woonconsulent"
PASSWORD = "benchmark-wachtwoord"
COHORTS_PER_TRAINER = 20
ORGANISATIONS_PER_COHORT = 3
CHUNK = 1000  # participants generated and inserted per round, to bound memory


@dataclass
class Built:
    organisations: int
    cohorts: int
    participants: int
    responses: int
    answers: int
    insert_seconds: float
    rescore: CpuClock


def bench_app(database_url: str):
    """The real app on the given database, outside any request (no CSRF, no rate limits)."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "BASE_URL": "http://127.0.0.1",
        }
    )


def build(
    database_url: str,
    organisations: int,
    cohorts: int,
    participants: int,
    seed: int = 2026,
    rescore: bool = True,
    followup: float = 0.0,
    per_trainer: int = COHORTS_PER_TRAINER,
) -> Built:
    app = bench_app(database_url)
    rng = random.Random(seed)
    with app.app_context():
        q = questionnaires.get(INSTRUMENT)
        db.drop_all()
        db.create_all()
        postgres = db.engine.dialect.name == "postgresql"
        started = time.perf_counter()
        now = app_clock.now()
        password = hash_password(PASSWORD)
        trainers = -(-cohorts // per_trainer)

        db.session.execute(
            insert(Organisation),
            [
                {"id": o, "name": f"Woonstichting {o:03d}", "active": True, "created_at": now}
                for o in range(1, organisations + 1)
            ],
        )
        staff = [
            {"id": t, "email": f"trainer{t}@bench.example.nl", "name": f"Trainer {t}",
             "role": "trainer", "organisation_id": None}
            for t in range(1, trainers + 1)
        ] + [
            {"id": trainers + o, "email": f"manager{o}@bench.example.nl", "name": f"Manager {o}",
             "role": "manager", "organisation_id": o}
            for o in range(1, organisations + 1)
        ]  # fmt: skip
        db.session.execute(
            insert(User),
            [{**u, "password_hash": password, "active": True, "session_version": 1,
              "created_at": now} for u in staff],
        )  # fmt: skip
        start = date(2024, 1, 8)
        db.session.execute(
            insert(Cohort),
            [
                {"id": c, "name": f"Leergang {c:04d}", "trainer_id": 1 + (c - 1) // per_trainer,
                 "questionnaire_id": INSTRUMENT, "archived": False, "created_at": now,
                 "start_date": start + timedelta(days=7 * (c % 100)),
                 "end_date": start + timedelta(days=7 * (c % 100) + 70)}
                for c in range(1, cohorts + 1)
            ],
        )  # fmt: skip
        db.session.execute(
            insert(MomentWindow),
            [
                {"cohort_id": c, "moment": m, "enabled": True}
                for c in range(1, cohorts + 1)
                for m in ("intake", "exit", "followup")
            ],
        )
        cohort_orgs = {
            c: rng.sample(range(1, organisations + 1), min(ORGANISATIONS_PER_COHORT, organisations))
            for c in range(1, cohorts + 1)
        }
        answers_total = 0
        for first in range(1, participants + 1, CHUNK):
            ids = range(first, min(first + CHUNK, participants + 1))
            answers_total += _insert_chunk(
                ids, cohorts, participants, cohort_orgs, q, rng, now, followup
            )
            db.session.commit()
        if postgres:
            for table in ("organisation", "user", "cohort", "participant", "response"):
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                        f' (SELECT max(id) FROM "{table}"))'
                    )
                )
            db.session.commit()
        inserted = time.perf_counter() - started

        db.session.remove()
        db.engine.dispose()
    responses, clock = time_rescore(database_url, rescore)
    return Built(organisations, cohorts, participants, responses, answers_total, inserted, clock)


def time_rescore(database_url: str, run: bool = True) -> tuple[int, CpuClock]:
    """Recompute every score (the `flask rescore` path), timed; then refresh planner stats.
    `run=False` leaves the scores out (data for pages that show none) and only refreshes."""
    app = bench_app(database_url)
    with app.app_context():
        with CpuClock(db.session.connection()) as clock:
            responses = rescore() if run else 0
        # Fresh planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would give.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return responses, clock


def _insert_chunk(ids, cohorts, participants, cohort_orgs, q, rng, now, followup=0.0) -> int:
    per_cohort = max(1, participants // cohorts)
    people, responses, answers = [], [], []
    for p in ids:
        cohort = min(cohorts, 1 + (p - 1) // per_cohort)
        org = rng.choice(cohort_orgs[cohort])
        people.append(
            {"id": p, "cohort_id": cohort, "organisation_id": org, "name": f"Deelnemer {p}",
             "email": f"p{p}@org{org}.example.nl", "code": f"S{p:07d}", "created_at": now}
        )  # fmt: skip
        # one consultant of the simulated population (engine/simulate.py), for every moment
        person = draw_participant(q, rng)
        # A share of the participants also came back for the follow-up (ids after 3 per person
        # are left unused otherwise, so ids stay a function of the participant).
        moments = ("intake", "exit", "followup") if rng.random() < followup else ("intake", "exit")
        for offset, moment in enumerate(moments):
            rid = 3 * p - 2 + offset
            responses.append(
                {"id": rid, "participant_id": p, "moment": moment, "status": "submitted",
                 "questionnaire_id": q.id, "questionnaire_version": q.version,
                 "current_page": 0, "started_at": now, "updated_at": now, "submitted_at": now}
            )  # fmt: skip
            given = simulate_answers(q, moment, rng, POPULATION_LEVEL, person=person)
            for item_id, value in given.items():
                if value is None:  # an optional item left blank: no row, as save_answers does
                    continue
                numeric = q.items_by_id[item_id].type in NUMERIC_TYPES
                answers.append(
                    (rid, item_id, float(value), None) if numeric else (rid, item_id, None, value)
                )
    db.session.execute(insert(Participant), people)
    db.session.execute(insert(Response), responses)
    _bulk_answers(answers)
    return len(answers)


def _bulk_answers(rows: list[tuple]) -> None:
    """The fast path for the big table: COPY on PostgreSQL, executemany on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy("COPY answer (response_id, item_id, value, text) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        connection.exec_driver_sql(
            "INSERT INTO answer (response_id, item_id, value, text) VALUES (?, ?, ?, ?)", rows
        )


def analyze(database_url: str) -> bool:
    """On PostgreSQL, refresh the planner's statistics and the visibility map after the load.

    Right after a bulk load and a rescoring (800,000 score rows deleted and written again) the
    statistics are stale until autovacuum comes by; the manager report measured 192 ms instead
    of 144 ms then. SQLite needs nothing.
    """
    if not database_url.startswith("postgresql"):
        return False
    with bench_app(database_url).app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:///bench/sector.db")
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--cohorts", type=int, default=1000)
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--followup", type=float, default=0.0, help="share of participants with a follow-up too"
    )
    parser.add_argument("--cohorts-per-trainer", type=int, default=COHORTS_PER_TRAINER)
    parser.add_argument(
        "--rescore-only", action="store_true", help="only time rescoring an existing database"
    )
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    print(f"before: {load_average()}")
    if args.rescore_only:
        responses, clock = time_rescore(args.database_url)
        print(f"{responses} submitted responses")
    else:
        built = build(
            args.database_url,
            args.organisations,
            args.cohorts,
            args.participants,
            seed=args.seed,
            followup=args.followup,
            per_trainer=args.cohorts_per_trainer,
        )
        clock = built.rescore
        print(
            f"{built.organisations} organisations, {built.cohorts} cohorts,"
            f" {built.participants} participants, {built.responses} submitted responses,"
            f" {built.answers} answers"
        )
        print(f"insert (generate + bulk insert): {built.insert_seconds:.1f} s")
    print(
        f"rescore all responses: {clock.wall:.1f} s wall, {clock.cpu:.1f} s CPU"
        f" (app {clock.client:.1f} + database server {clock.server:.1f}); target < 60 s"
    )
    if analyze(args.database_url):
        print(
            "VACUUM ANALYZE done (what autovacuum does after a bulk load; the report plans need it)"
        )
    print(f"after: {load_average()}")
    print(
        "reproduce: python benchmarks/synthetic.py"
        f" --database-url {args.database_url} --organisations {args.organisations}"
        f" --cohorts {args.cohorts} --participants {args.participants} --seed {args.seed}"
        f" --followup {args.followup} --cohorts-per-trainer {args.cohorts_per_trainer}"
        + (" --rescore-only" if args.rescore_only else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
