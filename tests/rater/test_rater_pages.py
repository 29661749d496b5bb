"""A manager or colleague rates a participant through a personal link; the participant sees
self, manager and colleagues side by side, colleagues only as a frozen aggregate of three or
more (issue 29)."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess import clock
from assess.db import db
from assess.engine import raters as rules
from assess.engine.definition import load_questionnaire
from assess.models import MailOutbox, RaterInvitation, RaterRelease, RaterState, Rating
from assess.reports.raters import participant as rater_report
from assess.reports.raters import releases
from assess.survey import erasure, questionnaires
from assess.survey import tokens as participant_tokens
from assess.survey.raters import invitations, tokens
from tests import factories as make
from tests.engine.conftest import QUESTIONNAIRES

FORM_ID = "anderen-over-woonconsulent"


@pytest.fixture
def world(app):
    """Anouk in a cohort with raters on and every moment open, with a submitted intake."""
    with app.app_context():
        cohort = make.cohort(raters_enabled=True)
        person = make.participant(cohort)
        make.fill(person, "intake", level=0.5)
        db.session.commit()
        return person.id


def _invite(person_id: int, role: str = rules.COLLEAGUE, n: int = 1) -> list[str]:
    from assess.models import Participant

    person = db.session.get(Participant, person_id)
    made = []
    for k in range(n):
        inv = invitations.invite(
            person, "intake", role, f"{role}{k}-{len(made)}@x.example.nl", clock.today()
        )
        made.append(tokens.current_token(inv))
    db.session.commit()
    return made


RATER_ITEMS = load_questionnaire(QUESTIONNAIRES / f"{FORM_ID}.yaml").item_ids_for("rater")


def _answers(value: str = "4") -> dict[str, str]:
    return dict.fromkeys(RATER_ITEMS, value)


def test_a_colleague_reads_who_asked_rates_once_and_cannot_rate_twice(app, client, world):
    with app.app_context():
        (token,) = _invite(world)
    page = client.get(f"/r/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Anouk de Vries volgt de Leergang Woonconsulent" in html
    assert "Kan ik niet beoordelen" in html and "anoniem" in html
    assert client.post(f"/r/{token}", data=_answers()).status_code == 200
    again = client.post(f"/r/{token}", data=_answers("1"))
    assert "Je beoordeling is al verstuurd" in again.get_data(as_text=True)
    with app.app_context():
        inv = db.session.scalar(db.select(RaterInvitation))
        assert inv.state == RaterState.COMPLETED and inv.email is None  # the address is gone
        values = set(db.session.scalars(db.select(Rating.value)))
        assert values == {4.0}  # the second post stored nothing


def test_the_manager_is_told_their_rating_is_shown_as_the_managers(app, client, world):
    with app.app_context():
        (token,) = _invite(world, rules.MANAGER)
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Je vult dit in als leidinggevende" in html
    assert "als het oordeel van de leidinggevende" in html


def test_a_missing_answer_is_named_in_dutch_and_the_rest_is_kept(app, client, world):
    with app.app_context():
        (token,) = _invite(world)
    given = _answers("2")
    given.pop("o_tm_plan_1")
    given["o_na_aanp_7"] = "nvt"
    page = client.post(f"/r/{token}", data=given)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kies een antwoord, of 'kan ik niet beoordelen'." in html
    assert '<input checked id="o_na_aanp_7-5" name="o_na_aanp_7"' in html
    with app.app_context():
        assert db.session.scalar(db.select(Rating.id)) is None


@pytest.mark.parametrize(
    ("setup", "status", "says"),
    [
        ("wrong", 404, "Deze link werkt niet"),
        ("expired", 410, "Deze link is verlopen"),
        ("declined", 200, "Je doet niet mee"),
        ("completed", 200, "Je beoordeling is al verstuurd"),
    ],
)
def test_a_link_that_cannot_rate_says_why_and_stores_nothing(
    app, client, world, setup, status, says
):
    with app.app_context():
        (token,) = _invite(world)
        inv = db.session.scalar(db.select(RaterInvitation))
        if setup == "expired":
            inv.expires_on = clock.today() - timedelta(days=1)
        elif setup == "declined":
            invitations.decline(inv, clock.now(), clock.today())
        elif setup == "completed":
            inv.state = RaterState.COMPLETED
        db.session.commit()
    url = f"/r/{'x' + token[1:] if setup == 'wrong' else token}"
    for response in (client.get(url), client.post(url, data=_answers())):
        assert response.status_code == status
        assert says in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Rating.id)) is None


def test_rater_links_are_rate_limited(link_limited, app, client, world):
    for _ in range(3):
        assert client.get("/r/onbekend").status_code == 404
    assert client.get("/r/onbekend").status_code == 429


def test_declining_keeps_nothing_but_that(app, client, world):
    with app.app_context():
        (token,) = _invite(world)
    page = client.post(f"/r/{token}/weigeren", data={"decline-submit": "1"})
    assert "Je doet niet mee" in page.get_data(as_text=True)
    with app.app_context():
        inv = db.session.scalar(db.select(RaterInvitation))
        assert inv.state == RaterState.DECLINED and inv.email is None


def test_a_rater_erases_their_own_rating(app, client, world):
    with app.app_context():
        (token,) = _invite(world)
    client.post(f"/r/{token}", data=_answers())
    client.post(f"/r/{token}/wissen", data={})
    assert "Je beoordeling is gewist" in client.get(f"/r/{token}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Rating.id)) is None


# --------------------------------------------------------------------------- the participant


def _rate(token: str, value: int) -> None:
    """A rater who sees behaviour at `value` on every scale: reverse-keyed items answered
    the other way round, so each scale's mean is `value`."""
    inv = tokens.find(token)
    form = questionnaires.get(FORM_ID)
    answers = {
        i: 6 - value if form.items_by_id[i].reverse else value for i in form.item_ids_for("rater")
    }
    assert invitations.submit(inv, form, answers, clock.now(), clock.today())
    db.session.commit()


def _view(person_id: int):
    from assess.models import Participant

    person = db.session.get(Participant, person_id)
    registry = questionnaires.registry()
    releases.release_due(person, ("intake",), registry, clock.today())
    db.session.commit()
    (view,) = rater_report.build(person, ("intake",), registry, "nl")
    return view


def test_colleagues_show_only_as_an_aggregate_of_three_and_the_manager_as_the_manager(app, world):
    with app.app_context():
        manager = _invite(world, rules.MANAGER)[0]
        colleagues = _invite(world, n=3)
        _rate(manager, 5)
        for token in colleagues[:2]:
            _rate(token, 4)
        two = _view(world)
        assert two.rows[0].manager_mean is not None
        assert all(row.colleagues is None for row in two.rows)  # two colleagues: nothing
        _rate(colleagues[2], 2)
        three = _view(world)
        row = three.rows[0]
        assert row.colleagues is not None and row.colleagues.n == 3
        assert row.gap_colleagues is not None and row.gap_manager is not None


def test_the_participants_page_shows_the_three_sources_in_dutch(app, client, world):
    with app.app_context():
        _rate(_invite(world, rules.MANAGER)[0], 5)
        for token in _invite(world, n=3):
            _rate(token, 3)
        from assess.models import Participant

        link = participant_tokens.current_token(db.session.get(Participant, world))
    client.get(f"/s/{link}")
    html = client.get("/deelnemer/beoordelaars").get_data(as_text=True)
    for words in ("Zelf", "Leidinggevende", "Collega's", "(n = 3)", "Atwater", "ingevuld"):
        assert words in html


def test_inviting_checks_addresses_and_counts_and_keeps_what_was_typed(app, client, world):
    with app.app_context():
        from assess.models import Participant

        link = participant_tokens.current_token(db.session.get(Participant, world))
    client.get(f"/s/{link}")
    typed = "a@x.example.nl\ngeen-adres"
    page = client.post("/deelnemer/beoordelaars", data={"manager": "", "colleagues": typed})
    html = page.get_data(as_text=True)
    assert "Geen geldig e-mailadres: geen-adres" in html and "geen-adres</textarea>" in html
    page = client.post("/deelnemer/beoordelaars", data={"colleagues": "a@x.example.nl"})
    assert "Vraag minstens 3 collega" in page.get_data(as_text=True)
    ok = client.post(
        "/deelnemer/beoordelaars",
        data={"manager": "baas@x.example.nl", "colleagues": "a@x.nl\nb@x.nl\nc@x.nl"},
    )
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(RaterInvitation.id))) == 4
        kinds = set(db.session.scalars(db.select(MailOutbox.kind)))
        assert kinds == {invitations.INVITATION_MAIL}


def test_erasing_the_participant_removes_invitations_ratings_and_releases(app, world):
    with app.app_context():
        for token in _invite(world, n=3):
            _rate(token, 3)
        _view(world)
        assert db.session.scalar(db.select(RaterRelease.id)) is not None
        from assess.models import Participant

        erasure.erase(db.session.get(Participant, world))
        db.session.commit()
        for model in (RaterInvitation, Rating, RaterRelease):
            assert db.session.scalar(db.select(db.func.count(model.id))) == 0


# --------------------------------------------------------------------------- the attacker

# One step of what can happen to a moment's colleagues: someone rates (with a value), declines,
# the participant asks one more colleague, or the moment's window closes.
steps = st.lists(
    st.one_of(
        st.tuples(st.just("rate"), st.integers(1, 5)),
        st.tuples(st.just("decline"), st.just(0)),
        st.tuples(st.just("invite"), st.just(0)),
        st.tuples(st.just("close"), st.just(0)),
    ),
    min_size=3,
    max_size=10,
)


def _play(person_id: int, plan, view) -> list[tuple[int, float]]:
    """Run the plan: five colleagues asked, then the steps; after each, what the participant
    sees of the colleagues on the first scale (n, mean) when anything."""
    from assess.models import Participant

    person = db.session.get(Participant, person_id)
    open_tokens = _invite(person_id, n=5)
    seen = []
    for action, value in plan:
        if action in ("rate", "decline") and open_tokens:
            inv = tokens.find(open_tokens.pop(0))
            if action == "rate":
                _rate(tokens.current_token(inv), value)
            else:
                invitations.decline(inv, clock.now(), clock.today())
                db.session.commit()
        elif action == "invite" and not invitations.released(person_id, "intake"):
            open_tokens += _invite(person_id)
        elif action == "close":
            window = person.cohort.window("intake")
            window.closes_on = clock.today() - timedelta(days=1)
            db.session.commit()
        found = view(person_id)
        if found is not None:
            seen.append(found)
    return seen


def _released_view(person_id: int):
    row = _view(person_id).rows[0]
    return None if row.colleagues is None else (row.colleagues.n, row.colleagues.mean)


def _display_thresholding(person_id: int):
    """Blik's way: the live mean of whoever rated, shown from three on."""
    from assess.models import Participant

    person = db.session.get(Participant, person_id)
    registry = questionnaires.registry()
    done = [
        i
        for i in invitations.invitations_of(person.id, "intake")
        if i.state == RaterState.COMPLETED
    ]
    agg = rules.aggregate(releases.rater_means(i, registry).get("tijdmanagement") for i in done)
    return (agg.n, agg.mean) if agg.shown else None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=steps)
def test_no_sequence_of_ratings_lets_the_participant_isolate_one_colleague(app, plan):
    """Whatever happens, the participant sees at most one colleagues' figure per moment, so
    there are never two figures that differ by one rater."""
    with app.app_context():
        cohort = make.cohort(raters_enabled=True)
        person = make.participant(cohort, email=f"p{cohort.id}@x.example.nl")
        make.fill(person, "intake", level=0.5)
        db.session.commit()
        seen = _play(person.id, plan, _released_view)
        assert len(set(seen)) <= 1, seen


def test_display_thresholding_would_let_the_participant_read_the_fourth_colleague(app, world):
    """The attacker above wins against Blik's rule: 3 then 4 colleagues give two figures
    whose difference is the fourth colleague's own score."""
    with app.app_context():
        seen = _play(
            world, [("rate", 5), ("rate", 5), ("rate", 5), ("rate", 1)], _display_thresholding
        )
        (n3, mean3), (n4, mean4) = seen[0], seen[-1]
        assert (n3, n4) == (3, 4)
        fourth = n4 * mean4 - n3 * mean3
        assert fourth != pytest.approx(mean3)  # the difference is one person's figure
        assert len(set(seen)) > 1


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    posted=st.dictionaries(
        st.sampled_from([*RATER_ITEMS, "role", "participant_id", "state", "x"]),
        st.one_of(st.sampled_from(["1", "5", "nvt", "0", "6", ""]), st.text(max_size=20)),
        max_size=len(RATER_ITEMS) + 2,
    )
)
def test_random_posts_to_the_rater_form_get_a_dutch_answer_and_never_a_500(app, client, posted):
    with app.app_context():
        cohort = make.cohort(raters_enabled=True)
        person_id = make.participant(cohort, email=f"f{cohort.id}@x.example.nl").id
        db.session.commit()
        (token,) = _invite(person_id)
    page = client.post(f"/r/{token}", data=posted)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Dank je wel" in html or "Kies een antwoord" in html
    with app.app_context():
        inv = tokens.find(token)
        assert inv.participant_id == person_id and inv.role == rules.COLLEAGUE


def test_a_raters_link_is_masked_in_the_app_log_and_the_access_log() -> None:
    import logging

    from assess.gunicorn_conf import SECRET_PATHS
    from assess.web.logs import RedactTokens

    record = logging.LogRecord(
        "werkzeug", logging.INFO, "", 0, '"GET /r/%s HTTP/1.1" 200', ("abc_DEF-123",), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == '"GET /r/[token] HTTP/1.1" 200'
    assert SECRET_PATHS.sub(r"\1…", "/r/abc_DEF-123/weigeren") == "/r/…/weigeren"
