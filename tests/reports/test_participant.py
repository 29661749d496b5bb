"""The personal report: scores with bands and tips, intake vs exit and the retrospective
"then", scenarios explained, the working week, the action plan and the data download."""

import json

import pytest

from assess.db import db
from assess.models import Participant, Response
from assess.reports.participant import build
from assess.survey import questionnaires, responses
from tests import factories as make


@pytest.fixture
def signed_in(app, client):
    def sign_in(*moments, plans=None, **windows):
        """A participant who submitted these moments (`plans`: moment -> extra answers)."""
        with app.app_context():
            group = make.cohort(name="Leergang test", windows=make.windows(**windows))
            pid, token = make.invited(group)
            for n, moment in enumerate(moments):
                make.fill(pid, moment, seed=n + 1, extra=(plans or {}).get(moment))
            db.session.commit()
        client.get(f"/s/{token}")
        return pid

    return sign_in


def test_report_waits_for_a_submitted_moment(client, signed_in):
    signed_in()
    response = client.get("/deelnemer/rapport", follow_redirects=True)
    assert "Je rapport komt beschikbaar zodra je een meting hebt ingediend" in response.text


def test_report_after_intake_shows_scores_bands_feedback_and_tips(client, signed_in):
    signed_in("intake")
    page = client.get("/deelnemer/rapport")
    assert page.status_code == 200
    for text in ("Tijdmanagement", "Nee zeggen", "Netwerkaanpak", "Plannen en prioriteren"):
        assert text in page.text
    assert "Je score is" in page.text
    assert "<h3>Tips</h3>" in page.text
    assert "Het meest effectief volgens experts:" in page.text
    assert "Experts vinden c het meest effectief" in page.text
    assert "Je werkweek" in page.text
    assert "Wat betekent de terugblik?" not in page.text


def test_every_chart_has_a_table_alternative_and_the_chart_library_is_self_hosted(
    client, signed_in
):
    signed_in("intake")
    page = client.get("/deelnemer/rapport").text
    assert page.count('class="chart-figure"') == page.count("Toon als tabel") == 2
    assert "/vendor/plotly.min.js" in page
    assert "cdn" not in page.lower()


def test_report_with_exit_shows_intake_then_and_exit_side_by_side(client, signed_in):
    signed_in("intake", "exit", intake="closed", exit="open")
    page = client.get("/deelnemer/rapport").text
    assert "Wat betekent de terugblik?" in page
    assert "andere maatlat" in page
    header = page.index('<th scope="col">Dimensie</th>')
    assert page.index("Voormeting", header) < page.index("Terugblik", header)
    assert page.index("Terugblik", header) < page.index("Nameting", header)
    assert "Jouw keuze (voormeting):" in page and "Jouw keuze (nameting):" in page


def test_scale_with_too_few_answers_says_onvoldoende_ingevuld(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows()))
        answers = make.fill(pid, "intake", submit=False)
        response = db.session.execute(db.select(Response).filter_by(participant_id=pid)).scalar()
        netwerk = [i for i in answers if i.startswith("na_")]
        responses.save_answers(response, {i: None for i in netwerk[2:]})
        responses.submit(response)
        db.session.commit()
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/rapport").text
    assert "onvoldoende ingevuld" in page
    assert "te weinig vragen over dit onderdeel beantwoord" in page


def test_followup_report_shows_the_exit_action_plan_back(app, client, signed_in):
    plan = "Elke maandag plan ik mijn week en houd ik tijd vrij voor overleg."
    pid = signed_in(
        "intake",
        "exit",
        "followup",
        plans={"exit": {"actieplan": plan}},
        intake="closed",
        exit="closed",
    )
    with app.test_request_context():
        report = build(db.session.get(Participant, pid), questionnaires.registry())
    assert report.action_plan == plan
    page = client.get("/deelnemer/rapport").text
    assert "Dit schreef je bij de nameting:" in page
    assert report.action_plan[:40] in page
    assert [label for _k, label in report.columns] == [
        "Voormeting",
        "Terugblik: vóór de leergang",
        "Nameting",
        "Follow-up",
    ]


def test_report_body_is_a_partial_that_needs_only_the_report(app, signed_in):
    pid = signed_in("intake")
    with app.test_request_context():
        from flask import render_template

        report = build(db.session.get(Participant, pid), questionnaires.registry())
        html = render_template("participant/_report.html", report=report)
    assert "Tijdmanagement" in html and "chart-dimensies" in html


def test_download_my_data_gives_own_data_as_json_attachment(client, signed_in):
    signed_in("intake")
    response = client.get("/deelnemer/mijn-gegevens.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["name"] == "Anouk de Vries"
    assert data["cohort"] == "Leergang test"
    assert data["organisation"] == "De Linde"
    [intake] = data["responses"]
    assert intake["status"] == "submitted"
    assert intake["answers"]["tm_plan_1"] in (1, 2, 3, 4, 5)
    scores = {(s["scale"], s["variant"]): s for s in intake["scores"]}
    assert 0 <= scores[("tijdmanagement", "now")]["score_0_100"] <= 100


def test_download_needs_the_link(client):
    assert client.get("/deelnemer/mijn-gegevens.json").status_code == 403
