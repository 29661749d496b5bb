"""Operator commands: a consistent backup of the running database, and precompressing plotly.js."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import brotli
import click
from flask import Blueprint, Flask

from assess.db import db
from assess.web import main

bp = Blueprint("maintenance", __name__, cli_group=None)

PG_DUMP_ADVICE = (
    "This database is PostgreSQL: back it up with pg_dump, e.g.\n"
    '  pg_dump --format=custom --file=assess.dump "$DATABASE_URL"\n'
    "and restore with pg_restore (see README, section Production)."
)
# Tables whose counts a backup reports, so the operator sees at a glance what was saved.
COUNTED = ("participant", "response", "answer")


@bp.cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH when it already exists.")
def backup(path: Path, force: bool):
    """Copy the running SQLite database to PATH, consistently, while the app keeps serving."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(PG_DUMP_ADVICE)
    if not url.database or url.database == ":memory:":
        raise click.ClickException("an in-memory database cannot be backed up")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to replace it")
    counts = backup_sqlite(Path(url.database), path)
    summary = ", ".join(f"{counts[t]} {t}" for t in COUNTED if t in counts)
    click.echo(f"Backup written to {path} ({path.stat().st_size / 1e6:.1f} MB; {summary}).")


def backup_sqlite(source: Path, target: Path) -> dict[str, int]:
    """Copy source to target with SQLite's online backup API; returns row counts of the copy.

    The copy is taken in one step inside a read transaction, so it is one consistent snapshot:
    in WAL mode writers carry on meanwhile, and what they commit after the snapshot is simply
    not in the copy. It is written to a temporary file next to target and renamed into place
    only after an integrity check, so target is never a half-written file.
    """
    if not source.exists():
        raise click.ClickException(f"database file {source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=target.parent)
    os.close(handle)
    try:
        src = sqlite3.connect(source, timeout=15)
        dst = sqlite3.connect(temporary)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
            # A single self-contained file: no -wal/-shm needed to read the copy.
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise click.ClickException(f"the copy failed its integrity check: {check}")
            tables = {
                r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            counts = {
                t: dst.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in COUNTED
                if t in tables
            }
        finally:
            dst.close()
            src.close()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


@bp.cli.command("precompress")
@click.option("--quality", default=11, show_default=True, help="Brotli quality, 0-11.")
def precompress(quality: int):
    """Make the brotli copy of plotly.js that the app serves to browsers accepting br."""
    path = precompress_plotly(quality)
    click.echo(f"Wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


def precompress_plotly(quality: int = 11) -> Path:
    """Compress plotly.js with brotli into the instance folder; seconds of work, done once.

    Written to a temporary file and renamed, so a worker never reads half a file.
    """
    target = main.plotly_brotli_path()
    raw = main.plotly_source()
    packed = brotli.compress(raw, quality=quality, mode=brotli.MODE_TEXT)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(packed)
    os.replace(temporary, target)
    return target


def prepare_assets(app: Flask, log) -> None:
    """For gunicorn's master: make the brotli copy if missing, then load the compressed copies
    once so that every forked worker shares them instead of compressing on its first request."""
    with app.app_context():
        path = main.plotly_brotli_path()
        if not path.is_file():
            log.info("compressing plotly.js with brotli once (%s)", path)
            try:
                precompress_plotly()
            except OSError as exc:  # a read-only instance folder: gzip will do
                log.warning("cannot write %s (%s); serving gzip", path, exc.strerror)
        main._plotly_js(path)
