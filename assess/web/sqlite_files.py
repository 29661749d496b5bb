"""The SQLite files on disk: readable by the app's own user only, and no erased data left behind.

The database, its -wal and its -shm hold personal data, so they are created 0600 (SQLite gives
the -wal and -shm the mode of the database file). Deleted rows are overwritten in the file
(`PRAGMA secure_delete`, set in database.configure_sqlite), and after an erasure the WAL, which
still holds the pages as they were before, is checkpointed into the database and truncated
(assess/admin/wipe.py, which checks that the checkpoint got there).
PostgreSQL keeps its files under its own account; none of this applies there.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from assess.db import db

PRIVATE = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal")


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        protect(engine)


def database_path(engine: Engine) -> Path | None:
    """The database file of a SQLite engine; None for an in-memory database."""
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def protect(engine: Engine) -> None:
    """Create the database file 0600 before SQLite opens it, and tighten files made before."""
    path = database_path(engine)
    if path is None:
        return

    @event.listens_for(engine, "do_connect")
    def private_file(_dialect, _record, _cargs, _cparams):
        # os.open with a mode creates the file with it at once: no moment it is world-readable.
        with contextlib.suppress(FileExistsError, FileNotFoundError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))
        for suffix in COMPANIONS:
            with contextlib.suppress(FileNotFoundError, PermissionError):
                companion = Path(f"{path}{suffix}")
                if companion.stat().st_mode & 0o077:
                    companion.chmod(PRIVATE)
