"""Mails to raters: the invitation through the outbox with the rater's own link, one reminder
to raters who have not answered after a week, nothing to one who answered or declined."""

from datetime import timedelta

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.models import MailLog, MailOutbox, OutboxStatus, Participant, RaterInvitation
from assess.survey.raters import invitations
from tests.trainer.mail.conftest import work


def _ask(app, participant_id: int, *addresses: str, role: str = rules.COLLEAGUE) -> list[int]:
    with app.app_context():
        person = db.session.get(Participant, participant_id)
        made = []
        for address in addresses:
            inv = invitations.invite(person, "intake", role, address, clock.today())
            invitations.queue_mail(inv, invitations.INVITATION_MAIL, clock.today(), clock.now())
            made.append(inv.id)
        db.session.commit()
        return made


def test_each_rater_gets_their_own_link_and_who_asked(app, client, mail_class, inbox) -> None:
    ids = mail_class("anouk")
    _ask(app, ids["anouk"], "baas@corp.example.nl", role=rules.MANAGER)
    _ask(app, ids["anouk"], "collega@corp.example.nl")
    assert work(app).exit_code == 0
    [boss] = inbox.to("baas@corp.example.nl")
    [colleague] = inbox.to("collega@corp.example.nl")
    boss_text, colleague_text = boss.text, colleague.text
    assert "Anouk de Vries vraagt" in boss.message["Subject"]
    assert "als leidinggevende" in boss_text and "anoniem" in colleague_text
    link = next(w for w in colleague_text.split() if "/r/" in w)
    assert link not in boss_text  # one link per rater
    page = client.get(link.replace("http://zelfscan.test", ""))
    assert page.status_code == 200 and "Anouk de Vries" in page.get_data(as_text=True)
    with app.app_context():
        sent = db.session.scalars(db.select(RaterInvitation.sent_at))
        assert all(at is not None for at in sent)
        # The participant's own mail log is about their own mails only.
        assert db.session.scalar(db.select(db.func.count(MailLog.id))) == 0


def test_one_reminder_after_a_week_only_to_raters_who_did_not_answer(
    app, runner, mail_class, inbox
) -> None:
    ids = mail_class("anouk")
    waiting, declined = _ask(app, ids["anouk"], "a@corp.example.nl", "b@corp.example.nl")
    work(app)
    with app.app_context():
        for inv in db.session.scalars(db.select(RaterInvitation)):
            inv.sent_at = clock.now() - timedelta(days=8)
        invitations.decline(db.session.get(RaterInvitation, declined), clock.now(), clock.today())
        db.session.commit()
    first = runner.invoke(args=["send-reminders"])
    assert "Rater reminders" in first.output and "1 queued" in first.output, first.output
    work(app)
    assert [
        m.message["Subject"].startswith("Herinnering") for m in inbox.to("a@corp.example.nl")
    ] == [
        False,
        True,
    ]
    assert len(inbox.to("b@corp.example.nl")) == 1
    second = runner.invoke(args=["send-reminders"])
    assert "Rater reminders" in second.output and ": 0 queued" in second.output
    with app.app_context():
        assert db.session.get(RaterInvitation, waiting).reminded_at is not None


def test_a_queued_mail_to_a_rater_who_declined_meanwhile_is_not_sent(
    app, mail_class, inbox
) -> None:
    ids = mail_class("anouk")
    (inv_id,) = _ask(app, ids["anouk"], "a@corp.example.nl")
    with app.app_context():
        inv = db.session.get(RaterInvitation, inv_id)
        invitations.decline(inv, clock.now(), clock.today())
        db.session.commit()
    work(app)
    assert inbox.to("a@corp.example.nl") == []
    with app.app_context():
        assert db.session.scalar(db.select(MailOutbox.status)) == OutboxStatus.SKIPPED
