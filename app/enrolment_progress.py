"""Per-enrolment progress summaries (`Enrollment.lessons_done`, `answered`, `first_right`,
`study_seconds`), kept up to date in the transaction that records the progress.

HR's dashboard and exports read these columns, one row per enrolment, instead of grouping every
attempt, lesson progress row and heartbeat of the zone on each request. The write paths:

* an answer (`learn.answers.record_answer`) and a lesson passed by it, a lesson without
  exercises read to the end, lessons marked known after the placement test: `refresh`;
* the study-time heartbeat (`learn.study_time.record_beat`): `add_study_seconds`, an atomic
  increment, so that two tabs beating at once both count.

Enrolments are never deleted and are created before any progress in their course (opening a
lesson enrols), so a new enrolment starts at zero. Course content is retired, not deleted or
moved, so the summaries do not go stale when a course is republished. `refresh_all` recomputes
every summary from the source rows: the migration's backfill, `flask hr summaries` and the
tests' oracle.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    Attempt,
    Enrollment,
    EnrollmentStatus,
    Exercise,
    Lesson,
    LessonProgress,
    StudyTime,
)


def summary_values(user_id, course_id) -> dict[str, ColumnElement[int]]:
    """The four summaries of the enrolment (`user_id`, `course_id`) as scalar subqueries; the
    arguments may be columns (correlated, for a set-based UPDATE) or plain values."""
    in_course = and_(
        Attempt.user_id == user_id,
        Exercise.id == Attempt.exercise_id,
        Lesson.id == Exercise.lesson_id,
        Lesson.course_id == course_id,
    )
    earlier = aliased(Attempt)
    first = ~exists().where(
        earlier.user_id == Attempt.user_id,
        earlier.exercise_id == Attempt.exercise_id,
        earlier.id < Attempt.id,
    )
    return {
        "lessons_done": select(func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(
            LessonProgress.user_id == user_id,
            Lesson.course_id == course_id,
            LessonProgress.status == EnrollmentStatus.COMPLETED,
        )
        .scalar_subquery(),
        "answered": select(func.count(func.distinct(Attempt.exercise_id)))
        .select_from(Attempt, Exercise, Lesson)
        .where(in_course)
        .scalar_subquery(),
        "first_right": select(func.count(Attempt.id))
        .select_from(Attempt, Exercise, Lesson)
        .where(in_course, Attempt.correct.is_(True), first)
        .scalar_subquery(),
        "study_seconds": select(func.coalesce(func.sum(StudyTime.seconds), 0))
        .where(StudyTime.user_id == user_id, StudyTime.course_id == course_id)
        .scalar_subquery(),
    }


def refresh(user_id: int, course_id: int) -> None:
    """Recompute one enrolment's summaries from its rows (one UPDATE; no-op if not enrolled)."""
    db.session.flush()
    db.session.execute(
        update(Enrollment)
        .where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
        .values(**summary_values(user_id, course_id))
        .execution_options(synchronize_session="fetch")
    )


def refresh_all(*conditions: ColumnElement[bool]) -> int:
    """Recompute the summaries of every enrolment (or of those meeting `conditions`) in one
    set-based UPDATE; returns the number of enrolments."""
    db.session.flush()
    result = db.session.execute(
        update(Enrollment)
        .where(*conditions)
        .values(**summary_values(Enrollment.user_id, Enrollment.course_id))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return result.rowcount


def add_study_seconds(user_id: int, course_id: int, seconds: int) -> None:
    """Add heartbeat seconds to the enrolment (an increment in SQL, safe under concurrency)."""
    db.session.execute(
        update(Enrollment)
        .where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
        .values(study_seconds=Enrollment.study_seconds + seconds)
        .execution_options(synchronize_session="fetch")
    )


def stale(*conditions: ColumnElement[bool]) -> list[tuple[int, int]]:
    """(user id, course id) of enrolments whose stored summaries differ from their rows (for
    tests and `flask hr summaries --check`)."""
    values = summary_values(Enrollment.user_id, Enrollment.course_id)
    differs = [getattr(Enrollment, name) != value for name, value in values.items()]
    return [
        (u, c)
        for u, c in db.session.execute(
            select(Enrollment.user_id, Enrollment.course_id).where(*conditions, or_(*differs))
        )
    ]
