"""A page save without the form accepts exactly what the form accepts and stores the same
answers: valid, invalid, empty and missing values, required or not, with earlier answers."""

import random

import pytest
from werkzeug.datastructures import MultiDict

from assess.engine.definition import ChoiceItem, LikertItem, NumericItem, SjtItem
from assess.engine.simulate import simulate_answers
from assess.survey import forms as survey_forms
from assess.survey import questionnaires
from tests import factories as make


def raw_value(q, item, rng: random.Random) -> str | None:
    """Something a browser, an old tab or a forger might post for the item (None: nothing)."""
    kind = rng.random()
    if kind < 0.15:
        return None
    if kind < 0.25:
        return rng.choice(["", "  ", "abc", "-1", "999999", "1,5", "3.0", "<b>"])
    if isinstance(item, LikertItem):
        return str(rng.choice([p.value for p in q.points_for(item)]))
    if isinstance(item, ChoiceItem | SjtItem):
        return rng.choice(item.options).value
    if isinstance(item, NumericItem):
        return rng.choice(["0", "10", "12,5", "40", "100", "60"])
    return rng.choice(["Een plan", "x" * 5, "\r\n"])


@pytest.mark.parametrize("seed", range(6))
def test_posted_answers_agree_with_the_form(app, seed):
    rng = random.Random(seed)
    with app.app_context():
        q = questionnaires.get(make.INSTRUMENT)
    compared = accepted = 0
    for moment in ("intake", "exit"):
        earlier = simulate_answers(q, moment, rng, level=0.5)
        for section in survey_forms.pages(q, moment):
            for _ in range(8):
                posted = MultiDict()
                for item in section.items:
                    value = raw_value(q, item, rng)
                    if value is not None:
                        posted.add(survey_forms.field_name(item.id), value)
                stored = {k: v for k, v in earlier.items() if v is not None and rng.random() < 0.5}
                require = rng.random() < 0.7
                with app.test_request_context("/", method="POST", data=posted):
                    quick = survey_forms.posted_answers(q, section, posted, stored, require)
                    form = survey_forms.page_form(q, section, stored)
                    valid = form.validate_page(require=require)
                    assert (quick is not None) == valid, (section.id, posted, stored, require)
                    if valid:
                        assert quick == form.answers()
                        accepted += 1
                compared += 1
    assert accepted > 10 and compared - accepted > 10
