"""All versions of all questionnaires, by id: the loaded instrument files, with no app attached.

The read side takes a `Registry` as an argument; assess/survey/questionnaires.py binds one to
the app on start and hands it out.
"""

from __future__ import annotations

from assess.engine.definition import Questionnaire


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
