"""Lessons and words per course, one aggregate query each (the trainer's and the learner's
course lists); the caller says which lessons and items count."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select

from app.extensions import db
from app.models import Item, ItemKind, Lesson


def _per_course(stmt: Select, conditions: tuple[ColumnElement[bool], ...]) -> dict[int, int]:
    return dict(db.session.execute(stmt.where(*conditions).group_by(Lesson.course_id)).all())


def lessons_per_course(*conditions: ColumnElement[bool]) -> dict[int, int]:
    """Course id → its lessons that meet `conditions`."""
    return _per_course(select(Lesson.course_id, func.count(Lesson.id)), conditions)


def words_per_course(*conditions: ColumnElement[bool]) -> dict[int, int]:
    """Course id → its vocabulary items that meet `conditions` (on the item or its lesson)."""
    stmt = (
        select(Lesson.course_id, func.count(Item.id))
        .join(Item, Item.lesson_id == Lesson.id)
        .where(Item.kind == ItemKind.WORD)
    )
    return _per_course(stmt, conditions)
