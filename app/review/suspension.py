"""Taking a card out of the queue: suspend, resume, bury until the next study day."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update

from app import srs
from app.extensions import db
from app.models import Card, User
from app.review.deck import own_card


def _bump(card_id: int, **values: Any) -> None:
    db.session.execute(
        update(Card)
        .where(Card.id == card_id)
        .values(**values, version=Card.version + 1)
        .execution_options(synchronize_session=False)
    )


def suspend(user: User, card_id: int) -> Card:
    """Take a card out of the queue until the learner resumes it (its history stays)."""
    card = own_card(user, card_id)
    _bump(card.id, suspended=True)
    db.session.expire(card)
    return card


def resume(user: User, card_id: int) -> Card:
    """Put a suspended card back into the queue."""
    card = own_card(user, card_id)
    _bump(card.id, suspended=False)
    db.session.expire(card)
    return card


def bury(user: User, card_id: int, now: datetime) -> Card:
    """Hide a card until the next study day begins (04:00 in the learner's time zone)."""
    card = own_card(user, card_id)
    _start, end = srs.today_bounds(now, srs.zone(user.timezone))
    _bump(card.id, buried_until=end)
    db.session.expire(card)
    return card
