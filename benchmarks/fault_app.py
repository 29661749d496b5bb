"""gunicorn entry point for the fault scenarios (test-only): the real app, plus a pause inside
the submit transaction when a scenario arms it, so a worker can be killed at that moment.

    FAULT_ARM_FILE=/tmp/arm gunicorn benchmarks.fault_app:app

When the arm file exists, the next request that flips a response from draft to submitted
removes it, writes its process id to <arm file>.paused and sleeps before it can store the
scores and commit: the scenario then SIGKILLs exactly that worker.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import event

from assess import create_app
from assess.db import db

app = create_app()
ARM = os.environ.get("FAULT_ARM_FILE")
PAUSE_SECONDS = 20  # below gunicorn's 30 s timeout: the scenario's kill comes first


def is_submit(statement: str) -> bool:
    head = statement.lstrip()[:200].lower()
    return head.startswith("update response set") and "submitted_at" in head


if ARM:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "after_cursor_execute")
    def pause_in_submit(conn, cursor, statement, parameters, context, executemany):
        if not is_submit(statement):
            return
        try:
            os.remove(ARM)  # only one request wins the arm
        except FileNotFoundError:
            return
        Path(f"{ARM}.paused").write_text(str(os.getpid()))
        time.sleep(PAUSE_SECONDS)
