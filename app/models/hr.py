"""HR operations: the record of reminder e-mails sent (or attempted)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
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
