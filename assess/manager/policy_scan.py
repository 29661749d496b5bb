"""The manager's beleidsscan: one page with every section, built by the survey form builder.

assess/survey/forms.py makes one form per section (the participant survey's builder, so the rules
for what an answer may be are the engine's, Dutch decimal comma included); this module puts the
sections of the policy moment on one page and stores the result. A manager may revise a
submitted scan: the stored one stays until the revised one is complete and valid, then it is
replaced in one transaction.
"""

from __future__ import annotations

from sqlalchemy import select

from assess.db import db
from assess.engine.definition import Questionnaire
from assess.engine.moments import Moment
from assess.models import Response, Status
from assess.reports.organisation.policy_gap import POLICY_ID, policy_questionnaire
from assess.survey import forms as survey_forms
from assess.survey import questionnaires, responses
from assess.web.i18n import select_locale

MOMENT = Moment.POLICY


def questionnaire() -> Questionnaire:
    q = policy_questionnaire(questionnaires.registry())
    if q is None:  # pragma: no cover - the file ships with the app
        raise LookupError(f"questionnaire {POLICY_ID} is not installed")
    return q


def own_response(user_id: int) -> Response | None:
    return db.session.execute(
        select(Response).filter_by(user_id=user_id, moment=MOMENT)
    ).scalar_one_or_none()


class ScanForm:
    """The section forms of the beleidsscan, validated and read together."""

    def __init__(self, q: Questionnaire, response: Response | None) -> None:
        self.q = q
        self.lang = select_locale()
        stored = responses.answers_of(response) if response is not None else {}
        self.pages = [
            survey_forms.page_form(q, section, stored, lang=self.lang)
            for section in survey_forms.pages(q, MOMENT)
        ]

    def validate_on_submit(self) -> bool:
        if not self.pages[0].is_submitted():
            return False
        # Validate every page (not all() with a short-circuit), so each shows its errors.
        results = [form.validate_page(require=True) for form in self.pages]
        return all(results)

    def answers(self) -> dict:
        out = {}
        for form in self.pages:
            out.update(form.answers())
        return out

    def error_items(self) -> list[tuple]:
        return [(form, item) for form in self.pages for item in form.error_items()]


def save(q: Questionnaire, user_id: int, form: ScanForm) -> Response:
    """Store the valid form as the manager's (new) submitted beleidsscan."""
    response = responses.get_or_create(q, MOMENT, user_id=user_id)
    if response.status == Status.SUBMITTED:
        responses.reopen(response)
    responses.save_answers(response, form.answers())
    responses.submit(response)
    return response
