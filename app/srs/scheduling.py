"""FSRS scheduling on the `fsrs` package: one scheduler per learner configuration.

A card's FSRS state lives in the database; here it is a plain `CardState`. `review()` turns a
state and a rating into the next state and the facts a review log keeps. Fuzz is applied here,
deterministically (seeded by the card id and its repetition count), so that the interval shown
on a rating button is exactly the interval the answer produces.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import fsrs
from fsrs.scheduler import FUZZ_RANGES

DEFAULT_RETENTION = 0.90
MIN_RETENTION = 0.70
MAX_RETENTION = 0.97
#: learning steps stay under a day: the first answers of a new card come back within minutes
LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
MAXIMUM_INTERVAL_DAYS = 36500
#: lapses (Again on a card in review) at which a card becomes a leech
LEECH_LAPSES = 8

LEARNING, REVIEW, RELEARNING = (int(s) for s in fsrs.State)
RATINGS = tuple(int(r) for r in fsrs.Rating)  # 1 Again, 2 Hard, 3 Good, 4 Easy
AGAIN, HARD, GOOD, EASY = RATINGS


@dataclass(frozen=True)
class CardState:
    """The scheduling state of one card, as stored in its row."""

    card_id: int
    state: int = LEARNING
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    is_new: bool = True
    leech: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one answer did: the card's next state and the facts its review log keeps."""

    card: CardState
    rating: int
    reviewed_at: datetime
    state_before: int
    was_new: bool
    #: days since the previous review (0 for a new card), as fsrs's optimizer wants them
    elapsed_days: float
    interval: timedelta


def clamp_retention(value: float | None) -> float:
    """A desired retention inside the allowed range (the default when unset)."""
    if value is None or math.isnan(value):
        return DEFAULT_RETENTION
    return min(MAX_RETENTION, max(MIN_RETENTION, float(value)))


#: one scheduler per retention × parameter set (learners with a fit of their own have their own)
@lru_cache(maxsize=1024)
def _scheduler(retention: float, parameters: tuple[float, ...] | None) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
        desired_retention=retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=False,  # fuzz is applied by `review`, deterministically
    )


def scheduler_for(
    desired_retention: float | None, parameters: tuple[float, ...] | None = None
) -> fsrs.Scheduler:
    """The scheduler of a learner configuration (shared by every learner with the same one)."""
    return _scheduler(round(clamp_retention(desired_retention), 3), parameters)


def to_fsrs(card: CardState, now: datetime) -> fsrs.Card:
    """The fsrs card of a state; the card's own id is passed (fsrs's id generator sleeps)."""
    return fsrs.Card(
        card_id=card.card_id,
        state=fsrs.State(card.state),
        # a card in (re)learning steps always has a step; tolerate a row without one
        step=card.step if card.step is not None or card.state == REVIEW else 0,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due or now),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: scheduling works in timezone-aware UTC only")
    return moment.astimezone(UTC)


def _fuzzed_days(days: int, seed: str, maximum: int) -> int:
    """fsrs's fuzz ranges, with a seeded generator instead of the global one."""
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz in FUZZ_RANGES:
        delta += fuzz["factor"] * max(min(float(days), fuzz["end"]) - fuzz["start"], 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    low = min(low, high)
    return min(round(random.Random(seed).random() * (high - low + 1) + low), maximum)


def review(
    card: CardState,
    rating: int,
    now: datetime,
    *,
    desired_retention: float | None = None,
    duration_ms: int | None = None,
    parameters: tuple[float, ...] | None = None,
) -> Outcome:
    """Answer `card` with `rating` (1–4) at `now` (UTC) and return the outcome.

    `parameters` are the learner's fitted FSRS parameters (None: the defaults)."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
    now = _utc(now)
    scheduler = scheduler_for(desired_retention, parameters)
    before = to_fsrs(card, now)
    after, _log = scheduler.review_card(
        before, fsrs.Rating(rating), review_datetime=now, review_duration=duration_ms
    )
    interval = after.due - now
    if after.state == fsrs.State.Review:
        days = _fuzzed_days(
            interval.days, f"{card.card_id}:{card.reps}", scheduler.maximum_interval
        )
        interval = timedelta(days=days)
    lapse = card.state == REVIEW and rating == AGAIN
    lapses = card.lapses + (1 if lapse else 0)
    elapsed = (now - card.last_review).total_seconds() / 86400 if card.last_review else 0.0
    nxt = replace(
        card,
        state=int(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=now + interval,
        last_review=now,
        reps=card.reps + 1,
        lapses=lapses,
        is_new=False,
        leech=card.leech or lapses >= LEECH_LAPSES,
    )
    return Outcome(
        card=nxt,
        rating=rating,
        reviewed_at=now,
        state_before=card.state,
        was_new=card.is_new,
        elapsed_days=max(0.0, elapsed),
        interval=interval,
    )


def preview(
    card: CardState,
    now: datetime,
    *,
    desired_retention: float | None = None,
    parameters: tuple[float, ...] | None = None,
) -> dict[int, timedelta]:
    """The interval each rating would give, for the labels of the rating buttons."""
    return {
        rating: review(
            card, rating, now, desired_retention=desired_retention, parameters=parameters
        ).interval
        for rating in RATINGS
    }


def retrievability(
    card: CardState,
    now: datetime,
    *,
    desired_retention: float | None = None,
    parameters: tuple[float, ...] | None = None,
) -> float:
    """The predicted probability of recalling the card at `now` (0 for a new card)."""
    return scheduler_for(desired_retention, parameters).get_card_retrievability(
        to_fsrs(card, now), current_datetime=_utc(now)
    )


def forgetting_key(last_review: datetime, stability: float, now: datetime) -> float:
    """Elapsed days over stability: retrievability falls as this grows (the queue's order)."""
    return ((now - last_review).total_seconds() / 86400) / max(stability, 1e-6)
