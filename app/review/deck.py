"""A learner's review cards: creating them, reading one, and the joins every review query shares.

Every function takes the learner explicitly and touches only that learner's cards. Functions
flush and never commit: the route or the CLI commits once. Scheduling itself is `app.srs`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from app import srs, visibility
from app.extensions import db
from app.models import Card, Course, Item, ItemKind, Lesson, User, utcnow
from app.srs import directions as srs_directions
from app.srs.scheduling import LEARNING


class ReviewError(Exception):
    """An answer, undo or card action that cannot be done; `code` says why.

    not_found: no such card (or not the learner's); stale: the card changed since it was shown;
    not_reviewable: suspended, buried or retired; reused: the review id belongs to another
    answer; bad_request: malformed input.
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def dialect() -> str:
    return db.session.get_bind().dialect.name


#: a card whose word, lesson and course are all live; retiring any of them suspends the card
LIVE = visibility.live_path(Item, Lesson, Course)


def with_content(stmt):
    return (
        stmt.join(Item, Item.id == Card.item_id)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
    )


def ensure_cards(user: User, items: Iterable[Item]) -> int:
    """Give `user` a card per sensible direction for each live word in `items`; idempotent.

    Returns the number of cards created. Safe against a concurrent call for the same learner
    (INSERT … ON CONFLICT DO NOTHING on the user × item × direction constraint). Within a call,
    cards are created direction by direction (recognition first), the order new cards appear.
    """
    words = [i for i in items if i.kind == ItemKind.WORD and i.retired_at is None]
    rows = []
    now = utcnow()
    for direction in srs_directions.ORDER:
        for item in words:
            wanted = srs_directions.directions_for(
                item.hanzi, item.pinyin, item.ru, writing=user.review_writing, passive=item.passive
            )
            if direction in wanted:
                rows.append(
                    {
                        "user_id": user.id,
                        "item_id": item.id,
                        "direction": direction,
                        "state": LEARNING,
                        "due": now,
                        "created_at": now,
                    }
                )
    if not rows:
        return 0
    insert = postgresql.insert if dialect() == "postgresql" else sqlite.insert
    created = 0
    for start in range(0, len(rows), 500):
        stmt = (
            insert(Card)
            .values(rows[start : start + 500])
            .on_conflict_do_nothing()
            .returning(Card.id)
        )
        created += len(db.session.execute(stmt).all())
    return created


def in_use(user: User) -> ColumnElement[bool]:
    """The learner's cards in the directions they review: writing cards only while they chose
    writing (switched off, the cards and their history wait unchanged)."""
    if user.review_writing:
        return true()
    return Card.direction != srs_directions.WRITING


def ensure_writing_cards(user: User) -> int:
    """A writing card for every word the learner already reviews (when they switch writing
    on); idempotent. One query for the words, then `ensure_cards`."""
    words = db.session.scalars(
        select(Item).where(Item.id.in_(select(Card.item_id).where(Card.user_id == user.id)))
    ).all()
    return ensure_cards(user, words)


def own_card(user: User, card_id: int, *, reviewable: bool = False) -> Card:
    """One of the learner's cards, read afresh; with `reviewable`, refuse one out of the queue."""
    row = db.session.execute(
        with_content(select(Card, Item, LIVE.label("live")))
        .where(Card.id == card_id, Card.user_id == user.id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise ReviewError("not_found")
    if reviewable and (row.Card.suspended or not row.live):
        raise ReviewError("not_reviewable")
    return row.Card


def parameters_of(user: User) -> tuple[float, ...] | None:
    """The FSRS parameters the learner's cards are scheduled with: their own fit, else the
    zone's (both set by app/review/fitting.py); None for the published defaults. Read from the
    user row, so the answer path costs no query."""
    params = user.fsrs_parameters
    return tuple(params) if params else None


def card_state(card: Card) -> srs.CardState:
    return srs.CardState(
        card_id=card.id,
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
        is_new=card.is_new,
        leech=card.leech,
    )


def my_cards(user: User, *, which: str) -> list[tuple[Card, Item]]:
    """The learner's suspended cards (`which="suspended"`) or leeches (`which="leech"`)."""
    cond = Card.suspended == true() if which == "suspended" else Card.leech == true()
    return [
        (card, item)
        for card, item in db.session.execute(
            select(Card, Item)
            .join(Item, Item.id == Card.item_id)
            .where(Card.user_id == user.id, cond)
            .order_by(Item.hanzi, Card.direction)
            .limit(500)
        ).all()
    ]
