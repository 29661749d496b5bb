"""One cohort in depth and cohorts side by side: the numbers, the charts, the explanations."""

import json
import re

import numpy as np
import pytest

from assess.db import db
from assess.models import Participant
from assess.reports import cohort as cohort_report
from assess.survey import questionnaires, responses
from tests import factories as make


@pytest.fixture
def trainer(make_user, auth):
    uid = make_user("trainer", "trainer@example.nl")
    auth.login("trainer@example.nl")
    return uid


def test_alpha_reverse_keys_the_answers_before_computing(app, trainer):
    # tm_waan_1 is reverse-keyed: answered 5,4,2,1 it agrees perfectly with 1,2,4,5 on the others.
    answers = {"tm_waan_1": [5, 4, 2, 1], "tm_waan_2": [1, 2, 4, 5], "tm_waan_3": [1, 3, 4, 5]}
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT, 1)  # version 1: its waan_van_de_dag items
        group = make.cohort(trainer)
        for n, person in enumerate(make.participants(group, 4)):
            response = responses.get_or_create(q, "intake", participant_id=person.id)
            responses.save_answers(response, {k: v[n] for k, v in answers.items()})
            responses.submit(response)
        db.session.commit()
        found = cohort_report.item_answers(Participant.cohort_id == group.id, q)["intake"]
        alpha = cohort_report.alpha_of(found, q.items_of("tijdmanagement.waan_van_de_dag"))
    keyed = np.array([[6 - a, b, c] for a, b, c in zip(*answers.values(), strict=True)], float)
    k = keyed.shape[1]
    expected = k / (k - 1) * (1 - keyed.var(axis=0, ddof=1).sum() / keyed.sum(axis=1).var(ddof=1))
    assert alpha.n == 4 and alpha.alpha == pytest.approx(expected)
    assert expected > 0.9


@pytest.fixture
def filled(app, trainer):
    with app.app_context():
        return make.filled_cohort(trainer, n=16).id


def test_the_report_has_every_scale_with_change_rci_and_codes(app, filled):
    with app.test_request_context():
        from assess.models import Cohort

        report = cohort_report.build(
            db.session.get(Cohort, filled), questionnaires.registry(), "nl"
        )
        q = questionnaires.get(make.INSTRUMENT)
        assert [s.scale_id for s in report.scales] == q.scale_ids()
        main = report.main()[0]
        assert main.change.n == 16
        rci = main.rci
        assert rci.improved + rci.unchanged + rci.declined + rci.not_computable == 16
        assert {code for code, _, _ in main.slope} == {f"T01{i:04d}" for i in range(16)}
        assert len(main.then) == 16
        moments = {(a.scale_id, a.moment) for a in report.alphas}
        assert ("nee_zeggen", "intake") in moments and ("nee_zeggen", "exit") in moments
        assert [s["id"] for s in report.sjt][:1] == ["sjt_vuilniszakken_2"]
        shares = [o["share"]["intake"] for o in report.sjt[0]["options"]]
        assert sum(shares) == pytest.approx(1.0)
        assert [t["intake"][1] for t in report.time] == [16, 16, 16]


def test_the_pooled_reliability_follows_every_new_intake_and_erasure(app, filled, trainer):
    # The pooled alpha is kept per process while its intakes hold: a page after another
    # cohort's intake, or after an erasure, states the new n, as a fresh process would.
    from assess.models import Cohort
    from assess.survey import erasure

    def pooled_n() -> int:
        with app.test_request_context():
            cohort = db.session.get(Cohort, filled)
            report = cohort_report.build(cohort, questionnaires.registry(), "nl")
            return report.main()[0].pooled.n

    assert pooled_n() == 16
    with app.test_request_context(method="POST"):
        other = make.cohort(trainer, "Najaar 2026")
        newcomers = [person.id for person in make.participants(other, 2, start=500)]
        for person_id in newcomers:
            make.fill(person_id, "intake", seed=5)
        db.session.commit()
    assert pooled_n() == 18
    with app.test_request_context(method="POST"):
        erasure.erase(db.session.get(Participant, newcomers[0]))
        db.session.commit()
    assert pooled_n() == 17


def test_the_analysis_page_draws_charts_explains_numbers_and_shows_no_names(client, filled):
    page = client.get(f"/trainer/cohorten/{filled}/analyse").text
    charts = re.findall(
        r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', page, re.S
    )
    ids = [chart_id for chart_id, _ in charts]
    assert "chart-change" in ids and "chart-dist-tijdmanagement" in ids
    assert (
        "chart-slope-netwerkaanpak" in ids
        and "chart-sjt-sjt_even_snel_2" in ids
        and "chart-time" in ids
    )
    for _, data in charts:
        assert json.loads(data)["data"]
    assert "Toon als tabel" in page
    assert "95%-betrouwbaarheidsinterval van de gemiddelde verandering:" in page
    assert "waarschijnlijk tussen" not in page
    assert "keer de gebruikelijke spreiding" in page
    assert "Betrouwbaarheid" in page and "alfa" in page
    assert "Deelnemer 0" not in page and "@example.nl" not in page
    assert "T010003" in page


def test_an_empty_cohort_analysis_says_not_computable_instead_of_failing(app, client, trainer):
    with app.app_context():
        cid = make.cohort(trainer).id
        db.session.commit()
    page = client.get(f"/trainer/cohorten/{cid}/analyse")
    assert page.status_code == 200
    assert "niet te berekenen" in page.text


def test_the_analysis_explains_in_english_with_decimal_points_after_switching(client, filled):
    assert client.post("/taal", data={"lang": "en", "next": "/"}).status_code == 302
    page = client.get(f"/trainer/cohorten/{filled}/analyse").text
    assert 'lang="en"' in page
    # The alpha table: figures with decimal points, George & Mallery's words in English.
    assert re.search(
        r"<strong>0\.\d\d</strong> <span class=\"badge[^\"]*\">(excellent|good|acceptable|questionable|poor|unacceptable)</span>",
        page,
    )
    assert "go together" in page and "measure the same" not in page
    assert re.search(r"95% confidence interval of the mean change: -?\d+\.\d\d to", page)
    assert "probably" not in page
    assert "times the usual spread between participants" in page
    assert "Betrouwbaarheid" not in page and "keer de gebruikelijke spreiding" not in page
    assert not re.search(r"alpha = -?\d+,\d", page)


def test_the_analysis_explains_in_dutch_with_decimal_commas(client, filled):
    page = client.get(f"/trainer/cohorten/{filled}/analyse").text
    assert re.search(
        r"<strong>0,\d\d</strong> <span class=\"badge[^\"]*\">(uitstekend|goed|acceptabel|twijfelachtig|zwak|onvoldoende)</span>",
        page,
    )
    assert "meten hetzelfde" not in page and "waarschijnlijk geen toeval" not in page
    assert "echte groei is dan groter" not in page and "response shift" in page
    # size words come from g_av, with the interval; d_z is explained by the SD of the changes
    assert "d_z = " in page and "standaarddeviatie van de veranderingen" in page
    assert re.search(
        r"Grootte: \w+ \(g_av = -?\d+,\d\d, bij een 95%-betrouwbaarheidsinterval van", page
    ) or re.search(r"g_av = -?\d+,\d\d: geen woord voor de grootte", page)
    assert not re.search(r"\beffect\b", page)
    # the RCI's reliability is the pooled alpha of the version, with its n
    assert re.search(r"ingeleverde voormetingen van versie \d+ van de vragenlijst", page)
    assert re.search(r"gemiddelde verandering: -?\d+,\d\d tot -?\d+,\d\d", page)
    assert not re.search(r"alfa = -?\d+\.\d", page)


def test_an_empty_cohort_analysis_says_not_computable_in_english_too(app, client, trainer):
    with app.app_context():
        cid = make.cohort(trainer).id
        db.session.commit()
    assert client.post("/taal", data={"lang": "en", "next": "/"}).status_code == 302
    page = client.get(f"/trainer/cohorten/{cid}/analyse").text
    assert "not computable" in page and "niet te berekenen" not in page


@pytest.fixture
def two_cohorts(app, trainer):
    """Two empty cohorts, spring and autumn: enough for choosing, periods and sorting."""
    with app.app_context():
        a = make.cohort(trainer, "Voorjaar")
        b = make.cohort(trainer, "Najaar")
        b.start_date = b.start_date.replace(month=9)
        db.session.commit()
        return a.id, b.id


def test_two_cohorts_side_by_side_with_a_between_cohort_comparison(app, client, trainer):
    with app.app_context():
        a = make.filled_cohort(trainer, n=12, name="Voorjaar", seed=1).id
        b = make.filled_cohort(trainer, n=12, name="Najaar", seed=2).id
    page = client.get(f"/trainer/vergelijken?cohort={a}&cohort={b}").text
    assert 'id="chart-compare"' in page
    data = json.loads(re.search(r'id="chart-compare-data">(.*?)</script>', page, re.S).group(1))
    assert [trace["name"] for trace in data["data"]] == ["Najaar", "Voorjaar"]
    assert "Verschil tussen de twee cohorten" in page
    assert "Welch" in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("cohort={a}", "Kies minstens twee cohorten om te vergelijken."),
        ("van=2026-13-01", "Dit is geen geldige datum"),
        ("van=2026-12-01&tot=2026-01-01", "De einddatum van de periode ligt vóór de begindatum."),
    ],
)
def test_bad_comparison_input_gets_a_dutch_message(client, two_cohorts, query, message):
    page = client.get("/trainer/vergelijken?" + query.format(a=two_cohorts[0]))
    assert page.status_code == 200 and message in page.text


def test_a_period_narrows_the_cohorts_to_choose_from(client, two_cohorts):
    page = client.get("/trainer/vergelijken?van=2026-08-01&tot=2026-12-31").text
    table = page[page.index("Alle cohorten") :]
    assert "Najaar" in table and "Voorjaar" not in table


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_the_cohort_table_sorts_on_the_server(client, two_cohorts, direction):
    page = client.get(f"/trainer/vergelijken?sort=naam&richting={direction}").text
    table = page[page.index("Alle cohorten") :]
    order = [table.index("Najaar"), table.index("Voorjaar")]
    assert (order[0] < order[1]) == (direction == "asc")
    assert (
        'aria-sort="ascending"' in table
        if direction == "asc"
        else 'aria-sort="descending"' in table
    )


def alpha_section(page: str) -> str:
    return page[page.index('id="betrouwbaarheid"') : page.index('id="situaties"')]


def test_a_cohort_too_small_for_alpha_says_why_instead_of_showing_figures(app, client, trainer):
    """Four intakes: alpha of four people is no measurement, so no alpha figure is shown."""
    with app.app_context():
        group = make.cohort(trainer, "Net begonnen")
        for person in make.participants(group, 4):
            make.fill(person, "intake")
        db.session.commit()
        cid = group.id
    section = alpha_section(client.get(f"/trainer/cohorten/{cid}/analyse").text)
    assert "tonen we vanaf 10 deelnemers" in section
    assert "in dit cohort zijn dat er hoogstens 4" in section
    assert "<table" not in section
    # The only figures are those of the worked example, none of this cohort.
    assert re.findall(r"-?\d+,\d\d", section) == ["0,70", "0,12", "0,97"]


def anti_correlated(q, scale: str, person_number: int) -> dict:
    """Answers to a scale whose first half of items goes against the second half (in keyed
    terms), so its alpha comes out below zero."""
    from assess.engine.keying import keying

    items = q.items_of(scale)
    up = 1 + person_number % 5
    keyed = [up if n < len(items) // 2 else 6 - up for n in range(len(items))]
    keyed[-1] = max(1, min(5, keyed[-1] + (person_number % 2)))
    return {i: keying(q, q.items_by_id[i]).apply(v) for i, v in zip(items, keyed, strict=True)}


def test_a_negative_alpha_is_called_uninterpretable_and_not_shown_as_a_figure(app, client, trainer):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
        group = make.cohort(trainer, "Tegengesteld")
        for n, person in enumerate(make.participants(group, 12)):
            make.fill(person, "intake", extra=anti_correlated(q, "tijdmanagement.planning", n))
        db.session.commit()
        found = cohort_report.item_answers(Participant.cohort_id == group.id, q)["intake"]
        alpha = cohort_report.alpha_of(found, q.items_of("tijdmanagement.planning"))
        cid = group.id
    assert alpha.n == 12 and alpha.alpha < 0
    section = alpha_section(client.get(f"/trainer/cohorten/{cid}/analyse").text)
    row = section[section.index("Plannen en prioriteren") :]
    row = row[: row.index("</tr>")]
    assert "niet te interpreteren" in row and "onder nul" in row
    assert not re.search(r"-\d+,\d\d", row)
    assert "Een negatieve alfa is geen betrouwbaarheid" in section
    assert "controleer de sleutel" not in section


@pytest.mark.parametrize(
    ("value", "n", "state"),
    [(0.82, 30, "shown"), (0.82, 9, "few"), (-0.47, 4, "few"), (-0.47, 12, "negative")],
)
def test_an_alpha_row_says_how_it_may_be_shown(value, n, state):
    from assess.engine import stats

    row = cohort_report.AlphaRow("s", "S", "intake", stats.alpha_with_interval(value, n, 5))
    assert row.state == state


def test_an_alpha_that_cannot_be_computed_is_not_shown_either():
    from assess.engine import stats
    from assess.engine.messages import Message

    none = stats.NotComputable(Message("stats.no_spread_in_totals"))
    row = cohort_report.AlphaRow("s", "S", "intake", stats.alpha_with_interval(none, 12, 5))
    assert row.state == "not_computable"


def test_reliable_change_is_not_claimed_when_the_pooled_alpha_is_negative(app, client, trainer):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
        group = make.cohort(trainer, "Tegengesteld")
        for n, person in enumerate(make.participants(group, 12)):
            make.fill(person, "intake", extra=anti_correlated(q, "tijdmanagement", n))
            make.fill(person, "exit")
        db.session.commit()
        cid = group.id
    page = client.get(f"/trainer/cohorten/{cid}/analyse").text
    section = page[page.index('id="h-tijdmanagement"') : page.index('id="h-nee_zeggen"')]
    assert "Betrouwbare verandering is voor deze schaal niet te bepalen" in section
    assert "Een negatieve alfa is geen betrouwbaarheid" in section
    assert "groter dan niet te berekenen" not in section
    # The other scales keep their reliable-change threshold.
    assert "groter is dan" in page[page.index('id="h-nee_zeggen"') :]
