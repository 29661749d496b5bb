"""Mail outbox: 2,000 invitations queued in one trainer request, then sent by the mail worker.

    python benchmarks/mail_outbox.py
    python benchmarks/mail_outbox.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_mail
    python benchmarks/mail_outbox.py --smtp-delay 0.05   # a mail server taking 50 ms per mail

The request ("Verstuur naar 2000 deelnemers") only writes outbox rows, so its time does not
depend on the mail server: compare the request time with and without --smtp-delay. The worker
(`flask --app assess mail-worker --once`, run in-process here) then sends them over one SMTP
connection to a local aiosmtpd that counts what arrives; its rate is mails per second, with
two short transactions per mail (claim, record). CPU seconds are printed beside wall time:
on a shared machine they say more than the wall clock.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import delete, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.db import db  # noqa: E402
from assess.models import MailLog, MailOutbox  # noqa: E402
from benchmarks.harness import free_port, load_average  # noqa: E402
from benchmarks.synthetic import bench_app  # noqa: E402
from tests import factories  # noqa: E402

PASSWORD = "een-goed-wachtwoord"


class Counting:
    """An aiosmtpd handler that counts messages (and their Message-IDs), optionally slowly."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.count = 0
        self.ids: set[bytes] = set()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        for line in envelope.content.splitlines():
            if line.lower().startswith(b"message-id:"):
                self.ids.add(line)
                break
        return "250 OK"


def build(app, n: int) -> int:
    with app.app_context():
        db.drop_all()
        db.create_all()
        from assess.web.passwords import hash_password

        trainer = factories.staff("trainer", "trainer@example.nl", hash_password(PASSWORD))
        cohort = factories.cohort(trainer, "Leergang benchmark", windows=factories.windows())
        factories.participants(cohort, n)
        db.session.commit()
        return cohort.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in /tmp")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="times the request is timed")
    parser.add_argument("--smtp-delay", type=float, default=0.0, help="seconds per mail")
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='mail-bench-')}/bench.db"
    app = bench_app(url)
    app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024, ARGON2_PARALLELISM=1)
    print(f"building {args.participants} participants on {app.config['SQLALCHEMY_DATABASE_URI']}")
    cohort_id = build(app, args.participants)

    handler = Counting(args.smtp_delay)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        SMTP_STARTTLS=False,
        SMTP_SSL=False,
        SMTP_USER=None,
        MAIL_FROM="Leergang Woonconsulent <zelfscan@example.nl>",
    )
    try:
        client = app.test_client()
        login = client.post(
            "/auth/login", data={"email": "trainer@example.nl", "password": PASSWORD}
        )
        assert login.status_code == 302, login.status_code
        timings, cpu = [], []
        for _ in range(args.repeat):
            with app.app_context():  # a fresh queue: the same mail is queued once a day
                db.session.execute(delete(MailOutbox))
                db.session.execute(delete(MailLog))
                db.session.commit()
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post(
                f"/trainer/mail/{cohort_id}/versturen",
                data={"moment": "intake", "recipients": "all", "participant": ""},
            )
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 302, response.status_code
        with app.app_context():
            queued = db.session.scalar(select(func.count()).select_from(MailOutbox))
        assert queued == args.participants, queued
        assert handler.count == 0, "the request talked to the mail server"

        started, cpu_started = time.perf_counter(), time.process_time()
        result = app.test_cli_runner().invoke(args=["mail-worker", "--once"])
        drained = time.perf_counter() - started
        drained_cpu = time.process_time() - cpu_started
        assert result.exit_code == 0, result.output
    finally:
        controller.stop()
    with app.app_context():
        sent = db.session.scalar(
            select(func.count()).select_from(MailOutbox).where(MailOutbox.status == "sent")
        )
        db.engine.dispose()

    request = statistics.median(timings)
    print(
        f"backend: {url.split(':', 1)[0]}, smtp delay {args.smtp_delay * 1000:.0f} ms/mail,"
        f" load average {load_average()}"
    )
    print(
        f"queue request for {args.participants} invitations: median {request * 1000:.0f} ms"
        f" of {args.repeat} ({', '.join(f'{t * 1000:.0f}' for t in timings)} ms),"
        f" {request / args.participants * 1e6:.0f} µs per mail;"
        f" CPU {statistics.median(cpu) * 1000:.0f} ms"
    )
    print(
        f"worker --once: {sent} sent, {handler.count} received ({len(handler.ids)} distinct"
        f" Message-IDs) in {drained:.1f} s = {sent / drained:.0f} mails/s;"
        f" CPU {drained_cpu:.1f} s = {sent / drained_cpu:.0f} mails per CPU second"
        " (this process: app, worker and the aiosmtpd thread)"
    )
    print(f"request / drain time: {request / drained:.3f}")
    return 0 if sent == handler.count == len(handler.ids) == args.participants else 1


if __name__ == "__main__":
    sys.exit(main())
