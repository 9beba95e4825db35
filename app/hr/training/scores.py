"""Scores HR can trust: study time aggregated in the database, and the share of first tries.

Study time is the sum of the page-visibility heartbeat (app.learn.study_time), as a subquery
keyed by learner and course, to be joined to enrolments. First-try accuracy (the queries live
in app.first_try, shared with the learner's own pages) is the share of exercises whose
EARLIEST stored attempt of a learner was right.
"""

from __future__ import annotations

from sqlalchemy import Subquery, func, select

from app.models import StudyTime


def time_by_course() -> Subquery:
    """Per learner and course: seconds of study (`seconds`)."""
    return (
        select(
            StudyTime.user_id.label("user_id"),
            StudyTime.course_id.label("course_id"),
            func.sum(StudyTime.seconds).label("seconds"),
        )
        .where(StudyTime.course_id.is_not(None))
        .group_by(StudyTime.user_id, StudyTime.course_id)
        .subquery("study_time")
    )


def share(right: int | None, answered: int | None) -> float | None:
    """right / answered, None when nothing was answered."""
    return (right or 0) / answered if answered else None
