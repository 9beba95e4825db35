"""First-try scores: what a learner got right the first time, unaffected by retries.

A lesson's first-try score is the share of its live exercises whose EARLIEST stored attempt by
the learner was correct. Exercises never answered count as not right, so the score only reaches
100 % when every exercise was answered right at the first go. Retries still complete a lesson
(the completion score is the latest answer); this is the honest figure shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import visibility
from app.extensions import db
from app.first_try import first_attempts
from app.models import Attempt, Exercise


@dataclass(frozen=True)
class FirstTry:
    """A learner's first tries on one lesson."""

    right: int
    answered: int
    total: int

    @classmethod
    def of(cls, tries: dict[int, bool], total: int) -> FirstTry:
        """From `first_tries` over a lesson's `total` live exercises."""
        return cls(sum(1 for correct in tries.values() if correct), len(tries), total)

    @property
    def percent(self) -> int | None:
        """0–100, or None for a lesson without exercises."""
        return round(100 * self.right / self.total) if self.total else None


def first_tries(user_id: int, exercise_ids: list[int]) -> dict[int, bool]:
    """Exercise id → was my earliest stored attempt on it correct (answered exercises only)."""
    if not exercise_ids:
        return {}
    first = first_attempts(Attempt.user_id == user_id, Attempt.exercise_id.in_(exercise_ids))
    return dict(
        db.session.execute(
            select(Attempt.exercise_id, Attempt.correct).join(
                first, Attempt.id == first.c.attempt_id
            )
        ).all()
    )


def lesson_first_try(user_id: int, lesson_id: int) -> FirstTry:
    """My first-try score on one lesson's live exercises (two queries)."""
    exercise_ids = list(
        db.session.scalars(
            select(Exercise.id).where(Exercise.lesson_id == lesson_id, visibility.live(Exercise))
        )
    )
    return FirstTry.of(first_tries(user_id, exercise_ids), len(exercise_ids))
