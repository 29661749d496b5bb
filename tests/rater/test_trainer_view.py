"""The trainer's cohort analysis: self against colleagues per scale, only over people with a
released colleagues' figure and only for groups of at least the minimum group size."""

from datetime import timedelta

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.models import Cohort, Participant
from assess.survey import questionnaires
from assess.survey.raters import invitations
from tests import factories as make


def _rated_cohort(trainer_id: int, people: int) -> int:
    """A cohort whose intake closed yesterday; each person rated by three colleagues, who see
    them a point lower than they see themselves the more so the higher they rate themselves."""
    closed = clock.today() - timedelta(days=1)
    cohort = make.cohort(
        trainer_id,
        raters_enabled=True,
        windows={"intake": (None, closed), "exit": None, "followup": None},
    )
    form = next(q for q in questionnaires.registry().latest("rater"))
    for n, person in enumerate(make.participants(cohort, people)):
        make.fill(person, "intake", level=0.3 + 0.1 * n)
        for k in range(3):
            inv = invitations.invite(
                db.session.get(Participant, person.id),
                "intake",
                rules.COLLEAGUE,
                f"c{n}.{k}@x.example.nl",
                clock.today() - timedelta(days=10),
            )
            value = 1 + min(n, 3)
            answers = {
                i: 6 - value if form.items_by_id[i].reverse else value
                for i in form.item_ids_for("rater")
            }
            inv.expires_on = clock.today()
            assert invitations.submit(inv, form, answers, clock.now(), clock.today())
    db.session.commit()
    return cohort.id


def test_the_trainer_sees_self_and_colleagues_with_their_correlation(app, client, trainer):
    with app.app_context():
        cid = _rated_cohort(trainer, 5)
    html = client.get(f"/trainer/cohorten/{cid}/analyse").get_data(as_text=True)
    section = html[html.find('id="anderen"') :]
    assert "Zelf en collega's" in html
    assert '<td class="num">5</td>' in section
    assert section.count("–") < 3  # means and r are shown for a group of five


def test_a_group_below_the_minimum_shows_only_its_size(app, client, trainer):
    with app.app_context():
        cid = _rated_cohort(trainer, 4)
        assert db.session.get(Cohort, cid).raters_enabled
    html = client.get(f"/trainer/cohorten/{cid}/analyse").get_data(as_text=True)
    section = html[html.find('id="anderen"') :]
    assert '<td class="num">4</td>' in section
    assert "r</th>" in section and section.count('<td class="num">–</td>') >= 9


def test_correlation_needs_three_people_who_vary() -> None:
    assert rules.correlation([(1.0, 2.0), (2.0, 3.0)]) is None
    assert rules.correlation([(1.0, 2.0), (2.0, 2.0), (3.0, 2.0)]) is None
    assert rules.correlation([(1.0, 1.0), (2.0, 2.5), (3.0, 3.0)]) > 0.9
