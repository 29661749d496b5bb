"""Load without loss: N simulated participants open their link, fill every intake page and
submit, all at once, against gunicorn; then the database is checked against what the load
tool saw succeed.

    python benchmarks/load_submit.py                      # SQLite in /tmp/bench_production
    python benchmarks/load_submit.py --database-url postgresql://postgres@127.0.0.1:5432/bench_production_load

Pass: zero errors, zero lost answers (every successful participant's stored answers equal
what they posted), zero duplicate responses, and the number of submitted responses in the
database equals the number of submits the tool recorded as successful. The database named
is emptied first. Exit status 0 on pass.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Gunicorn, load_average, percentile  # noqa: E402
from benchmarks.world import (  # noqa: E402
    SERVER_ENV,
    Browser,
    Failure,
    Survey,
    expected_answers,
    questionnaire,
    seed,
    stored,
)

DEFAULT_SQLITE = "sqlite:////tmp/bench_production/load.db"


@dataclass
class Outcome:
    participants: int
    succeeded: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    submitted_in_db: int = 0
    drafts_in_db: int = 0
    most_per_person: int = 0
    lost: list[int] = field(default_factory=list)
    unscored: int = 0

    @property
    def passed(self) -> bool:
        return (
            not self.errors
            and not self.lost
            and self.most_per_person <= 1
            and self.submitted_in_db == len(self.succeeded)
            and self.unscored == 0
        )


def one_participant(port: int, q, token: str, number: int) -> tuple[bool, str, list[float]]:
    browser = Browser(port)
    survey = Survey(browser, q, token, seed=number)
    try:
        survey.enter()
        survey.fill()
        survey.submit()
        return True, "", [t for _, t in browser.latencies]
    except (Failure, OSError, Exception) as exc:  # every failure is counted, none hidden
        return False, f"participant {number}: {type(exc).__name__}: {exc}", []
    finally:
        browser.close()


def run(database_url: str, participants: int, workers: int, log: Path | None = None) -> Outcome:
    links = seed(database_url, participants)
    q = questionnaire(database_url)
    outcome = Outcome(participants)
    with Gunicorn({**SERVER_ENV, "DATABASE_URL": database_url}, workers=workers, log=log) as app:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=participants) as pool:
            results = list(
                pool.map(
                    lambda args: one_participant(app.port, q, *args),
                    ((token, i) for i, token in enumerate(links)),
                )
            )
        outcome.seconds = time.perf_counter() - start
    for i, (ok, error, latencies) in enumerate(results):
        if ok:
            outcome.succeeded.append(i)
            outcome.latencies.extend(latencies)
        else:
            outcome.errors.append(error)
    db = stored(database_url)
    outcome.submitted_in_db = db.submitted
    outcome.drafts_in_db = db.drafts
    outcome.most_per_person = db.responses_per_person_max
    outcome.unscored = db.submitted - db.scored
    for i in outcome.succeeded:
        if db.answers.get(i) != expected_answers(q, "intake", i):
            outcome.lost.append(i)
    return outcome


def report(outcome: Outcome, database_url: str, workers: int) -> None:
    requests = len(outcome.latencies)
    print(f"{outcome.participants} participants, gunicorn {workers} workers, {load_average()}")
    print(
        f"  {len(outcome.succeeded)} submitted successfully, {len(outcome.errors)} errors,"
        f" {requests} requests in {outcome.seconds:.1f} s ({requests / outcome.seconds:.0f}/s)"
    )
    print(
        f"  latency p50 {percentile(outcome.latencies, 50) * 1000:.0f} ms,"
        f" p99 {percentile(outcome.latencies, 99) * 1000:.0f} ms"
    )
    print(
        f"  database: {outcome.submitted_in_db} submitted, {outcome.drafts_in_db} drafts,"
        f" at most {outcome.most_per_person} response per person and moment,"
        f" {outcome.unscored} submitted without scores"
    )
    print(f"  lost answers: {len(outcome.lost)} participants differ from what they posted")
    for error in outcome.errors[:5]:
        print(f"  error: {error}")
    print(f"  {'PASS' if outcome.passed else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_SQLITE)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--log", type=Path, help="append gunicorn's log here")
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    outcome = run(args.database_url, args.participants, args.workers, args.log)
    report(outcome, args.database_url, args.workers)
    print(
        f"reproduce: python benchmarks/load_submit.py --database-url {args.database_url}"
        f" --participants {args.participants} --workers {args.workers}"
    )
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
