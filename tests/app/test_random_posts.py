"""Random posts to every form: a Dutch 4xx or a valid result, never a 500, and never a change to
a role, cohort or organisation the form does not own (mass assignment)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from assess import create_app
from assess.db import db
from assess.models import Answer, Cohort, Organisation, Participant, Response, User
from tests import factories as make
from tests.app import viewers as sw
from tests.app.test_authorization_matrix import OK, TABLE, build_url, routes, url_values

# Who posts to each form: its owner, the first of these the table lets in.
OWNERS = ("trainer", "manager", "participant", "admin", "anonymous")
# Logging out ends the session the other examples need; it takes no fields anyway.
NOT_FUZZED = {"auth.logout"}
# No role owns a rater's form: the rater's link is the credential, and the sweeps' world holds
# none. tests/rater/test_rater_pages.py posts random values to it with a live link.
NOT_FUZZED |= {"rater.rate", "rater.decline", "rater.erase"}
# Fields a forged request might add to take over what the form does not own.
FORGED = (
    "role",
    "organisation_id",
    "organisation",
    "cohort_id",
    "trainer_id",
    "user_id",
    "participant_id",
    "active",
    "is_admin",
    "session_version",
    "token_hash",
)
FIELD_NAME = re.compile(r'<(?:input|select|textarea|button)[^>]*\sname="([^"]+)"')
ENGLISH_DEFAULTS = ("Bad Request", "Not Found", "Method Not Allowed", "Internal Server Error")


@pytest.fixture(scope="module")
def setting(tmp_path_factory, database_url, password_hash):
    def spares(world: make.World) -> None:
        # Admin forms act on a spare account and organisation, so a deactivation or a
        # password reset does not end the sessions the other forms are posted with.
        world.ids["spare_user"] = make.staff("trainer", "reserve@example.nl", password_hash).id
        world.ids["spare_org"] = make.organisation("Reservecorporatie").id

    tmp = tmp_path_factory.mktemp("fuzz")
    with sw.setting(tmp, database_url, password_hash, then=spares) as setting:
        yield setting


def values_for(world: make.World) -> dict:
    return url_values(world) | {
        "user_id": world.ids["spare_user"],
        "org_id": world.ids["spare_org"],
    }


def owner(endpoint: str) -> str:
    row = dict(zip(sw.VIEWERS, TABLE[endpoint], strict=True))
    return next(v for v in OWNERS if row[v] == OK)


def ownership(world: make.World) -> dict:
    """What no form may change for someone it does not own."""
    b_people = select(Participant.id).where(Participant.cohort_id == world.ids["cohort_b"])
    b_responses = select(Response.id).where(Response.participant_id.in_(b_people))
    state = {
        "users": {
            u.id: (u.role, u.organisation_id, u.email, u.active)
            for u in db.session.scalars(select(User))
        },
        "cohorts": {c.id: c.trainer_id for c in db.session.scalars(select(Cohort))},
        "participants": {
            p.id: (p.cohort_id, p.organisation_id) for p in db.session.scalars(select(Participant))
        },
        "party_b": [
            db.session.get(Cohort, world.ids["cohort_b"]).name,
            db.session.get(Organisation, world.ids["org_b"]).name,
            sorted(
                (p.name, p.email, p.token_hash)
                for p in db.session.scalars(select(Participant).where(Participant.id.in_(b_people)))
            ),
            sorted(
                (a.response_id, a.item_id, a.value, a.text)
                for a in db.session.scalars(
                    select(Answer).where(Answer.response_id.in_(b_responses))
                )
            ),
        ],
    }
    db.session.remove()
    return state


def ownership_problems(endpoint: str, world, before: dict, after: dict) -> list[str]:
    problems = []
    # Admin forms may change the account they are about, and only that one.
    own_user = world.ids["spare_user"] if endpoint.startswith("admin.") else None
    for uid, old in before["users"].items():
        if uid != own_user and after["users"].get(uid, old)[:3] != old[:3]:
            problems.append(f"user {uid}: {old} became {after['users'][uid]}")
    for cid, trainer in before["cohorts"].items():
        if after["cohorts"].get(cid) != trainer:
            problems.append(f"cohort {cid} changed trainer or disappeared")
    trainer_of = after["cohorts"]
    for pid, old in before["participants"].items():
        new = after["participants"].get(pid, old)
        # Moving someone between two cohorts of the same trainer is that trainer's right.
        moved_within = new[1] == old[1] and trainer_of.get(new[0]) == trainer_of.get(old[0])
        if new != old and not moved_within:
            problems.append(f"participant {pid}: {old} became {new}")
    for pid, (cohort_id, _org) in after["participants"].items():
        if pid not in before["participants"] and trainer_of[cohort_id] != world.ids["trainer_a"]:
            problems.append(f"a new participant landed in someone else's cohort {cohort_id}")
    if before["party_b"] != after["party_b"]:
        problems.append("party B's cohort, organisation, people or answers changed")
    return problems


def field_names(client, url: str, has_get: bool) -> list[str]:
    if not has_get:
        return ["submit", "moment", "recipients", "participant", "target", "data"]
    return sorted(set(FIELD_NAME.findall(client.get(url).text)) - {"csrf_token"})


def field_values(world: make.World):
    other_ids = [str(world.ids[k]) for k in ("cohort_b", "org_b", "b1", "manager_b", "admin")]
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(["", "0", "1", "-1", "y", "on", "admin", "trainer", "manager", "exit"]),
        st.sampled_from(other_ids),
        st.integers(-(2**63), 2**63).map(str),
        st.text(alphabet="<>\"'&;%{}\\\x00é", max_size=20),
    )


def post_endpoints() -> list[str]:
    """The routes that take a POST, read from an app's url_map at collection time."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"})
    return sorted(
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint in TABLE and r.endpoint not in NOT_FUZZED
    )


@pytest.mark.parametrize("endpoint", post_endpoints())
def test_random_posts_never_break_a_form_or_take_over_what_it_does_not_own(setting, endpoint):
    app, world, cookies = setting
    rule = next((r for r in routes(app) if r.endpoint == endpoint), None)
    url = build_url(app, rule, values_for(world))
    viewer = owner(endpoint)
    names = field_names(sw.client_as(app, cookies[viewer]), url, "GET" in rule.methods)
    keys = st.sampled_from(names + list(FORGED)) if names else st.sampled_from(FORGED)

    @settings(
        max_examples=6,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(data=st.dictionaries(keys, field_values(world), max_size=8))
    def post_random(data):
        with app.app_context():
            before = ownership(world)
        response = sw.client_as(app, cookies[viewer]).post(url, data=data)
        assert response.status_code < 500, f"{url} {data!r}: {response.status_code}"
        if 400 <= response.status_code < 500 and response.mimetype == "text/html":
            assert 'lang="nl"' in response.text, f"{url} {data!r}: not a Dutch page"
            assert not any(e in response.text for e in ENGLISH_DEFAULTS), f"{url} {data!r}"
        with app.app_context():
            problems = ownership_problems(endpoint, world, before, ownership(world))
        assert not problems, f"{viewer} POST {url} {data!r}: {problems}"

    post_random()


class FormValues(HTMLParser):
    """The values a browser would send for the forms on a page (first option of a select)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.values.setdefault(name, None)
                return
            self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            if self.values.get(self.select) is None or "selected" in a:
                self.values[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea, self.values[name] = name, ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def get_endpoints_with_forms() -> list[str]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"})
    return sorted(
        r.endpoint
        for r in app.url_map.iter_rules()
        if {"GET", "POST"} <= r.methods and r.endpoint in TABLE and r.endpoint not in NOT_FUZZED
    )


@pytest.mark.parametrize("endpoint", get_endpoints_with_forms())
def test_a_filled_in_form_with_forged_ownership_fields_changes_only_its_own(setting, endpoint):
    app, world, cookies = setting
    rule = next(r for r in routes(app) if r.endpoint == endpoint)
    url = build_url(app, rule, values_for(world))
    client = sw.client_as(app, cookies[owner(endpoint)])
    scraper = FormValues()
    scraper.feed(client.get(url).text)
    data = {k: v for k, v in scraper.values.items() if v is not None and k != "csrf_token"}
    if "name" in data and not data["name"]:
        data["name"] = "Nieuwe naam"
    if "email" in data and not data["email"]:
        data["email"] = "nieuw@example.nl"
    forged = {
        "role": "admin",
        "organisation_id": str(world.ids["org_b"]),
        "cohort_id": str(world.ids["cohort_b"]),
        "trainer_id": str(world.ids["trainer_b"]),
        "user_id": str(world.ids["manager_b"]),
        "participant_id": str(world.ids["b1"]),
        "is_admin": "1",
    }
    with app.app_context():
        before = ownership(world)
    response = client.post(url, data={**forged, **data})
    assert response.status_code < 500, f"{url}: {response.status_code}"
    with app.app_context():
        problems = ownership_problems(endpoint, world, before, ownership(world))
    assert not problems, f"POST {url} with {forged}: {problems}"
