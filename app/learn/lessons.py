"""Lesson order: a course's lessons and their state, which lesson is open, starting a lesson."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from werkzeug.exceptions import Forbidden, NotFound

from app import visibility
from app.extensions import db
from app.learn.courses import enroll, get_lesson, live_lessons
from app.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
    Item,
    ItemKind,
    Lesson,
    LessonProgress,
    User,
    utcnow,
)


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


def lesson_rows(lessons: list[Lesson], progress: dict[int, LessonProgress]) -> list[LessonRow]:
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


#: my progress on the lessons `:ids`, `:user_id` (built once: every lesson page asks)
_MY_PROGRESS = select(LessonProgress).where(
    LessonProgress.user_id == bindparam("user_id"),
    LessonProgress.lesson_id.in_(bindparam("ids", expanding=True)),
)
#: the live lessons of the course of lesson `:lesson_id`, in their order, with the course if
#: company `:company_id` may see it (visible_courses) and my progress on each, `:user_id`
_OPENING = (
    select(Lesson, Course, LessonProgress)
    .join(Course, Course.id == Lesson.course_id)
    .outerjoin(
        LessonProgress,
        and_(
            LessonProgress.lesson_id == Lesson.id,
            LessonProgress.user_id == bindparam("user_id"),
        ),
    )
    .where(
        Lesson.course_id
        == select(Lesson.course_id).where(Lesson.id == bindparam("lesson_id")).scalar_subquery(),
        visibility.published(Lesson),
        visibility.published(Course),
        visibility.company_sees(bindparam("company_id")),
    )
    .order_by(Lesson.position)
)


def progress_of(user: User, lesson_ids: list[int]) -> dict[int, LessonProgress]:
    if not lesson_ids:
        return {}
    rows = db.session.scalars(_MY_PROGRESS, {"user_id": user.id, "ids": list(lesson_ids)})
    return {p.lesson_id: p for p in rows}


def course_page(user: User, course: Course) -> CoursePage:
    lessons = list(db.session.scalars(live_lessons(course.id)))
    progress = progress_of(user, [lesson.id for lesson in lessons])
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.course_id == course.id)
    )
    return CoursePage(course, enrollment, lesson_rows(lessons, progress))


class LessonLocked(Forbidden):
    """The lesson opens only after the one before it is done (answers, study, reading)."""


def lesson_locked(user: User, lesson: Lesson) -> bool:
    """True while an earlier live lesson of the course is not completed by `user`."""
    lessons = list(db.session.scalars(live_lessons(lesson.course_id)))
    progress = progress_of(user, [row.id for row in lessons])
    row = next((r for r in lesson_rows(lessons, progress) if r.lesson.id == lesson.id), None)
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
    return opened_lesson(user, lesson_id)[0]


def opened_lesson(user: User, lesson_id: int) -> tuple[Lesson | None, bool]:
    """`open_lesson`, and whether opening it recorded anything (the first visit): on later
    visits the caller has nothing to commit, and a commit would only expire what it holds."""
    opened = open_for_page(user, lesson_id)
    return opened.lesson, opened.recorded


@dataclass(frozen=True)
class OpenedLesson:
    """A lesson opened for its page: None while locked; on a later visit (nothing recorded)
    also my progress and the next lesson, which the page would otherwise query again."""

    lesson: Lesson | None
    recorded: bool = False
    known: bool = False
    progress: LessonProgress | None = None
    next_lesson: Lesson | None = None


def open_for_page(user: User, lesson_id: int) -> OpenedLesson:
    # one query: the live lessons of the lesson's course with my progress, the lesson among
    # them — 404 if it is not published or retired, or its course is not one I may see, as
    # get_lesson says
    rows = db.session.execute(
        _OPENING, {"lesson_id": lesson_id, "user_id": user.id, "company_id": user.company_id}
    ).all()
    lessons = [row[0] for row in rows]
    lesson = next((row for row in lessons if row.id == lesson_id), None)
    if lesson is None:
        raise NotFound()
    progress = {mine.lesson_id: mine for _, _, mine in rows if mine is not None}
    row = next(r for r in lesson_rows(lessons, progress) if r.lesson.id == lesson.id)
    if row.state == LessonState.LOCKED:
        return OpenedLesson(None)
    mine = progress.get(lesson.id)
    if mine is None or mine.status == EnrollmentStatus.NOT_STARTED:
        start_lesson(user, lesson)
        return OpenedLesson(lesson, recorded=True)
    later = (other for other in lessons if other.position > lesson.position)
    return OpenedLesson(lesson, known=True, progress=mine, next_lesson=next(later, None))


def start_lesson(user: User, lesson: Lesson) -> LessonProgress:
    """Record that I opened a lesson: progress row, enrolment, enrolment started."""
    progress = progress_of(user, [lesson.id]).get(lesson.id)
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
            Item.lesson_id == lesson.id, Item.kind == ItemKind.WORD, visibility.live(Item)
        )
    ).all()
    created = deck.ensure_cards(user, words)
    if progress.vocabulary_studied_at is None:
        progress.vocabulary_studied_at = utcnow()
    db.session.flush()
    return created
