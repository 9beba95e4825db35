"""Scores HR can trust: first-try accuracy and study time, aggregated in the database.

First-try accuracy is the share of exercises whose EARLIEST stored attempt of a learner was
right: retries until the answer is right (which lesson scores allow) do not raise it. Study
time is the sum of the page-visibility heartbeat (app.learn.study_time). Both come as
subqueries keyed by learner and course, to be joined to enrolments.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Subquery, case, func, select

from app.models import Attempt, Exercise, Lesson, StudyTime


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


def first_try_by_course() -> Subquery:
    """Per learner and course: exercises answered (`answered`) and right at once (`right`)."""
    first = first_attempts()
    return (
        select(
            first.c.user_id.label("user_id"),
            Lesson.course_id.label("course_id"),
            func.count().label("answered"),
            func.sum(case((Attempt.correct.is_(True), 1), else_=0)).label("right"),
        )
        .select_from(first)
        .join(Attempt, Attempt.id == first.c.attempt_id)
        .join(Exercise, Exercise.id == first.c.exercise_id)
        .join(Lesson, Lesson.id == Exercise.lesson_id)
        .group_by(first.c.user_id, Lesson.course_id)
        .subquery("first_try")
    )


def first_try_by_lesson(user_id: int) -> Subquery:
    """One learner's first-try figures per lesson (`lesson_id`, `answered`, `right`)."""
    first = first_attempts(Attempt.user_id == user_id)
    return (
        select(
            Exercise.lesson_id.label("lesson_id"),
            func.count().label("answered"),
            func.sum(case((Attempt.correct.is_(True), 1), else_=0)).label("right"),
        )
        .select_from(first)
        .join(Attempt, Attempt.id == first.c.attempt_id)
        .join(Exercise, Exercise.id == first.c.exercise_id)
        .group_by(Exercise.lesson_id)
        .subquery("first_try_lesson")
    )


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
