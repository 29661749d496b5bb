"""The mail tests' world: a trainer with a cohort on the fixed calendar of tests/factories/
(TODAY), participants of De Linde with live links, and a real SMTP server to mail them."""

from __future__ import annotations

import pytest

from assess.db import db
from tests import factories as make
from tests.mail_server import smtp_server

PEOPLE = {
    "anouk": ("Anouk de Vries", "anouk@delinde.example.nl"),
    "bram": ("Bram Jansen", "bram@delinde.example.nl"),
    "chantal": ("Chantal Bakker", "chantal@delinde.example.nl"),
}


@pytest.fixture
def inbox(app):
    with smtp_server(app) as inbox:
        yield inbox


@pytest.fixture
def mail_class(app, make_user):
    """mail_class("anouk", "bram"): Trainer Demo <trainer@example.nl> with a cohort of these
    participants; returns {"cohort": id, "trainer": id, "anouk": id, …}."""

    def build(*keys: str) -> dict[str, int]:
        trainer = make_user("trainer", "trainer@example.nl", name="Trainer Demo")
        with app.app_context():
            cohort = make.mail_cohort(trainer)
            people = {key: make.participant(cohort, *PEOPLE[key]).id for key in keys}
            db.session.commit()
        return {"cohort": cohort, "trainer": trainer, **people}

    return build


def work(app, *args: str):
    """Run the mail worker once, as cron would (`flask --app assess mail-worker --once`)."""
    return app.test_cli_runner().invoke(args=["mail-worker", "--once", *args])
