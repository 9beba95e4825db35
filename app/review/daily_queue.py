"""The daily queue: what is left today, the next card to show, the queue taken offline.

Cost: the queue and an answer issue a handful of indexed queries whatever the number of cards on
the platform (`ix_cards_queue` walks one learner's live cards in due order; the day's progress
comes from `ix_review_logs_user_time`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, false, func, literal, or_, select, true

from app import srs
from app.extensions import db
from app.models import Card, Item, ReviewLog, User
from app.review.deck import (
    LIVE,
    card_state,
    dialect,
    ensure_writing_cards,
    in_use,
    own_card,
    parameters_of,
    with_content,
)
from app.srs import directions as srs_directions
from app.srs import queue as srs_queue
from app.srs.scheduling import LEARNING, RELEARNING, REVIEW

#: directions whose answer is typed and checked
TYPED = frozenset({srs_directions.PINYIN, srs_directions.RECALL})


def _days_since(column, now: datetime):
    """Days from `column` to `now` as an SQL expression (fractional)."""
    if dialect() == "sqlite":
        return literal(now.timestamp() / 86400 + 2440587.5) - func.julianday(column)
    return (literal(now.timestamp()) - func.extract("epoch", column)) / 86400


def _not_buried(now: datetime):
    return or_(Card.buried_until.is_(None), Card.buried_until <= now)


def _queue(user: User, now: datetime, *, new: bool):
    """A learner's live, unsuspended, unburied cards, new or not (columns still to add)."""
    return with_content(select().select_from(Card)).where(
        Card.user_id == user.id,
        Card.is_new == (true() if new else false()),
        Card.suspended == false(),
        _not_buried(now),
        in_use(user),
        LIVE,
    )


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
    intervals = srs.preview(
        card_state(card), now, desired_retention=user.desired_retention,
        parameters=parameters_of(user),
    )  # fmt: skip
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
                    card_state(card),
                    now,
                    desired_retention=user.desired_retention,
                    parameters=parameters_of(user),
                ),  # fmt: skip
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


def show_card(user: User, card_id: int, now: datetime) -> Shown:
    """One of the learner's cards, to show again (after an undo) or revealed (without JS)."""
    card = own_card(user, card_id, reviewable=True)
    return _shown(user, card, card.item, now)


def update_settings(
    user: User,
    *,
    desired_retention: float,
    daily_new_limit: int,
    review_writing: bool | None = None,
) -> None:
    """Change the learner's desired retention (0.70–0.97), daily limit of new cards and, when
    given, whether they also review by writing by hand. Switched on, every word they review
    gets its writing card; switched off, those cards leave the queue (kept, with history)."""
    user.desired_retention = srs.clamp_retention(desired_retention)
    user.daily_new_limit = max(0, min(int(daily_new_limit), srs_queue.MAX_NEW_PER_DAY))
    if review_writing is not None:
        user.review_writing = bool(review_writing)
    db.session.flush()
    if user.review_writing:
        ensure_writing_cards(user)
