"""Trainers' view of the content."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Item, ItemKind, Lesson


@dataclass(frozen=True)
class CourseRow:
    course: Course
    lessons: int
    words: int


def course_overview() -> list[CourseRow]:
    """Every course with its number of lessons and vocabulary items (two aggregate queries)."""
    courses = db.session.scalars(select(Course).order_by(Course.title)).all()
    lessons = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.retired_at.is_(None))
            .group_by(Lesson.course_id)
        ).all()
    )
    words = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Item.id))
            .join(Item, Item.lesson_id == Lesson.id)
            .where(Item.kind == ItemKind.WORD, Item.retired_at.is_(None))
            .group_by(Lesson.course_id)
        ).all()
    )
    return [CourseRow(c, lessons.get(c.id, 0), words.get(c.id, 0)) for c in courses]
