"""A writer that never stops: small transactions straight into a SQLite file, for the backup and
database tests that must hold up while participants keep submitting."""

from __future__ import annotations

import sqlite3
import threading

from tests.factories import INSTRUMENT


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
