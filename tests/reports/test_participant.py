"""The personal report: scores with bands and tips, intake vs exit and the retrospective
"then", scenarios explained, the working week, the action plan and the data download."""

import json
import re

import pytest
from markupsafe import escape

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
    for text in ("Tijdmanagement", "Nee zeggen", "Netwerkaanpak", "Grip op de waan van de dag"):
        assert text in page.text
    assert "Je score is" in page.text
    assert "<h3>Tips</h3>" in page.text
    # version 2 keeps the scenarios' key until the follow-up is submitted
    assert "lees je hier na de follow-up" in page.text
    assert "Het meest effectief volgens de trainers:" not in page.text
    assert "De trainers van de leergang vinden" not in page.text
    assert "Je werkweek" in page.text
    assert "Wat betekent de terugblik?" not in page.text


def test_scenario_keys_appear_once_the_follow_up_is_submitted(client, signed_in):
    signed_in("intake", "exit", "followup", intake="closed", exit="closed", followup="open")
    page = client.get("/deelnemer/rapport").text
    assert "Het meest effectief volgens de trainers:" in page
    assert "De trainers van de leergang vinden ‘" in page  # the option by its words
    assert "lees je hier na de follow-up" not in page


def test_no_scenario_score_per_scale_before_the_keys_are_released(client, signed_in):
    """With two scenarios a scale and the choices on the page, a score per scale (17 -> 100)
    gives the key away before the follow-up asks the same scenarios again."""
    signed_in("intake", "exit", intake="closed", exit="open")
    page = client.get("/deelnemer/rapport").text
    assert "Je score is" in page and "lees je hier na de follow-up" in page
    assert 'class="sjt-row"' not in page
    assert "hoe effectief je keuzes in de situaties waren" not in page


def test_scenario_scores_per_scale_appear_with_the_keys(client, signed_in):
    signed_in("intake", "exit", "followup", intake="closed", exit="closed", followup="open")
    page = client.get("/deelnemer/rapport").text
    assert page.count('class="sjt-row"') == 3  # one per scale


def test_a_version_1_intake_still_shows_its_key_right_away(app, client):
    with app.app_context():
        pid, token = make.invited(make.cohort(windows=make.windows()))
        make.fill(pid, "intake", version=1)
        db.session.commit()
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/rapport").text
    assert "Het meest effectief volgens de trainers:" in page
    assert "Experts vinden ‘" in page  # version 1's own explanation, the option by its words


def test_version_1_intake_and_version_2_exit_are_compared_on_shared_items(app, client):
    with app.app_context():
        group = make.cohort(windows=make.windows(intake="closed", exit="open"))
        pid, token = make.invited(group)
        make.fill(pid, "intake", version=1, seed=1)
        make.fill(pid, "exit", seed=2)
        db.session.commit()
        versions = sorted(
            r.questionnaire_version for r in db.session.get(Participant, pid).responses
        )
        assert versions == [1, 2]
        report = build(db.session.get(Participant, pid), questionnaires.registry())
        q1 = questionnaires.get(make.INSTRUMENT, 1)
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/rapport").text
    assert "verschillende versies van de vragenlijst (versie 1 en 2)" in page
    assert (
        "alleen op de uitspraken die in beide versies precies hetzelfde zijn: 6 van de 39" in page
    )
    # nee zeggen shares one item (nz_tel_1, in teleurstelling): its other sub-scales compare nothing
    nee = next(s for s in report.scales if s.line.id == "nee_zeggen")
    assert nee.line.cells["intake"].n_items == nee.line.cells["exit"].n_items == 1
    bewoners = next(sub for sub in nee.subscales if sub.id == "nee_zeggen.nee_bewoners")
    assert bewoners.cells == {}
    # the intake's cell is its own answer to the shared item, keyed as version 1 keys it
    with app.app_context():
        answers = {
            k: v
            for r in db.session.get(Participant, pid).responses
            if r.moment == "intake"
            for k, v in responses.answers_of(r).items()
        }
    assert q1.items_by_id["nz_tel_1"].reverse
    assert nee.line.cells["intake"].pomp == pytest.approx((5 - answers["nz_tel_1"]) / 4 * 100)


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


def test_expert_explanations_name_options_by_their_text_never_by_a_letter(app, client, signed_in):
    """The survey never shows a, b, c, d, so the feedback must not name options by them."""
    # Version 2 shows the key once the follow-up is in.
    signed_in("intake", "exit", "followup", intake="closed", exit="closed", followup="open")
    with app.test_request_context():
        for lang in ("nl", "en"):
            report = build(
                db.session.get(Participant, _only_participant()), questionnaires.registry(), lang
            )
            for scenario in report.moments[0].scenarios:
                text = scenario.explanation
                assert not re.search(r"(^|[\s(])[b-d]([\s),.:]|$)", text), text
                assert not re.search(r"(^|[.!?(]\s*)a([\s),.:])", text), text
                assert "‘" in text
    english = [s.explanation for s in report.moments[0].scenarios]
    assert any("The course trainers consider ‘" in e for e in english)
    assert any(": a clear, friendly no" in e for e in english)  # the article stays


def test_option_names_are_as_short_as_tells_them_apart():
    from assess.reports.participant import option_names

    names = option_names(
        {
            "a": "Je rijdt er meteen heen.",
            "c": "Je laat de zakken vandaag door de huismeester weghalen en plant een moment.",
            "d": "Je laat de zakken vandaag door de huismeester weghalen en neemt je voor.",
        }
    )
    assert names["a"] == "Je rijdt er meteen heen."
    assert names["c"] == "Je laat de zakken vandaag door de huismeester weghalen en plant…"
    assert names["d"] == "Je laat de zakken vandaag door de huismeester weghalen en neemt…"


def _only_participant() -> int:
    return db.session.scalar(db.select(Participant.id))


def test_before_and_after_says_per_scale_what_changed_and_tips_fit_the_latest_score(app, client):
    with app.app_context():
        group = make.cohort(windows=make.windows(intake="closed", exit="open"))
        pid, token = make.invited(group)
        make.fill(pid, "intake", level=0.25, growth=0.0, seed=1)
        make.fill(pid, "exit", level=0.75, growth=0.0, seed=2)
        db.session.commit()
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/rapport").text
    with app.test_request_context():
        report = build(db.session.get(Participant, pid), questionnaires.registry())
        q = questionnaires.get(group_questionnaire(pid))
    for scale in report.scales:
        intake, exit_ = scale.line.cells["intake"], scale.line.cells["exit"]
        a, b = round(intake.pomp), round(exit_.pomp)
        assert b > a
        words = (
            f"{scale.line.title}: van {a} ({intake.band.label['nl'].lower()}) bij de voormeting"
            f" naar {b} ({exit_.band.label['nl'].lower()}) bij de nameting, {b - a} punten hoger."
        )
        assert scale.change == words
        assert escape(words) in page
        # Feedback and tips are the exit band's, not the intake's.
        assert scale.band.id == exit_.band.id
        assert scale.tips == [q.text(t, "nl") for t in exit_.band.tips]
        for tip in scale.tips:
            assert escape(tip) in page


def group_questionnaire(pid: int) -> str:
    return db.session.get(Participant, pid).cohort.questionnaire_id


def test_what_was_learned_reaches_the_report(app, client):
    with app.app_context():
        group = make.cohort(windows=make.windows(intake="closed", exit="open"))
        pid, token = make.invited(group)
        make.fill(pid, "intake", seed=1)
        make.fill(pid, "exit", seed=2, extra={"geleerd": "Eerst luisteren, dan <plannen>."})
        db.session.commit()
    client.get(f"/s/{token}")
    page = client.get("/deelnemer/rapport").text
    assert "In je eigen woorden" in page
    assert "Wat heb je in de leergang geleerd dat je het meest bijblijft?" in page
    assert "Eerst luisteren, dan &lt;plannen&gt;." in page
