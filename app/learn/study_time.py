"""Study time from the page-visibility heartbeat: recorded a day at a time, read by HR.

The browser counts the seconds a page was visible (and the learner not idle) and sends them
about once a minute. The server believes no more than the wall time since the learner's
previous beat, so a tampered or duplicated beat cannot inflate the total.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app import enrolment_progress
from app.extensions import db
from app.models import Enrollment, StudyTime, User, utcnow

#: the most one beat may add (the script sends every 60 s; a little slack for slow timers)
MAX_BEAT_SECONDS = 90
#: slack on the wall time between two beats (timers and the network are not exact)
GRACE_SECONDS = 5


def record_beat(
    user: User, seconds: int, course_id: int | None, now: datetime | None = None
) -> int:
    """Add up to `seconds` of visible time to today's row of the user (and the course, if
    they are enrolled in it); returns the seconds actually added."""
    now = now or utcnow()
    seconds = max(0, min(int(seconds), MAX_BEAT_SECONDS))
    if course_id is not None:
        enrolled = db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.user_id == user.id, Enrollment.course_id == course_id
            )
        )
        if enrolled is None:
            course_id = None
    last = db.session.scalar(
        select(func.max(StudyTime.last_beat_at)).where(StudyTime.user_id == user.id)
    )
    if last is not None:
        since = (now - last).total_seconds()
        seconds = max(0, min(seconds, int(since) + GRACE_SECONDS))
    if seconds == 0:
        return 0
    day = now.date()
    row = db.session.scalar(
        select(StudyTime).where(
            StudyTime.user_id == user.id,
            StudyTime.day == day,
            StudyTime.course_id.is_(None)
            if course_id is None
            else StudyTime.course_id == course_id,
        )
    )
    if row is None:
        row = StudyTime(user_id=user.id, course_id=course_id, day=day, seconds=0)
        db.session.add(row)
    row.seconds += seconds
    row.last_beat_at = now
    if course_id is not None:
        enrolment_progress.add_study_seconds(user.id, course_id, seconds)
    db.session.flush()
    return seconds


def total_seconds(user_id: int, course_id: int | None = None) -> int:
    """A learner's study time in all (or in one course), in seconds."""
    stmt = select(func.coalesce(func.sum(StudyTime.seconds), 0)).where(StudyTime.user_id == user_id)
    if course_id is not None:
        stmt = stmt.where(StudyTime.course_id == course_id)
    return int(db.session.scalar(stmt) or 0)
