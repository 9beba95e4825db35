"""My study activity: the dashboard (what to do today), streak, minutes, my statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from app import visibility
from app.extensions import db
from app.learn.courses import CourseRow, catalogue
from app.learn.goals import answering_ms
from app.learn.lessons import lesson_rows, progress_of
from app.models import Attempt, Card, Course, Enrollment, Exercise, Lesson, ReviewLog, User, utcnow


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
    return round(answering_ms(user, monday) / 60000)


def dashboard(user: User) -> Dashboard:
    """What to do today: due reviews, each course's next lesson, deadlines, streak, time."""
    now = utcnow()
    from app.review.daily_queue import due_count

    due = due_count(user, now)
    rows = db.session.execute(
        select(Enrollment, Course)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.user_id == user.id, visibility.live(Course))
    ).all()
    course_ids = [course.id for _, course in rows]
    lessons = db.session.scalars(
        select(Lesson)
        .where(
            Lesson.course_id.in_(course_ids),
            visibility.published(Lesson),
        )
        .order_by(Lesson.course_id, Lesson.position)
    ).all()
    progress = progress_of(user, [lesson.id for lesson in lessons])
    by_course: dict[int, list[Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_course[lesson.course_id].append(lesson)
    courses = []
    for enrollment, course in rows:
        page_rows = lesson_rows(by_course[course.id], progress)
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
