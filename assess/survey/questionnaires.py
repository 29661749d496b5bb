"""The questionnaires the app knows: loaded once from questionnaires/ and validated on start."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale

from assess.config import StartupError
from assess.engine.definition import DefinitionError, Questionnaire, load_directory
from assess.survey.labels import questionnaire_title
from assess.survey.registry import Registry


def init_app(app: Flask) -> None:
    try:
        app.extensions["assess.questionnaires"] = Registry(
            load_directory(app.config["QUESTIONNAIRE_DIR"])
        )
    except DefinitionError as exc:
        raise StartupError(f"questionnaire file is invalid:\n{exc}") from exc


def registry() -> Registry:
    return current_app.extensions["assess.questionnaires"]


def get(questionnaire_id: str, version: int | None = None) -> Questionnaire | None:
    return registry().get(questionnaire_id, version)


def name(questionnaire_id: str, version: int | None = None, *, with_version: bool = False) -> str:
    """The questionnaire's title in the page's language (a template global, questionnaire_name)."""
    q = get(questionnaire_id, version)
    if q is None:
        # A cohort whose instrument file was removed: the id is all there is to show.
        return questionnaire_id
    return questionnaire_title(q, str(get_locale() or "nl"), with_version=with_version)
