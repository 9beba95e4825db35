"""Study time: seconds a learner spent on the site's pages, a day at a time."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class StudyTime(Base):
    """Seconds a page was visible to a learner on one day, for one course or none.

    The page-visibility heartbeat (static/js/heartbeat.js) adds to the row of its day; reading a
    lesson counts as much as answering it. One row per learner, day and course (course None:
    the dashboard, review and the other pages that belong to no course).
    """

    __tablename__ = "study_time"
    __table_args__ = (Index("ix_study_time_user_course_day", "user_id", "course_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    #: the day in UTC
    day: Mapped[date] = mapped_column(Date)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    #: the last heartbeat: a beat adds no more than the time since the one before
    last_beat_at: Mapped[datetime] = mapped_column(default=utcnow)
