"""A fresh database with one open cohort of participants (the test suite's open_cohort, from
tests/factories/), for the load, fault and throughput scenarios, and a stdlib HTTP client that
fills in the survey the way a browser does."""

from __future__ import annotations

import html.parser
import http.client
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess import create_app  # noqa: E402
from assess.db import db  # noqa: E402
from assess.engine import simulate_answers  # noqa: E402
from assess.engine.definition import NumericItem, Questionnaire  # noqa: E402
from assess.models import Answer, Participant, Response, Score  # noqa: E402
from assess.survey import questionnaires, tokens  # noqa: E402
from assess.survey.answers import NUMERIC_TYPES  # noqa: E402
from tests import factories  # noqa: E402
from tests.factories import INSTRUMENT  # noqa: E402

# The server under test must run with the same key: personal links are derived from it.
SECRET_KEY = "load-test-only-secret-key-0123456789abcdef0123"
SERVER_ENV = {
    "SECRET_KEY": SECRET_KEY,
    "ASSESS_ENV": "production",
    # Production refuses to start without its public address; the scenarios call 127.0.0.1
    # over plain http, which production refuses unless told by name.
    "BASE_URL": "http://127.0.0.1",
    "ASSESS_ALLOW_HTTP_BASE_URL": "1",
    "TRUSTED_HOSTS": "127.0.0.1",
    # Test-only: every simulated participant comes from 127.0.0.1. Production refuses to run
    # without rate limits unless told by name.
    "ASSESS_RATELIMIT_ENABLED": "0",
    "ASSESS_ALLOW_NO_RATELIMIT": "1",
}


def app_for(database_url: str):
    return create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_ENABLED": False}
    )


def seed(database_url: str, participants: int, background: int = 0) -> list[str]:
    """Empty the database and create one open cohort; returns the personal-link tokens, in
    the order of the participants' numbers.

    `background` participants more, each with a submitted intake and exit, fill the database
    around them first (benchmarks/synthetic.py's sector, without scores), so a scenario can
    show how its pages' cost grows with the data.
    """
    if background:
        from benchmarks import synthetic

        synthetic.build(
            database_url,
            organisations=max(5, background // 200),
            cohorts=max(1, background // 20),
            participants=background,
            rescore=False,
        )
        synthetic.analyze(database_url)
    app = app_for(database_url)
    with app.app_context():
        if not background:
            db.drop_all()
            db.create_all()
        ids = factories.open_cohort(participants)
        links = [tokens.current_token(db.session.get(Participant, pid)) for pid in ids]
        db.session.remove()
        db.engine.dispose()
    return links


def questionnaire(database_url: str) -> Questionnaire:
    with app_for(database_url).app_context():
        return questionnaires.get(INSTRUMENT)


@dataclass
class Stored:
    """What the database holds after a run; answers per participant number (0, 1 …, the order
    seed() made them in)."""

    submitted: int
    drafts: int
    responses_per_person_max: int
    answers: dict[int, dict[str, object]] = field(default_factory=dict)
    scored: int = 0


def stored(database_url: str, moment: str = "intake") -> Stored:
    app = app_for(database_url)
    with app.app_context():
        rows = db.session.execute(
            db.select(Response.status, db.func.count()).where(Response.moment == moment)
            .group_by(Response.status)
        ).all()  # fmt: skip
        counts = dict(rows)
        most = db.session.scalar(
            db.select(db.func.max(db.text("n"))).select_from(
                db.select(db.func.count().label("n"))
                .select_from(Response)
                .group_by(Response.participant_id, Response.moment)
                .subquery()
            )
        )
        ids = db.session.scalars(db.select(Participant.id).order_by(Participant.id))
        number = {pid: n for n, pid in enumerate(ids)}
        answers: dict[int, dict[str, object]] = {}
        for pid, item_id, value, text in db.session.execute(
            db.select(Response.participant_id, Answer.item_id, Answer.value, Answer.text)
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.moment == moment)
        ):
            answers.setdefault(number[pid], {})[item_id] = value if value is not None else text
        scored = db.session.scalar(
            db.select(db.func.count(db.distinct(Score.response_id)))
            .join(Response, Response.id == Score.response_id)
            .where(Response.moment == moment, Response.status == "submitted")
        )
        db.session.remove()
        db.engine.dispose()
    return Stored(
        counts.get("submitted", 0), counts.get("draft", 0), most or 0, answers, scored or 0
    )


def expected_answers(q: Questionnaire, moment: str, seed: int) -> dict[str, object]:
    """The answers simulated participant `seed` gives, as the database stores them."""
    out = {}
    for item_id, value in simulate_answers(q, moment, random.Random(seed), level=0.5).items():
        if value is None:
            continue
        numeric = q.items_by_id[item_id].type in NUMERIC_TYPES
        out[item_id] = float(value) if numeric else value
    return out


class FormParser(html.parser.HTMLParser):
    """The CSRF token and the names of the inputs of the first POST form on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.csrf: str | None = None
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "textarea", "select") and a.get("name"):
            self.names.add(a["name"])
            if a["name"] == "csrf_token" and self.csrf is None:
                self.csrf = a.get("value")


class Failure(Exception):
    """A step of the survey did not get the answer a browser would expect."""


class Browser:
    """One participant's browser: a cookie, one keep-alive connection, no redirects followed."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookie: str | None = None
        self.latencies: list[tuple[str, float]] = []

    def request(self, method: str, path: str, form: dict | None = None):
        body = urlencode(form, doseq=True) if form is not None else None
        headers = {"Accept-Encoding": "identity"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = self.cookie
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # a fresh connection for the next request (a browser retries)
            raise
        self.latencies.append((method, time.perf_counter() - start))
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("assess_session="):
                self.cookie = value.split(";", 1)[0]
        # Downloads (XLSX) are bytes; a page's text is all the scenarios read.
        return response.status, response.headers.get("Location", ""), data.decode(errors="replace")

    def close(self) -> None:
        self.conn.close()


class Survey:
    """The steps of one participant's intake over HTTP, each checked like a test."""

    def __init__(self, browser: Browser, q: Questionnaire, token: str, seed: int) -> None:
        self.browser, self.q, self.token, self.seed = browser, q, token, seed
        self.answers = self.answers_for("intake")

    def answers_for(self, moment: str) -> dict[str, object]:
        """What this participant posts at `moment` (the same as expected_answers() stores).

        None = an optional item left blank: not posted, as a browser posts no unticked radio.
        """
        answers = simulate_answers(self.q, moment, random.Random(self.seed), level=0.5)
        return {k: v for k, v in answers.items() if v is not None}

    def expect(self, got, status: int, location: str | None = None, step: str = "") -> str:
        code, where, body = got
        if code != status or (location and location not in where):
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:160]
            raise Failure(f"{step}: {code} {where} {text}")
        return body

    def enter(self) -> None:
        got = self.browser.request("GET", f"/s/{self.token}")
        self.expect(got, 302, "/deelnemer/", "link")

    def page_form(self, moment: str, n: int) -> dict:
        """GET page n (its CSRF token) and the form a person would post: answers, "next"."""
        body = self.expect(
            self.browser.request("GET", f"/deelnemer/{moment}/pagina/{n}"), 200, step=f"page {n}"
        )
        parser = FormParser()
        parser.feed(body)
        form = {"csrf_token": parser.csrf, "action": "next"}
        answers = self.answers if moment == "intake" else self.answers_for(moment)
        for item in self.q.sections_for(moment)[n - 1].items:
            name = "a_" + item.id
            if name not in parser.names:
                raise Failure(f"page {n}: no field {name}")
            if item.id in answers:
                value = answers[item.id]
                if isinstance(item, NumericItem) and isinstance(value, float):
                    value = f"{value:g}".replace(".", ",")
                form[name] = str(value)
        return form

    def fill(self, moment: str = "intake") -> None:
        pages = len(self.q.sections_for(moment))
        for n in range(1, pages + 1):
            form = self.page_form(moment, n)
            target = f"/pagina/{n + 1}" if n < pages else "/controle"
            got = self.browser.request("POST", f"/deelnemer/{moment}/pagina/{n}", form)
            self.expect(got, 302, target, f"save page {n}")

    def submit_form(self, moment: str = "intake") -> dict:
        body = self.expect(
            self.browser.request("GET", f"/deelnemer/{moment}/controle"), 200, step="review"
        )
        parser = FormParser()
        parser.feed(body)
        return {"csrf_token": parser.csrf}

    def submit(self, moment: str = "intake", form: dict | None = None) -> None:
        form = form or self.submit_form(moment)
        got = self.browser.request("POST", f"/deelnemer/{moment}/indienen", form)
        self.expect(got, 302, f"/deelnemer/{moment}/ingediend", "submit")
