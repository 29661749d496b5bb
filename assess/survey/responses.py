"""Storing answers and their derived scores: the one place that writes Response, Answer and Score.

Every writer (the survey, the beleidsscan, demo data, rescoring, load tests) goes through
these functions, so the rules hold everywhere: one response per person per moment, answers
upserted (never duplicated by a double post), scores recomputed from answers on submit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite

from assess import clock
from assess.db import db, rowcount
from assess.engine.definition import Questionnaire
from assess.engine.scoring import AnswerValue, score_response
from assess.models import Answer, Response, Score, SectorSummary, Status
from assess.survey import questionnaires
from assess.survey.answers import NUMERIC_TYPES, stored_answers, to_engine


def _insert(table):
    """INSERT with ON CONFLICT support on both backends (SQLite and PostgreSQL)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class ResponseHead(Protocol):
    """What the writer needs of a response: an ORM `Response` or a `locked_head` row."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def questionnaire_id(self) -> str: ...
    @property
    def questionnaire_version(self) -> int: ...


def questionnaire_of(response: ResponseHead) -> Questionnaire:
    """The exact questionnaire version a response was started with."""
    return _installed(response.questionnaire_id, response.questionnaire_version)


def _installed(questionnaire_id: str, version: int) -> Questionnaire:
    q = questionnaires.get(questionnaire_id, version)
    if q is None:
        raise LookupError(f"questionnaire {questionnaire_id} version {version} is not installed")
    return q


def get_or_create(
    q: Questionnaire, moment: str, *, participant_id: int | None = None, user_id: int | None = None
) -> Response:
    """The person's response for this moment, created if needed; safe against two tabs."""
    owner = {"participant_id": participant_id} if participant_id else {"user_id": user_id}
    key = ["participant_id" if participant_id else "user_id", "moment"]
    now = clock.now()
    db.session.execute(
        _insert(Response.__table__)
        .values(
            **owner,
            moment=moment,
            status=Status.DRAFT,
            questionnaire_id=q.id,
            questionnaire_version=q.version,
            current_page=0,
            started_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=key)
    )
    return db.session.execute(select(Response).filter_by(**owner, moment=moment)).scalar_one()


def answers_of(response: Response) -> dict[str, AnswerValue]:
    """The stored answers of a response, read with the questionnaire version it was started with."""
    return stored_answers(response.id, questionnaire_of(response))


def save_answers(
    response: ResponseHead, values: Mapping[str, AnswerValue], current_page: int | None = None
) -> None:
    """Upsert the given answers (None removes one). Only draft responses can change.

    `current_page` (the survey page to resume on) is stored in the same UPDATE as the time.
    """
    if response.status != Status.DRAFT:
        raise ValueError("a submitted response cannot change")
    q = questionnaire_of(response)
    gone = [item_id for item_id, v in values.items() if v is None or v == ""]
    if gone:
        db.session.execute(DELETE_ANSWERS, {"response_id": response.id, "item_ids": gone})
    rows = [
        _answer_row(q, response.id, item_id, v)
        for item_id, v in values.items()
        if item_id not in gone
    ]
    if rows:
        _upsert_answers(rows)
    now = clock.now()
    if current_page is None:
        db.session.execute(TOUCH_RESPONSE, {"response_id": response.id, "now": now})
    else:
        db.session.execute(
            TOUCH_RESPONSE_PAGE, {"response_id": response.id, "now": now, "page": current_page}
        )


# The page save's statements, built once on the tables: the ORM's bulk UPDATE/DELETE path
# did nothing more here (no objects to synchronise), and building a statement per request
# (with its cache key) cost a good part of a save (benchmarks/survey_profile.py).
ANSWER_TABLE = cast(Table, Answer.__table__)
RESPONSE_TABLE = cast(Table, Response.__table__)
DELETE_ANSWERS = delete(ANSWER_TABLE).where(
    ANSWER_TABLE.c.response_id == bindparam("response_id"),
    ANSWER_TABLE.c.item_id.in_(bindparam("item_ids", expanding=True)),
)
TOUCH_RESPONSE = (
    update(RESPONSE_TABLE)
    .where(RESPONSE_TABLE.c.id == bindparam("response_id"))
    .values(updated_at=bindparam("now"))
)
TOUCH_RESPONSE_PAGE = TOUCH_RESPONSE.values(current_page=bindparam("page"))
LOCK_HEAD = (
    select(
        RESPONSE_TABLE.c.id,
        RESPONSE_TABLE.c.status,
        RESPONSE_TABLE.c.questionnaire_id,
        RESPONSE_TABLE.c.questionnaire_version,
    )
    .where(RESPONSE_TABLE.c.id == bindparam("response_id"))
    .with_for_update()
)


# PostgreSQL: the whole page in one statement, the rows passed as arrays. A statement per
# answer (executemany) made the server run a dozen statements per page save, which on a
# 2-core machine took CPU from the app (benchmarks/survey_throughput.py).
ANSWER_UPSERT_PG = sql_text(
    "INSERT INTO answer (response_id, item_id, value, text)"
    " SELECT :response_id, u.item_id, u.value, u.text"
    " FROM unnest(CAST(:item_ids AS varchar[]), CAST(:answer_values AS float8[]),"
    " CAST(:texts AS text[])) AS u(item_id, value, text)"
    " ON CONFLICT (response_id, item_id)"
    " DO UPDATE SET value = excluded.value, text = excluded.text"
)


def _upsert_answers(rows: list[dict]) -> None:
    """Insert or replace answer rows of one response."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(
            ANSWER_UPSERT_PG,
            {
                "response_id": rows[0]["response_id"],
                "item_ids": [r["item_id"] for r in rows],
                "answer_values": [r["value"] for r in rows],
                "texts": [r["text"] for r in rows],
            },
        )
        return
    # SQLite: one statement executed for many rows (executemany), not one multi-row VALUES,
    # so it compiles once and stays in SQLAlchemy's cache; a VALUES list of another length
    # each time was compiled afresh on every page save.
    db.session.execute(ANSWER_UPSERT_SQLITE, rows)


def _sqlite_answer_upsert():
    stmt = sqlite.insert(Answer.__table__)
    return stmt.on_conflict_do_update(
        index_elements=["response_id", "item_id"],
        set_={"value": stmt.excluded.value, "text": stmt.excluded.text},
    )


# Built once: building `excluded` alone took half a millisecond per page save. A statement
# object is immutable, so sharing it between requests is safe.
ANSWER_UPSERT_SQLITE = _sqlite_answer_upsert()


def _answer_row(q: Questionnaire, response_id: int, item_id: str, v: AnswerValue) -> dict:
    item = q.items_by_id[item_id]
    numeric = item.type in NUMERIC_TYPES
    return {
        "response_id": response_id,
        "item_id": item_id,
        "value": float(v) if numeric and v is not None else None,
        "text": None if numeric else str(v),
    }


def locked_head(response_id: int) -> ResponseHead:
    """`locked` as a plain row with what `save_answers` needs: the page save builds no object."""
    return db.session.connection().execute(LOCK_HEAD, {"response_id": response_id}).one()


def locked(response_id: int) -> Response:
    """The response read again under a row lock (PostgreSQL; SQLite writers hold the database)."""
    return db.session.execute(
        select(Response)
        .where(Response.id == response_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def submit(response: Response, answers: Mapping[str, AnswerValue] | None = None) -> bool:
    """Submit a draft and score the answers the caller read and checked; False (and no change)
    when it was already submitted.

    The conditional UPDATE makes double clicks and two tabs harmless: only the first
    request flips draft to submitted, the second sees zero rows changed. A caller that has
    read and checked the answers passes them (read with the response `locked`, so they are
    the stored ones); without them they are read here.
    """
    changed = rowcount(
        db.session.execute(
            update(Response)
            .where(Response.id == response.id, Response.status == Status.DRAFT)
            .values(status=Status.SUBMITTED, submitted_at=clock.now())
            .execution_options(synchronize_session=False)
        )
    )
    if not changed:
        return False
    db.session.refresh(response)
    store_scores(response, answers)
    return True


def store_scores(response: Response, answers: Mapping[str, AnswerValue] | None = None) -> None:
    """Replace the response's scores with ones computed from its answers."""
    q = questionnaire_of(response)
    if answers is None:
        answers = answers_of(response)
    sheet = score_response(q, answers, response.moment)
    db.session.execute(delete(Score).where(Score.response_id == response.id))
    _store_scores([score_row(response.id, r) for r in sheet.rows()])


def score_row(response_id: int, row) -> dict:
    return {
        "response_id": response_id,
        "scale_id": row.scale_id,
        "variant": row.variant,
        "mean": row.mean,
        "pomp": row.pomp,
        "band": row.band_id,
        "n_answered": row.n_answered,
        "n_items": row.n_items,
        "status": row.status,
    }


# The score table as a Core table, for the bulk INSERT below (the model class would take the
# ORM bulk path, which the rescoring benchmark does not need).
SCORE_TABLE = cast(Table, Score.__table__)

SCORE_COLUMNS = (
    "response_id",
    "scale_id",
    "variant",
    "mean",
    "pomp",
    "band",
    "n_answered",
    "n_items",
    "status",
)


def _store_scores(rows: list[dict]) -> None:
    """Insert many score rows at once: COPY on PostgreSQL, Core executemany elsewhere.

    On PostgreSQL the multi-row INSERT was half of the rescoring time (5.3 of 11.5 s per
    10,000 responses); COPY takes a fraction of that. The ORM's bulk path is avoided on both:
    it splits rows with NULLs into many statements.
    """
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(insert(SCORE_TABLE), rows)
        return
    columns = ", ".join(SCORE_COLUMNS)
    driver = connection.connection.driver_connection
    assert driver is not None  # a checked-out connection has one
    with driver.cursor() as cursor:
        with cursor.copy(f"COPY score ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[c] for c in SCORE_COLUMNS))


def rescore(response_ids: Iterable[int] | None = None, batch: int = 500) -> int:
    """Recompute the scores of submitted responses from their answers; returns how many."""
    query = select(Response.id).where(Response.status == Status.SUBMITTED).order_by(Response.id)
    ids = list(response_ids) if response_ids is not None else list(db.session.scalars(query))
    versions: dict[tuple[str, int], Questionnaire] = {}
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        # Plain columns, not ORM objects: rescoring all responses is a bulk job
        # (benchmarks/synthetic.py rescores 40,000 responses well within a minute).
        heads = {}
        for rid, qid, version, moment in db.session.execute(
            select(
                Response.id,
                Response.questionnaire_id,
                Response.questionnaire_version,
                Response.moment,
            ).where(Response.id.in_(chunk))
        ):
            if (qid, version) not in versions:
                versions[qid, version] = _installed(qid, version)
            heads[rid] = (versions[qid, version], moment)
        answers: dict[int, dict[str, AnswerValue]] = {rid: {} for rid in heads}
        rows = db.session.execute(
            select(Answer.response_id, Answer.item_id, Answer.value, Answer.text).where(
                Answer.response_id.in_(chunk)
            )
        )
        for rid, item_id, value, text in rows:
            answers[rid][item_id] = to_engine(heads[rid][0], item_id, value, text)
        db.session.execute(delete(Score).where(Score.response_id.in_(chunk)))
        # The managers' sector benchmark rests on these scores: sum it afresh next time.
        db.session.execute(delete(SectorSummary))
        score_rows: list[dict] = []
        for rid, (q, moment) in heads.items():
            sheet = score_response(q, answers[rid], moment)
            score_rows.extend(score_row(rid, r) for r in sheet.rows())
        _store_scores(score_rows)
        db.session.commit()
        done += len(heads)
    return done


def reopen(response: Response) -> None:
    """Turn a submitted response back into a draft so it can be revised (the beleidsscan).

    The caller saves the revised answers and submits again in the same transaction, so the
    stored version is replaced only when the revision is complete.
    """
    db.session.execute(
        update(Response)
        .where(Response.id == response.id)
        .values(status=Status.DRAFT, submitted_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(response)
