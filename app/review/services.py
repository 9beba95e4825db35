"""Review: a learner's cards, the daily queue, answers recorded exactly once, statistics.

Every function takes the learner explicitly and touches only that learner's cards. Functions
flush and never commit: the route or the CLI commits once. Scheduling itself is `app.srs`.

Cost: the queue and an answer issue a handful of indexed queries whatever the number of cards on
the platform (`ix_cards_queue` walks one learner's live cards in due order; the day's progress
comes from `ix_review_logs_user_time`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app import policy, srs
from app.extensions import db
from app.models import Card, Course, Item, ItemKind, Lesson, ReviewLog, Role, User, utcnow
from app.srs import directions as srs_directions
from app.srs import queue as srs_queue
from app.srs import stats as srs_stats
from app.srs.scheduling import LEARNING, RELEARNING, REVIEW

#: directions whose answer is typed and checked
TYPED = frozenset({srs_directions.PINYIN, srs_directions.RECALL})
#: the longest answer time kept (a tab left open over lunch is not a 40-minute review)
MAX_DURATION_MS = 10 * 60 * 1000


class ReviewError(Exception):
    """An answer, undo or card action that cannot be done; `code` says why.

    not_found: no such card (or not the learner's); stale: the card changed since it was shown;
    not_reviewable: suspended, buried or retired; reused: the review id belongs to another
    answer; bad_request: malformed input.
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --------------------------------------------------------------------------- SQL helpers


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _days_since(column, now: datetime):
    """Days from `column` to `now` as an SQL expression (fractional)."""
    if _dialect() == "sqlite":
        return literal(now.timestamp() / 86400 + 2440587.5) - func.julianday(column)
    return (literal(now.timestamp()) - func.extract("epoch", column)) / 86400


def _epoch_hour(column):
    """Whole hours since the Unix epoch of a timestamp, for grouping by hour in SQL."""
    if _dialect() == "sqlite":
        return cast(func.strftime("%s", column), Integer) / 3600
    return cast(func.floor(func.extract("epoch", column) / 3600), Integer)


#: a card whose word, lesson and course are all live; retiring any of them suspends the card
_LIVE = and_(Item.retired_at.is_(None), Lesson.retired_at.is_(None), Course.retired_at.is_(None))


def _with_content(stmt):
    return (
        stmt.join(Item, Item.id == Card.item_id)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
    )


def _not_buried(now: datetime):
    return or_(Card.buried_until.is_(None), Card.buried_until <= now)


def _queue(user: User, now: datetime, *, new: bool):
    """A learner's live, unsuspended, unburied cards, new or not (columns still to add)."""
    return _with_content(select().select_from(Card)).where(
        Card.user_id == user.id,
        Card.is_new == (true() if new else false()),
        Card.suspended == false(),
        _not_buried(now),
        _LIVE,
    )


# --------------------------------------------------------------------------- cards


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
            if direction in srs_directions.directions_for(item.hanzi, item.pinyin, item.ru):
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
    insert = postgresql.insert if _dialect() == "postgresql" else sqlite.insert
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


def _own_card(user: User, card_id: int, *, reviewable: bool = False) -> Card:
    """One of the learner's cards, read afresh; with `reviewable`, refuse one out of the queue."""
    row = db.session.execute(
        _with_content(select(Card, Item, _LIVE.label("live")))
        .where(Card.id == card_id, Card.user_id == user.id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise ReviewError("not_found")
    if reviewable and (row.Card.suspended or not row.live):
        raise ReviewError("not_reviewable")
    return row.Card


def _bump(card_id: int, **values: Any) -> None:
    db.session.execute(
        update(Card)
        .where(Card.id == card_id)
        .values(**values, version=Card.version + 1)
        .execution_options(synchronize_session=False)
    )


def suspend(user: User, card_id: int) -> Card:
    """Take a card out of the queue until the learner resumes it (its history stays)."""
    card = _own_card(user, card_id)
    _bump(card.id, suspended=True)
    db.session.expire(card)
    return card


def resume(user: User, card_id: int) -> Card:
    """Put a suspended card back into the queue."""
    card = _own_card(user, card_id)
    _bump(card.id, suspended=False)
    db.session.expire(card)
    return card


def bury(user: User, card_id: int, now: datetime) -> Card:
    """Hide a card until the next study day begins (04:00 in the learner's time zone)."""
    card = _own_card(user, card_id)
    _start, end = srs.today_bounds(now, srs.zone(user.timezone))
    _bump(card.id, buried_until=end)
    db.session.expire(card)
    return card


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


# --------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class Progress:
    """What the learner did in the current study day."""

    reviews_done: int
    new_done: int
    last_item_id: int | None


@dataclass(frozen=True)
class Counts:
    """What is left in the day's queue."""

    #: cards in learning steps due now
    learning: int
    #: reviews due now that the day still allows (capped)
    review: int
    #: new cards still to introduce today
    new: int
    backlog: bool
    #: reviews due now, counted up to the day's cap + 1 (enough to tell a backlog)
    reviews_due: int

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new


@dataclass(frozen=True)
class Shown:
    """A card to show: the card, its word, the interval of each rating, its audio clip."""

    card: Card
    item: Item
    intervals: dict[int, timedelta]
    audio_key: str | None

    @property
    def typed(self) -> bool:
        return self.card.direction in TYPED


def settings_of(user: User) -> srs.QueueSettings:
    return srs.QueueSettings(new_per_day=user.daily_new_limit)


def progress(user: User, now: datetime) -> Progress:
    """Reviews and new cards answered in the current study day, and the last word seen (1 query)."""
    start, _end = srs.today_bounds(now, srs.zone(user.timezone))
    last_item = (
        select(Card.item_id)
        .join(ReviewLog, ReviewLog.card_id == Card.id)
        .where(ReviewLog.user_id == user.id)
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    today = and_(
        ReviewLog.user_id == user.id,
        ReviewLog.reviewed_at >= start,
        ReviewLog.undone == false(),
    )
    reviews = (
        select(func.count(ReviewLog.id))
        .where(today, ReviewLog.state_before == REVIEW, ReviewLog.was_new == false())
        .scalar_subquery()
    )
    new = (
        select(func.count(ReviewLog.id)).where(today, ReviewLog.was_new == true()).scalar_subquery()
    )
    row = db.session.execute(select(reviews, new, last_item)).one()
    return Progress(reviews_done=row[0] or 0, new_done=row[1] or 0, last_item_id=row[2])


def counts(user: User, now: datetime, done: Progress | None = None) -> Counts:
    """What is left today: learning cards due, reviews due (capped), new cards (2 queries)."""
    done = done or progress(user, now)
    settings = settings_of(user)
    reviews_cap = settings.review_cap + 1
    due = _queue(user, now, new=False).add_columns(Card.id).where(Card.due <= now)

    def capped(stmt, limit: int):
        return select(func.count()).select_from(stmt.limit(limit).subquery()).scalar_subquery()

    new_cap = max(0, settings.new_per_day - done.new_done)
    row = db.session.execute(
        select(
            capped(due.where(Card.state != REVIEW), 10_000),
            capped(due.where(Card.state == REVIEW), reviews_cap),
            capped(_queue(user, now, new=True).add_columns(Card.id), max(new_cap, 1)),
        )
    ).one()
    learning, reviews_due, new_available = (v or 0 for v in row)
    plan = srs.plan(
        settings, reviews_done=done.reviews_done, new_done=done.new_done, reviews_due=reviews_due
    )
    review, new = min(reviews_due, plan.reviews_left), min(new_available, plan.new_left)
    if not (learning or review or new):
        # Nothing else left: the queue learns ahead (`next_card`), so the cards it will show
        # count as learning ones rather than a "Learning: 0" above a learning card.
        ahead = _queue(user, now, new=False).where(
            Card.state.in_((LEARNING, RELEARNING)), Card.due <= now + srs_queue.LEARN_AHEAD
        )
        learning = (
            db.session.scalar(
                select(func.count()).select_from(ahead.add_columns(Card.id).subquery())
            )
            or 0
        )
    return Counts(
        learning=learning, review=review, new=new, backlog=plan.backlog, reviews_due=reviews_due
    )


def due_count(user: User, now: datetime) -> int:
    """Cards the learner can review now: learning steps, due reviews, today's new cards."""
    return counts(user, now).total


def _candidates(stmt, limit: int = srs_queue.SIBLING_WINDOW) -> list[tuple[Card, Item]]:
    rows = db.session.execute(
        stmt.add_columns(Card, Item).limit(limit).execution_options(populate_existing=True)
    ).all()
    return [(row.Card, row.Item) for row in rows]


def _pick(rows: list[tuple[Card, Item]], last_item_id: int | None) -> tuple[Card, Item] | None:
    @dataclass(frozen=True)
    class _C:
        item_id: int
        row: tuple[Card, Item]

    chosen = srs.pick([_C(card.item_id, (card, item)) for card, item in rows], last_item_id)
    return chosen.row if chosen else None


def _shown(user: User, card: Card, item: Item, now: datetime) -> Shown:
    intervals = srs.preview(card_state(card), now, desired_retention=user.desired_retention)
    # A listening card is only ever played a clip that passed verification: wrong sound
    # would teach the wrong word, so without one the card shows its «no audio» state.
    listening = card.direction == srs_directions.LISTENING
    key = audio_key_for(item.hanzi, verified_only=listening)
    return Shown(card=card, item=item, intervals=intervals, audio_key=key)


def audio_key_for(text: str, *, verified_only: bool = False) -> str | None:
    """The key of the clip that speaks `text` (normal speed), when the audio module has one;
    with `verified_only`, only a clip that passed `flask audio verify`'s checks."""
    try:
        from app.audio.clips import clip_keys
    except ImportError:
        return None
    keys = clip_keys([text]).get(text)
    if keys is not None and verified_only:
        keys = keys.verified
    choice = keys.get("normal") if keys is not None else None
    return choice.key if choice is not None else None


def next_card(user: User, now: datetime) -> tuple[Shown | None, Counts]:
    """The card to show next and what is left of the day's queue.

    Due cards first (learning steps, then reviews by retrievability, lowest first, within the
    day's cap), then new cards up to the daily limit, then learning steps due within the next
    20 minutes; never a sibling of the word just answered when another card is available.
    """
    done = progress(user, now)
    left = counts(user, now, done)
    chosen = None
    if left.learning or left.review:
        stmt = _queue(user, now, new=False).where(Card.due <= now)
        if not left.review:
            stmt = stmt.where(Card.state != REVIEW)
        forgetting = _days_since(Card.last_review, now) / func.coalesce(Card.stability, 0.001)
        stmt = stmt.order_by(Card.state == REVIEW, forgetting.desc(), Card.id)
        chosen = _pick(_candidates(stmt), done.last_item_id)
    if chosen is None and left.new:
        stmt = _queue(user, now, new=True).order_by(Card.due, Card.id)
        chosen = _pick(_candidates(stmt), done.last_item_id)
    if chosen is None:
        stmt = (
            _queue(user, now, new=False)
            .where(
                Card.state.in_((LEARNING, RELEARNING)),
                Card.due <= now + srs_queue.LEARN_AHEAD,
            )
            .order_by(Card.due, Card.id)
        )
        chosen = _pick(_candidates(stmt), done.last_item_id)
    if chosen is None:
        return None, left
    card, item = chosen
    return _shown(user, card, item, now), left


#: the most cards taken offline at once (a day's queue is rarely longer)
OFFLINE_LIMIT = 200
#: how old an answer recorded offline may be and still count at the time it was given
OFFLINE_WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class Queued:
    """A card of today's queue taken offline, and which count it belongs to."""

    shown: Shown
    #: "learning", "review" or "new"
    bucket: str


def offline_queue(user: User, now: datetime, limit: int = OFFLINE_LIMIT) -> list[Queued]:
    """Today's queue to study without a connection: each card once, in the order it comes.

    Learning steps due within the learn-ahead window, then the reviews the day still allows
    (most forgotten first), then today's new cards. Answers given offline come back through
    `answer` with the card's version, so a card changed meanwhile is refused as stale. A
    bounded number of queries whatever the queue's length (one for all the audio keys).
    """
    left = counts(user, now)
    live = _queue(user, now, new=False)
    rows = _candidates(
        live.where(
            Card.state.in_((LEARNING, RELEARNING)), Card.due <= now + srs_queue.LEARN_AHEAD
        ).order_by(Card.due, Card.id),
        limit,
    )
    buckets = ["learning"] * len(rows)
    if left.review:
        forgetting = _days_since(Card.last_review, now) / func.coalesce(Card.stability, 0.001)
        reviews = _candidates(
            live.where(Card.state == REVIEW, Card.due <= now).order_by(forgetting.desc(), Card.id),
            min(left.review, limit),
        )
        rows += reviews
        buckets += ["review"] * len(reviews)
    if left.new:
        new = _candidates(
            _queue(user, now, new=True).order_by(Card.due, Card.id), min(left.new, limit)
        )
        rows += new
        buckets += ["new"] * len(new)
    rows, buckets = rows[:limit], buckets[:limit]
    keys = _audio_keys([item.hanzi for _card, item in rows])
    return [
        Queued(
            Shown(
                card=card,
                item=item,
                intervals=srs.preview(
                    card_state(card), now, desired_retention=user.desired_retention
                ),
                audio_key=keys.get(item.hanzi),
            ),
            bucket,
        )
        for (card, item), bucket in zip(rows, buckets, strict=True)
    ]


def _audio_keys(texts: list[str]) -> dict[str, str]:
    """The normal-speed clip key of each text that has one (one query)."""
    try:
        from app.audio.clips import clip_keys
    except ImportError:
        return {}
    found = {}
    for text, keys in clip_keys(texts).items():
        choice = keys.get("normal") if keys is not None else None
        if choice is not None:
            found[text] = choice.key
    return found


def answered_at(given: datetime | None, now: datetime) -> datetime:
    """When an answer counts: the time it was given offline, if plausible; else now."""
    if given is None or not (now - OFFLINE_WINDOW <= given <= now):
        return now
    return given


def show_card(user: User, card_id: int, now: datetime) -> Shown:
    """One of the learner's cards, to show again (after an undo) or revealed (without JS)."""
    card = _own_card(user, card_id, reviewable=True)
    return _shown(user, card, card.item, now)


# --------------------------------------------------------------------------- answers


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
    card = _own_card(user, card_id, reviewable=True)
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
        duration_ms=duration_ms,
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
    card = _own_card(user, log.card_id)
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
            return _own_card(user, log.card_id)
        raise ReviewError("stale")
    db.session.execute(
        update(ReviewLog)
        .where(ReviewLog.id == log.id)
        .values(undone=True)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(log)
    return _own_card(user, card.id)


# --------------------------------------------------------------------------- today & statistics


@dataclass(frozen=True)
class Today:
    reviewed: int
    passed: int
    new: int
    minutes: int
    #: when the next card in a learning step comes back, if any today
    next_due: datetime | None


def today(user: User, now: datetime) -> Today:
    """The study day so far: cards answered, answered right, new, minutes; what comes back next."""
    start, end = srs.today_bounds(now, srs.zone(user.timezone))
    row = db.session.execute(
        select(
            func.count(ReviewLog.id),
            func.coalesce(func.sum(case((ReviewLog.rating > 1, 1), else_=0)), 0),
            func.coalesce(func.sum(case((ReviewLog.was_new == true(), 1), else_=0)), 0),
            func.coalesce(func.sum(ReviewLog.duration_ms), 0),
        ).where(
            ReviewLog.user_id == user.id,
            ReviewLog.reviewed_at >= start,
            ReviewLog.undone == false(),
        )
    ).one()
    next_due = db.session.scalar(
        _with_content(select(Card.due))
        .where(
            Card.user_id == user.id,
            Card.is_new == false(),
            Card.suspended == false(),
            Card.due > now,
            Card.due < end,
            _LIVE,
        )
        .order_by(Card.due)
        .limit(1)
    )
    return Today(
        reviewed=row[0],
        passed=int(row[1]),
        new=int(row[2]),
        minutes=round(int(row[3]) / 60000),
        next_due=next_due,
    )


@dataclass(frozen=True)
class Statistics:
    heatmap: srs_stats.Heatmap
    forecast: srs_stats.BarChart
    forecast_days: list[tuple[date, int]]
    retention: float | None
    passed: int
    failed: int
    #: new, learning, review, relearning, suspended, leech → number of cards
    states: dict[str, int]
    streak: int
    longest_streak: int
    today: Today
    desired_retention: float
    total_reviews: int = 0
    overdue: int = 0
    by_day: dict[date, int] = field(default_factory=dict)


def statistics(user: User, now: datetime) -> Statistics:
    """Reviews per day (a year), true retention (30 days), 30-day forecast, cards by state."""
    tz = srs.zone(user.timezone)
    day = srs.study_day(now, tz)
    first = day - timedelta(days=day.weekday()) - timedelta(weeks=52)
    mine = and_(ReviewLog.user_id == user.id, ReviewLog.undone == false())
    hour = _epoch_hour(ReviewLog.reviewed_at).label("hour")
    by_hour = db.session.execute(
        select(hour, func.count(ReviewLog.id))
        .where(mine, ReviewLog.reviewed_at >= srs.day_start(first, tz))
        .group_by(hour)
    ).all()
    by_day = srs_stats.per_day(by_hour, tz)

    passed, failed = db.session.execute(
        select(
            func.coalesce(func.sum(case((ReviewLog.rating > 1, 1), else_=0)), 0),
            func.coalesce(func.sum(case((ReviewLog.rating == 1, 1), else_=0)), 0),
        ).where(
            mine,
            ReviewLog.reviewed_at >= now - timedelta(days=30),
            ReviewLog.state_before == REVIEW,
            ReviewLog.was_new == false(),
        )
    ).one()

    horizon = srs.day_start(day + timedelta(days=30), tz)
    live_reviews = _with_content(select().select_from(Card)).where(
        Card.user_id == user.id, Card.is_new == false(), Card.suspended == false(), _LIVE
    )
    due_hour = _epoch_hour(Card.due).label("hour")
    upcoming = db.session.execute(
        live_reviews.add_columns(due_hour, func.count(Card.id))
        .where(Card.due > now, Card.due < horizon)
        .group_by(due_hour)
    ).all()
    overdue = db.session.scalar(
        live_reviews.add_columns(func.count(Card.id)).where(Card.due <= now)
    )
    days = srs_stats.forecast(srs_stats.per_day(upcoming, tz), overdue or 0, day)
    chart = srs_stats.bar_chart([(d.strftime("%d.%m"), n) for d, n in days])

    retired = (~_LIVE).label("retired")
    state_rows = db.session.execute(
        _with_content(select(Card.state, Card.is_new, Card.suspended, retired, Card.leech))
        .add_columns(func.count(Card.id))
        .where(Card.user_id == user.id)
        .group_by(Card.state, Card.is_new, Card.suspended, retired, Card.leech)
    ).all()
    states = dict.fromkeys(("new", "learning", "review", "relearning", "suspended", "leech"), 0)
    names = {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
    for state, is_new, suspended, is_retired, leech, n in state_rows:
        if suspended or is_retired:
            states["suspended"] += n
        elif is_new:
            states["new"] += n
        else:
            states[names.get(state, "learning")] += n
        if leech:
            states["leech"] += n

    return Statistics(
        heatmap=srs_stats.heatmap(by_day, day),
        forecast=chart,
        forecast_days=days,
        retention=srs_stats.true_retention(int(passed), int(failed)),
        passed=int(passed),
        failed=int(failed),
        states=states,
        streak=srs_stats.streak(by_day, day),
        longest_streak=srs_stats.longest_streak(by_day),
        today=today(user, now),
        desired_retention=srs.clamp_retention(user.desired_retention),
        total_reviews=sum(by_day.values()),
        overdue=overdue or 0,
        by_day=dict(by_day),
    )


def fsrs_review_logs(user: User) -> list:
    """The learner's answers as `fsrs.ReviewLog`s (undone ones left out), for fsrs's optimizer."""
    import fsrs

    rows = db.session.execute(
        select(ReviewLog.card_id, ReviewLog.rating, ReviewLog.reviewed_at, ReviewLog.duration_ms)
        .where(ReviewLog.user_id == user.id, ReviewLog.undone == false())
        .order_by(ReviewLog.reviewed_at, ReviewLog.id)
    ).all()
    return [
        fsrs.ReviewLog(
            card_id=card_id,
            rating=fsrs.Rating(rating),
            review_datetime=at,
            review_duration=duration,
        )
        for card_id, rating, at, duration in rows
    ]


# --------------------------------------------------------------------------- the learner's cards


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


def update_settings(user: User, *, desired_retention: float, daily_new_limit: int) -> None:
    """Change the learner's desired retention (0.70–0.97) and daily limit of new cards."""
    user.desired_retention = srs.clamp_retention(desired_retention)
    user.daily_new_limit = max(0, min(int(daily_new_limit), srs_queue.MAX_NEW_PER_DAY))
    db.session.flush()


# --------------------------------------------------------------------------- trainers


@dataclass(frozen=True)
class LeechRow:
    item: Item
    lesson: Lesson
    course: Course
    cards: int
    learners: int


def leech_report(actor: User, limit: int = 50) -> tuple[int, int, list[LeechRow]]:
    """Leeches over all learners: total cards, learners with one, and the words most often one."""
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    total, learners = db.session.execute(
        select(func.count(Card.id), func.count(func.distinct(Card.user_id))).where(
            Card.leech == true()
        )
    ).one()
    per_item = (
        select(
            Card.item_id.label("item_id"),
            func.count(Card.id).label("cards"),
            func.count(func.distinct(Card.user_id)).label("learners"),
        )
        .where(Card.leech == true())
        .group_by(Card.item_id)
        .order_by(func.count(Card.id).desc())
        .limit(limit)
        .subquery()
    )
    rows = db.session.execute(
        select(Item, Lesson, Course, per_item.c.cards, per_item.c.learners)
        .join(per_item, per_item.c.item_id == Item.id)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .order_by(per_item.c.cards.desc(), Item.hanzi)
    ).all()
    return total or 0, learners or 0, [LeechRow(*row) for row in rows]
