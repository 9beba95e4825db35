"""What learners find hard in a course: items they lapse on, exercises they get wrong."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.author.drafts import get_course
from app.extensions import db
from app.models import Attempt, Card, Item, Lesson, User
from app.models import Exercise as ExerciseRow


@dataclass(frozen=True)
class HardItem:
    hanzi: str
    pinyin: str
    ru: str
    lesson: str
    lapses: int
    cards: int
    #: FSRS difficulty (1 easy – 10 hard) averaged over the cards learners have reviewed
    difficulty: float | None = None
    #: cards that became leeches
    leeches: int = 0


@dataclass(frozen=True)
class HardExercise:
    key: str
    kind: str
    lesson: str
    wrong: int
    total: int

    @property
    def percent_wrong(self) -> int:
        return round(100 * self.wrong / self.total) if self.total else 0


def hardest(
    actor: User, slug: str, lesson_slug: str | None = None, limit: int = 20
) -> tuple[list[HardItem], list[HardExercise]]:
    """The items learners lapse on most and the exercises they answer wrong most (aggregates)."""
    course = get_course(actor, slug)
    lesson_filter = [Lesson.course_id == course.id]
    if lesson_slug:
        lesson_filter.append(Lesson.slug == lesson_slug)
    lapses = func.sum(Card.lapses)
    items = db.session.execute(
        select(
            Item.hanzi,
            Item.pinyin,
            Item.ru,
            Lesson.title,
            lapses,
            func.count(Card.id),
            func.avg(Card.difficulty),
            func.sum(case((Card.leech.is_(True), 1), else_=0)),
        )  # fmt: skip
        .join(Card, Card.item_id == Item.id)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(*lesson_filter)
        .group_by(Item.id, Item.hanzi, Item.pinyin, Item.ru, Lesson.title)
        .having(lapses > 0)
        .order_by(lapses.desc(), func.avg(Card.difficulty).desc(), Item.hanzi)
        .limit(limit)
    ).all()
    wrong = func.sum(case((Attempt.correct.is_(False), 1), else_=0))
    exercises = db.session.execute(
        select(ExerciseRow.key, ExerciseRow.kind, Lesson.title, wrong, func.count(Attempt.id))
        .join(Attempt, Attempt.exercise_id == ExerciseRow.id)
        .join(Lesson, Lesson.id == ExerciseRow.lesson_id)
        .where(*lesson_filter)
        .group_by(ExerciseRow.id, ExerciseRow.key, ExerciseRow.kind, Lesson.title)
        .having(wrong > 0)
        .order_by(wrong.desc(), ExerciseRow.key)
        .limit(limit)
    ).all()
    return (
        [
            HardItem(h, p, r, lt, int(n), int(c), float(d) if d is not None else None, int(x or 0))
            for h, p, r, lt, n, c, d, x in items
        ],
        [HardExercise(k, kd, lt, int(w), int(t)) for k, kd, lt, w, t in exercises],
    )
