"""Answers to exercises: checked and stored once, and what they complete (lesson, course)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from app import enrolment_progress, visibility
from app.audio.clips import unplayable_exercises
from app.exercises import Verdict, get_kind
from app.extensions import db
from app.learn.courses import enroll, live_lessons
from app.learn.lessons import get_open_lesson, start_lesson, study_vocabulary
from app.learn.pages import latest_attempts, stored_verdict
from app.models import (
    Attempt,
    Course,
    EnrollmentStatus,
    Exercise,
    Lesson,
    LessonProgress,
    User,
    utcnow,
)


@dataclass(frozen=True)
class AnswerResult:
    attempt: Attempt
    verdict: Verdict
    progress: LessonProgress
    lesson_completed_now: bool
    course_completed_now: bool


def _exercise_for(user: User, exercise_id: int) -> tuple[Exercise, Lesson]:
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or exercise.retired_at is not None:
        raise NotFound()
    return exercise, get_open_lesson(user, exercise.lesson_id)


def submit_answer(
    user: User,
    exercise_id: int,
    answer: Any,
    submission_id: str,
    duration_ms: int | None = None,
    *,
    heard: bool = False,
) -> AnswerResult:
    """Check and store an answer once: a repeated `submission_id` returns the first result.

    Raises NotFound for an exercise the user may not see, LessonLocked while its lesson is
    locked and AnswerError for an answer of the wrong shape or size (nothing is stored).
    `heard`: the answer is what the server heard in a recording (the say route), not typed
    by the learner, so it is not parsed as a typed answer.
    """
    exercise, lesson = _exercise_for(user, exercise_id)
    kind = get_kind(exercise.kind)
    if not heard:
        answer = kind.parse_answer(exercise.data, answer)
    existing = db.session.scalar(select(Attempt).where(Attempt.submission_id == submission_id))
    if existing is not None:
        if existing.user_id != user.id or existing.exercise_id != exercise.id:
            raise NotFound()
        progress = start_lesson(user, lesson)
        return AnswerResult(
            existing, stored_verdict(kind, exercise, existing), progress, False, False
        )
    verdict = kind.check(exercise.data, answer)
    attempt = Attempt(
        submission_id=submission_id,
        user_id=user.id,
        exercise_id=exercise.id,
        answer=answer,
        correct=verdict.correct,
        score=verdict.score,
        duration_ms=max(0, min(duration_ms or 0, 3_600_000)) or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # the same submission arrived twice at once: the other request stored it
        existing = db.session.scalar(select(Attempt).where(Attempt.submission_id == submission_id))
        progress = start_lesson(user, lesson)
        return AnswerResult(
            existing, stored_verdict(kind, exercise, existing), progress, False, False
        )
    progress = start_lesson(user, lesson)
    lesson_done, course_done = _update_progress(user, lesson, progress)
    enrolment_progress.refresh(user.id, lesson.course_id)
    return AnswerResult(attempt, verdict, progress, lesson_done, course_done)


def lesson_score(user: User, lesson: Lesson) -> float | None:
    """Share (0–100) of the lesson's live exercises whose latest answer is right.

    A listening exercise whose clip has not passed verification is not offered, so it does not
    count either.
    """
    rows = db.session.execute(
        select(Exercise.id, Exercise.kind, Exercise.data).where(
            Exercise.lesson_id == lesson.id, visibility.live(Exercise)
        )
    ).all()
    unplayable = unplayable_exercises(rows)
    exercise_ids = [row.id for row in rows if row.id not in unplayable]
    if not exercise_ids:
        return None
    attempts = latest_attempts(user, exercise_ids)
    return 100.0 * sum(1 for a in attempts.values() if a.correct) / len(exercise_ids)


def _update_progress(user: User, lesson: Lesson, progress: LessonProgress) -> tuple[bool, bool]:
    course = db.session.get(Course, lesson.course_id)
    score = lesson_score(user, lesson)
    progress.score = score
    lesson_done = False
    if progress.completed_at is None and score is not None and score >= course.pass_threshold:
        progress.completed_at = utcnow()
        progress.status = EnrollmentStatus.COMPLETED
        lesson_done = True
        study_vocabulary(user, lesson)  # a passed lesson's words go to review
    db.session.flush()
    course_done = lesson_done and _complete_course_if_done(user, course)
    return lesson_done, course_done


def _complete_course_if_done(user: User, course: Course) -> bool:
    lesson_ids = list(db.session.scalars(live_lessons(course.id).with_only_columns(Lesson.id)))
    done = db.session.scalar(
        select(func.count(LessonProgress.id)).where(
            LessonProgress.user_id == user.id,
            LessonProgress.lesson_id.in_(lesson_ids),
            LessonProgress.completed_at.is_not(None),
        )
    )
    if not lesson_ids or done < len(lesson_ids):
        return False
    enrollment = enroll(user, course.id)
    if enrollment.completed_at is not None:
        return False
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = utcnow()
    from app.learn.certificates import issue_certificate

    issue_certificate(user, course)
    return True


def complete_lesson_without_exercises(user: User, lesson: Lesson) -> bool:
    """A lesson with no exercises is done once read; returns True if it completed now."""
    progress = start_lesson(user, lesson)
    if lesson_score(user, lesson) is not None or progress.completed_at is not None:
        return False
    progress.completed_at = utcnow()
    progress.status = EnrollmentStatus.COMPLETED
    db.session.flush()
    _complete_course_if_done(user, db.session.get(Course, lesson.course_id))
    enrolment_progress.refresh(user.id, lesson.course_id)
    return True
