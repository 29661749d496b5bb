"""Participants: adding one, links (copy, revoke, reissue), moving, tracking, the logged report."""

import pytest

from assess.db import db
from assess.models import AuditEvent, Cohort, Organisation, Participant, Response
from assess.survey import tokens
from tests import factories as make


@pytest.fixture
def cohort_id(app, trainer):
    with app.app_context():
        make.organisation("Woonstichting De Linde")
        cid = make.cohort(trainer).id
        db.session.commit()
        return cid


def actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_adding_a_participant_gives_a_code_and_a_working_link(app, client, cohort_id):
    with app.app_context():
        org_id = db.session.execute(db.select(Organisation.id)).scalar_one()
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/nieuw",
        data={
            "name": "  Anouk   de Vries ",
            "email": "Anouk@DeLinde.NL",
            "organisation_id": org_id,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.execute(db.select(Participant)).scalar_one()
        assert (person.name, person.email) == ("Anouk de Vries", "anouk@delinde.nl")
        assert len(person.code) == 8
        token = tokens.current_token(person)
        assert tokens.find(token).id == person.id
    page = client.get(f"/trainer/cohorten/{cohort_id}").text
    assert f"http://zelfscan.test/s/{token}" in page
    assert "Kopieer link" in page and "js/copy.js" in page


def test_control_characters_in_a_typed_name_are_removed(app, client, cohort_id):
    with app.app_context():
        org_id = db.session.execute(db.select(Organisation.id)).scalar_one()
    data = {
        "name": "Eva\x1b de\x07 Wit\r\nBcc: x",
        "email": "eva@delinde.nl",
        "organisation_id": org_id,
    }
    response = client.post(f"/trainer/cohorten/{cohort_id}/deelnemers/nieuw", data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(Participant.name)).scalar_one() == "Eva de Wit Bcc: x"


def test_a_trainer_picks_an_active_corporation_and_creates_none(app, client, cohort_id):
    with app.app_context():
        gone = make.organisation("Het Oude Baken", active=False).id
        db.session.commit()
    page = client.get(f"/trainer/cohorten/{cohort_id}/deelnemers/nieuw").text
    assert "Woonstichting De Linde" in page and "Het Oude Baken" not in page
    assert 'name="new_organisation"' not in page
    for data in (
        {"organisation_id": gone},
        {"organisation_id": "", "new_organisation": "Het Baken"},
    ):
        response = client.post(
            f"/trainer/cohorten/{cohort_id}/deelnemers/nieuw",
            data={"name": "Bram", "email": "bram@baken.nl", **data},
        )
        assert response.status_code == 200
        assert "Kies een corporatie uit de lijst." in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"name": "Bram", "email": "bram@", "organisation_id": "1"},
            "Dit is geen geldig e-mailadres.",
        ),
        (
            {"name": "Bram", "email": "bram at baken.nl", "organisation_id": "1"},
            "Dit is geen geldig e-mailadres.",
        ),
        ({"name": "", "email": "bram@baken.nl", "organisation_id": "1"}, "Vul de naam in."),
        ({"name": "Bram", "email": "bram@baken.nl"}, "Kies een corporatie uit de lijst."),
        (
            {"name": "Bram", "email": "DUBBEL@example.nl", "organisation_id": "1"},
            "Dit e-mailadres staat al in dit cohort.",
        ),
    ],
)
def test_bad_participant_input_gets_a_dutch_message_and_saves_nothing(
    app, client, cohort_id, data, message
):
    with app.app_context():
        make.participant(cohort_id, "D", "dubbel@example.nl", code="DUBBEL01", link=False)
        db.session.commit()
    response = client.post(f"/trainer/cohorten/{cohort_id}/deelnemers/nieuw", data=data)
    assert response.status_code == 200
    assert message in response.text
    if data["name"]:
        assert f'value="{data["name"]}"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 1


def test_revoking_and_reissuing_a_link_is_audited(app, client, cohort_id):
    with app.app_context():
        (person,) = make.participants(db.session.get(Cohort, cohort_id), 1)
        old = tokens.current_token(person)
        pid = person.id
        db.session.commit()
    client.post(f"/trainer/cohorten/{cohort_id}/deelnemers/{pid}/intrekken")
    with app.app_context():
        assert tokens.find(old) is None
    assert "Geen werkende link" in client.get(f"/trainer/cohorten/{cohort_id}").text
    client.post(f"/trainer/cohorten/{cohort_id}/deelnemers/{pid}/nieuwe-link")
    with app.app_context():
        new = tokens.current_token(db.session.get(Participant, pid))
        assert new and new != old and tokens.find(new).id == pid
    assert [a for a in actions(app) if a.endswith("_link")] == ["revoke_link", "reissue_link"]


def test_moving_a_participant_keeps_the_responses(app, client, trainer, cohort_id):
    with app.app_context():
        (person,) = make.participants(db.session.get(Cohort, cohort_id), 1)
        make.fill(person, "intake")
        target = make.cohort(trainer, "Najaar 2026").id
        pid = person.id
        db.session.commit()
    page = client.get(f"/trainer/cohorten/{cohort_id}/deelnemers/{pid}/verplaatsen").text
    assert "Najaar 2026" in page
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/{pid}/verplaatsen", data={"target": target}
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Participant, pid)
        assert person.cohort_id == target
        assert db.session.execute(db.select(Response).filter_by(participant_id=pid)).scalar_one()
    assert "move_participant" in actions(app)


@pytest.mark.parametrize(
    "setup, message",
    [
        ("other_questionnaire", "andere vragenlijst"),
        ("same_email", "al iemand met dit e-mailadres"),
    ],
)
def test_a_move_that_does_not_fit_is_refused(app, client, trainer, cohort_id, setup, message):
    with app.app_context():
        (person,) = make.participants(db.session.get(Cohort, cohort_id), 1)
        if setup == "other_questionnaire":
            target = make.cohort(trainer, "Ander", questionnaire_id="beleidsscan")
        else:
            target = make.cohort(trainer, "Ander")
            make.participants(target, 1, org="Het Baken")[0].email = person.email
        ids = person.id, target.id
        db.session.commit()
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/{ids[0]}/verplaatsen", data={"target": ids[1]}
    )
    assert response.status_code == 200 and message in response.text
    with app.app_context():
        assert db.session.get(Participant, ids[0]).cohort_id == cohort_id


def test_moving_into_another_trainers_cohort_is_not_found(app, client, make_user, cohort_id):
    other = make_user("trainer", "ander@example.nl")
    with app.app_context():
        (person,) = make.participants(db.session.get(Cohort, cohort_id), 1)
        foreign = make.cohort(other, "Van een ander").id
        pid = person.id
        db.session.commit()
    response = client.post(
        f"/trainer/cohorten/{cohort_id}/deelnemers/{pid}/verplaatsen", data={"target": foreign}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Participant, pid).cohort_id == cohort_id


def test_tracking_shows_not_started_busy_with_progress_and_submitted(app, client, cohort_id):
    with app.app_context():
        people = make.participants(db.session.get(Cohort, cohort_id), 3)
        make.fill(people[1], "intake", submit=False, share=0.5)
        make.fill(people[2], "intake")
        db.session.commit()
        from assess.survey import questionnaires

        n_items = len(questionnaires.get("leergang-woonconsulent").item_ids_for("intake"))
    page = client.get(f"/trainer/cohorten/{cohort_id}/respons").text
    intake = page[page.index('id="moment-intake"') : page.index('id="moment-exit"')]
    assert 'data-count="not_started">1<' in intake
    assert 'data-count="busy">1<' in intake
    assert 'data-count="submitted">1<' in intake
    assert f"{n_items // 2} van {n_items} vragen" in intake
    textarea = intake[intake.index("<textarea") : intake.index("</textarea>")]
    assert "deelnemer000@example.nl; deelnemer001@example.nl" in textarea
    assert "deelnemer002" not in textarea


def test_opening_a_participants_report_is_logged(app, client, cohort_id):
    with app.app_context():
        (person,) = make.participants(db.session.get(Cohort, cohort_id), 1)
        make.fill(person, "intake")
        pid = person.id
        db.session.commit()
    page = client.get(f"/trainer/cohorten/{cohort_id}/deelnemers/{pid}/rapport").text
    assert "Rapport van Deelnemer 000" in page
    assert "Tijdmanagement" in page and "Voormeting" in page
    # The trainer sees the participant's own report: bands with feedback and the chart data.
    assert 'data-chart="' in page and "Toon als tabel" in page
    with app.app_context():
        event = db.session.execute(
            db.select(AuditEvent).filter_by(action="view_participant_report")
        ).scalar_one()
        assert (event.target_type, event.target_id) == ("participant", pid)
