"""Every sentence that tells someone who sees what (assess/reports/promises.py) is kept: each is
checked against what the roles can actually reach — pages, chart data, exports and mails.

The world: one cohort of seven people of De Linde with a weekly pulse. Six answered the first
week (shown: at least the minimum group of 5), two the second (hidden). The pulse values are
chosen so that no group figure the trainer may see (median, quartiles, their distances, the
mean) equals any one person's value, and the "wat werkte" texts were written in an order that
is neither alphabetical nor by person: so a value, a name or an order found in a pulse part
can only have leaked.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from importlib import import_module

import pytest
from openpyxl import load_workbook

from assess import clock
from assess.db import db
from assess.models import AuditEvent, Participant
from assess.reports import promises
from assess.survey import tokens
from assess.trainer.mail import texts
from tests import factories as make

TODAY = clock.today()
PEOPLE = [
    ("Ünal Kaya", "unal.kaya@delinde.example.nl", "PRM1K7"),
    ("Bram Jansen", "bram.jansen@delinde.example.nl", "PRM2Q4"),
    ("Chantal Bos", "chantal.bos@delinde.example.nl", "PRM3Z8"),
    ("Dirk Smit", "dirk.smit@delinde.example.nl", "PRM4W2"),
    ("Eva Mulder", "eva.mulder@delinde.example.nl", "PRM5X9"),
    ("Fleur Visser", "fleur.visser@delinde.example.nl", "PRM6J3"),
    ("Gijs de Wit", "gijs.dewit@delinde.example.nl", "PRM7V5"),  # answers no pulse
]
# (planned %, incoming %, wat werkte) of the first six in the shown week, in answering order.
SHOWN = [
    (10, 55, "Telefoon pas na tienen opgepakt"),
    (20, 30, "Agenda op maandag eerst gevuld"),
    (30, 50, "Mail maar twee keer per dag gelezen."),
    (50, 35, None),
    (60, 10, "Buurtteam gebeld in plaats van zelf gaan"),
    (80, 15, "Zo min mogelijk vergaderd"),
]
# The second week: two answers, below the minimum group.
HIDDEN = [(55, 35, "Geheim van een klein groepje"), (60, 30, "Nog een geheim van twee")]
WORKED = sorted(text for _p, _i, text in SHOWN if text)
SECRET = [text for _p, _i, text in HIDDEN]
SINGLE_VALUES = {v for p, i, _t in SHOWN + HIDDEN for v in (p, i)}
IDENTITIES = [part for person in PEOPLE for part in person]


@pytest.fixture
def world(app, trainer):
    with app.app_context():
        cohort = make.cohort(trainer, "Puls en privacy")
        people = [make.participant(cohort, n, e, code=c) for n, e, c in PEOPLE]
        for person in people:
            make.fill(person, "intake")
        shown = make.pulse_week(cohort, TODAY - timedelta(days=14))
        hidden = make.pulse_week(cohort, TODAY - timedelta(days=7))
        for person, (planned, incoming, worked) in zip(people, SHOWN, strict=False):
            make.pulse_answer(person, shown, planned=planned, incoming=incoming, worked=worked)
        for person, (planned, incoming, worked) in zip(people[::-1], HIDDEN, strict=False):
            make.pulse_answer(person, hidden, planned=planned, incoming=incoming, worked=worked)
        db.session.commit()
        return {"cohort": cohort.id, "people": [p.id for p in people], "trainer": trainer}


# --------------------------------------------------------------------------- reading helpers


class Cells(HTMLParser):
    """The data cells (<td>) of every table on a page, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def numbers_in(text: str) -> set[float]:
    return {float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", text)}


def chart_numbers(node) -> set[float]:
    """Every number in the data of a chart's traces (not its layout)."""
    if isinstance(node, bool):
        return set()
    if isinstance(node, int | float):
        return {float(node)}
    if isinstance(node, dict):
        return {n for value in node.values() for n in chart_numbers(value)}
    if isinstance(node, list):
        return {n for value in node for n in chart_numbers(value)}
    return set()


def charts_of(page: str) -> dict[str, dict]:
    found = re.findall(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', page)
    return {name: json.loads(body) for name, body in found}


def no_identity(text: str, where: str) -> None:
    for part in IDENTITIES:
        assert part not in text, f"{part!r} in {where}"


def no_single_value(found: set[float], where: str) -> None:
    leaked = found & SINGLE_VALUES
    assert not leaked, f"one person's pulse value {leaked} in {where}"


def trainer_urls(world) -> list[str]:
    cohort, person = world["cohort"], world["people"][0]
    base = f"/trainer/cohorten/{cohort}"
    return [
        "/trainer/",
        base,
        f"{base}/respons",
        f"{base}/deelnemers/lijst",
        f"{base}/analyse",
        f"{base}/weekpuls",
        f"{base}/export",
        f"{base}/deelnemers/{person}/rapport",
        f"/trainer/vergelijken?cohort={cohort}",
        "/trainer/export",
        f"/trainer/mail/{cohort}",
        f"/trainer/mail/{cohort}/tekst",
        f"/trainer/mail/{cohort}/versturen",
    ]


def exports(world) -> list[str]:
    """Every download the trainer can make of the cohort (and of all their cohorts)."""
    out = []
    for vorm in ("lang", "breed", "codeboek", "weekpuls"):
        for formaat in ("xlsx", "csv", "csv-punt"):
            for names in ("", "&namen=1&bevestig=1"):
                query = f"?download=1&vorm={vorm}&formaat={formaat}{names}"
                out.append(f"/trainer/cohorten/{world['cohort']}/export{query}")
                out.append(f"/trainer/export{query}")
    return out


def sheets(response) -> dict[str, list[list]]:
    """A download as {sheet: rows}; a CSV is one sheet named after its form."""
    if response.mimetype.startswith("text/csv"):
        text = response.get_data(as_text=True).lstrip("\ufeff")
        delimiter = ";" if text.count(";") > text.count(",") else ","
        name = "weekpuls" if "-weekpuls" in response.headers["Content-Disposition"] else "data"
        return {name: list(csv.reader(io.StringIO(text), delimiter=delimiter))}
    book = load_workbook(io.BytesIO(response.data))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


# --------------------------------------------------------------------------- the trainer


def test_no_trainer_page_or_chart_shows_a_persons_pulse(client, world):
    """TRAINER_SEES_PULSE_GROUP, trainer_pulse_hidden, TRAINER_WORKED_UNNAMED on every page."""
    for url in trainer_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        for secret in SECRET:  # the small week's texts: nowhere
            assert secret not in page, url
        if not url.endswith("/weekpuls"):
            for text in WORKED:  # the texts are on the pulse page only
                assert text not in page, url
            continue
        no_identity(page, url)
        # The texts of the shown week: all there, by alphabet (not by person or by time).
        listed = re.findall(r'<ul class="quotes">(.*?)</ul>', page, re.S)[0]
        items = [re.sub(r"<.*?>", "", li).strip() for li in listed.split("</li>") if li.strip()]
        assert items == WORKED
        cells = Cells()
        cells.feed(page)
        for row in cells.rows:
            # The first cell is the week's label; the others are counts and group figures.
            no_single_value(numbers_in(" ".join(row[1:])), f"{url} table row {row}")
        for name, chart in charts_of(page).items():
            no_single_value(chart_numbers(chart["data"]), f"{url} chart {name}")
            no_identity(json.dumps(chart, ensure_ascii=False), f"{url} chart {name}")


def test_no_export_carries_a_persons_pulse(client, world):
    """trainer_pulse_export: weekly group figures only, in CSV and XLSX, with names or not."""
    pulse_parts = 0
    for url in exports(world):
        response = client.get(url)
        assert response.status_code == 200, url
        for title, rows in sheets(response).items():
            flat = " ".join(str(c) for row in rows for c in row if c is not None)
            for secret in SECRET:
                assert secret not in flat, (url, title)
            # The pulse part: the sheet "Weekpuls", or the whole data of the form weekpuls.
            pulse = title in ("Weekpuls", "weekpuls") or (
                "vorm=weekpuls" in url and title == "Gegevens"
            )
            if not pulse:
                # Survey data and codebook: no pulse answer, no pulse column of data.
                for text in WORKED:
                    assert text not in flat, (url, title)
                if title != "Codeboek" and "codeboek" not in url:
                    assert not any(str(c).startswith("puls_") for c in rows[0]), (url, title)
                continue
            pulse_parts += 1
            no_identity(flat, f"{url} {title}")
            header, *data = rows
            assert {"code", "naam", "email"}.isdisjoint(header), (url, header)
            assert len(data) == 2, (url, data)  # one row per week, not per person
            for row in data:
                cells = dict(zip(header, row, strict=True))
                values = [
                    float(str(v).replace(",", "."))
                    for k, v in cells.items()
                    if k not in ("cohort", "week") and v not in (None, "")
                ]
                no_single_value(set(values), f"{url} {title} {row}")
            assert not any(text in flat for text in WORKED)
    assert pulse_parts == 2 * (3 * 2) + 2 * (2 * 2)  # weekpuls everywhere, sheets in xlsx


def test_the_trainer_opening_a_report_sees_no_pulse_and_is_on_record(app, client, world):
    """TRAINER_REPORT_LOGGED: the report as the participant sees it, without their pulse."""
    person = world["people"][0]
    page = client.get(f"/trainer/cohorten/{world['cohort']}/deelnemers/{person}/rapport").text
    assert str(promises.TRAINER_REPORT_LOGGED) in page
    assert "Je weekpuls" not in page and "weekpuls-data" not in page
    with app.app_context():
        logged = db.session.scalars(
            db.select(AuditEvent.target_id).filter_by(action="view_participant_report")
        ).all()
    assert logged == [person]


def test_the_trainer_sees_the_survey_answers_as_promised(client, world):
    """TRAINER_SEES_SURVEY: the survey answers and scores are the trainer's to see (named)."""
    person = world["people"][0]
    report = client.get(f"/trainer/cohorten/{world['cohort']}/deelnemers/{person}/rapport")
    assert "Ünal Kaya" in report.text and "Tijdmanagement" in report.text
    data = client.get(
        f"/trainer/cohorten/{world['cohort']}/export?download=1&vorm=lang&formaat=csv"
        "&namen=1&bevestig=1"
    ).get_data(as_text=True)
    assert "unal.kaya@delinde.example.nl" in data and "intake" in data


# --------------------------------------------------------------------------- the participant


def test_a_participant_sees_all_their_own_weeks_and_is_told_who_else_does(app, world):
    """YOU_SEE_EVERYTHING, TRAINER_SEES_PULSE_GROUP, MANAGER_NEVER_SEES_OWN_WEEKS,
    trainer_pulse_minimum, manager_sees_groups and LINK_HOLDER_SEES as the participant reads
    them."""
    client = app.test_client()
    with app.app_context():
        person = db.session.get(Participant, world["people"][0])
        token = tokens.current_token(person)
    assert client.get(f"/s/{token}").status_code == 302
    overview = client.get("/deelnemer/weekpuls/overzicht").text
    own = charts_of(overview)["weekpuls"]
    assert own["data"][0]["y"] == [10, None] and own["data"][1]["y"] == [55, None]
    for sentence in (promises.TRAINER_SEES_PULSE_GROUP, promises.MANAGER_NEVER_SEES_OWN_WEEKS):
        assert str(sentence) in overview
    home = client.get("/deelnemer/").text
    with app.app_context():
        for sentence in (
            str(promises.YOU_SEE_EVERYTHING),
            str(promises.TRAINER_SEES_SURVEY),
            str(promises.TRAINER_SEES_PULSE_GROUP),
            promises.trainer_pulse_minimum(5),
            promises.manager_sees_groups(5),
            str(promises.LINK_HOLDER_SEES),
        ):
            assert sentence.replace("„", "&#8222;") in home or sentence in home, sentence


def test_the_pulse_mail_does_not_say_the_trainer_sees_your_answers():
    """MAIL_WHO_SEES_PULSE and MAIL_WHO_SEES_SURVEY: each mail says who sees what it asks."""
    _subject, body = texts.defaults("pulse", "pulse")
    assert promises.MAIL_WHO_SEES_PULSE in body and "Jij en je trainer" not in body
    for kind in ("invitation", "reminder"):
        for moment in ("intake", "exit", "followup"):
            assert promises.MAIL_WHO_SEES_SURVEY in texts.defaults(kind, moment)[1]


# --------------------------------------------------------------------------- the manager


def test_no_manager_page_shows_a_person_or_their_pulse(app, client, auth, make_user, world):
    """manager_never_individuals, manager_pulse_released, MANAGER_NEVER_SEES_OWN_WEEKS,
    MANAGER_OWN_ORGANISATION: the manager of the corporation reads no one's pulse."""
    make_user("manager", "m@delinde.example.nl", organisation=make.DE_LINDE)
    auth.logout()
    auth.login("m@delinde.example.nl")
    for url in ("/manager/", "/manager/beleid", "/manager/rapportage.xlsx"):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.mimetype.endswith("sheet"):
            text = " ".join(str(c) for rows in sheets(response).values() for r in rows for c in r)
        else:
            text = response.get_data(as_text=True)
        no_identity(text, url)
        for secret in SECRET + WORKED:
            assert secret not in text, url
        for name, chart in charts_of(text).items():
            if "pulse" in name:
                no_single_value(chart_numbers(chart["data"]), f"{url} chart {name}")


# --------------------------------------------------------------------------- one place

# Each promise and the tests that hold it to what the roles can reach.
HELD_BY = {
    "YOU_SEE_EVERYTHING": [
        "tests.app.test_promises::test_a_participant_sees_all_their_own_weeks_and_is_told_who_else_does"
    ],
    "TRAINER_SEES_SURVEY": [
        "tests.app.test_promises::test_the_trainer_sees_the_survey_answers_as_promised"
    ],
    "TRAINER_SEES_PULSE_GROUP": [
        "tests.app.test_promises::test_no_trainer_page_or_chart_shows_a_persons_pulse",
        "tests.app.test_promises::test_no_export_carries_a_persons_pulse",
    ],
    "MANAGER_NEVER_SEES_OWN_WEEKS": [
        "tests.app.test_promises::test_no_manager_page_shows_a_person_or_their_pulse",
        "tests.manager.test_pulse::test_the_manager_sees_the_released_weeks_of_their_own_corporation",
    ],
    "LINK_HOLDER_SEES": [
        "tests.web.test_audited_reads::test_staff_opening_a_participants_link_is_audited_with_each_read"
    ],
    "ERASURE_WHAT_REMAINS": [
        "tests.admin.test_erasure::test_an_erasure_is_nog_bezig_while_a_reader_keeps_the_old_pages_in_the_wal",
        "tests.admin.test_erasure::test_erased_text_is_in_no_byte_of_the_database_files",
    ],
    "GOALS_ARE_YOURS": [
        "tests.participant.test_goals::test_someone_elses_goal_is_not_found",
        "tests.trainer.test_goals::test_below_the_minimum_group_the_trainer_sees_only_counts",
        "tests.trainer.test_goals::test_from_the_minimum_group_the_mean_t_with_its_interval",
    ],
    "IDLE_CLOSED": [
        "tests.participant.test_idle::test_after_an_hour_without_activity_the_next_page_says_the_session_ended"
    ],
    "manager_sees_groups": [
        "tests.manager.test_report::test_report_never_shows_a_name_email_or_code",
        "tests.manager.test_differencing_attack::test_no_history_lets_a_manager_single_out_a_consultant",
    ],
    "trainer_pulse_minimum": [
        "tests.app.test_promises::test_no_trainer_page_or_chart_shows_a_persons_pulse"
    ],
    "MAIL_WHO_SEES_SURVEY": [
        "tests.app.test_promises::test_the_pulse_mail_does_not_say_the_trainer_sees_your_answers"
    ],
    "MAIL_WHO_SEES_PULSE": [
        "tests.app.test_promises::test_the_pulse_mail_does_not_say_the_trainer_sees_your_answers"
    ],
    "TRAINER_WORKED_UNNAMED": [
        "tests.app.test_promises::test_no_trainer_page_or_chart_shows_a_persons_pulse"
    ],
    "TRAINER_REPORT_LOGGED": [
        "tests.app.test_promises::test_the_trainer_opening_a_report_sees_no_pulse_and_is_on_record"
    ],
    "trainer_pulse_hidden": [
        "tests.app.test_promises::test_no_trainer_page_or_chart_shows_a_persons_pulse"
    ],
    "trainer_pulse_export": ["tests.app.test_promises::test_no_export_carries_a_persons_pulse"],
    "manager_never_individuals": [
        "tests.app.test_promises::test_no_manager_page_shows_a_person_or_their_pulse",
        "tests.manager.test_report::test_small_organisation_gets_a_friendly_explanation_instead_of_figures",
    ],
    "manager_pulse_released": [
        "tests.manager.test_pulse::test_a_new_pulse_answer_changes_nothing_until_the_next_release",
        "tests.manager.test_pulse::test_no_release_history_of_a_week_singles_out_one_answer",
    ],
    "MANAGER_OWN_ORGANISATION": [
        "tests.manager.test_pulse::test_another_corporations_pulses_never_show",
    ],
    "ADMIN_SEES_ALPHA": [
        "tests.admin.test_item_analysis::test_the_admin_sees_alpha_with_its_interval_items_and_scenarios"
    ],
    "item_analysis_too_small": [
        "tests.admin.test_item_analysis::test_a_cohort_with_one_respondent_shows_a_message_not_their_answers",
        "tests.reports.test_item_analysis::test_a_cohort_with_one_respondent_shows_no_figures_at_all",
    ],
}


def test_every_promise_is_held_by_a_test_that_exists():
    said = {
        name
        for name, value in vars(promises).items()
        if (name.isupper() and not name.startswith("_"))
        or (callable(value) and getattr(value, "__module__", None) == promises.__name__)
    }
    assert said == set(HELD_BY)
    for name, tests in HELD_BY.items():
        for test in tests:
            module, function = test.split("::")
            assert callable(getattr(import_module(module), function, None)), (name, test)


# A who-sees-what sentence written anywhere but in promises.py: a role and "ziet/zien", the
# manager's "U ziet nooit", or the link and mail phrases.
PROMISE = re.compile(
    r"(trainer|leidinggevende|corporatie|manager|beheerder)s?\s+(ziet|zien)\b"
    r"|\bU ziet nooit|wie de link heeft|Wie ziet je|niemand anders .* zien",
    re.I,
)


def test_who_sees_what_is_said_only_in_the_promises_module():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [*root.glob("templates/**/*.html"), *root.glob("assess/**/*.py")]
    said = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in files
        if path.name != "promises.py" and "translations" not in path.parts
        for match in PROMISE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert said == []
