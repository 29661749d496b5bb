"""The data model: organisations, staff, cohorts, participants, responses, answers, scores, audit."""

from __future__ import annotations

import datetime as dt
import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from assess import clock
from assess.db import Model


def utcnow() -> datetime:
    return clock.now()


# Ids that the audit trail names are never given out twice: SQLite otherwise hands the id of
# the last row deleted (an erased participant) to the next one, and the trail would then name
# the new person for the erased person's events. PostgreSQL's sequences never go back.
NEVER_REUSED = {"sqlite_autoincrement": True}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    SQLite stores no time zone, so values come back naive; normalising here keeps
    comparisons in Python safe on SQLite and PostgreSQL alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Role(enum.StrEnum):
    ADMIN = "admin"
    TRAINER = "trainer"
    MANAGER = "manager"


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Organisation(Model):
    __tablename__ = "organisation"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    participants: Mapped[list[Participant]] = relationship(back_populates="organisation")


class User(Model):
    """A staff account: admin, trainer or manager. Participants have no account."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and deactivation; the number is part of the
    # login cookie, so every cookie issued before the bump is refused server-side.
    session_version: Mapped[int] = mapped_column(default=1)
    # Set when an admin generated the password: the admin has seen it, so the person must
    # choose their own before they can open any page.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    cohorts: Mapped[list[Cohort]] = relationship(back_populates="trainer")

    __table_args__ = (
        CheckConstraint("role in ('admin', 'trainer', 'manager')", name="ck_user_role"),
        NEVER_REUSED,
    )

    # What Flask-Login asks of a user (written out rather than UserMixin, so that the models
    # and the read side built on them import no web code).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class Cohort(Model):
    """One run of the Leergang: a group of participants with its measurement moments."""

    __tablename__ = "cohort"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(default=False)
    # The course day on which participants write their goals (assess/survey/goals.py).
    goals_day: Mapped[int] = mapped_column(default=1, server_default="1")
    # Per-cohort invitation text; None means the default template (assess/trainer/mail/texts.py).
    mail_subject: Mapped[str | None] = mapped_column(String(200))
    mail_body: Mapped[str | None] = mapped_column(Text)
    # Participants may invite their manager and colleagues to rate them (issue 29): at intake
    # and follow-up when on, at exit too when `raters_at_exit`.
    raters_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    raters_at_exit: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainer: Mapped[User] = relationship(back_populates="cohorts")
    participants: Mapped[list[Participant]] = relationship(back_populates="cohort")
    windows: Mapped[list[MomentWindow]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="MomentWindow.id"
    )

    course_days: Mapped[list[CourseDay]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CourseDay.number"
    )

    def window(self, moment: str) -> MomentWindow | None:
        return next((w for w in self.windows if w.moment == moment), None)


class CourseDay(Model):
    """One day the group meets (lesdag), numbered from 1 in date order; a local date in the
    course's time zone (assess/engine/course_days.py reads them and derives the windows)."""

    __tablename__ = "course_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)

    cohort: Mapped[Cohort] = relationship(back_populates="course_days")

    __table_args__ = (
        UniqueConstraint("cohort_id", "number", name="uq_course_day_cohort_number"),
        CheckConstraint("number >= 1", name="ck_course_day_number"),
    )


class MomentWindow(Model):
    """When a cohort's intake, exit or follow-up is open for answers."""

    __tablename__ = "moment_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    moment: Mapped[str] = mapped_column(String(20))
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    # The trainer's switch: a window can be closed early or kept shut regardless of dates.
    enabled: Mapped[bool] = mapped_column(default=True)

    cohort: Mapped[Cohort] = relationship(back_populates="windows")

    __table_args__ = (UniqueConstraint("cohort_id", "moment", name="uq_window_cohort_moment"),)

    def state(self, today: date) -> str:
        """'open', 'not_yet', 'closed' or 'disabled' on the given day."""
        return window_state(self.enabled, self.opens_on, self.closes_on, today)


def window_state(enabled: bool, opens_on: date | None, closes_on: date | None, today: date) -> str:
    """A moment window's state from its columns, for readers that hold plain rows (the
    survey page reads them with one Core query)."""
    if not enabled:
        return "disabled"
    if opens_on and today < opens_on:
        return "not_yet"
    if closes_on and today > closes_on:
        return "closed"
    return "open"


class Participant(Model):
    """A woonconsulent in one cohort, reached through a personal link (no password)."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # Stable pseudonym for exports, so analysts never need names.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # The invitation token is HMAC(SECRET_KEY, id:nonce): the database holds only the nonce
    # and the token's SHA-256, so a copy of the database alone opens no survey, while the
    # app can still show the trainer the link. NULL = revoked; a new nonce = reissued.
    token_nonce: Mapped[str | None] = mapped_column(String(64))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship(back_populates="participants")
    responses: Mapped[list[Response]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )
    mails: Mapped[list[MailLog]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("cohort_id", "email", name="uq_participant_cohort_email"),
        NEVER_REUSED,
    )


class Response(Model):
    """One filling-in of a questionnaire at one moment, by a participant or (beleidsscan) a manager."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    moment: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    # Index of the page the person last saw, so a resumed survey opens where they were.
    current_page: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant: Mapped[Participant | None] = relationship(back_populates="responses")
    user: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )
    scores: Mapped[list[Score]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        # One response per person per moment, enforced by the database: double clicks and
        # two tabs cannot create a second one.
        UniqueConstraint("participant_id", "moment", name="uq_response_participant_moment"),
        UniqueConstraint("user_id", "moment", name="uq_response_user_moment"),
        CheckConstraint(
            "(participant_id IS NULL) <> (user_id IS NULL)", name="ck_response_one_owner"
        ),
        CheckConstraint("status in ('draft', 'submitted')", name="ck_response_status"),
        Index("ix_response_moment_status", "moment", "status"),
        NEVER_REUSED,
    )


class Answer(Model):
    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    # Numeric answers (Likert points, numbers) in value; choices and free text in text.
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("response_id", "item_id", name="uq_answer_response_item"),)


class PageTime(Model):
    """Active seconds one showing of a survey page took: from the page being shown to its save,
    capped (assess/engine/duration.py), so a page left open over lunch counts as the cap. A
    page shown again (back, or resumed) is a new row; the same form posted twice replaces its
    row. A moment's measured duration is the sum over its pages.
    """

    __tablename__ = "page_time"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    shown_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch, as the page said
    seconds: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("response_id", "page", "shown_at", name="uq_page_time_showing"),
    )


class Score(Model):
    """A derived scale score: recomputable from the answers with `flask rescore`."""

    __tablename__ = "score"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    scale_id: Mapped[str] = mapped_column(
        String(100)
    )  # "netwerkaanpak" or "netwerkaanpak.partners"
    variant: Mapped[str] = mapped_column(String(10))  # now | then | seen | sjt
    mean: Mapped[float | None] = mapped_column(Float)
    pomp: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(50))
    n_answered: Mapped[int] = mapped_column(default=0)
    n_items: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20))

    response: Mapped[Response] = relationship(back_populates="scores")

    __table_args__ = (
        UniqueConstraint("response_id", "scale_id", "variant", name="uq_score_response_scale"),
        Index("ix_score_scale_variant", "scale_id", "variant"),
    )


class MailLog(Model):
    """One invitation or reminder sent (or tried) to a participant."""

    __tablename__ = "mail_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    moment: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # invitation | reminder
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The calendar day a reminder belongs to, so cron never sends two on one day.
    day: Mapped[date] = mapped_column(Date)
    ok: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)

    participant: Mapped[Participant] = relationship(back_populates="mails")


class ErasureRequest(Model):
    """A participant's own request to have their data erased (AVG art. 17), waiting for the
    admin; erasing the participant removes it with everything else (the audit trail keeps
    that it was asked and done)."""

    __tablename__ = "erasure_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), unique=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship()


class ErasureCleanup(Model):
    """An erasure whose traces may still be in the database files: on SQLite the -wal still
    holds the pages as they were until a checkpoint truncates it, on PostgreSQL the deleted
    rows stay in the table files until VACUUM (assess/web/sqlite_files.py). The row goes once
    that is done; until then the admin reads "nog bezig". Holds no data about the person."""

    __tablename__ = "erasure_cleanup"

    id: Mapped[int] = mapped_column(primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    participants: Mapped[int] = mapped_column(Integer)  # how many were erased
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (again, after a failure that may pass)
    SENDING = "sending"  # claimed by a worker; SMTP may be under way
    SENT = "sent"  # the mail server accepted it
    FAILED = "failed"  # given up: a refusal, no address or link, or too many attempts
    SKIPPED = "skipped"  # a reminder no longer needed: the moment was submitted meanwhile


class MailOutbox(Model):
    """One invitation or reminder waiting for, or handled by, the mail worker.

    A request only adds rows here; `flask mail-worker` sends them (assess/trainer/mail/worker.py).
    The mail is rendered when it is sent, so the row holds no link or token. The Message-ID is
    the row's unique key: participant, moment, kind and day, so one mail is queued only once
    (a second click, a rerun of send-reminders) and a resend carries the same Message-ID.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    moment: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # invitation | reminder | pulse | rater_*
    day: Mapped[date] = mapped_column(Date)
    # A mail to a rater about this participant (assess/trainer/mail/raters.py); NULL for the
    # participant's own mails. Erasing either removes the row.
    rater_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("rater_invitation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The address the links start with, known when the mail was queued (BASE_URL, else the
    # address of the request that queued it): the worker runs elsewhere and cannot guess it.
    base_url: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        CheckConstraint(
            "status in ('queued', 'sending', 'sent', 'failed', 'skipped')",
            name="ck_mail_outbox_status",
        ),
        # The worker's question: what is due, oldest first.
        Index("ix_mail_outbox_status_due", "status", "next_attempt_at"),
    )


class AuditEvent(Model):
    """Who did what to which object. Holds ids, never answers, tokens or passwords."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(20))  # user | participant | system
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str | None] = mapped_column(String(50))
    target_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))


class SectorSummary(Model):
    """The sector's sums behind the managers' benchmark (assess/reports/organisation/sector.py).

    Derived data only (sums per cohort and for the whole sector, no person), recomputed
    whenever its fingerprint no longer matches the responses, participants and cohorts.
    """

    __tablename__ = "sector_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Release(Model):
    """The published figures of one organisation's participants in one cohort
    (assess/reports/organisation/releases.py): sums only, replaced only when enough new
    participants have arrived since (statistical disclosure control against differencing).
    """

    __tablename__ = "report_release"
    __table_args__ = (UniqueConstraint("questionnaire_id", "organisation_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    n: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReleaseMember(Model):
    """Who a release counted: only so the next release knows who is new. Erasure removes the
    row (the released sums stay until the next release recomputes without the person)."""

    __tablename__ = "release_member"

    release_id: Mapped[int] = mapped_column(
        ForeignKey("report_release.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SectorRelease(Model):
    """The copy of one atom release (organisation, cohort) that the sector benchmark counts
    (assess/reports/organisation/sector_batch.py): the benchmark moves on only in batches
    that rest on enough corporations, so it keeps its own copies of the releases it sums."""

    __tablename__ = "sector_release"
    __table_args__ = (UniqueConstraint("questionnaire_id", "organisation_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    # the report_release row copied (no foreign key: that row is replaced by the next release)
    release_id: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
    churn: Mapped[int] = mapped_column(Integer)  # the copied release's churn (releases.py)
    payload: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the copied release's


class PulseSchedule(Model):
    """A cohort's weekly pulse: on which weekday, between which days, open how long
    (assess/engine/pulse.py computes the weeks; assess/trainer/pulses.py keeps Pulse rows)."""

    __tablename__ = "pulse_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday … 6 = Sunday
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    days_open: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("weekday between 0 and 6", name="ck_pulse_schedule_weekday"),
        CheckConstraint("days_open between 1 and 7", name="ck_pulse_schedule_days_open"),
        CheckConstraint("first_day <= last_day", name="ck_pulse_schedule_days"),
    )


class Pulse(Model):
    """One week's pulse of a cohort: open from `opens_on` through `closes_on` (local dates)."""

    __tablename__ = "pulse"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    week: Mapped[date] = mapped_column(Date)  # the Monday of its week
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("cohort_id", "week", name="uq_pulse_cohort_week"),)


class PulseResponse(Model):
    """A participant's answers to one pulse: submitted once, never a draft."""

    __tablename__ = "pulse_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    pulse_id: Mapped[int] = mapped_column(ForeignKey("pulse.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pulse: Mapped[Pulse] = relationship()
    answers: Mapped[list[PulseAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        # One answer per person per pulse, enforced by the database: a double click or a
        # second tab cannot answer a week twice.
        UniqueConstraint("pulse_id", "participant_id", name="uq_pulse_response_pulse_participant"),
    )


class PulseAnswer(Model):
    __tablename__ = "pulse_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("pulse_response.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[PulseResponse] = relationship(back_populates="answers")

    __table_args__ = (
        UniqueConstraint("response_id", "item_id", name="uq_pulse_answer_response_item"),
    )


class PulseStop(Model):
    """A participant's "no more pulse mails": kept until erasure; the pulse stays on the
    home page for whoever still wants to answer."""

    __tablename__ = "pulse_stop"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    stopped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RaterState(enum.StrEnum):
    INVITED = "invited"  # the link works until it expires
    COMPLETED = "completed"  # rated (submitted once, atomically)
    DECLINED = "declined"  # said no; the link shows that and nothing else
    ERASED = "erased"  # the rater erased their own rating afterwards


class RaterInvitation(Model):
    """One rater asked by a participant for one moment: the manager or a colleague.

    The token works like a participant's (assess/survey/raters/tokens.py): HMAC of the secret
    key over id and nonce, only its SHA-256 stored, with a deadline of its own. The e-mail
    address is needed only to send the link and reminders: it is cleared once the rater has
    answered or declined, so ratings never sit next to an address (Blik keeps it there).
    """

    __tablename__ = "rater_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    moment: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))  # manager | colleague
    email: Mapped[str | None] = mapped_column(String(254))
    token_nonce: Mapped[str | None] = mapped_column(String(64))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=RaterState.INVITED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last day the link works (Europe/Amsterdam).
    expires_on: Mapped[date] = mapped_column(Date)
    # The rater form's version, set when the rating is submitted.
    questionnaire_id: Mapped[str | None] = mapped_column(String(100))
    questionnaire_version: Mapped[int | None] = mapped_column(Integer)

    participant: Mapped[Participant] = relationship()
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("role in ('manager', 'colleague')", name="ck_rater_invitation_role"),
        CheckConstraint(
            "state in ('invited', 'completed', 'declined', 'erased')",
            name="ck_rater_invitation_state",
        ),
        Index("ix_rater_invitation_participant_moment", "participant_id", "moment"),
    )


class Rating(Model):
    """One answer of a rater: a point of the item's scale, or NULL for "kan ik niet beoordelen"."""

    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("rater_invitation.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[float | None] = mapped_column(Float)

    invitation: Mapped[RaterInvitation] = relationship(back_populates="ratings")

    __table_args__ = (UniqueConstraint("invitation_id", "item_id", name="uq_rating_item"),)


class RaterRelease(Model):
    """The colleagues' aggregate of one participant's moment, released once and then frozen
    (assess/reports/raters/releases.py; the rule in assess/engine/raters.py): per scale how many
    colleagues had a score and their mean, never a rater's own figures."""

    __tablename__ = "rater_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    moment: Mapped[str] = mapped_column(String(20))
    n: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("participant_id", "moment", name="uq_rater_release_participant_moment"),
    )


class GoalWhen(enum.StrEnum):
    PULSE = "pulse"
    EXIT = "exit"
    FOLLOWUP = "followup"


class Goal(Model):
    """A participant's own goal for the course (Goal Attainment Scaling): a theme, what they
    want, an if-then plan and five described levels from -2 to +2. Edits first write the old
    state to GoalRevision; the text reaches the trainer only when shared."""

    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[str] = mapped_column(String(100))  # a scale id: tijdmanagement, …
    text: Mapped[str] = mapped_column(Text)
    if_then: Mapped[str] = mapped_column(Text)
    level_minus2: Mapped[str] = mapped_column(Text)
    level_minus1: Mapped[str] = mapped_column(Text)
    level_0: Mapped[str] = mapped_column(Text)
    level_plus1: Mapped[str] = mapped_column(Text)
    level_plus2: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    shared_with_trainer: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("weight > 0", name="ck_goal_weight"),)

    def level_text(self, level: int) -> str:
        return {
            -2: self.level_minus2,
            -1: self.level_minus1,
            0: self.level_0,
            1: self.level_plus1,
            2: self.level_plus2,
        }[level]


class GoalRevision(Model):
    """A goal as it was before one edit (append-only; written before the edit is saved)."""

    __tablename__ = "goal_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    revised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The goal's columns before the edit, as JSON (they travel with the personal data export).
    before: Mapped[str] = mapped_column(Text)


class GoalRating(Model):
    """Where a participant stands on a goal: in a weekly pulse, at the exit or the follow-up
    (append-only; the latest of a kind counts)."""

    __tablename__ = "goal_rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    when: Mapped[str] = mapped_column(String(10))
    pulse_id: Mapped[int | None] = mapped_column(ForeignKey("pulse.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("level between -2 and 2", name="ck_goal_rating_level"),
        CheckConstraint("\"when\" in ('pulse', 'exit', 'followup')", name="ck_goal_rating_when"),
        # One rating per goal per weekly pulse (a second tab cannot rate a week twice).
        UniqueConstraint("goal_id", "pulse_id", name="uq_goal_rating_goal_pulse"),
    )
