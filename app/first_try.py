"""First-try accuracy in the database: the share of exercises whose EARLIEST stored attempt of
a learner was right, so retries until the answer is right (which lesson scores allow) do not
raise it. Used by HR's reports, the learner's lesson scores and certificates.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, Subquery, case, func, select

from app.models import Attempt, Exercise, Lesson


def first_attempts(*conditions: ColumnElement[bool]) -> Subquery:
    """One row per learner and exercise (of the attempts meeting `conditions`): the id of the
    learner's earliest attempt (`user_id`, `exercise_id`, `attempt_id`)."""
    return (
        select(
            Attempt.user_id.label("user_id"),
            Attempt.exercise_id.label("exercise_id"),
            func.min(Attempt.id).label("attempt_id"),
        )
        .where(*conditions)
        .group_by(Attempt.user_id, Attempt.exercise_id)
        .subquery("first_attempts")
    )


def _counted(first: Subquery, *keys: ColumnElement) -> Select:
    """`keys`, exercises answered (`answered`) and right at once (`right`) over `first`."""
    return (
        select(
            *keys,
            func.count().label("answered"),
            func.sum(case((Attempt.correct.is_(True), 1), else_=0)).label("right"),
        )
        .select_from(first)
        .join(Attempt, Attempt.id == first.c.attempt_id)
        .join(Exercise, Exercise.id == first.c.exercise_id)
    )


def first_try_by_course() -> Subquery:
    """Per learner and course: exercises answered (`answered`) and right at once (`right`)."""
    first = first_attempts()
    return (
        _counted(first, first.c.user_id.label("user_id"), Lesson.course_id.label("course_id"))
        .join(Lesson, Lesson.id == Exercise.lesson_id)
        .group_by(first.c.user_id, Lesson.course_id)
        .subquery("first_try")
    )


def first_try_by_lesson(user_id: int) -> Subquery:
    """One learner's first-try figures per lesson (`lesson_id`, `answered`, `right`)."""
    first = first_attempts(Attempt.user_id == user_id)
    return (
        _counted(first, Exercise.lesson_id.label("lesson_id"))
        .group_by(Exercise.lesson_id)
        .subquery("first_try_lesson")
    )
