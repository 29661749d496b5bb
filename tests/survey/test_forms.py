"""The survey form builder: one field per item of a section, values read back through the engine,
and the page a resumed survey opens on."""

import pytest
from werkzeug.datastructures import MultiDict

from assess import create_app
from assess.survey import forms as survey_forms
from assess.survey import questionnaires
from tests import factories as make
from tests.conftest import base_config


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module: the form builder needs a request context, not a database."""
    return create_app(base_config(tmp_path_factory.mktemp("forms"), None))


@pytest.fixture(scope="module")
def q(app):
    """Version 1: these tests name its items (the builder works the same for every version)."""
    with app.app_context():
        return questionnaires.get(make.INSTRUMENT, 1)


@pytest.fixture(scope="module")
def q2(app):
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
    assert q.version == 2
    return q


def form_for(app, q, section_id, post=None, stored=None):
    section = q.sections_by_id[section_id]
    with app.test_request_context(method="POST" if post is not None else "GET"):
        formdata = MultiDict(post) if post is not None else None
        return survey_forms.page_form(
            q, section, stored or {}, formdata=formdata, meta={"csrf": False}
        )


@pytest.mark.parametrize(
    "section_id, field_type",
    [
        ("over_jou", "RadioField"),
        ("tijdsbesteding", "StringField"),
        ("tijdmanagement", "RadioField"),
        ("praktijk_1", "RadioField"),
        ("reflectie", "TextAreaField"),
        ("terugblik_nee_zeggen", "RadioField"),
    ],
)
def test_every_item_of_a_section_becomes_one_field(app, q, section_id, field_type):
    form = form_for(app, q, section_id)
    section = q.sections_by_id[section_id]
    assert [f.name for f in form if f.name != "csrf_token"] == ["a_" + i.id for i in section.items]
    assert {f.type for f in form if f.name != "csrf_token"} == {field_type}


def test_likert_choices_are_the_point_labels(app, q):
    field = form_for(app, q, "tijdmanagement").field_for(q.items_by_id["tm_plan_4"])
    assert [(c.value, c.label) for c in field.choices] == [
        ("1", "Helemaal oneens"),
        ("2", "Oneens"),
        ("3", "Neutraal"),
        ("4", "Eens"),
        ("5", "Helemaal eens"),
    ]


def test_retrospective_item_shows_the_original_question(app, q):
    field = form_for(app, q, "terugblik_tijdmanagement").field_for(q.items_by_id["tm_plan_1_toen"])
    assert field.label.text.startswith("Aan het begin van de week")


def test_stored_answers_fill_the_form(app, q):
    form = form_for(app, q, "tijdsbesteding", stored={"tijd_klachten": 40, "tijd_gepland": 12.5})
    assert form.a_tijd_klachten.data == "40"
    assert form.a_tijd_gepland.data == "12,5"


def test_posted_values_become_engine_answers(app, q):
    form = form_for(
        app, q, "tijdsbesteding", {"a_tijd_klachten": " 40 ", "a_tijd_gepland": "", "x": "1"}
    )
    assert form.validate_page(require=False)
    assert form.answers() == {"tijd_klachten": 40, "tijd_gepland": None}


def test_required_items_block_only_when_required(app, q):
    post = {"a_tijd_klachten": "40"}
    assert form_for(app, q, "tijdsbesteding", post).validate_page(require=False)
    form = form_for(app, q, "tijdsbesteding", post)
    assert not form.validate_page(require=True)
    assert [i.id for i in form.error_items()] == ["tijd_gepland", "tijd_netwerk"]


def test_required_radio_answered_earlier_need_not_be_posted_again(app, q):
    stored = {f"tm_plan_{n}": 3 for n in (1, 2, 3, 4)}
    stored.update({"tm_waan_1": 3, "tm_waan_2": 3, "tm_waan_3": 3})
    stored.update({f"tm_struc_{n}": 3 for n in (1, 2, 3, 4)})
    form = form_for(app, q, "tijdmanagement", {}, stored=stored)
    assert form.validate_page(require=True)
    assert form.answers() == {}  # nothing posted, nothing overwritten


def test_optional_items_never_block(app, q):
    assert form_for(app, q, "over_jou", {}).validate_page(require=True)


def test_invalid_value_gives_the_engine_message(app, q):
    form = form_for(app, q, "praktijk_1", {"a_sjt_vuilniszakken": "q"})
    assert not form.validate_page(require=False)
    assert form.a_sjt_vuilniszakken.errors == ["Kies een van de antwoorden."]
    assert "sjt_vuilniszakken" not in form.answers()


def test_text_item_keeps_line_breaks_as_one_character(app, q):
    form = form_for(app, q, "reflectie", {"a_actieplan": "een\r\ntwee"})
    assert form.validate_page(require=False)
    assert form.answers()["actieplan"] == "een\ntwee"


def test_resume_page_is_first_page_with_a_required_gap(q):
    answers = {i: 3 for i in q.item_ids_for("intake") if q.items_by_id[i].type == "likert"}
    assert survey_forms.resume_page(q, "intake", answers) == 2  # the working week is empty
    answers.update(tijd_klachten=10, tijd_gepland=10, tijd_netwerk=10)
    assert survey_forms.resume_page(q, "intake", answers) == 6  # the scenarios
    sjt = {i: "a" for i in q.item_ids_for("intake") if i.startswith("sjt_")}
    assert survey_forms.resume_page(q, "intake", {**answers, **sjt}) is None
    assert survey_forms.resume_page(q, "intake", {**answers, **sjt}, current_page=4) == 4


def test_answer_labels_read_back_as_the_participant_chose(q):
    item = q.items_by_id
    assert survey_forms.answer_label(q, item["tm_plan_1"], 5) == "Altijd"
    assert survey_forms.answer_label(q, item["tijd_klachten"], 45) == "45 %"
    assert survey_forms.answer_label(q, item["ervaring"], "1_3") == "1 tot 3 jaar"
    assert survey_forms.answer_label(q, item["ervaring"], None) == ""


# --------------------------------------------------------------------------- time shares (v2)


def test_time_shares_above_100_are_refused_with_a_dutch_message(app, q2):
    post = {"a_tijd_reactief": "60", "a_tijd_eigen": "30", "a_tijd_samen": "20"}
    form = form_for(app, q2, "tijdsbesteding", post)
    assert not form.validate_page(require=True)
    assert form.a_tijd_reactief.errors == [
        "Samen komen deze percentages op 110%, en dat mag hoogstens 100% zijn."
        " Verlaag een of meer getallen: wat overblijft, is ander werk."
    ]
    assert form.a_tijd_eigen.errors == [] and form.a_tijd_samen.errors == []


def test_time_shares_up_to_100_pass(app, q2):
    post = {"a_tijd_reactief": "50", "a_tijd_eigen": "30", "a_tijd_samen": "20"}
    form = form_for(app, q2, "tijdsbesteding", post)
    assert form.validate_page(require=True)
    assert form.answers() == {"tijd_reactief": 50, "tijd_eigen": 30, "tijd_samen": 20}


def test_a_version_1_page_has_no_time_limit(app, q):
    post = {"a_tijd_klachten": "100", "a_tijd_gepland": "100", "a_tijd_netwerk": "100"}
    assert form_for(app, q, "tijdsbesteding", post).validate_page(require=True)
