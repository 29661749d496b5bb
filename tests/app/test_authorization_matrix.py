"""Every route, every role: the outcome matches an explicit table (ASVS 8.2.1, 8.2.2, 8.3.1).

The URLs are filled with party A's objects (cohort A, participant A1, organisation A,
trainer A's account). "trainer" is A's trainer, "other_trainer" B's; "manager" manages
organisation A, "other_manager" organisation B; "participant" is A1 by their own link,
"other_participant" B1. A route that is not in the table fails the test by name.

GET is checked for every viewer. POST is checked for every viewer that must be refused; a
POST an allowed viewer may make changes data and is covered by the feature's own tests.
Whatever the status, no body shows a name, e-mail address or answer the viewer may not see,
and neither a GET nor a refused POST changes the database (audit rows excepted: staff reads
of personal results are logged on purpose).
"""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.app import viewers as sw

OK, LOGIN, F403, N404 = "ok", "login", "403", "404"
V = sw.VIEWERS
# anonymous, participant, other_participant, trainer, other_trainer, manager, other_manager, admin
EVERYONE = (OK,) * 8
STAFF_ONLY = (LOGIN, LOGIN, LOGIN, OK, OK, OK, OK, OK)
ADMIN = (LOGIN, LOGIN, LOGIN, F403, F403, F403, F403, OK)
OWN_COHORT = (LOGIN, LOGIN, LOGIN, OK, N404, F403, F403, OK)
TRAINERS = (LOGIN, LOGIN, LOGIN, OK, OK, F403, F403, OK)
MANAGERS = (LOGIN, LOGIN, LOGIN, F403, F403, OK, OK, F403)
# Participant pages need a participant session; a "link needed" page (403) otherwise.
PARTICIPANTS = (F403, OK, OK, F403, F403, F403, F403, F403)

TABLE: dict[str, tuple[str, ...]] = {
    "main.index": (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    "main.healthz": EVERYONE,
    "main.login_elsewhere": (LOGIN,) * 8,  # a redirect to the login page, for everyone
    "main.plotly_js": EVERYONE,
    "main.language": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": STAFF_ONLY,
    "auth.change_password": STAFF_ONLY,
    "participant.enter": EVERYONE,  # the token is the credential
    "participant.home": PARTICIPANTS,
    "participant.start": PARTICIPANTS,
    "participant.page": PARTICIPANTS,
    "participant.autosave": PARTICIPANTS,
    "participant.review": PARTICIPANTS,
    "participant.submit": PARTICIPANTS,
    "participant.submitted": PARTICIPANTS,
    "participant.report": PARTICIPANTS,
    "participant.download": PARTICIPANTS,
    "participant.erasure_request": PARTICIPANTS,
    # Only a pulse of one's own cohort: another cohort's is not found.
    "participant.pulse": (F403, OK, N404, F403, F403, F403, F403, F403),
    "participant.pulse_overview": PARTICIPANTS,
    "participant.pulse_mails": PARTICIPANTS,
    # Only in a cohort whose trainer switched raters on (A's, not B's).
    "participant.raters": (F403, OK, N404, F403, F403, F403, F403, F403),
    # The rater's link is the only credential, whoever is logged in: here a participant's
    # token, which opens no rater page (the rater's own link: tests/rater/).
    "rater.rate": (N404,) * 8,
    "rater.decline": (N404,) * 8,
    "rater.erase": (N404,) * 8,
    "participant.goals_page": PARTICIPANTS,
    "participant.goal_new": PARTICIPANTS,
    # Only one's own goal: anyone else's is not found.
    "participant.goal_edit": (F403, OK, N404, F403, F403, F403, F403, F403),
    "trainer.index": TRAINERS,
    "trainer.compare": TRAINERS,
    "trainer.all_export": TRAINERS,
    "trainer.cohort_new": TRAINERS,
    "trainer.cohort": OWN_COHORT,
    "trainer.cohort_edit": OWN_COHORT,
    "trainer.cohort_archive": OWN_COHORT,
    "trainer.cohort_tracking": OWN_COHORT,
    "trainer.cohort_analysis": OWN_COHORT,
    "trainer.cohort_export": OWN_COHORT,
    "trainer.cohort_pulse": OWN_COHORT,
    "trainer.cohort_goals": OWN_COHORT,
    "trainer.cohort_brief": OWN_COHORT,
    "trainer.participant_new": OWN_COHORT,
    "trainer.participant_list": OWN_COHORT,
    "trainer.participant_list_save": OWN_COHORT,
    "trainer.participant_report": OWN_COHORT,
    "trainer.participant_move": OWN_COHORT,
    "trainer.link_revoke": OWN_COHORT,
    "trainer.link_reissue": OWN_COHORT,
    "mailing.cohort": OWN_COHORT,
    "mailing.compose": OWN_COHORT,
    "mailing.edit_text": OWN_COHORT,
    "mailing.reset_text": OWN_COHORT,
    "mailing.send": OWN_COHORT,
    "mailing.retry": OWN_COHORT,
    "manager.index": MANAGERS,
    "manager.export": MANAGERS,
    "manager.policy": MANAGERS,
    "manager.policy_scan_form": MANAGERS,
    "admin.index": ADMIN,
    "admin.organisations": ADMIN,
    "admin.organisation": ADMIN,
    "admin.organisation_active": ADMIN,
    "admin.accounts": ADMIN,
    "admin.new_account": ADMIN,
    "admin.account": ADMIN,
    "admin.account_active": ADMIN,
    "admin.reset_password": ADMIN,
    "admin.audit_log": ADMIN,
    "admin.item_analysis": ADMIN,
    "admin.item_analysis_xlsx": ADMIN,
    "admin.participant_erase_confirm": ADMIN,
    "admin.participant_erase": ADMIN,
    "admin.participant_data": ADMIN,
    "admin.erasure_requests": ADMIN,
    "admin.erasure_finish": ADMIN,
}


def url_values(world: make.World) -> dict[str, object]:
    return {
        "cohort_id": world.ids["cohort_a"],
        "participant_id": world.ids["a1"],
        "org_id": world.ids["org_a"],
        "user_id": world.ids["trainer_a"],
        "token": world.tokens["a1"],
        "moment": "exit",
        "n": 1,
        "pulse_id": world.ids["pulse_a"],
        "goal_id": world.ids["goal_a1"],
    }


def routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def build_url(app, rule, values) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        return LOGIN if "/auth/login" in response.headers["Location"] else OK
    if response.status_code < 300:
        return OK
    return str(response.status_code)


@pytest.fixture(scope="module")
def setting(tmp_path_factory, database_url, password_hash):
    with sw.setting(tmp_path_factory.mktemp("matrix"), database_url, password_hash) as setting:
        yield setting


def test_every_route_is_in_the_table(setting):
    app, _world, _cookies = setting
    missing = sorted({r.endpoint for r in routes(app)} - set(TABLE))
    assert not missing, f"routes without an entry in the authorization table: {missing}"
    stale = sorted(set(TABLE) - {r.endpoint for r in routes(app)})
    assert not stale, f"the authorization table names routes that no longer exist: {stale}"


def endpoints():
    return sorted(TABLE)


@pytest.mark.parametrize("endpoint", endpoints())
def test_route_gives_each_role_the_expected_outcome(setting, endpoint):
    app, world, cookies = setting
    rule = next((r for r in routes(app) if r.endpoint == endpoint), None)
    if rule is None:
        pytest.skip("not a route of this app (reported by test_every_route_is_in_the_table)")
    url = build_url(app, rule, url_values(world))
    problems = []
    with app.app_context():
        before = sw.fingerprint()
    for viewer, expected in zip(V, TABLE[endpoint], strict=True):
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "POST" and (expected == OK or "GET" in rule.methods):
                continue
            response = sw.client_as(app, cookies[viewer]).open(url, method=method)
            got = outcome(response)
            if got != expected:
                problems.append(f"{viewer} {method} {url}: expected {expected}, got {got}")
            body = sw.body_text(response)
            leaked = sorted(s for s in sw.forbidden_strings(world, viewer) if s in body)
            if leaked:
                problems.append(f"{viewer} {method} {url} shows {leaked}")
    with app.app_context():
        changed = sw.changed_tables(before, sw.fingerprint())
    if changed:
        problems.append(f"{url}: a GET or a refused POST changed {changed}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewer", ["trainer", "admin"])
def test_a_participant_of_another_cohort_is_not_found_under_ones_own_cohort(setting, viewer):
    """IDOR: cohort A in the URL with participant B1 gives 404, never B1's data."""
    app, world, cookies = setting
    values = url_values(world) | {"participant_id": world.ids["b1"]}
    for rule in routes(app):
        if {"cohort_id", "participant_id"} <= set(rule.arguments) and "GET" in rule.methods:
            response = sw.client_as(app, cookies[viewer]).get(build_url(app, rule, values))
            assert response.status_code == 404, rule.endpoint
            assert not world.strings_of("b1") & set(response.text.split("\n"))
            assert world.secrets["b1"][0] not in response.text


def test_unknown_objects_are_404_for_their_owners_role(setting):
    app, world, cookies = setting
    values = url_values(world) | {
        "cohort_id": 999999,
        "participant_id": 999999,
        "org_id": 999999,
        "user_id": 999999,
    }
    for rule in routes(app):
        ids = {"cohort_id", "participant_id", "org_id", "user_id"} & set(rule.arguments)
        if ids and "GET" in rule.methods:
            response = sw.client_as(app, cookies["admin"]).get(build_url(app, rule, values))
            assert response.status_code == 404, rule.endpoint


def test_the_owners_see_the_strings_the_others_must_not(setting):
    """The control for the leak checks: the strings searched for are what pages really show."""
    app, world, cookies = setting
    cohort = sw.client_as(app, cookies["trainer"]).get(f"/trainer/cohorten/{world.ids['cohort_a']}")
    assert world.secrets["a1"][0] in cohort.text and world.emails["a1"] in cohort.text
    own = sw.client_as(app, cookies["participant"]).get("/deelnemer/mijn-gegevens.json")
    assert world.secrets["a1"][2] in own.text
