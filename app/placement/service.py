"""The placement test for a learner: sittings with a server-side deadline, the result, and
marking the lessons before the recommended start as known (their words become review cards;
the lessons count as done, with `placed_at` set, and no certificate comes of it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app import enrolment_progress
from app.content.curriculum import load_grammar
from app.extensions import db
from app.learn.courses import live_lessons, visible_courses
from app.models import Course, EnrollmentStatus, Lesson, PlacementAttempt, User, utcnow
from app.placement import questions

#: answers that arrive this long after the deadline still count (the page sends them itself
#: when the timer runs out; the network may take a moment)
GRACE = timedelta(seconds=30)
#: the course files' folder (placement.yaml, grammar.yaml); config COURSES_DIR overrides it,
#: as an installed wheel carries no course files
COURSES_DIR = Path(__file__).resolve().parents[2] / "courses"


class PlacementError(Exception):
    """A request the placement test refuses; the message is shown to the learner."""


def courses_dir() -> Path:
    return Path(current_app.config.get("COURSES_DIR") or COURSES_DIR)


def available() -> bool:
    """Whether the placement file is there and valid."""
    try:
        test()
    except ValueError:
        return False
    return True


def test() -> questions.PlacementFile:
    """The placement test (ValueError if its file is missing or broken)."""
    return questions.shipped(courses_dir() / "placement.yaml")


def path_slugs() -> list[str]:
    """The courses of the learning path, in order (courses/grammar.yaml)."""
    grammar, _issues = load_grammar(courses_dir() / "grammar.yaml")
    return list(grammar.path) if grammar else []


def open_attempt(user: User, now: datetime | None = None) -> PlacementAttempt | None:
    """My sitting in progress (not finished, deadline with grace not passed), if any."""
    now = now or utcnow()
    attempt = db.session.scalar(
        select(PlacementAttempt)
        .where(PlacementAttempt.user_id == user.id, PlacementAttempt.finished_at.is_(None))
        .order_by(PlacementAttempt.id.desc())
        .limit(1)
    )
    if attempt is None or now > attempt.deadline + GRACE:
        return None
    return attempt


def start(user: User, now: datetime | None = None) -> PlacementAttempt:
    """Begin a sitting (or go on with the one in progress); the caller commits."""
    now = now or utcnow()
    attempt = open_attempt(user, now)
    if attempt is not None:
        return attempt
    attempt = PlacementAttempt(
        user_id=user.id,
        started_at=now,
        deadline=now + timedelta(minutes=test().minutes),
        answers={},
        bands={},
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def submit(
    user: User, attempt_id: int, answers: dict[str, str], now: datetime | None = None
) -> PlacementAttempt:
    """Grade my sitting; after the deadline (and the grace) nothing counts and it expires."""
    now = now or utcnow()
    attempt = db.session.get(PlacementAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise PlacementError("no such sitting")
    if attempt.finished_at is not None:
        raise PlacementError("finished")
    attempt.finished_at = now
    if now > attempt.deadline + GRACE:
        attempt.expired = True
        db.session.flush()
        return attempt
    valid = {q.key: set(q.options) for q in test().questions}
    kept = {k: v for k, v in answers.items() if k in valid and v in valid[k]}
    result = questions.score(test(), kept)
    attempt.answers = kept
    attempt.bands = {k: list(v) for k, v in result.bands.items()}
    attempt.start = result.start
    db.session.flush()
    return attempt


def latest_result(user: User) -> PlacementAttempt | None:
    """My last graded sitting."""
    return db.session.scalar(
        select(PlacementAttempt)
        .where(
            PlacementAttempt.user_id == user.id,
            PlacementAttempt.finished_at.is_not(None),
            PlacementAttempt.expired.is_(False),
        )
        .order_by(PlacementAttempt.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class PathLesson:
    course: Course
    lesson: Lesson

    @property
    def ref(self) -> str:
        return f"{self.course.slug}/{self.lesson.slug}"


def path_lessons(user: User) -> list[PathLesson]:
    """The live lessons of the path's courses that I may see, in path order."""
    slugs = path_slugs()
    courses = {
        c.slug: c for c in db.session.scalars(visible_courses(user).where(Course.slug.in_(slugs)))
    }
    out = []
    for slug in slugs:
        if slug in courses:
            course = courses[slug]
            lessons = db.session.scalars(live_lessons(course.id))
            out += [PathLesson(course, lesson) for lesson in lessons]
    return out


def recommended(
    user: User, attempt: PlacementAttempt
) -> tuple[PathLesson | None, list[PathLesson]]:
    """The lesson to start at (None if I may see none of the path) and the lessons before it."""
    lessons = path_lessons(user)
    index = next((i for i, row in enumerate(lessons) if row.ref == attempt.start), None)
    if index is None:
        return (lessons[0] if lessons else None), []
    return lessons[index], lessons[:index]


def mark_known(user: User) -> tuple[int, int]:
    """Mark the lessons before my recommended start as known: each gets my review cards for its
    words and counts as done. Returns (lessons marked now, cards created)."""
    from app.learn.lessons import start_lesson, study_vocabulary

    attempt = latest_result(user)
    if attempt is None:
        raise PlacementError("no result")
    _start, before = recommended(user, attempt)
    marked = cards = 0
    now = utcnow()
    for row in before:
        progress = start_lesson(user, row.lesson)
        if progress.completed_at is not None:
            continue
        cards += study_vocabulary(user, row.lesson)
        progress.completed_at = now
        progress.placed_at = now
        progress.status = EnrollmentStatus.COMPLETED
        marked += 1
    db.session.flush()
    for course_id in {row.lesson.course_id for row in before}:
        enrolment_progress.refresh(user.id, course_id)
    return marked, cards
