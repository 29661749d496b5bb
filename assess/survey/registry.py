"""The questionnaires the app knows: loaded once from questionnaires/ and validated on start."""

from __future__ import annotations

from flask import Flask, current_app

from assess.config import StartupError
from assess.engine.definition import DefinitionError, Questionnaire, load_directory


class Registry:
    """All versions of all questionnaires, by id; files are data, so this is not app state."""

    def __init__(self, questionnaires: list[Questionnaire]) -> None:
        self._by_key = {(q.id, q.version): q for q in questionnaires}

    def get(self, questionnaire_id: str, version: int | None = None) -> Questionnaire | None:
        if version is not None:
            return self._by_key.get((questionnaire_id, version))
        versions = [v for (qid, v) in self._by_key if qid == questionnaire_id]
        return self._by_key[(questionnaire_id, max(versions))] if versions else None

    def latest(self, audience: str | None = None) -> list[Questionnaire]:
        ids = sorted({qid for qid, _ in self._by_key})
        found = [self.get(qid) for qid in ids]
        return [q for q in found if q and (audience is None or q.audience == audience)]


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
