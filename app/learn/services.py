"""The learner's side: catalogue, enrolment, lessons, answers, progress and the dashboard.

Every function takes the learner explicitly and only ever returns what that learner may see:
published, live content of courses visible to their company, and their own attempts.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden, NotFound

from app import visibility
from app.audio.clips import clip_keys, unplayable_exercises
from app.exercises import AnswerError, Verdict, get_kind
from app.extensions import db
from app.learn.glossary import vocabulary_glossary
from app.learn.scores import FirstTry, first_tries
from app.models import (
    Attempt,
    Card,
    Course,
    Dialogue,
    Enrollment,
    EnrollmentStatus,
    Exercise,
    Item,
    ItemKind,
    Lesson,
    LessonProgress,
    ReviewLog,
    User,
    utcnow,
)

# --------------------------------------------------------------------------- visibility


def visible_courses(user: User) -> Select:
    """Published, live courses that the user's company may see."""
    return visibility.company_courses(user.company_id)


def _live_lessons(course_id: int) -> Select:
    return (
        select(Lesson)
        .where(
            Lesson.course_id == course_id,
            Lesson.published.is_(True),
            Lesson.retired_at.is_(None),
        )
        .order_by(Lesson.position)
    )


def get_course(user: User, course_id: int) -> Course:
    """A course the user may see; 404 otherwise (another company's private course included)."""
    course = db.session.scalar(visible_courses(user).where(Course.id == course_id))
    if course is None:
        raise NotFound()
    return course


def get_lesson(user: User, lesson_id: int) -> Lesson:
    """A published, live lesson of a course the user may see; 404 otherwise."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not lesson.published or lesson.retired_at is not None:
        raise NotFound()
    get_course(user, lesson.course_id)
    return lesson


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class CourseRow:
    course: Course
    lessons: int
    words: int
    completed: int
    enrollment: Enrollment | None

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.lessons) if self.lessons else 0


def catalogue(user: User) -> list[CourseRow]:
    """Courses visible to my company with their length and my progress (four queries)."""
    courses = db.session.scalars(visible_courses(user).order_by(Course.kind, Course.title)).all()
    ids = [c.id for c in courses]
    live = and_(Lesson.published.is_(True), Lesson.retired_at.is_(None))
    lessons = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.course_id.in_(ids), live)
            .group_by(Lesson.course_id)
        ).all()
    )
    words = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Item.id))
            .join(Item, Item.lesson_id == Lesson.id)
            .where(
                Lesson.course_id.in_(ids),
                live,
                Item.kind == ItemKind.WORD,
                Item.retired_at.is_(None),
            )
            .group_by(Lesson.course_id)
        ).all()
    )
    done = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(
                LessonProgress.user_id == user.id,
                LessonProgress.completed_at.is_not(None),
                Lesson.course_id.in_(ids),
                live,
            )
            .group_by(Lesson.course_id)
        ).all()
    )
    enrollments = {
        e.course_id: e
        for e in db.session.scalars(
            select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id.in_(ids))
        )
    }
    return [
        CourseRow(
            c, lessons.get(c.id, 0), words.get(c.id, 0), done.get(c.id, 0), enrollments.get(c.id)
        )
        for c in courses
    ]


def enroll(user: User, course_id: int) -> Enrollment:
    """Enrol myself in a visible course (idempotent)."""
    course = get_course(user, course_id)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    if enrollment is None:
        enrollment = Enrollment(user_id=user.id, course_id=course.id)
        db.session.add(enrollment)
        db.session.flush()
    return enrollment


# --------------------------------------------------------------------------- course page


class LessonState:
    LOCKED = "locked"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    state: str
    score: float | None
    is_next: bool


@dataclass(frozen=True)
class CoursePage:
    course: Course
    enrollment: Enrollment | None
    lessons: list[LessonRow]

    @property
    def completed(self) -> int:
        return sum(1 for row in self.lessons if row.state == LessonState.DONE)

    @property
    def next_lesson(self) -> Lesson | None:
        return next((row.lesson for row in self.lessons if row.is_next), None)


def _lesson_rows(lessons: list[Lesson], progress: dict[int, LessonProgress]) -> list[LessonRow]:
    """Lesson states: a lesson unlocks when the one before it is done."""
    rows = []
    previous_done = True
    next_found = False
    for lesson in lessons:
        p = progress.get(lesson.id)
        if p is not None and p.completed_at is not None:
            state = LessonState.DONE
        elif not previous_done:
            state = LessonState.LOCKED
        elif p is not None:
            state = LessonState.IN_PROGRESS
        else:
            state = LessonState.NOT_STARTED
        is_next = not next_found and state in (LessonState.NOT_STARTED, LessonState.IN_PROGRESS)
        next_found = next_found or is_next
        rows.append(LessonRow(lesson, state, p.score if p else None, is_next))
        previous_done = state == LessonState.DONE
    return rows


def _progress(user: User, lesson_ids: list[int]) -> dict[int, LessonProgress]:
    return {
        p.lesson_id: p
        for p in db.session.scalars(
            select(LessonProgress).where(
                LessonProgress.user_id == user.id, LessonProgress.lesson_id.in_(lesson_ids)
            )
        )
    }


def course_page(user: User, course: Course) -> CoursePage:
    lessons = list(db.session.scalars(_live_lessons(course.id)))
    progress = _progress(user, [lesson.id for lesson in lessons])
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    return CoursePage(course, enrollment, _lesson_rows(lessons, progress))


class LessonLocked(Forbidden):
    """The lesson opens only after the one before it is done (answers, study, reading)."""


def lesson_locked(user: User, lesson: Lesson) -> bool:
    """True while an earlier live lesson of the course is not completed by `user`."""
    lessons = list(db.session.scalars(_live_lessons(lesson.course_id)))
    progress = _progress(user, [row.id for row in lessons])
    row = next((r for r in _lesson_rows(lessons, progress) if r.lesson.id == lesson.id), None)
    return row is not None and row.state == LessonState.LOCKED


def get_open_lesson(user: User, lesson_id: int) -> Lesson:
    """A lesson the user may work on now: 404 if not visible, LessonLocked (403) if locked."""
    lesson = get_lesson(user, lesson_id)
    if lesson_locked(user, lesson):
        raise LessonLocked()
    return lesson


def open_lesson(user: User, lesson_id: int) -> Lesson | None:
    """Open a lesson for study: None while it is locked; else the lesson, with my progress and
    enrolment recorded (the caller commits, then builds the page with `lesson_page`)."""
    lesson = get_lesson(user, lesson_id)
    lessons = list(db.session.scalars(_live_lessons(lesson.course_id)))
    progress = _progress(user, [row.id for row in lessons])
    row = next(r for r in _lesson_rows(lessons, progress) if r.lesson.id == lesson.id)
    if row.state == LessonState.LOCKED:
        return None
    mine = progress.get(lesson.id)
    if mine is None or mine.status == EnrollmentStatus.NOT_STARTED:
        start_lesson(user, lesson)
    return lesson


# --------------------------------------------------------------------------- lesson page


@dataclass(frozen=True)
class ExerciseView:
    exercise: Exercise
    view: dict[str, Any]
    #: the learner's latest attempt, if any, with its verdict
    last: Attempt | None
    verdict: Verdict | None
    submission_id: str
    #: False for a listening exercise whose clip has not passed verification: not offered
    available: bool = True


@dataclass
class LessonPage:
    lesson: Lesson
    course: Course
    words: list[Item]
    dialogues: list[tuple[Dialogue, list[Item]]]
    grammar: list[dict[str, Any]]
    exercises: list[ExerciseView]
    progress: LessonProgress | None
    next_lesson: Lesson | None
    #: hanzi → (pinyin, Russian) of the courses' words, for tap-a-word glosses
    glossary: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: text → the audio clips that exist for it (app.audio.clips.clip_keys)
    audio_keys: dict[str, Any] = field(default_factory=dict)
    summary: LessonSummary | None = None

    @property
    def passed(self) -> int:
        return sum(
            1 for e in self.exercises if e.available and e.verdict is not None and e.verdict.correct
        )

    @property
    def offered(self) -> int:
        """Exercises the learner can do (listening ones need a verified clip)."""
        return sum(1 for e in self.exercises if e.available)


@dataclass(frozen=True)
class LessonSummary:
    """Where I stand in a lesson: the score line and the results at its end."""

    lesson: Lesson
    progress: LessonProgress | None
    words: list[Item]
    first_try: FirstTry
    #: exercises whose latest answer is right (what completes the lesson)
    passed: int
    total: int
    pass_threshold: int
    next_lesson: Lesson | None

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def all_answered(self) -> bool:
        return self.total > 0 and self.first_try.answered == self.total


def lesson_summary(user: User, lesson: Lesson, progress: LessonProgress | None) -> LessonSummary:
    """My results on a lesson, after an answer (a fixed number of queries)."""
    course = db.session.get(Course, lesson.course_id)
    words = db.session.scalars(
        select(Item)
        .where(Item.lesson_id == lesson.id, Item.kind == ItemKind.WORD, Item.retired_at.is_(None))
        .order_by(Item.position)
    ).all()
    rows = db.session.execute(
        select(Exercise.id, Exercise.kind, Exercise.data).where(
            Exercise.lesson_id == lesson.id, Exercise.retired_at.is_(None)
        )
    ).all()
    # a listening exercise without a verified clip is not offered and does not count
    unplayable = unplayable_exercises((r.id, r.kind, r.data) for r in rows)
    exercise_ids = [r.id for r in rows if r.id not in unplayable]
    latest = _latest_attempts(user, exercise_ids)
    next_lesson = db.session.scalar(
        _live_lessons(course.id).where(Lesson.position > lesson.position).limit(1)
    )
    return _summary(lesson, course, progress, list(words), exercise_ids, latest, user, next_lesson)


def _summary(
    lesson: Lesson,
    course: Course,
    progress: LessonProgress | None,
    words: list[Item],
    exercise_ids: list[int],
    latest: dict[int, Attempt],
    user: User,
    next_lesson: Lesson | None,
) -> LessonSummary:
    return LessonSummary(
        lesson=lesson,
        progress=progress,
        words=words,
        first_try=FirstTry.of(first_tries(user.id, exercise_ids), len(exercise_ids)),
        passed=sum(1 for a in latest.values() if a.correct),
        total=len(exercise_ids),
        pass_threshold=course.pass_threshold,
        next_lesson=next_lesson,
    )


def _seed(user: User, exercise: Exercise) -> int:
    return user.id * 7919 + exercise.id


def _latest_attempts(user: User, exercise_ids: list[int]) -> dict[int, Attempt]:
    latest = (
        select(func.max(Attempt.id))
        .where(Attempt.user_id == user.id, Attempt.exercise_id.in_(exercise_ids))
        .group_by(Attempt.exercise_id)
    )
    return {
        a.exercise_id: a for a in db.session.scalars(select(Attempt).where(Attempt.id.in_(latest)))
    }


_UNSET: Any = object()


def lesson_page(
    user: User,
    lesson: Lesson,
    *,
    progress: LessonProgress | None = _UNSET,
    next_lesson: Lesson | None = _UNSET,
) -> LessonPage:
    """Everything the lesson page shows, in a fixed number of queries.

    `progress` and `next_lesson` may be given when the caller has them already.
    """
    course = db.session.get(Course, lesson.course_id)
    items = db.session.scalars(
        select(Item)
        .where(Item.lesson_id == lesson.id, Item.retired_at.is_(None))
        .order_by(Item.position)
    ).all()
    dialogues = db.session.scalars(
        select(Dialogue)
        .where(Dialogue.lesson_id == lesson.id, Dialogue.retired_at.is_(None))
        .order_by(Dialogue.position)
    ).all()
    exercises = db.session.scalars(
        select(Exercise)
        .where(Exercise.lesson_id == lesson.id, Exercise.retired_at.is_(None))
        .order_by(Exercise.position)
    ).all()
    attempts = _latest_attempts(user, [e.id for e in exercises])
    if progress is _UNSET:
        progress = _progress(user, [lesson.id]).get(lesson.id)
    glossary = vocabulary_glossary(course.id)
    lines: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        if item.kind == ItemKind.LINE and item.dialogue_id is not None:
            lines[item.dialogue_id].append(item)
    by_key = {item.key: item for item in items}
    grammar = [
        {**note, "examples": [by_key[k] for k in note.get("examples", []) if k in by_key]}
        for note in lesson.grammar
    ]
    views = []
    unplayable = unplayable_exercises((e.id, e.kind, e.data) for e in exercises)
    for exercise in exercises:
        kind = get_kind(exercise.kind)
        last = attempts.get(exercise.id)
        verdict = _stored_verdict(kind, exercise, last) if last is not None else None
        views.append(
            ExerciseView(
                exercise,
                kind.render(exercise.data, seed=_seed(user, exercise)),
                last,
                verdict,
                str(uuid.uuid4()),
                exercise.id not in unplayable,
            )
        )
    if next_lesson is _UNSET:
        next_lesson = db.session.scalar(
            _live_lessons(course.id).where(Lesson.position > lesson.position).limit(1)
        )
    texts = {item.hanzi for item in items}
    for exercise in exercises:
        texts.update(get_kind(exercise.kind).speech(exercise.data))
    words = [i for i in items if i.kind == ItemKind.WORD]
    return LessonPage(
        lesson=lesson,
        course=course,
        words=words,
        dialogues=[(d, lines[d.id]) for d in dialogues],
        grammar=grammar,
        exercises=views,
        progress=progress,
        next_lesson=next_lesson,
        glossary=glossary,
        audio_keys=clip_keys(sorted(texts)),
        summary=_summary(
            lesson,
            course,
            progress,
            words,
            [e.id for e in exercises if e.id not in unplayable],
            attempts,
            user,
            next_lesson,
        ),
    )


def _stored_verdict(kind, exercise: Exercise, attempt: Attempt) -> Verdict:
    """The verdict of a stored answer. One stored before answers were bounded (a megabyte of
    pinyin) is not checked again on every page view: its recorded result is shown instead."""
    try:
        answer = kind.parse_answer(exercise.data, attempt.answer)
    except AnswerError:
        shape = kind.check(exercise.data, None)
        return Verdict(
            correct=attempt.correct,
            score=attempt.score if attempt.score is not None else float(attempt.correct),
            feedback="correct" if attempt.correct else "wrong",
            right_answer=shape.right_answer,
            explanation=shape.explanation,
        )
    return kind.check(exercise.data, answer)


def start_lesson(user: User, lesson: Lesson) -> LessonProgress:
    """Record that I opened a lesson: progress row, enrolment, enrolment started."""
    progress = _progress(user, [lesson.id]).get(lesson.id)
    if progress is None:
        progress = LessonProgress(
            user_id=user.id, lesson_id=lesson.id, status=EnrollmentStatus.IN_PROGRESS
        )
        db.session.add(progress)
    enrollment = enroll(user, lesson.course_id)
    if enrollment.status == EnrollmentStatus.NOT_STARTED:
        enrollment.status = EnrollmentStatus.IN_PROGRESS
        enrollment.started_at = utcnow()
    db.session.flush()
    return progress


def study_vocabulary(user: User, lesson: Lesson) -> int:
    """I have studied the lesson's words: they become my review cards (idempotent).

    Returns the number of cards created now.
    """
    from app.review import deck

    progress = start_lesson(user, lesson)
    words = db.session.scalars(
        select(Item).where(
            Item.lesson_id == lesson.id, Item.kind == ItemKind.WORD, Item.retired_at.is_(None)
        )
    ).all()
    created = deck.ensure_cards(user, words)
    if progress.vocabulary_studied_at is None:
        progress.vocabulary_studied_at = utcnow()
    db.session.flush()
    return created


# --------------------------------------------------------------------------- answers


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
    user: User, exercise_id: int, answer: Any, submission_id: str, duration_ms: int | None = None
) -> AnswerResult:
    """Check and store an answer once: a repeated `submission_id` returns the first result.

    Raises NotFound for an exercise the user may not see, LessonLocked while its lesson is
    locked and AnswerError for an answer of the wrong shape or size (nothing is stored).
    """
    exercise, lesson = _exercise_for(user, exercise_id)
    kind = get_kind(exercise.kind)
    answer = kind.parse_answer(exercise.data, answer)
    existing = db.session.scalar(select(Attempt).where(Attempt.submission_id == submission_id))
    if existing is not None:
        if existing.user_id != user.id or existing.exercise_id != exercise.id:
            raise NotFound()
        progress = start_lesson(user, lesson)
        return AnswerResult(
            existing, _stored_verdict(kind, exercise, existing), progress, False, False
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
            existing, _stored_verdict(kind, exercise, existing), progress, False, False
        )
    progress = start_lesson(user, lesson)
    lesson_done, course_done = _update_progress(user, lesson, progress)
    return AnswerResult(attempt, verdict, progress, lesson_done, course_done)


def lesson_score(user: User, lesson: Lesson) -> float | None:
    """Share (0–100) of the lesson's live exercises whose latest answer is right.

    A listening exercise whose clip has not passed verification is not offered, so it does not
    count either.
    """
    rows = db.session.execute(
        select(Exercise.id, Exercise.kind, Exercise.data).where(
            Exercise.lesson_id == lesson.id, Exercise.retired_at.is_(None)
        )
    ).all()
    unplayable = unplayable_exercises(rows)
    exercise_ids = [row.id for row in rows if row.id not in unplayable]
    if not exercise_ids:
        return None
    attempts = _latest_attempts(user, exercise_ids)
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
    lesson_ids = list(db.session.scalars(_live_lessons(course.id).with_only_columns(Lesson.id)))
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
    return True


# --------------------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class Dashboard:
    due_cards: int
    #: (enrollment, course, next lesson or None), overdue first, then by due date
    courses: list[tuple[Enrollment, Course, Lesson | None]]
    streak: int
    minutes_this_week: int
    continue_lesson: Lesson | None
    #: whether the continue lesson was opened before («Continue») or not («Start»)
    continue_started: bool = False
    #: whether the learner has any review cards at all (a new hire has none)
    has_cards: bool = False


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def activity_days(user: User, since: datetime) -> set:
    """Days (in the user's time zone) with an answer or a review since `since`."""
    tz = ZoneInfo(user.timezone)
    moments = (
        db.session.scalars(
            select(Attempt.created_at).where(
                Attempt.user_id == user.id, Attempt.created_at >= since
            )
        ).all()
        + db.session.scalars(
            select(ReviewLog.reviewed_at).where(
                ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= since
            )
        ).all()
    )
    return {_local_day(m, tz) for m in moments}


def streak(user: User, now: datetime | None = None) -> int:
    """Consecutive days with study up to today (or yesterday, if today has none yet)."""
    now = now or utcnow()
    tz = ZoneInfo(user.timezone)
    days = activity_days(user, now - timedelta(days=366))
    day = _local_day(now, tz)
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def minutes_this_week(user: User, now: datetime | None = None) -> int:
    """Minutes of answers and reviews since Monday (the user's time zone)."""
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(user.timezone))
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    ms = (
        db.session.scalar(
            select(func.coalesce(func.sum(Attempt.duration_ms), 0)).where(
                Attempt.user_id == user.id, Attempt.created_at >= monday
            )
        )
        or 0
    ) + (
        db.session.scalar(
            select(func.coalesce(func.sum(ReviewLog.duration_ms), 0)).where(
                ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= monday
            )
        )
        or 0
    )
    return round(ms / 60000)


def dashboard(user: User) -> Dashboard:
    """What to do today: due reviews, each course's next lesson, deadlines, streak, time."""
    now = utcnow()
    from app.review.daily_queue import due_count

    due = due_count(user, now)
    rows = db.session.execute(
        select(Enrollment, Course)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.user_id == user.id, Course.retired_at.is_(None))
    ).all()
    course_ids = [course.id for _, course in rows]
    lessons = db.session.scalars(
        select(Lesson)
        .where(
            Lesson.course_id.in_(course_ids),
            Lesson.published.is_(True),
            Lesson.retired_at.is_(None),
        )
        .order_by(Lesson.course_id, Lesson.position)
    ).all()
    progress = _progress(user, [lesson.id for lesson in lessons])
    by_course: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_course[lesson.course_id].append(lesson)
    courses = []
    for enrollment, course in rows:
        page_rows = _lesson_rows(by_course[course.id], progress)
        next_lesson = next((r.lesson for r in page_rows if r.is_next), None)
        courses.append((enrollment, course, next_lesson))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    courses.sort(
        key=lambda row: (
            row[0].completed_at is not None,
            row[0].due_at is None,
            row[0].due_at or far,
            row[1].title,
        )
    )
    touched = max(progress.values(), key=lambda p: p.updated_at, default=None)
    continue_lesson = None
    if touched is not None and touched.completed_at is None:
        continue_lesson = next(lesson for lesson in lessons if lesson.id == touched.lesson_id)
    elif courses:
        continue_lesson = next((n for e, _, n in courses if n and e.completed_at is None), None)
    has_cards = (due or 0) > 0 or db.session.scalar(
        select(Card.id).where(Card.user_id == user.id).limit(1)
    ) is not None
    return Dashboard(
        due_cards=due or 0,
        courses=courses,
        streak=streak(user, now),
        minutes_this_week=minutes_this_week(user, now),
        continue_lesson=continue_lesson,
        continue_started=continue_lesson is not None and continue_lesson.id in progress,
        has_cards=has_cards,
    )


# --------------------------------------------------------------------------- preferences


PINYIN_MODES = ("on", "off", "above")


def set_display(
    user: User, *, pinyin_mode: str, show_palladius: bool, tone_sandhi: bool, hsk_level: int | None
) -> None:
    """Remember how I like Chinese shown."""
    if pinyin_mode not in PINYIN_MODES:
        raise ValueError(pinyin_mode)
    user.pinyin_mode = pinyin_mode
    user.show_palladius = show_palladius
    user.tone_sandhi = tone_sandhi
    user.hsk_level = hsk_level if hsk_level and 1 <= hsk_level <= 7 else None


# --------------------------------------------------------------------------- my statistics


@dataclass(frozen=True)
class MyStats:
    courses: list[CourseRow]
    #: kind → (right, total)
    accuracy: dict[str, tuple[int, int]]
    minutes_total: int
    minutes_week: int
    streak: int


def my_stats(user: User) -> MyStats:
    accuracy = {
        kind: (int(right or 0), int(total))
        for kind, right, total in db.session.execute(
            select(
                Exercise.kind, func.sum(case((Attempt.correct, 1), else_=0)), func.count(Attempt.id)
            )
            .join(Exercise, Exercise.id == Attempt.exercise_id)
            .where(Attempt.user_id == user.id)
            .group_by(Exercise.kind)
        )
    }
    ms = (
        db.session.scalar(
            select(func.coalesce(func.sum(Attempt.duration_ms), 0)).where(
                Attempt.user_id == user.id
            )
        )
        or 0
    ) + (
        db.session.scalar(
            select(func.coalesce(func.sum(ReviewLog.duration_ms), 0)).where(
                ReviewLog.user_id == user.id
            )
        )
        or 0
    )
    return MyStats(
        courses=[row for row in catalogue(user) if row.enrollment is not None],
        accuracy=accuracy,
        minutes_total=round(ms / 60000),
        minutes_week=minutes_this_week(user),
        streak=streak(user),
    )
