"""Answers recorded exactly once, offline answers dated when given, and undo."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app import srs
from app.extensions import db
from app.models import Card, ReviewLog, User
from app.review.deck import (
    LIVE,
    ReviewError,
    card_state,
    dialect,
    own_card,
    parameters_of,
    with_content,
)
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
    #: the answer's log: the row read back for a duplicate; for a new answer its columns as
    #: written (a plain namespace: an ORM object costs more to make than the answer's SQL)
    log: ReviewLog | SimpleNamespace
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


def _snapshot(card) -> dict[str, Any]:
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


def _card_statement():
    """A learner's card with its word's liveness, as plain columns (built once)."""
    return with_content(select(*Card.__table__.c, LIVE.label("live")).select_from(Card)).where(
        Card.id == bindparam("card_id"), Card.user_id == bindparam("user_id")
    )


_CARD = _card_statement()


_INSERT_LOG = {
    name: module.insert(ReviewLog.__table__)
    .on_conflict_do_nothing(index_elements=["review_id"])
    .returning(ReviewLog.__table__.c.id)
    for name, module in (("postgresql", postgresql), ("sqlite", sqlite))
}


def _insert_log(values: dict) -> int | None:
    """INSERT the log unless its review id is taken (ON CONFLICT DO NOTHING); its id or None."""
    return db.session.execute(_INSERT_LOG[dialect()], values).scalar()


def _refused(user: User, review_id: str, card_id: int, rating: int, code: str) -> Answered:
    """A refusal, unless this very answer was recorded before (a retry): then its log."""
    existing = _log_by_review_id(review_id)
    if existing is not None:
        return _replay(user, existing, card_id, rating)
    raise ReviewError(code)


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

    No unit of work: read the card, compute its new schedule, then write. On PostgreSQL the
    write is one statement (`_RECORD`): lock the card if its version is still the one read,
    INSERT the log from that lock (ON CONFLICT DO NOTHING on the review id) and UPDATE the card
    only if the log went in; a statement is atomic, so it needs no transaction around it. Of
    two concurrent answers the second waits on the row lock, then finds the version changed
    and writes nothing; its review id then tells a retry (the first answer's log) from a
    stale answer. Elsewhere (SQLite, whose writers are serialised): INSERT the log, then the
    conditional UPDATE; on ReviewError the caller rolls back, taking back the log of an answer
    that lost the race.
    """
    review_id = canonical_review_id(review_id)
    if rating not in (1, 2, 3, 4):
        raise ReviewError("bad_request")
    # Core statements run on the session's connection: no ORM execution path to pay for
    card = db.session.connection().execute(_CARD, {"card_id": card_id, "user_id": user.id}).first()
    if card is None:
        return _refused(user, review_id, card_id, rating, "not_found")
    if card.suspended or not card.live:
        return _refused(user, review_id, card_id, rating, "not_reviewable")
    if (version is not None and version != card.version) or (
        version is None and card.due > now + srs_queue.LEARN_AHEAD
    ):
        return _refused(user, review_id, card_id, rating, "stale")
    if card.last_review is not None and now < card.last_review:
        now = card.last_review  # an offline answer's clock never goes back before the last one
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    outcome = srs.review(
        card_state(card), rating, now, desired_retention=user.desired_retention,
        duration_ms=duration_ms, parameters=parameters_of(user),
    )  # fmt: skip
    after = outcome.card
    values = {
        "review_id": review_id,
        "card_id": card.id,
        "user_id": user.id,
        "rating": rating,
        "reviewed_at": outcome.reviewed_at,
        "state_before": outcome.state_before,
        "was_new": outcome.was_new,
        "elapsed_days": outcome.elapsed_days,
        "duration_ms": duration_ms,
        "stability_after": after.stability,
        "difficulty_after": after.difficulty,
        "due_after": after.due,
        "card_before": _snapshot(card),
        "undone": False,
    }
    params = {f"new_{name}": getattr(after, name) for name in _NEW}
    params.update(card_id=card.id, shown_version=card.version)
    if dialect() == "postgresql":
        params.update({f"log_{name}": value for name, value in values.items()}, owner_id=user.id)
        log_id = db.session.connection().execute(_RECORD, params).scalar()
        if log_id is None:
            # the card changed since it was read, or this review id is taken: which one?
            return _refused(user, review_id, card_id, rating, "stale")
    else:
        log_id = _insert_log(values)
        if log_id is None:
            # this review id is recorded already (a retry, or a concurrent twin that won)
            return _refused(user, review_id, card_id, rating, "reused")
        if db.session.execute(_UPDATE_CARD, params).scalar() is None:
            raise ReviewError("stale")  # another answer changed the card since we read it
    _forget_cached(Card, card.id)
    return Answered(log=SimpleNamespace(id=log_id, **values), duplicate=False)


def _update_card_statement():
    """The card's new schedule, only if its version is still the one read (built once)."""
    cards = Card.__table__
    values = {name: bindparam(f"new_{name}", type_=cards.c[name].type) for name in _NEW}
    return (
        update(cards)
        .where(cards.c.id == bindparam("card_id"), cards.c.version == bindparam("shown_version"))
        .values(**values, is_new=False, buried_until=None, version=cards.c.version + 1)
        .returning(cards.c.version)
    )


#: the columns an answer reschedules
_NEW = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses", "leech")
_UPDATE_CARD = _update_card_statement()

#: the columns of an answer's log, all given
_LOG = ("review_id", "card_id", "user_id", "rating", "reviewed_at", "state_before", "was_new",
        "elapsed_days", "duration_ms", "stability_after", "difficulty_after", "due_after",
        "card_before", "undone")  # fmt: skip


def _record_statement():
    """PostgreSQL: the whole answer in one atomic statement (built once), the log's id or NULL.

    `locked` takes the card's row lock only while its version is the one read (a concurrent
    writer's change is seen after the wait: READ COMMITTED re-checks a locked row); the log is
    inserted from it, and the card updated from the inserted log, so either both are written
    or neither. No bound name is a column of `cards`: an UPDATE would take it as one more
    column to set."""
    cards, logs = Card.__table__, ReviewLog.__table__
    locked = (
        select(cards.c.id)
        .where(
            cards.c.id == bindparam("card_id"),
            cards.c.user_id == bindparam("owner_id"),
            cards.c.version == bindparam("shown_version"),
        )
        .with_for_update()
        .cte("locked")
    )
    inserted = (
        postgresql.insert(logs)
        .from_select(
            list(_LOG),
            select(
                *(bindparam(f"log_{name}", type_=logs.c[name].type) for name in _LOG)
            ).select_from(locked),
        )
        .on_conflict_do_nothing(index_elements=["review_id"])
        .returning(logs.c.id)
        .cte("inserted")
    )
    updated = _update_card_statement().where(exists(select(inserted.c.id))).cte("updated")
    return select(inserted.c.id).where(exists(select(updated.c.version)))


_RECORD = _record_statement()


def _forget_cached(model, ident: int) -> None:
    """Expire a row this session may hold, after a statement changed it behind the ORM."""
    # the identity key made by hand: `Session.identity_key` inspects the mapper every call
    cached = db.session.identity_map.get((model, (ident,), None))
    if cached is not None:
        db.session.expire(cached)


@dataclass(frozen=True)
class Undoable:
    """The day's last answer, which can still be taken back."""

    review_id: str


def last_undoable(user: User, now: datetime) -> Undoable | None:
    """The learner's latest answer of the study day, if its card has not changed since."""
    from app.review.daily_queue import progress

    review_id = progress(user, now).undoable
    return Undoable(review_id) if review_id else None


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
