"""One person's report for HR: their courses and lessons, first-try scores, review activity,
study time and last activity (a few queries, whatever the person's history)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, func, select

from app import first_try, policy
from app.extensions import db
from app.hr.training import scores
from app.hr.training.assignments import status_expr
from app.hr.training.recall import card_recall
from app.models import (
    Attempt,
    Card,
    Course,
    Enrollment,
    EnrollmentStatus,
    Item,
    ItemKind,
    Lesson,
    LessonProgress,
    ReviewLog,
    StudyTime,
    User,
    utcnow,
)
from app.visibility import published


def _flag(condition):
    return case((condition, 1), else_=0)


@dataclass(frozen=True)
class LessonLine:
    title: str
    status: str | None
    score: float | None
    completed_at: datetime | None
    #: share of the lesson's exercises right at the first attempt (None: none answered)
    first_try: float | None = None


@dataclass(frozen=True)
class CourseLine:
    enrollment: Enrollment
    course: Course
    status: str
    lessons_total: int
    lessons_done: int
    average_score: float | None
    lessons: list[LessonLine]
    first_try: float | None = None
    answered: int = 0
    seconds: int = 0


@dataclass(frozen=True)
class PersonReport:
    courses: list[CourseLine]
    reviews_7d: int
    reviews_30d: int
    reviews_total: int
    last_review_at: datetime | None
    words_learned: int
    recall: float
    attempts: int
    attempts_correct: int
    last_active_at: datetime | None
    #: exercises answered and answered right at the first attempt, in all courses
    first_answered: int = 0
    first_right: int = 0
    #: study time in all (heartbeat), seconds
    study_seconds: int = 0

    @property
    def first_try(self) -> float | None:
        return scores.share(self.first_right, self.first_answered)


def person_report(actor: User, person: User, now: datetime | None = None) -> PersonReport:
    """One person's courses, lessons, scores, review activity and last activity."""
    policy.check_person(actor, person)
    now = now or utcnow()
    status = status_expr(now)
    enrollments = db.session.execute(
        select(Enrollment, Course, status)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.user_id == person.id)
        .order_by(Enrollment.due_at.is_(None), Enrollment.due_at, Course.title)
    ).all()
    course_ids = [c.id for _e, c, _s in enrollments]
    per_lesson = first_try.first_try_by_lesson(person.id)
    lessons = db.session.execute(
        select(Lesson, LessonProgress, per_lesson.c.answered, per_lesson.c.right)
        .outerjoin(
            LessonProgress,
            and_(LessonProgress.lesson_id == Lesson.id, LessonProgress.user_id == person.id),
        )
        .outerjoin(per_lesson, per_lesson.c.lesson_id == Lesson.id)
        .where(
            Lesson.course_id.in_(course_ids),
            published(Lesson),
        )
        .order_by(Lesson.course_id, Lesson.position)
    ).all()
    by_course: dict[int, list[LessonLine]] = defaultdict(list)
    first_by_course: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for lesson, progress, answered, right in lessons:
        by_course[lesson.course_id].append(
            LessonLine(
                lesson.title,
                progress.status if progress else None,
                progress.score if progress else None,
                progress.completed_at if progress else None,
                scores.share(right, answered),
            )
        )
        first_by_course[lesson.course_id][0] += int(answered or 0)
        first_by_course[lesson.course_id][1] += int(right or 0)
    seconds_by_course: dict[int | None, int] = {
        course_id: int(seconds or 0)
        for course_id, seconds in db.session.execute(
            select(StudyTime.course_id, func.sum(StudyTime.seconds))
            .where(StudyTime.user_id == person.id)
            .group_by(StudyTime.course_id)
        )
    }
    lines = []
    for enrollment, course, st in enrollments:
        course_lessons = by_course.get(course.id, [])
        lesson_scores = [line.score for line in course_lessons if line.score is not None]
        answered, right = first_by_course.get(course.id, (0, 0))
        lines.append(
            CourseLine(
                enrollment=enrollment,
                course=course,
                status=st,
                lessons_total=len(course_lessons),
                lessons_done=sum(
                    1 for line in course_lessons if line.status == EnrollmentStatus.COMPLETED
                ),
                average_score=sum(lesson_scores) / len(lesson_scores) if lesson_scores else None,
                lessons=course_lessons,
                first_try=scores.share(right, answered),
                answered=answered,
                seconds=int(seconds_by_course.get(course.id) or 0),
            )
        )
    live = ReviewLog.undone.is_(False)
    r7, r30, total, last_review = db.session.execute(
        select(
            func.sum(_flag(ReviewLog.reviewed_at >= now - timedelta(days=7))),
            func.sum(_flag(ReviewLog.reviewed_at >= now - timedelta(days=30))),
            func.count(ReviewLog.id),
            func.max(ReviewLog.reviewed_at),
        ).where(ReviewLog.user_id == person.id, live)
    ).one()
    per_word = (
        select(Card.item_id, func.max(card_recall(now, person.fsrs_decay)).label("recall"))
        .where(Card.user_id == person.id, Card.last_review.is_not(None))
        .group_by(Card.item_id)
        .subquery()
    )
    words, recall_sum = db.session.execute(
        select(func.count(), func.sum(per_word.c.recall))
        .select_from(per_word)
        .join(Item, Item.id == per_word.c.item_id)
        .where(Item.kind == ItemKind.WORD)
    ).one()
    attempts, correct, last_attempt = db.session.execute(
        select(
            func.count(Attempt.id), func.sum(_flag(Attempt.correct)), func.max(Attempt.created_at)
        ).where(Attempt.user_id == person.id)
    ).one()
    last_review = _aware(last_review)
    last_attempt = _aware(last_attempt)
    moments = [m for m in (person.last_seen_at, last_review, last_attempt) if m is not None]
    return PersonReport(
        courses=lines,
        reviews_7d=int(r7 or 0),
        reviews_30d=int(r30 or 0),
        reviews_total=int(total or 0),
        last_review_at=last_review,
        words_learned=int(words or 0),
        recall=float(recall_sum or 0.0) / words if words else 0.0,
        attempts=int(attempts or 0),
        attempts_correct=int(correct or 0),
        last_active_at=max(moments) if moments else None,
        first_answered=sum(a for a, _r in first_by_course.values()),
        first_right=sum(r for _a, r in first_by_course.values()),
        study_seconds=int(sum(v or 0 for v in seconds_by_course.values())),
    )


def _aware(value: datetime | str | None) -> datetime | None:
    """An aggregate over a UTC column, made timezone-aware whatever the driver returned."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
