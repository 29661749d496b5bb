"""Goals on the trainer's side: the goal day, the group's GAS figures only from the minimum
group size, and only the goals participants shared, by name."""

from datetime import date

from assess.db import db
from assess.models import AuditEvent, Cohort
from tests import factories as make


def _cohort_with_goals(app, trainer, rated: int, shared: int = 0) -> int:
    with app.app_context():
        group = make.course_days_of(make.cohort(trainer, "Voorjaar 2027"))
        week = make.pulse_week(group, date(2027, 2, 12))
        people = make.participants(group, rated + 1)
        for n, person in enumerate(people):
            levels = [(week.id, (-1, 0, 1)[n % 3])] if n < rated else []
            make.goal(person, f"Doel van deelnemer {n}", shared=n < shared, levels=levels)
        db.session.commit()
        return group.id


def test_below_the_minimum_group_the_trainer_sees_only_counts(app, client, trainer):
    cid = _cohort_with_goals(app, trainer, rated=4)
    page = client.get(f"/trainer/cohorten/{cid}/doelen").text
    assert "5 deelnemers hebben doelen geschreven; 4 gaven bij elk doel aan" in page
    assert "Groepscijfers verschijnen vanaf 5 deelnemers." in page
    assert "GAS T-score) is" not in page
    assert "Doel van deelnemer" not in page  # nobody shared
    assert "Nog niemand heeft een doel met je gedeeld." in page


def test_from_the_minimum_group_the_mean_t_with_its_interval(app, client, trainer):
    cid = _cohort_with_goals(app, trainer, rated=6, shared=1)
    page = client.get(f"/trainer/cohorten/{cid}/doelen").text
    # Levels -1, 0, +1, -1, 0, +1 on one goal each: T = 40, 50, 60, …; mean 50.
    assert "6 deelnemers hebben bij elk doel aangegeven waar ze staan." in page
    assert "gemiddelde doelscore (GAS T-score) is 50,0 (95%-interval" in page
    assert "67 % van hun 6 doelen staat op het verwachte niveau of hoger." in page
    assert "Volgens hun eigen inschatting" in page
    # Only the shared goal's words, with the name of who shared it.
    assert "Doel van deelnemer 0" in page and "Deelnemer 000" in page
    assert "Doel van deelnemer 1" not in page
    # Reading shared goals is a read of personal data: one audit row per view.
    with app.app_context():
        reads = db.session.scalars(db.select(AuditEvent).filter_by(action="view_shared_goals"))
        assert [(e.target_type, e.target_id) for e in reads] == [("cohort", cid)]


def test_the_trainer_chooses_the_goal_day(app, client, trainer):
    cid = _cohort_with_goals(app, trainer, rated=0)
    page = client.get(f"/trainer/cohorten/{cid}/doelen").text
    assert "lesdag 3, donderdag 11 februari" in page
    response = client.post(f"/trainer/cohorten/{cid}/doelen", data={"goals_day": "3"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, cid).goals_day == 3
    bad = client.post(f"/trainer/cohorten/{cid}/doelen", data={"goals_day": "99"})
    assert bad.status_code == 200 and "Kies een lesdag uit de lijst." in bad.text
    with app.app_context():
        assert db.session.get(Cohort, cid).goals_day == 3
