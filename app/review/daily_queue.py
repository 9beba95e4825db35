"""The daily queue: what is left today, the next card to show, the queue taken offline.

Cost: the queue and an answer issue a handful of indexed queries whatever the number of cards on
the platform (`ix_cards_queue` walks one learner's live cards in due order; the day's progress
comes from `ix_review_logs_user_time`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    and_,
    bindparam,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from app import srs
from app.extensions import db
from app.models import Card, ClipVerdict, Item, ReviewLog, User
from app.models.base import UTCDateTime
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
    #: the review id of the day's last answer while it can still be undone (its card unchanged)
    undoable: str | None = None


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
    #: what was done today (read by the same statement)
    done: Progress | None = None

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

    def grade(self, given: str) -> srs.Grade:
        """The verdict on a typed answer: the pinyin with tones, or the word (hanzi or pinyin)."""
        if self.card.direction == srs_directions.PINYIN:
            return srs.grade_pinyin(self.item.pinyin, given)
        return srs.grade_recall(self.item.hanzi, self.item.pinyin, given)


def settings_of(user: User) -> srs.QueueSettings:
    return srs.QueueSettings(new_per_day=user.daily_new_limit)


_USER = bindparam("user_id", type_=Integer())
_NOW, _START = bindparam("now", type_=UTCDateTime()), bindparam("start", type_=UTCDateTime())


def _capped(stmt, limit):
    return select(func.count()).select_from(stmt.limit(limit).subquery()).scalar_subquery()


#: the cached statements' form of `deck.in_use`: writing cards only while the learner writes
_IN_USE = or_(bindparam("writing", type_=Boolean()), Card.direction != srs_directions.WRITING)


#: what a card shown from the merged next-card statement carries (`Shown.card`, `card_state`,
#: the stage and the API)
_CARD_FIELDS = ("id", "item_id", "direction", "state", "step", "stability", "difficulty", "due",
                "last_review", "reps", "lapses", "is_new", "leech", "version")  # fmt: skip
#: what the stage and the API show of its word
_ITEM_FIELDS = ("id", "hanzi", "pinyin", "ru", "pos", "notes")


def _live_cards():
    """The learner's cards in use, of live words in live lessons and courses, as a CTE of
    card_* and item_* columns: what the day's counts and the next-card candidates read.

    NOT MATERIALIZED: each use is planned as its own index scan, as if written out (a
    materialised CTE would read every live card of a learner with 20,000 before the caps).
    Written once, it keeps the next-card statement short (5 KB; psycopg caches its parsed
    form past its default limit: `app.db_pool.cache_long_statements`)."""
    cards, items = Card.__table__, Item.__table__
    columns = (
        *(cards.c[name].label(f"card_{name}") for name in _CARD_FIELDS),
        *(items.c[name].label(f"item_{name}") for name in _ITEM_FIELDS),
    )
    return (
        with_content(select(*columns).select_from(Card))
        .where(
            Card.user_id == _USER,
            Card.suspended == false(),
            or_(Card.buried_until.is_(None), Card.buried_until <= _NOW),
            _IN_USE,
            LIVE,
        )
        .cte("live")
        .prefix_with("NOT MATERIALIZED")
    )


def _day_parts(live, prefix: str = "") -> tuple[list, object]:
    """The day's columns (labelled `prefix` + name) and what they are selected from: today's
    answers, the last answer, what is due (capped counts) over the `_live_cards` CTE `live`."""
    today = and_(
        ReviewLog.user_id == _USER, ReviewLog.reviewed_at >= _START, ReviewLog.undone == false()
    )
    reviews = select(func.count(ReviewLog.id)).where(
        today, ReviewLog.state_before == REVIEW, ReviewLog.was_new == false()
    )
    new = select(func.count(ReviewLog.id)).where(today, ReviewLog.was_new == true())
    last_id = (
        select(ReviewLog.id)
        .where(ReviewLog.user_id == _USER)
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    due = select(live.c.card_id).where(live.c.card_is_new == false(), live.c.card_due <= _NOW)
    fresh = select(live.c.card_id).where(live.c.card_is_new == true())
    log, card = aliased(ReviewLog), aliased(Card)
    one = select(literal(1).label("one")).subquery()
    columns = {
        "reviews_done": reviews.scalar_subquery(),
        "new_done": new.scalar_subquery(),
        "learning": _capped(due.where(live.c.card_state != REVIEW), 10_000),
        "reviews_due": _capped(due.where(live.c.card_state == REVIEW), bindparam("reviews_cap")),
        "new_available": _capped(fresh, bindparam("new_cap")),
        "review_id": log.review_id,
        "reviewed_at": log.reviewed_at,
        "undone": log.undone,
        # the version the answer found, read in SQL: no JSON to decode on every card
        "version_before": log.card_before["version"].as_integer(),
        "version": card.version,
        "item_id": card.item_id,
    }
    source = one.outerjoin(log, log.id == last_id).outerjoin(card, card.id == log.card_id)
    return [column.label(prefix + name) for name, column in columns.items()], source


def _build_day_statement():
    """The day in one statement: today's answers, the last answer, what is due (capped counts).

    Built once with bound parameters (user, now, start of the study day, caps), so a request
    pays neither for building the statement nor for more than one round trip.
    """
    columns, source = _day_parts(_live_cards())
    return select(*columns).select_from(source)


_DAY = _build_day_statement()


def _progress_of(row, start: datetime) -> Progress:
    # the day's last answer, if its card has not changed since (its version is the next one)
    undoable = None
    answered_today = row.review_id is not None and row.reviewed_at >= start and not row.undone
    if answered_today and row.version_before is not None and row.version == row.version_before + 1:
        undoable = row.review_id
    return Progress(
        reviews_done=row.reviews_done or 0,
        new_done=row.new_done or 0,
        last_item_id=row.item_id,
        undoable=undoable,
    )


def _day_params(user: User, now: datetime) -> tuple[dict, datetime]:
    """The bound values of `_DAY` and the start of the learner's study day."""
    settings = settings_of(user)
    start, _end = srs.today_bounds(now, srs.zone(user.timezone))
    params = {
        "user_id": user.id,
        "now": now,
        "start": start,
        "writing": bool(user.review_writing),
        "reviews_cap": settings.review_cap + 1,
        # new cards available never need counting past the day's limit (plan caps them)
        "new_cap": max(settings.new_per_day, 1),
    }
    return params, start


def _day(user: User, now: datetime):
    params, start = _day_params(user, now)
    # Core: no ORM execution path to pay for
    row = db.session.connection().execute(_DAY, params).one()
    return row, _progress_of(row, start)


def progress(user: User, now: datetime) -> Progress:
    """Reviews and new cards answered in the current study day, the last word seen and the
    answer that can be undone (1 query)."""
    return _day(user, now)[1]


def counts(user: User, now: datetime, done: Progress | None = None) -> Counts:
    """What is left today: learning cards due, reviews due (capped), new cards (1 query)."""
    row, today = _day(user, now)
    return _left(user, now, row, done or today)


def _left(user: User, now: datetime, row, done: Progress, *, count_ahead: bool = True) -> Counts:
    """What is left today, from a row of `_DAY` and what was done. With nothing left, the
    learning steps due within the learn-ahead window count as learning (`count_ahead`; a
    caller that reads them anyway counts them itself)."""
    settings = settings_of(user)
    learning, reviews_due, new_available = (
        row.learning or 0,
        row.reviews_due or 0,
        row.new_available or 0,
    )
    plan = srs.plan(
        settings, reviews_done=done.reviews_done, new_done=done.new_done, reviews_due=reviews_due
    )
    review, new = min(reviews_due, plan.reviews_left), min(new_available, plan.new_left)
    if count_ahead and not (learning or review or new):
        # Nothing else left: the queue learns ahead (`next_card`), so the cards it will show
        # count as learning ones rather than a "Learning: 0" above a learning card.
        learning = _ahead(user, now)[1]
    return Counts(
        learning=learning,
        review=review,
        new=new,
        backlog=plan.backlog,
        reviews_due=reviews_due,
        done=done,
    )


def due_count(user: User, now: datetime) -> int:
    """Cards the learner can review now: learning steps, due reviews, today's new cards."""
    return counts(user, now).total


def _candidates(stmt, limit: int = srs_queue.SIBLING_WINDOW) -> list[tuple[Card, Item]]:
    rows = db.session.execute(
        stmt.add_columns(Card, Item).limit(limit).execution_options(populate_existing=True)
    ).all()
    return [(row.Card, row.Item) for row in rows]


@dataclass(frozen=True)
class _C:
    item_id: int
    row: tuple[Card, Item]


def _pick(rows: list[tuple], last_item_id: int | None) -> tuple | None:
    """The row (card, item, …) to show of the candidates, never a sibling of the last word
    when another card is there."""
    chosen = srs.pick([_C(row[0].item_id, row) for row in rows], last_item_id)
    return chosen.row if chosen else None


def _shown(
    user: User, card: Card, item: Item, now: datetime, clip: tuple[str, str] | None = None
) -> Shown:
    """`clip`: the (key, verdict) of the word's best normal-speed clip when the caller read it
    already (`clips.best_normal_clip`); else it is looked up here."""
    intervals = srs.preview(
        card_state(card), now, desired_retention=user.desired_retention,
        parameters=parameters_of(user),
    )  # fmt: skip
    # A listening card is only ever played a clip that passed verification: wrong sound
    # would teach the wrong word, so without one the card shows its «no audio» state.
    listening = card.direction == srs_directions.LISTENING
    text = item.hanzi
    if clip is not None and text and text == text.strip():
        key, verdict = clip
        if listening and verdict != ClipVerdict.PASSED:
            key = None
    else:
        key = audio_key_for(text, verified_only=listening)
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


def _candidate_statement(which: str, sql_dialect: str, live=None):
    """The next-card candidates of one kind, built once per dialect with bound parameters; each
    with its word's best normal-speed clip (key, verdict), so that showing it costs no query.
    Plain columns (Core), card_* and item_*: the cards it shows are read, never changed, so
    they need no ORM objects. `live`: the `_live_cards` CTE the statement reads."""
    from app.audio.clips import best_normal_clip, normal_clip_choice

    live = _live_cards() if live is None else live
    c = live.c
    if sql_dialect == "postgresql":  # one subquery for both columns (SQLite has no LATERAL)
        clip = normal_clip_choice(c.item_hanzi).lateral("clip")
        key, verdict = clip.c.key, clip.c.verdict
        source = live.outerjoin(clip, true())
    else:
        key, verdict = best_normal_clip(c.item_hanzi)
        source = live
    stmt = (
        select(*c, key.label("clip_key"), verdict.label("clip_verdict"))
        .select_from(source)
        .where(c.card_is_new == (true() if which == "new" else false()))
    )
    if which == "due":
        if sql_dialect == "sqlite":
            since = bindparam("now_days", type_=Float()) - func.julianday(c.card_last_review)
        else:
            since = (
                bindparam("now_epoch", type_=Float()) - func.extract("epoch", c.card_last_review)
            ) / 86400
        forgetting = since / func.coalesce(c.card_stability, 0.001)
        stmt = stmt.where(c.card_due <= _NOW).order_by(
            c.card_state == REVIEW, forgetting.desc(), c.card_id
        )
    elif which == "new":
        stmt = stmt.order_by(c.card_due, c.card_id)
    else:  # learning steps due within the learn-ahead window, and how many in all
        stmt = (
            stmt.add_columns(func.count().over().label("ahead_total"))
            .where(
                c.card_state != REVIEW,  # learning or relearning: not `in_`, rendered at each use
                c.card_due <= bindparam("ahead", type_=UTCDateTime()),
            )
            .order_by(c.card_due, c.card_id)
        )
    return stmt.limit(srs_queue.SIBLING_WINDOW)


_CANDIDATES: dict[tuple[str, str], object] = {}


def _statement(key: tuple[str, str]):
    stmt = _CANDIDATES.get(key)
    if stmt is None:
        which, sql_dialect = key
        if which == "day+due":
            stmt = _day_and_due_statement(sql_dialect)
        else:
            stmt = _candidate_statement(which, sql_dialect)
        _CANDIDATES[key] = stmt
    return stmt


def _candidate_params(user: User, now: datetime) -> dict:
    return {
        "user_id": user.id,
        "now": now,
        "writing": bool(user.review_writing),
        "now_days": now.timestamp() / 86400 + 2440587.5,
        "now_epoch": now.timestamp(),
        "ahead": now + srs_queue.LEARN_AHEAD,
    }


def _candidate_rows(user: User, now: datetime, which: str) -> list:
    """The rows of the candidate statement of one kind, in the order they come."""
    statement = _statement((which, dialect()))
    return db.session.connection().execute(statement, _candidate_params(user, now)).mappings().all()


def _next_candidates(user: User, now: datetime, which: str) -> list[tuple]:
    """(card, item, (clip key, clip verdict)) rows of one kind, in the order they come; the
    cards and words are read-only views of their columns."""
    return [_candidate(row) for row in _candidate_rows(user, now, which)]


def _ahead(user: User, now: datetime) -> tuple[list[tuple], int]:
    """The learning steps due within the learn-ahead window: the first candidates, and how
    many there are in all (one statement)."""
    rows = _candidate_rows(user, now, "ahead")
    return [_candidate(row) for row in rows], rows[0]["ahead_total"] if rows else 0


def _candidate(row) -> tuple:
    """(card, item, (clip key, clip verdict)) of a row of a core candidate statement."""
    return (
        _view(row, "card_", _CARD_FIELDS),
        _view(row, "item_", _ITEM_FIELDS),
        (row["clip_key"], row["clip_verdict"]),
    )


#: the columns of `_DAY`, read back from the statement that has the due candidates beside them
_DAY_COLUMNS = tuple(column.name for column in _DAY.selected_columns)


def _day_and_due_statement(sql_dialect: str):
    """`_DAY`'s columns (day_*) beside the due candidates (none: one row of NULLs on their
    side), so that the usual next card costs one round trip; both read one `_live_cards` CTE.
    Built once per dialect."""
    live = _live_cards()
    due = _candidate_statement("due", sql_dialect, live).subquery("due")
    day, source = _day_parts(live, prefix="day_")
    return select(*due.c, *day).select_from(source.outerjoin(due, true()))


def _view(row, prefix: str, names: tuple[str, ...]) -> SimpleNamespace:
    return SimpleNamespace(**{name: row[f"{prefix}{name}"] for name in names})


def _day_and_due(user: User, now: datetime) -> tuple[Counts, list[tuple]]:
    """What is left today and the due candidates (card, item, clip), in one statement; the
    cards and words are read-only views of their columns."""
    params, start = _day_params(user, now)
    params.update(_candidate_params(user, now))
    statement = _statement(("day+due", dialect()))
    rows = db.session.connection().execute(statement, params).mappings().all()
    day = _view(rows[0], "day_", _DAY_COLUMNS)
    left = _left(user, now, day, _progress_of(day, start), count_ahead=False)
    due = [_candidate(row) for row in rows if row["card_id"] is not None]
    return left, due


def next_card(user: User, now: datetime) -> tuple[Shown | None, Counts]:
    """The card to show next and what is left of the day's queue.

    Due cards first (learning steps, then reviews by retrievability, lowest first, within the
    day's cap), then new cards up to the daily limit, then learning steps due within the next
    20 minutes; never a sibling of the word just answered when another card is available.

    The day's counts come with the due candidates (learning steps first, so that when the
    day's reviews are used up the learning ones among them are the same as a query for
    learning steps alone would give); new cards and learning ahead cost a query more, which
    with nothing else left also counts the learning ahead.
    """
    left, due = _day_and_due(user, now)
    done = left.done
    chosen = None
    if left.learning or left.review:
        if not left.review:
            due = [row for row in due if row[0].state != REVIEW]
        chosen = _pick(due, done.last_item_id)
    if chosen is None and left.new:
        chosen = _pick(_next_candidates(user, now, "new"), done.last_item_id)
    if chosen is None:
        ahead, total = _ahead(user, now)
        if not left.total:  # nothing else left: what it learns ahead counts as learning
            left = replace(left, learning=total)
        chosen = _pick(ahead, done.last_item_id)
    if chosen is None:
        return None, left
    card, item, clip = chosen
    return _shown(user, card, item, now, clip), left


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


def card_or_next(user: User, card_id: int | None, now: datetime) -> tuple[Shown | None, Counts]:
    """The given card (ReviewError when it cannot be shown) or, with none, the next one due;
    with what is left of the day's queue."""
    if card_id:
        return show_card(user, card_id, now), counts(user, now)
    return next_card(user, now)


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
