"""Answers recorded exactly once, offline answers dated when given, and undo."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import srs
from app.extensions import db
from app.models import Card, ReviewLog, User
from app.review.deck import ReviewError, card_state, own_card, parameters_of
from app.srs import queue as srs_queue

#: the longest answer time kept (a tab left open over lunch is not a 40-minute review)
MAX_DURATION_MS = 10 * 60 * 1000


#: how old an answer recorded offline may be and still count at the time it was given
OFFLINE_WINDOW = timedelta(days=3)


def answered_at(given: datetime | None, now: datetime) -> datetime:
    """When an answer counts: the time it was given offline, if plausible; else now."""
    if given is None or not (now - OFFLINE_WINDOW <= given <= now):
        return now
    return given


@dataclass(frozen=True)
class Answered:
    log: ReviewLog
    #: True when this review id had been recorded before: nothing was changed this time
    duplicate: bool


def canonical_review_id(value: object) -> str:
    """The canonical form of a client's review id (a UUID); ReviewError for anything else."""
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise ReviewError("bad_request") from None


def _log_by_review_id(review_id: str) -> ReviewLog | None:
    return db.session.execute(
        select(ReviewLog)
        .where(ReviewLog.review_id == review_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _replay(user: User, log: ReviewLog, card_id: int, rating: int) -> Answered:
    if log.user_id != user.id or log.card_id != card_id or log.rating != rating:
        raise ReviewError("reused")
    return Answered(log=log, duplicate=True)


def _snapshot(card: Card) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "state": card.state,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": iso(card.due),
        "last_review": iso(card.last_review),
        "reps": card.reps,
        "lapses": card.lapses,
        "is_new": card.is_new,
        "leech": card.leech,
        "version": card.version,
    }


def answer(
    user: User,
    *,
    card_id: int,
    rating: int,
    review_id: str,
    duration_ms: int | None,
    now: datetime,
    version: int | None = None,
) -> Answered:
    """Record one answer exactly once and reschedule the card.

    The same `review_id` sent again (double click, retry, second tab) returns the first
    answer's log and changes nothing. An answer for a card that changed since it was shown
    (`version` differs, or without a version: the card is no longer due) is refused as stale.
    The card is updated with a conditional UPDATE on its version, so of two concurrent answers
    exactly one wins; the loser finds the winner's log (same review id) or is stale.
    """
    review_id = canonical_review_id(review_id)
    if rating not in (1, 2, 3, 4):
        raise ReviewError("bad_request")
    existing = _log_by_review_id(review_id)
    if existing is not None:
        return _replay(user, existing, card_id, rating)
    card = own_card(user, card_id, reviewable=True)
    if version is not None and version != card.version:
        raise ReviewError("stale")
    if version is None and card.due > now + srs_queue.LEARN_AHEAD:
        raise ReviewError("stale")
    if card.last_review is not None and now < card.last_review:
        now = card.last_review  # an offline answer's clock never goes back before the last one
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    outcome = srs.review(
        card_state(card), rating, now, desired_retention=user.desired_retention,
        duration_ms=duration_ms, parameters=parameters_of(user),
    )  # fmt: skip
    after = outcome.card
    before = _snapshot(card)
    result = db.session.execute(
        update(Card)
        .where(Card.id == card.id, Card.version == card.version)
        .values(
            state=after.state,
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=after.last_review,
            reps=after.reps,
            lapses=after.lapses,
            is_new=False,
            leech=after.leech,
            buried_until=None,
            version=Card.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        # Another request changed the card since we read it; if it was this very answer
        # (same review id), report that one.
        existing = _log_by_review_id(review_id)
        if existing is not None:
            return _replay(user, existing, card_id, rating)
        raise ReviewError("stale")
    log = ReviewLog(
        review_id=review_id,
        card_id=card.id,
        user_id=user.id,
        rating=rating,
        reviewed_at=outcome.reviewed_at,
        state_before=outcome.state_before,
        was_new=outcome.was_new,
        elapsed_days=outcome.elapsed_days,
        duration_ms=duration_ms,
        stability_after=after.stability,
        difficulty_after=after.difficulty,
        due_after=after.due,
        card_before=before,
    )
    db.session.add(log)
    try:
        db.session.flush()
    except IntegrityError:
        # the same review id was recorded concurrently for another card: the caller rolls back
        raise ReviewError("reused") from None
    db.session.expire(card)
    return Answered(log=log, duplicate=False)


def last_undoable(user: User, now: datetime) -> ReviewLog | None:
    """The learner's latest answer of the study day, if its card has not changed since."""
    start, _end = srs.today_bounds(now, srs.zone(user.timezone))
    row = db.session.execute(
        select(ReviewLog, Card.version)
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= start)
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    log, version = row
    if log.undone or not log.card_before or version != log.card_before["version"] + 1:
        return None
    return log


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def undo(user: User, review_id: str) -> Card:
    """Take back an answer: the card returns to its state before it; the log is kept, marked.

    Idempotent: undoing an answer already undone changes nothing. Refused (stale) when the card
    has been answered or changed again since.
    """
    review_id = canonical_review_id(review_id)
    log = _log_by_review_id(review_id)
    if log is None or log.user_id != user.id:
        raise ReviewError("not_found")
    card = own_card(user, log.card_id)
    if log.undone:
        return card
    before = log.card_before or {}
    if "version" not in before:
        raise ReviewError("stale")
    result = db.session.execute(
        update(Card)
        .where(Card.id == card.id, Card.version == before["version"] + 1)
        .values(
            state=before["state"],
            step=before["step"],
            stability=before["stability"],
            difficulty=before["difficulty"],
            due=_parse(before["due"]),
            last_review=_parse(before["last_review"]),
            reps=before["reps"],
            lapses=before["lapses"],
            is_new=before["is_new"],
            leech=before["leech"],
            version=Card.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        if (log := _log_by_review_id(review_id)) is not None and log.undone:
            return own_card(user, log.card_id)
        raise ReviewError("stale")
    db.session.execute(
        update(ReviewLog)
        .where(ReviewLog.id == log.id)
        .values(undone=True)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(log)
    return own_card(user, card.id)
