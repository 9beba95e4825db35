"""The recommended path: which course to take next, phonetics first for beginners.

`order()` is pure (tested directly); `recommended()` gathers the learner's courses for it.
A beginner is a learner who has not told us an HSK level above 1: they hear and read every
later word through pinyin and tones, so the phonetics course comes before everything else,
deadlines included (it is short). Then come assigned courses by due date, courses already
started, and the courses not started yet (language before etiquette).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Course, CourseKind, Enrollment, EnrollmentStatus, User

PHONETICS = "phonetics_first"
ASSIGNED = "assigned"
STARTED = "started"
NEXT = "next"


@dataclass(frozen=True)
class CourseInfo:
    course_id: int
    slug: str
    kind: str
    title: str
    enrolled: bool = False
    started: bool = False
    completed: bool = False
    assigned: bool = False
    due_at: datetime | None = None


@dataclass(frozen=True)
class Step:
    info: CourseInfo
    reason: str


def is_beginner(hsk_level: int | None) -> bool:
    return hsk_level is None or hsk_level <= 1


def order(
    courses: list[CourseInfo], *, beginner: bool, phonetics_slug: str, limit: int = 3
) -> list[Step]:
    """The next courses to take, best first, each with why."""
    open_ = [c for c in courses if not c.completed]
    steps: list[Step] = []
    if beginner:
        steps += [Step(c, PHONETICS) for c in open_ if c.slug == phonetics_slug]
    taken = {s.info.course_id for s in steps}
    assigned = sorted(
        (c for c in open_ if c.assigned and c.course_id not in taken),
        key=lambda c: (c.due_at is None, c.due_at or datetime.max, c.title),
    )
    steps += [Step(c, ASSIGNED) for c in assigned]
    taken |= {c.course_id for c in assigned}
    started = sorted(
        (c for c in open_ if c.enrolled and c.course_id not in taken), key=lambda c: c.title
    )
    steps += [Step(c, STARTED) for c in started]
    taken |= {c.course_id for c in started}
    rest = sorted(
        (c for c in open_ if c.course_id not in taken),
        key=lambda c: (
            c.slug != phonetics_slug if beginner else False,
            c.kind != CourseKind.LANGUAGE,
            c.title,
        ),
    )
    steps += [Step(c, NEXT) for c in rest]
    return steps[:limit]


def recommended(user: User, visible, limit: int = 3) -> list[tuple[Step, Course]]:
    """The learner's next courses among `visible` (a select of the courses they may see)."""
    courses = {c.id: c for c in db.session.scalars(visible)}
    enrollments = {
        e.course_id: e
        for e in db.session.scalars(
            select(Enrollment).where(
                Enrollment.user_id == user.id, Enrollment.course_id.in_(list(courses))
            )
        )
    }
    infos = []
    for course in courses.values():
        e = enrollments.get(course.id)
        infos.append(
            CourseInfo(
                course_id=course.id,
                slug=course.slug,
                kind=course.kind,
                title=course.title,
                enrolled=e is not None,
                started=e is not None and e.status != EnrollmentStatus.NOT_STARTED,
                completed=e is not None and e.status == EnrollmentStatus.COMPLETED,
                assigned=e is not None and e.assignment_id is not None,
                due_at=e.due_at if e is not None else None,
            )
        )
    slug = current_app.config.get("QIAO_PHONETICS_COURSE", "phonetics")
    steps = order(infos, beginner=is_beginner(user.hsk_level), phonetics_slug=slug, limit=limit)
    return [(step, courses[step.info.course_id]) for step in steps]
