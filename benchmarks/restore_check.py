"""Prove a PostgreSQL backup restores: pg_dump the database, pg_restore it into a scratch
database, compare the row count of every table, drop the scratch database.

    python benchmarks/restore_check.py postgresql://postgres@127.0.0.1:5432/assess [--keep DUMP]

Run it against production (it only reads there) or a copy; exit status 0 means every table
came back with the same number of rows. On a database taking writes the live counts may have
moved on by the time they are read; run it on a quiet moment or against a replica.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


@dataclass
class Report:
    live: dict[str, int]
    restored: dict[str, int]
    dump_bytes: int


def libpq(url: URL) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def table_counts(url: URL) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = conn.scalars(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                    " ORDER BY table_name"
                )
            ).all()
            return {t: conn.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in tables}
    finally:
        engine.dispose()


def restore_check(database_url: str, dump: Path) -> Report:
    """Dump database_url to dump, restore it into <name>_restore_check, compare counts."""
    live_url = make_url(database_url).set(drivername="postgresql+psycopg")
    scratch_url = live_url.set(database=f"{live_url.database}_restore_check")
    admin = create_engine(live_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        live = table_counts(live_url)
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", libpq(live_url)], check=True
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch_url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{scratch_url.database}"'))
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={libpq(scratch_url)}",
                str(dump),
            ],
            check=True,
        )
        restored = table_counts(scratch_url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch_url.database}" WITH (FORCE)'))
        admin.dispose()
    return Report(live, restored, dump.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="postgresql://user@host:5432/name")
    parser.add_argument("--keep", type=Path, help="keep the dump at this path")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dump = args.keep or Path(tmp) / "assess.dump"
        report = restore_check(args.database_url, dump)
    width = max(map(len, report.live), default=5)
    print(f"{'table':{width}}  {'live':>10}  {'restored':>10}")
    for table, count in report.live.items():
        again = report.restored.get(table)
        mark = "" if again == count else "  <-- differs"
        print(f"{table:{width}}  {count:>10}  {again if again is not None else '-':>10}{mark}")
    same = report.live == report.restored
    print(f"dump: {report.dump_bytes / 1e6:.1f} MB; restore {'OK' if same else 'DIFFERS'}")
    print(f"reproduce: python benchmarks/restore_check.py {make_url(args.database_url)!r}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
