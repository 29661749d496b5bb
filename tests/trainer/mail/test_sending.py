"""Sending invitations through a real local SMTP server, and what the trainer sees about it."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from assess import clock
from assess.db import db
from assess.models import Cohort, MailLog, MailOutbox, MomentWindow, Participant
from assess.survey import tokens
from assess.trainer.mail import sending as mail
from tests import factories as make
from tests.conftest import AuthActions, csrf_token
from tests.mail_server import down_server, slow_server, smtp_server
from tests.trainer.mail.conftest import work

# Depends on the date: CI runs it again on the hard days (.ci/run).
pytestmark = pytest.mark.calendar

SUBJECT = "Zelfscan Leergang voorjaar 2026: de voormeting"


@pytest.fixture
def world(mail_class, auth):
    """A signed-in trainer with one cohort of three participants, each with a live link."""
    world = mail_class("anouk", "bram", "chantal")
    auth.login("trainer@example.nl")
    return world


def queue(client, cohort, recipients="all", moment="intake", participant=""):
    return client.post(
        f"/trainer/mail/{cohort}/versturen",
        data={"moment": moment, "recipients": recipients, "participant": participant},
    )


def send(client, cohort, recipients="all", moment="intake", participant=""):
    """Queue through the page, then let the mail worker send what was queued."""
    response = queue(client, cohort, recipients, moment, participant)
    work(client.application)
    return response


def logs(app, **filters):
    with app.app_context():
        return db.session.scalars(
            db.select(MailLog).filter_by(**filters).order_by(MailLog.id)
        ).all()


def link_in(text: str) -> str:
    return re.search(r"http://zelfscan\.test/s/\S+", text).group(0)


def test_invitation_arrives_with_recipient_subject_both_parts_and_the_personal_link(
    app, client, world, inbox
):
    response = send(client, world["cohort"])
    assert response.status_code == 302
    assert len(inbox.messages) == 3
    [received] = inbox.to("anouk@delinde.example.nl")
    assert received.recipients == ["anouk@delinde.example.nl"]
    assert received.message["Subject"] == SUBJECT
    assert received.message["To"] == "Anouk de Vries <anouk@delinde.example.nl>"
    assert received.message.get_content_type() == "multipart/alternative"
    assert "Beste Anouk de Vries," in received.text
    assert "<p>Beste Anouk de Vries,</p>" in received.html
    link = link_in(received.text)
    assert f'href="{link}"' in received.html
    with app.app_context():
        owner = tokens.find(urlsplit(link).path.rsplit("/", 1)[1])
        assert owner.id == world["anouk"]
    assert [row.ok for row in logs(app, kind="invitation")] == [True, True, True]


def test_the_link_in_the_mail_opens_the_participant_page(app, client, world, inbox):
    send(client, world["cohort"], "one", participant=world["bram"])
    # The factory's calendar is fixed in early 2026; keep the intake open on the real date so
    # the link has not expired (links close 30 days after the cohort's last window).
    with app.app_context():
        window = db.session.execute(
            db.select(MomentWindow).filter_by(cohort_id=world["cohort"], moment="intake")
        ).scalar_one()
        window.closes_on = clock.today() + timedelta(days=7)
        db.session.commit()
    path = urlsplit(link_in(inbox.messages[0].text)).path
    response = client.get(path)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "/deelnemer/" in response.headers["Location"]


def test_html_in_a_name_is_escaped_in_the_html_part(app, client, world, inbox):
    with app.app_context():
        pid = make.participant(world["cohort"], "<b>Eva</b> =SUM(1)", "eva@delinde.example.nl").id
        db.session.commit()
    send(client, world["cohort"], "one", participant=pid)
    [received] = inbox.messages
    assert "<b>Eva</b>" not in received.html
    assert "&lt;b&gt;Eva&lt;/b&gt; =SUM(1)" in received.html
    assert "Beste <b>Eva</b> =SUM(1)," in received.text


def test_control_characters_in_names_never_reach_a_mail_header(app, client, world, inbox):
    """Names stored before imports dropped control characters, or typed by a tool, are
    cleaned where they enter the To and Subject headers: no line break, no other control."""
    with app.app_context():
        group = db.session.get(Cohort, world["cohort"])
        group.name = "Leergang\x1b voorjaar\r\nBcc: spion@example.nl"
        pid = make.participant(
            group, "Eva\x1b de\x07 Wit\r\nBcc: spion@example.nl", "eva@delinde.example.nl"
        ).id
        db.session.commit()
    send(client, world["cohort"], "one", participant=pid)
    [received] = inbox.messages
    assert received.recipients == ["eva@delinde.example.nl"]
    assert received.message["To"] == '"Eva de Wit Bcc: spion@example.nl" <eva@delinde.example.nl>'
    assert received.message["Subject"].startswith("Zelfscan Leergang voorjaar Bcc:")
    assert received.message["Bcc"] is None
    for name, value in received.message.items():
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", str(value)), name
    assert "Beste Eva de Wit Bcc: spion@example.nl," in received.text


def test_preview_shows_the_mail_and_the_count_and_sends_nothing(app, client, world, inbox):
    page = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=all")
    assert page.status_code == 200
    assert "Deze uitnodiging gaat naar 3 deelnemers." in page.text
    assert "Zo ziet Anouk de Vries hem" in page.text
    assert SUBJECT in page.text
    assert "http://zelfscan.test/s/voorbeeldlink-werkt-niet" in page.text
    assert "Verstuur naar 3 deelnemers" in page.text
    assert inbox.messages == [] and logs(app) == []


def test_preview_counts_only_who_will_get_the_mail(app, client, world, inbox):
    with app.app_context():
        make.participant(world["cohort"], "Daan Visser", "daan.delinde.example.nl")
        make.fill(world["chantal"], "intake")
        db.session.commit()
    page = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=all")
    assert "Daan Visser (daan.delinde.example.nl): geen geldig e-mailadres" in page.text
    assert "Deze uitnodiging gaat naar 2 deelnemers." in page.text
    assert "Verstuur naar 2 deelnemers" in page.text
    send(client, world["cohort"])
    assert sorted(r for m in inbox.messages for r in m.recipients) == [
        "anouk@delinde.example.nl",
        "bram@delinde.example.nl",
    ]


def test_only_those_not_yet_invited_get_the_invitation(app, client, world, inbox):
    send(client, world["cohort"], "one", participant=world["anouk"])
    send(client, world["cohort"], "new")
    assert sorted(r for m in inbox.messages for r in m.recipients) == [
        "anouk@delinde.example.nl",
        "bram@delinde.example.nl",
        "chantal@delinde.example.nl",
    ]


def test_a_second_click_the_same_day_sends_nothing_twice(app, client, world, inbox):
    send(client, world["cohort"])
    response = send(client, world["cohort"])
    assert len(inbox.messages) == 3
    page = client.get(response.headers["Location"])
    assert "Vandaag al verstuurd, dus niet nog een keer" in page.text
    assert len(logs(app)) == 3


def test_participant_without_a_valid_address_is_listed_and_the_others_still_get_mail(
    app, client, world, inbox
):
    with app.app_context():
        pid = make.participant(world["cohort"], "Daan Visser", "daan.delinde.example.nl").id
        db.session.commit()
    preview = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=all")
    assert "Daan Visser (daan.delinde.example.nl): geen geldig e-mailadres" in preview.text
    response = send(client, world["cohort"])
    assert len(inbox.messages) == 3
    [failed] = logs(app, participant_id=pid)
    assert not failed.ok and failed.error == mail.NO_ADDRESS
    page = client.get(response.headers["Location"])
    assert "1 uitnodiging niet verstuurd" in page.text
    assert "geen geldig e-mailadres" in page.text


def test_a_revoked_link_is_not_mailed_and_says_to_issue_a_new_one(app, client, world, inbox):
    with app.app_context():
        tokens.revoke(db.session.get(Participant, world["bram"]))
        db.session.commit()
    send(client, world["cohort"])
    assert len(inbox.messages) == 2
    [row] = logs(app, participant_id=world["bram"])
    assert row.error == "geen geldige link: geef eerst een nieuwe link uit"


def retry(client, cohort, moment="intake"):
    response = client.post(f"/trainer/mail/{cohort}/opnieuw", data={"moment": moment})
    work(client.application)
    return response


def outbox(app, **filters):
    with app.app_context():
        return db.session.scalars(
            db.select(MailOutbox).filter_by(**filters).order_by(MailOutbox.id)
        ).all()


def test_a_refused_address_fails_alone_and_retry_sends_exactly_the_failed_one(app, client, world):
    with smtp_server(app, refuse={"bram@delinde.example.nl"}) as inbox:
        send(client, world["cohort"])
        assert len(inbox.messages) == 2
        page = client.get(f"/trainer/mail/{world['cohort']}")
        assert "adres geweigerd door de mailserver (550 5.1.1 Mailbox unavailable)" in page.text
        assert "Opnieuw proberen (alleen de mislukte)" in page.text
        inbox.refuse.clear()
        retry(client, world["cohort"])
        assert len(inbox.messages) == 3
        assert inbox.messages[-1].recipients == ["bram@delinde.example.nl"]
    page = client.get(f"/trainer/mail/{world['cohort']}")
    assert "Opnieuw proberen" not in page.text
    assert [r.ok for r in logs(app, participant_id=world["bram"])] == [False, True]


def test_a_server_that_is_down_keeps_the_mail_queued_with_a_dutch_reason_and_loses_none(
    app, client, world
):
    app.config["MAIL_RETRY_SECONDS"] = 0
    with down_server(app):
        response = send(client, world["cohort"])
        assert work(app).exit_code == 1
    assert response.status_code == 302
    rows = outbox(app)
    assert [r.status for r in rows] == ["queued"] * 3
    assert rows[0].last_error.startswith("mailserver niet bereikbaar (127.0.0.1:")
    assert logs(app) == []
    page = client.get(response.headers["Location"])
    assert "3 mails in de wachtrij" in page.text
    assert "3 mails staan in de wachtrij." in page.text
    assert "Poging 1 mislukt: mailserver niet bereikbaar (127.0.0.1:" in page.text
    with smtp_server(app) as inbox:
        assert work(app).exit_code == 0
        work(app)
    assert len(inbox.messages) == 3
    assert [r.status for r in outbox(app)] == ["sent"] * 3


def test_after_the_last_attempt_the_mail_fails_and_retry_queues_it_again(app, client, world):
    app.config.update(MAIL_RETRY_SECONDS=0, MAIL_MAX_ATTEMPTS=2)
    with down_server(app):
        send(client, world["cohort"], "one", participant=world["anouk"])
        work(app)
    [row] = outbox(app)
    assert row.status == "failed" and row.attempts == 2
    [log] = logs(app)
    assert log.error.startswith("mailserver niet bereikbaar")
    assert log.error.endswith("(opgegeven na 2 pogingen)")
    page = client.get(f"/trainer/mail/{world['cohort']}")
    assert "Opnieuw proberen (alleen de mislukte)" in page.text
    with smtp_server(app) as inbox:
        retry(client, world["cohort"])
    assert len(inbox.messages) == 1
    assert [r.ok for r in logs(app)] == [False, True]


def test_a_slow_server_times_out_with_a_dutch_reason(app, client, world):
    with slow_server(app, timeout=0.3):
        send(client, world["cohort"], "one", participant=world["anouk"])
    [row] = outbox(app)
    assert row.status == "queued"
    assert row.last_error == "de mailserver reageerde niet binnen 0,3 seconden (time-out)"


def test_refused_login_is_explained(app, client, world):
    with smtp_server(app, password="juist") as inbox:
        app.config.update(SMTP_USER="zelfscan", SMTP_PASSWORD="fout")
        send(client, world["cohort"], "one", participant=world["anouk"])
    assert inbox.messages == []
    [row] = outbox(app)
    assert (
        row.last_error
        == "inloggen bij de mailserver mislukt: controleer SMTP_USER en SMTP_PASSWORD"
    )


def test_without_smtp_the_pages_say_so_and_nothing_is_sent(app, client, world):
    app.config["SMTP_HOST"] = None
    page = client.get(f"/trainer/mail/{world['cohort']}")
    assert "E-mail is niet ingesteld." in page.text
    assert "De links blijven kopieerbaar op de cohortpagina." in page.text
    preview = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=all")
    assert "Verstuur naar" not in preview.text
    response = send(client, world["cohort"])
    assert (
        "E-mail is niet ingesteld: er is niets verstuurd."
        in client.get(response.headers["Location"]).text
    )
    assert logs(app) == []


def test_choosing_one_participant_without_naming_one_gives_a_dutch_message(client, world):
    page = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=one")
    assert "Kies de deelnemer die je de uitnodiging wilt sturen." in page.text


def test_the_cohorts_own_text_is_used_and_a_broken_one_is_refused_keeping_what_was_typed(
    app, client, world, inbox
):
    url = f"/trainer/mail/{world['cohort']}/tekst"
    typed = "Hoi {voornaam}, hier is je link: {link}"
    page = client.post(url, data={"subject": "Zelfscan {cohort}", "body": typed})
    assert page.status_code == 200
    assert "Onbekende plaatshouder {voornaam}." in page.text
    assert "Hoi {voornaam}, hier is je link: {link}</textarea>" in page.text
    client.post(url, data={"subject": "Zelfscan {cohort} ({moment})", "body": "Hoi {naam}: {link}"})
    send(client, world["cohort"], "one", participant=world["anouk"])
    [received] = inbox.messages
    assert received.message["Subject"] == "Zelfscan Leergang voorjaar 2026 (voormeting)"
    assert received.text.startswith("Hoi Anouk de Vries: http://zelfscan.test/s/")


def test_edit_page_prefills_the_default_for_the_chosen_moment_and_can_go_back_to_it(
    app, client, world
):
    url = f"/trainer/mail/{world['cohort']}/tekst"
    page = client.get(url + "?moment=exit")
    assert "zit erop. Vul nu de zelfscan nog een keer in: de nameting." in page.text
    assert "{deadline}" in page.text
    client.post(url, data={"subject": "Zelfscan", "body": "{link}"})
    client.post(url + "/standaard")
    with app.app_context():
        cohort = db.session.get(Participant, world["anouk"]).cohort
        assert cohort.mail_body is None and cohort.mail_subject is None


def test_saving_the_unchanged_default_keeps_a_default_per_moment(app, client, world):
    page = client.get(f"/trainer/mail/{world['cohort']}/tekst?moment=intake")
    subject, body = mail.mail_texts.defaults("invitation", "intake")
    assert "Binnenkort begint {cohort}." in page.text
    client.post(f"/trainer/mail/{world['cohort']}/tekst", data={"subject": subject, "body": body})
    with app.app_context():
        assert db.session.get(Participant, world["anouk"]).cohort.mail_body is None


@pytest.mark.parametrize(
    "path",
    ["", "/tekst", "/versturen?moment=intake&recipients=all"],
)
def test_another_trainers_cohort_is_not_found_but_an_admin_sees_it(
    app, client, auth, make_user, world, path
):
    make_user("trainer", "ander@example.nl")
    auth.logout()
    auth.login("ander@example.nl")
    assert client.get(f"/trainer/mail/{world['cohort']}{path}").status_code == 404
    assert send(client, world["cohort"]).status_code == 404
    auth.logout()
    make_user("admin", "beheer@example.nl")
    auth.login("beheer@example.nl")
    assert client.get(f"/trainer/mail/{world['cohort']}{path}").status_code == 200


def test_a_manager_gets_no_access(client, auth, make_user, world):
    make_user("manager", "manager@example.nl", organisation="Woonstichting De Linde")
    auth.logout()
    auth.login("manager@example.nl")
    assert client.get(f"/trainer/mail/{world['cohort']}").status_code == 403


def test_sending_needs_the_csrf_token_from_the_preview(csrf_app, make_user):
    trainer = make_user("trainer", "trainer@example.nl")
    with csrf_app.app_context():
        cohort = make.mail_cohort(trainer)
        make.participant(cohort, "Anouk de Vries", "anouk@delinde.example.nl")
        db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/auth/login").text
    AuthActions(client).login("trainer@example.nl", csrf_token=csrf_token(login_page))
    data = {"moment": "intake", "recipients": "all", "participant": ""}
    with smtp_server(csrf_app) as inbox:
        assert client.post(f"/trainer/mail/{cohort}/versturen", data=data).status_code == 400
        assert inbox.messages == []
        preview = client.get(f"/trainer/mail/{cohort}/versturen?moment=intake&recipients=all")
        data["csrf_token"] = csrf_token(preview.text)
        assert client.post(f"/trainer/mail/{cohort}/versturen", data=data).status_code == 302
        work(csrf_app)
    assert len(inbox.messages) == 1


def test_a_broken_stored_text_sends_the_trainer_to_fix_it_instead_of_failing(app, client, world):
    with app.app_context():
        cohort = db.session.get(Participant, world["anouk"]).cohort
        cohort.mail_body = "Hoi {naam"  # e.g. edited in the database by hand
        db.session.commit()
    preview = client.get(f"/trainer/mail/{world['cohort']}/versturen?moment=intake&recipients=all")
    assert preview.headers["Location"].endswith(f"/trainer/mail/{world['cohort']}/tekst")
    response = send(client, world["cohort"])
    page = client.get(response.headers["Location"])
    assert "De tekst van de uitnodiging klopt niet: De plaatshouder “{naam”" in page.text
    assert logs(app) == []


def test_without_base_url_the_mail_links_to_the_address_the_trainer_queued_it_on(
    app, client, world, inbox
):
    """The course walk-through: the app ran on port 5150, the mails said 5000."""
    app.config["BASE_URL"] = None
    response = client.post(
        f"/trainer/mail/{world['cohort']}/versturen",
        data={"moment": "intake", "recipients": "one", "participant": world["anouk"]},
        base_url="http://localhost:5150",
    )
    assert response.status_code == 302
    assert work(app).exit_code == 0
    [received] = inbox.messages
    link = re.search(r"http://\S+/s/\S+", received.text).group(0)
    assert link.startswith("http://localhost:5150/s/")
    with app.app_context():
        assert tokens.find(urlsplit(link).path.rsplit("/", 1)[1]).id == world["anouk"]


def test_a_mail_whose_link_has_no_address_is_refused_with_a_reason_the_trainer_reads(
    app, client, world, inbox
):
    """Queued from cron without BASE_URL: the worker sends no link it cannot make absolute."""
    app.config["BASE_URL"] = None
    queue(client, world["cohort"], "one", participant=world["bram"])
    with app.app_context():  # as send-reminders from cron would have queued it
        db.session.execute(db.update(MailOutbox).values(base_url=None))
        db.session.commit()
    assert work(app).exit_code == 1
    assert inbox.messages == []
    [row] = outbox(app)
    assert row.status == "failed"
    assert row.last_error == mail.NO_BASE
    page = client.get(f"/trainer/mail/{world['cohort']}")
    assert "geen adres van de app bekend voor de link" in page.text
    assert "BASE_URL" in page.text


@pytest.mark.parametrize("page", ["", "/versturen", "/tekst"])
def test_the_mail_pages_warn_that_mail_is_not_set_only_when_it_is_not(app, client, world, page):
    """The walk-through saw the warning on *Tekst aanpassen* while SMTP was set."""
    url = f"/trainer/mail/{world['cohort']}{page}"
    with smtp_server(app):
        assert client.get(url).status_code == 200
        assert "E-mail is niet ingesteld" not in client.get(url).text
    app.config["SMTP_HOST"] = None
    assert "E-mail is niet ingesteld" in client.get(url).text
