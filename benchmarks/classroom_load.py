"""Course day 1: a class fills in intake and exit while the trainer and a manager keep reloading
every page they have, against gunicorn (issue 13).

    python benchmarks/classroom_load.py                      # SQLite in /tmp/bench_production
    python benchmarks/classroom_load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_classroom

N participants (30 by default) each open their link, fill every intake page through the real
forms, submit, then do the same for the exit survey. Meanwhile one trainer reloads every page
of the cohort (overview, response tracking, analysis, participant list and reports, exports,
mail pages, comparison) and one manager every report page (report, policy page, beleidsscan,
XLSX), each in a loop until the class is done.

Pass: no response >= 500 from anyone, no unexpected status, no lost answers (every
participant's stored intake and exit equal what they posted, one response per moment), and
every audited read on record exactly once (audit rows per action and reader equal the number
of 200 responses of the pages that audit that action). Exit status 0 on pass.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Gunicorn, load_average, percentile  # noqa: E402
from benchmarks.world import (  # noqa: E402
    SERVER_ENV,
    Browser,
    Failure,
    FormParser,
    Survey,
    app_for,
    expected_answers,
    questionnaire,
    stored,
)

DEFAULT_SQLITE = "sqlite:////tmp/bench_production/classroom.db"
PASSWORD = "klaslokaal-belasting-2026"
TRAINER, MANAGER = "trainer@klas.example.nl", "manager@klas.example.nl"
MOMENTS = ("intake", "exit")

# Pages that record a read in the audit trail: page name -> audit action.
AUDITED = {
    "cohort": "view_cohort",
    "tracking": "view_response_tracking",
    "analysis": "view_cohort_analysis",
    "compare": "view_cohort_comparison",
    "participant_report": "view_participant_report",
    "export_xlsx": "export_responses",
    "export_csv": "export_responses",
    "all_export": "export_responses",
    "manager report": "org_report_viewed",
    "manager policy": "policy_gap_viewed",
    "manager_xlsx": "org_report_exported",
}


@dataclass
class World:
    links: list[str]
    cohort_id: int
    participant_ids: list[int]
    trainer_id: int
    manager_id: int


def seed(database_url: str, participants: int) -> World:
    """Empty the database: one trainer with one open cohort of N participants of De Linde, and a
    manager of De Linde."""
    from assess.db import db
    from assess.models import Participant
    from assess.survey import tokens
    from assess.web.passwords import hash_password
    from tests import factories

    app = app_for(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        hashed = hash_password(PASSWORD)
        trainer = factories.staff("trainer", TRAINER, hashed, name="Trainer")
        cohort = factories.cohort(trainer, "Voorjaar klaslokaal")
        people = factories.participants(cohort, participants)
        manager = factories.staff(
            "manager", MANAGER, hashed, name="Manager", org=factories.organisation()
        )
        db.session.commit()
        world = World(
            [tokens.current_token(db.session.get(Participant, p.id)) for p in people],
            cohort.id,
            [p.id for p in people],
            trainer.id,
            manager.id,
        )
        db.session.remove()
        db.engine.dispose()
    return world


@dataclass
class Log:
    """Every request's page type, status and latency, from every client (thread-safe)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)

    def add(self, page: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[page].append(seconds)
            self.statuses[page][status] += 1

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class LoggedBrowser(Browser):
    """A Browser that files each request under a page type."""

    def __init__(self, port: int, log: Log) -> None:
        super().__init__(port)
        self.log = log
        self.page = "?"

    def request(self, method: str, path: str, form: dict | None = None):
        start = time.perf_counter()
        got = super().request(method, path, form)
        self.log.add(self.page, got[0], time.perf_counter() - start)
        return got


def participant_page(method: str, path: str) -> str:
    if path.startswith("/s/"):
        return "participant: link"
    if path.endswith("/indienen"):
        return "participant: submit"
    if path.endswith("/controle"):
        return "participant: review"
    return f"participant: page {'save' if method == 'POST' else 'view'}"


class ParticipantBrowser(LoggedBrowser):
    def request(self, method: str, path: str, form: dict | None = None):
        self.page = participant_page(method, path)
        return super().request(method, path, form)


def one_participant(port: int, q, token: str, number: int, log: Log) -> bool:
    browser = ParticipantBrowser(port, log)
    survey = Survey(browser, q, token, seed=number)
    try:
        survey.enter()
        for moment in MOMENTS:
            survey.fill(moment)
            survey.submit(moment)
        return True
    except Exception as exc:  # every failure is counted, none hidden
        log.error(f"participant {number}: {type(exc).__name__}: {exc}")
        return False
    finally:
        browser.close()


def log_in(browser: LoggedBrowser, email: str) -> None:
    browser.page = "login"
    status, _, body = browser.request("GET", "/auth/login")
    parser = FormParser()
    parser.feed(body)
    form = {"csrf_token": parser.csrf, "email": email, "password": PASSWORD, "next": ""}
    status, where, _ = browser.request("POST", "/auth/login", form)
    if status != 302:
        raise Failure(f"login {email}: {status} {where}")


def trainer_pages(world: World) -> list[tuple[str, str]]:
    c = f"/trainer/cohorten/{world.cohort_id}"
    export = {"vorm": "breed", "formaat": "xlsx", "download": "1"}
    pages = [
        ("trainer index", "/trainer/"),
        ("cohort", c),
        ("tracking", f"{c}/respons"),
        ("analysis", f"{c}/analyse"),
        ("participant list", f"{c}/deelnemers/lijst"),
        ("export_xlsx", f"{c}/export?{urlencode(export)}"),
        ("export form", f"{c}/export"),
        ("export_csv", f"{c}/export?{urlencode({**export, 'vorm': 'lang', 'formaat': 'csv'})}"),
        ("all_export", f"/trainer/export?{urlencode(export)}"),
        ("mail", f"/trainer/mail/{world.cohort_id}"),
        ("compare", "/trainer/vergelijken"),
    ]
    # One participant's report per round, in turn.
    pages.append(("participant_report", f"{c}/deelnemers/{{participant}}/rapport"))
    return pages


MANAGER_PAGES = [
    ("manager report", "/manager/"),
    ("manager policy", "/manager/beleid"),
    ("manager beleidsscan", "/manager/beleidsscan"),
    ("manager_xlsx", "/manager/rapportage.xlsx"),
]


def staff_loop(
    port: int, email: str, pages: list[tuple[str, str]], world: World, log: Log, done
) -> Counter:
    """Reload every page in turn until the class is done (and at least one full round)."""
    browser = LoggedBrowser(port, log)
    ok: Counter = Counter()
    people = itertools.cycle(world.participant_ids)
    try:
        log_in(browser, email)
        rounds = 0
        while rounds == 0 or not done.is_set():
            for page, path in pages:
                browser.page = page
                try:
                    status, where, _ = browser.request(
                        "GET", path.replace("{participant}", str(next(people)))
                    )
                except OSError as exc:
                    log.error(f"{email} {page}: {type(exc).__name__}: {exc}")
                    continue
                if status == 200:
                    ok[page] += 1
                elif not (status == 302 and page == "manager_xlsx"):
                    # The manager's XLSX redirects back while the group is too small.
                    log.error(f"{email} {page}: {status} {where}")
            rounds += 1
    except Exception as exc:
        log.error(f"{email}: {type(exc).__name__}: {exc}")
    finally:
        browser.close()
    return ok


@dataclass
class Outcome:
    participants: int
    succeeded: int = 0
    log: Log = field(default_factory=Log)
    seconds: float = 0.0
    lost: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for c in self.log.statuses.values() for s, n in c.items() if s >= 500)

    @property
    def passed(self) -> bool:
        return (
            self.succeeded == self.participants
            and not self.log.errors
            and self.server_errors == 0
            and not self.lost
            and not self.audit
        )


def audit_counts(database_url: str) -> Counter:
    """Audit rows per (action, reader id)."""
    from assess.db import db
    from assess.models import AuditEvent

    app = app_for(database_url)
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEvent.action, AuditEvent.actor_id, db.func.count())
            .where(AuditEvent.actor_type == "user")
            .group_by(AuditEvent.action, AuditEvent.actor_id)
        ).all()
        db.session.remove()
        db.engine.dispose()
    return Counter({(action, actor): n for action, actor, n in rows})


def run(database_url: str, participants: int, workers: int, log: Path | None = None) -> Outcome:
    world = seed(database_url, participants)
    q = questionnaire(database_url)
    outcome = Outcome(participants)
    done = threading.Event()
    with Gunicorn({**SERVER_ENV, "DATABASE_URL": database_url}, workers=workers, log=log) as app:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=participants + 2) as pool:
            trainer = pool.submit(
                staff_loop, app.port, TRAINER, trainer_pages(world), world, outcome.log, done
            )
            manager = pool.submit(
                staff_loop, app.port, MANAGER, MANAGER_PAGES, world, outcome.log, done
            )
            class_ = [
                pool.submit(one_participant, app.port, q, token, i, outcome.log)
                for i, token in enumerate(world.links)
            ]
            outcome.succeeded = sum(f.result() for f in class_)
            done.set()
            read = {TRAINER: trainer.result(), MANAGER: manager.result()}
        outcome.seconds = time.perf_counter() - start
    for moment in MOMENTS:
        found = stored(database_url, moment)
        if found.responses_per_person_max > 1:
            outcome.lost.append(f"{moment}: more than one response for a person")
        if found.submitted != participants or found.scored != participants:
            outcome.lost.append(
                f"{moment}: {found.submitted} submitted, {found.scored} scored of {participants}"
            )
        for i in range(participants):
            if found.answers.get(i) != expected_answers(q, moment, i):
                outcome.lost.append(f"{moment}: participant {i} differs from what they posted")
    audited = audit_counts(database_url)
    for email, reader in ((TRAINER, world.trainer_id), (MANAGER, world.manager_id)):
        expected: Counter = Counter()
        for page, n in read[email].items():
            if page in AUDITED:
                expected[AUDITED[page]] += n
        for action in set(expected) | {a for a, r in audited if r == reader}:
            if action in ("login",):
                continue
            if audited[action, reader] != expected[action]:
                outcome.audit.append(
                    f"{email} {action}: {audited[action, reader]} audit rows"
                    f" for {expected[action]} pages read"
                )
    return outcome


def report(outcome: Outcome, database_url: str, workers: int) -> None:
    log = outcome.log
    total = sum(len(v) for v in log.latencies.values())
    backend = database_url.split(":", 1)[0]
    print(
        f"{outcome.participants} participants (intake + exit), 1 trainer, 1 manager;"
        f" gunicorn {workers} workers on {backend}; {load_average()}"
    )
    print(
        f"  {outcome.succeeded} participants submitted both surveys; {total} requests in"
        f" {outcome.seconds:.1f} s; responses >= 500: {outcome.server_errors}"
    )
    print(f"  {'page':<28} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for page in sorted(log.latencies):
        values = log.latencies[page]
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(log.statuses[page].items()))
        print(
            f"  {page:<28} {len(values):>8} {percentile(values, 50) * 1000:>8.0f}"
            f" {percentile(values, 99) * 1000:>8.0f}  {statuses}"
        )
    print(f"  lost answers: {len(outcome.lost)}; audit mismatches: {len(outcome.audit)}")
    for line in (outcome.lost + outcome.audit + log.errors)[:10]:
        print(f"  problem: {line}")
    print(f"  {'PASS' if outcome.passed else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_SQLITE)
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--log", type=Path, help="append gunicorn's log here")
    args = parser.parse_args(argv)
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    outcome = run(args.database_url, args.participants, args.workers, args.log)
    report(outcome, args.database_url, args.workers)
    print(
        f"reproduce: python benchmarks/classroom_load.py --database-url {args.database_url}"
        f" --participants {args.participants} --workers {args.workers}"
    )
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
