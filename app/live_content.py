"""Queries on course content that several areas share: lessons and words per course (one
aggregate query each; the caller says which count) and a lesson's live items."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select

from app import visibility
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


def live_items(lesson_id: int) -> list[Item]:
    """A lesson's live items in their order."""
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.lesson_id == lesson_id, visibility.live(Item))
            .order_by(Item.position)
        )
    )
