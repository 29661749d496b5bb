"""Data for the production tests: a cohort of participants, and a writer that never stops."""

from __future__ import annotations

import random
import sqlite3
import threading

from assess.db import db
from assess.engine import simulate_answers
from assess.models import Cohort, MomentWindow, Organisation, Participant, User
from assess.survey import questionnaires, responses, tokens

INSTRUMENT = "leergang-woonconsulent"


def cohort_with_participants(
    n: int, password_hash: str = "x", submitted: int = 0, seed: int = 1
) -> list[int]:
    """One organisation, trainer and open cohort with n participants (the first `submitted`
    have a scored intake); returns the participant ids. Call inside an app context."""
    org = Organisation(name="Woonstichting Test")
    trainer = User(email="t@example.nl", role="trainer", password_hash=password_hash)
    cohort = Cohort(name="Leergang test", trainer=trainer, questionnaire_id=INSTRUMENT)
    cohort.windows = [MomentWindow(moment=m) for m in ("intake", "exit", "followup")]
    people = [
        Participant(
            cohort=cohort,
            organisation=org,
            name=f"Deelnemer {i}",
            email=f"d{i}@example.nl",
            code=f"T{i:05d}",
        )
        for i in range(n)
    ]
    db.session.add_all([org, trainer, cohort, *people])
    db.session.flush()
    for person in people:
        tokens.issue(person)
    q = questionnaires.get(INSTRUMENT)
    rng = random.Random(seed)
    for person in people[:submitted]:
        response = responses.get_or_create(q, "intake", participant_id=person.id)
        responses.save_answers(response, simulate_answers(q, "intake", rng, level=0.5))
        responses.submit(response)
    db.session.commit()
    return [p.id for p in people]


class SqliteWriter(threading.Thread):
    """Keeps committing small transactions (one response + its answers) until stopped.

    Each transaction writes a participant, a response and ANSWERS_PER_RESPONSE answers, so a
    consistent copy always holds exactly that many answers per response.
    """

    ANSWERS_PER_RESPONSE = 20

    def __init__(self, path: str, cohort_id: int, organisation_id: int, limit: int = 5000):
        super().__init__(daemon=True)
        self.path, self.cohort_id, self.organisation_id = path, cohort_id, organisation_id
        self.limit = limit  # bounded: stops by itself even if nobody calls stop()
        self.stop_event = threading.Event()
        self.committed = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            while not self.stop_event.is_set() and self.committed < self.limit:
                self._one(conn, 100_000 + self.committed)
                self.committed += 1
        except BaseException as exc:  # reported to the test, which fails on it
            self.error = exc
        finally:
            conn.close()

    def _one(self, conn: sqlite3.Connection, i: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO participant (cohort_id, organisation_id, name, email, code, created_at)"
            " VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
            (self.cohort_id, self.organisation_id, f"Schrijver {i}", f"w{i}@example.nl", f"W{i}"),
        )
        cur = conn.execute(
            "INSERT INTO response (participant_id, moment, status, questionnaire_id,"
            " questionnaire_version, current_page, started_at, updated_at)"
            " VALUES (?, 'intake', 'draft', ?, 1, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            (cur.lastrowid, INSTRUMENT),
        )
        conn.executemany(
            "INSERT INTO answer (response_id, item_id, value) VALUES (?, ?, ?)",
            [(cur.lastrowid, f"item{k}", 3.0) for k in range(self.ANSWERS_PER_RESPONSE)],
        )
        conn.execute("COMMIT")

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=30)
