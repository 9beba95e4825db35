"""HR operations: the record of reminder e-mails sent (or attempted), and the company's
vocabulary readiness as last computed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class ReminderLog(Base):
    """One reminder of one rule for one enrolment on one day: sent once, retried on failure."""

    __tablename__ = "reminder_logs"
    __table_args__ = (UniqueConstraint("rule", "enrollment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: due_soon | overdue
    rule: Mapped[str] = mapped_column(String(16))
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    #: the learner's local day the reminder belongs to
    day: Mapped[date] = mapped_column(Date)
    recipients: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: None until the SMTP server accepted the message
    sent_at: Mapped[datetime | None]
    #: the last failure, kept so the next run retries it
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReadinessSnapshot(Base):
    """One row of a company's readiness report as computed at `computed_at`: a department's
    words of one HSK level, in all courses (`course_id` None) or in one course.

    Predicted recall changes with every day, so it cannot be kept up to date on write; the
    report is recomputed by `flask hr refresh-reports` (cron) or, when older than an
    hour, by the page that reads it (app.hr.training.readiness_store).
    """

    __tablename__ = "readiness_snapshots"
    __table_args__ = (Index("ix_readiness_snapshots_company_time", "company_id", "computed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE")
    )
    #: None: every course (a word in two courses counts once)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    #: 0: outside the HSK list
    hsk: Mapped[int] = mapped_column(Integer)
    #: people of the department with a reviewed word (in the course)
    learners: Mapped[int] = mapped_column(Integer)
    #: learner × word pairs, their summed predicted recall and those recalled ≥ KNOWN_RECALL
    words: Mapped[int] = mapped_column(Integer)
    recall_sum: Mapped[float] = mapped_column(Float)
    known: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DashboardSnapshot(Base):
    """A large company's unfiltered HR dashboard as computed at `computed_at` (JSON).

    Counting a million enrolments takes seconds whatever the indexes; a company past
    `dashboard_store.LIVE_LIMIT` enrolments is shown this copy, recomputed every few minutes
    by `flask hr refresh-reports` (cron) or by the page that finds it older than that.
    """

    __tablename__ = "dashboard_snapshots"
    __table_args__ = (Index("ix_dashboard_snapshots_company_time", "company_id", "computed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    #: enrolments of active people counted: whether the next view may use the copy
    enrolments: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
