"""The learner's side: what to do today."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, Course, Enrollment, User, utcnow


@dataclass(frozen=True)
class Dashboard:
    due_cards: int
    enrollments: list[tuple[Enrollment, Course]]


def dashboard(user: User) -> Dashboard:
    """Due reviews and my courses, assigned ones with the nearest due date first."""
    due = db.session.scalar(
        select(func.count(Card.id)).where(
            Card.user_id == user.id, Card.suspended.is_(False), Card.due <= utcnow()
        )
    )
    rows = db.session.execute(
        select(Enrollment, Course)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.user_id == user.id)
        .order_by(Enrollment.due_at.is_(None), Enrollment.due_at, Course.title)
    ).all()
    return Dashboard(due_cards=due or 0, enrollments=[(e, c) for e, c in rows])
