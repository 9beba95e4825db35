"""A learner's study: enrolments, lesson progress, attempts, review cards and certificates."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.content import Course, Item, Lesson


class EnrollmentStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class CardDirection(enum.StrEnum):
    RECOGNITION = "recognition"  #: hanzi → meaning
    RECALL = "recall"  #: meaning → hanzi
    LISTENING = "listening"  #: audio → meaning
    PINYIN = "pinyin"  #: hanzi → typed pinyin with tones
    WRITING = "writing"  #: meaning and pinyin → the characters written by hand (opt-in)


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    #: None when the learner enrolled themselves
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True
    )
    due_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.NOT_STARTED)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    #: HR override of completion: who, when, why
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    override_at: Mapped[datetime | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # progress summaries, kept up to date on write by app.enrolment_progress so that HR's
    # reports read one row per enrolment instead of aggregating attempts and study time
    #: lessons of the course the learner completed
    lessons_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: exercises of the course the learner answered at least once
    answered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: of those, answered right at the first attempt
    first_right: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: study time in the course (heartbeat), seconds
    study_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    course: Mapped[Course] = relationship()


class LessonProgress(Base):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.IN_PROGRESS)
    #: best share of exercises answered right, 0–100
    score: Mapped[float | None] = mapped_column(Float)
    vocabulary_studied_at: Mapped[datetime | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    #: set when the learner marked the lesson known after the placement test: its words went
    #: to review, its exercises were never done
    placed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lesson: Mapped[Lesson] = relationship()


class Attempt(Base):
    """One answer to one exercise; `submission_id` makes a double submit count once."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_user_exercise", "user_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"), index=True)
    answer: Mapped[Any] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    #: 0–1, partial credit for kinds such as matching
    score: Mapped[float] = mapped_column(Float, default=0.0)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Card(Base):
    """A learner's review card for one item in one direction, with its FSRS state."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "item_id", "direction"),
        Index("ix_cards_user_due", "user_id", "due"),
        #: the review queue: a learner's live reviews (or new cards) in due order
        Index("ix_cards_queue", "user_id", "is_new", "suspended", "due"),
        #: leeches counted per word for trainers
        Index("ix_cards_leech", "leech", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    #: fsrs.State: 1 learning, 2 review, 3 relearning
    state: Mapped[int] = mapped_column(SmallInteger, default=1)
    step: Mapped[int | None] = mapped_column(SmallInteger)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(default=utcnow)
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    #: True for a card never reviewed: it is counted against the daily limit of new cards
    is_new: Mapped[bool] = mapped_column(Boolean, default=True)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None]
    leech: Mapped[bool] = mapped_column(Boolean, default=False)
    #: bumped on every answer; an answer for an older version is refused (stale tab)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[Item] = relationship()


class ReviewLog(Base):
    """An answer to a card. Append-only; `review_id` (made by the client) is unique."""

    __tablename__ = "review_logs"
    __table_args__ = (Index("ix_review_logs_user_time", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[str] = mapped_column(String(64), unique=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    state_before: Mapped[int] = mapped_column(SmallInteger)
    #: the card's first answer: counts against the daily limit of new cards
    was_new: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    elapsed_days: Mapped[float] = mapped_column(Float, default=0.0)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    stability_after: Mapped[float | None] = mapped_column(Float)
    difficulty_after: Mapped[float | None] = mapped_column(Float)
    due_after: Mapped[datetime | None]
    #: the card as it was before this answer, so that "undo" can restore it
    card_before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the public verification code
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    #: name and title as they were on the day of issue
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    #: the learner's company, hours of study in the course and first-try score (0–100) on
    #: the day of issue; None on certificates issued before they were recorded
    company_name: Mapped[str | None] = mapped_column(String(200))
    study_seconds: Mapped[int | None] = mapped_column(Integer)
    first_try_score: Mapped[float | None] = mapped_column(Float)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlacementAttempt(Base):
    """One sitting of the placement test: its server-side deadline, answers and result."""

    __tablename__ = "placement_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    #: answered after the deadline: nothing was counted
    expired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: question key → the option chosen
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: band key → [right, asked]
    bands: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    #: the recommended first lesson, "course/lesson"
    start: Mapped[str | None] = mapped_column(String(170))


class FsrsFit(Base):
    """One fit of FSRS parameters: a learner's own (`user_id`) or the zone's (`user_id` None).

    Kept whether or not it was used: `accepted` says if it beat the parameters in use on the
    held-out reviews; the log losses before/after are on those same reviews.
    """

    __tablename__ = "fsrs_fits"
    __table_args__ = (Index("ix_fsrs_fits_user_time", "user_id", "fitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    fitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_count: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    held_out: Mapped[int] = mapped_column(Integer, default=0)
    #: the 21 FSRS-6 parameters the fit produced
    parameters: Mapped[list[float]] = mapped_column(JSON)
    log_loss_before: Mapped[float | None] = mapped_column(Float)
    log_loss_after: Mapped[float | None] = mapped_column(Float)
    rmse_before: Mapped[float | None] = mapped_column(Float)
    rmse_after: Mapped[float | None] = mapped_column(Float)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: better | not_better | too_few_reviews | no_held_out
    reason: Mapped[str] = mapped_column(String(32))
