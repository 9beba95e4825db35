"""Fitting FSRS-6 parameters to review histories, judged on held-out reviews (pure: no database).

The optimiser is `fsrs-rs-python`: the Rust optimiser Anki itself ships (fsrs-rs), as a wheel
with no deep-learning stack. `fsrs[optimizer]` would pull in PyTorch (hundreds of MB) for the
same model. Both speak FSRS-6's 21 parameters, the ones the `fsrs` scheduler uses.

A review history is turned into the optimiser's items the way Anki does: one item per review
after the first of a card, holding the card's reviews up to it, each with the whole days since
the previous review (0 on the same day). Items whose last review is on the same day as the one
before are short-term and are not predicted. The newest `HOLDOUT` share of items (by the time of
their last review) is held out: the fit never sees it, and a new parameter set replaces the
current one only when its log loss on that share is lower.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import fsrs_rs_python as rs
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS as LOWER_BOUNDS
from fsrs.scheduler import UPPER_BOUNDS_PARAMETERS as UPPER_BOUNDS

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(round(w, 4) for w in rs.DEFAULT_PARAMETERS)
#: a learner's own fit needs this many reviews …
MIN_REVIEWS = 512
#: … spread over at least this many days (between the first and the last)
MIN_DAYS = 14
#: share of the newest items held out for judging a fit
HOLDOUT = 0.2
#: fewer held-out items than this make no judgement: the fit is not used
MIN_HELD_OUT = 50
#: optimiser steps a fit aims at, and the most epochs it takes to get there
STEPS = 500
MAX_EPOCHS = 60


@dataclass(frozen=True)
class Review:
    """One answer as the optimiser needs it: the card, its study day and the rating (1–4)."""

    card_id: int
    day: date
    rating: int
    #: orders reviews of the same day (a timestamp or a log id)
    order: float = 0.0


@dataclass(frozen=True)
class Dataset:
    train: list[rs.FSRSItem]
    test: list[rs.FSRSItem]
    reviews: int
    days: int


@dataclass(frozen=True)
class Score:
    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]
    before: Score | None
    after: Score | None
    #: True when the new parameters beat the current ones on the held-out reviews
    accepted: bool
    reason: str


def dataset(reviews: Iterable[Review], holdout: float = HOLDOUT) -> Dataset:
    """Items for the optimiser, split by time into training and held-out parts."""
    by_card: dict[int, list[Review]] = {}
    count = 0
    first = last = None
    for r in reviews:
        by_card.setdefault(r.card_id, []).append(r)
        count += 1
        first = r.day if first is None or r.day < first else first
        last = r.day if last is None or r.day > last else last
    dated: list[tuple[tuple[date, float], rs.FSRSItem]] = []
    for card_reviews in by_card.values():
        card_reviews.sort(key=lambda r: (r.day, r.order))
        history: list[rs.FSRSReview] = []
        previous: date | None = None
        for r in card_reviews:
            delta = (r.day - previous).days if previous else 0
            history.append(rs.FSRSReview(r.rating, delta))
            previous = r.day
            if len(history) > 1 and delta > 0:
                dated.append(((r.day, r.order), rs.FSRSItem(list(history))))
    dated.sort(key=lambda pair: pair[0])
    cut = len(dated) - int(len(dated) * holdout)
    days = (last - first).days if first and last else 0
    return Dataset(
        train=[item for _k, item in dated[:cut]],
        test=[item for _k, item in dated[cut:]],
        reviews=count,
        days=days,
    )


def enough(data: Dataset) -> bool:
    """Whether a learner's own history is worth a fit (see MIN_REVIEWS and MIN_DAYS)."""
    return data.reviews >= MIN_REVIEWS and data.days >= MIN_DAYS


def score(parameters: Sequence[float], items: Sequence[rs.FSRSItem]) -> Score | None:
    """Log loss and RMSE (bins) of `parameters` on `items`; None without items."""
    if not items:
        return None
    result = rs.FSRS(list(parameters)).evaluate(list(items))
    if math.isnan(result.log_loss):
        return None
    return Score(float(result.log_loss), float(result.rmse_bins))


def train(items: Sequence[rs.FSRSItem], start: Sequence[float] | None = None) -> tuple[float, ...]:
    """Parameters fitted on `items` (the optimiser starts from `start`, else the defaults)."""
    model = rs.FSRS(list(start or DEFAULT_PARAMETERS))
    # the optimiser's 5 epochs are a few dozen steps on one learner's items: take enough epochs
    # for about STEPS steps of 512 items (a zone's thousands of items need no more than 5)
    epochs = max(5, min(MAX_EPOCHS, math.ceil(STEPS * 512 / max(1, len(items)))))
    config = rs.TrainingConfig(num_epochs=epochs)
    return within_bounds(model.compute_parameters(list(items), training_config=config))


def within_bounds(parameters: Sequence[float]) -> tuple[float, ...]:
    """Parameters rounded and kept inside the bounds the `fsrs` scheduler accepts (it refuses a
    set outside them, and the two packages' bounds need not agree to the last decimal)."""
    return tuple(
        min(high, max(low, round(float(w), 4)))
        for w, low, high in zip(parameters, LOWER_BOUNDS, UPPER_BOUNDS, strict=True)
    )


def fit(data: Dataset, current: Sequence[float] | None) -> Fit:
    """Fit on the training part; accept only a set that beats `current` on the held-out part.

    The optimiser is run from the defaults and from `current`: it settles in different local
    optima, and the one that fits the training items better is judged."""
    current = tuple(current or DEFAULT_PARAMETERS)
    if len(data.test) < MIN_HELD_OUT or not data.train:
        return Fit(current, None, None, False, "too_few_reviews")
    candidate = train(data.train)
    if current != DEFAULT_PARAMETERS:
        # also from the set in use; the better of the two on the training items goes on
        other = train(data.train, current)
        scores = score(candidate, data.train), score(other, data.train)
        if scores[1] and (not scores[0] or scores[1].log_loss < scores[0].log_loss):
            candidate = other
    return judge(candidate, current, data.test)


def judge(candidate: Sequence[float], current: Sequence[float], test) -> Fit:
    """Keep `candidate` only if its held-out log loss is lower than `current`'s."""
    before, after = score(current, test), score(candidate, test)
    if before is None or after is None:
        return Fit(tuple(current), before, after, False, "no_held_out")
    if after.log_loss >= before.log_loss:
        return Fit(tuple(current), before, after, False, "not_better")
    return Fit(tuple(candidate), before, after, True, "better")


def decay(parameters: Sequence[float] | None) -> float:
    """FSRS-6's forgetting-curve exponent (negative) of a parameter set."""
    return -float((parameters or DEFAULT_PARAMETERS)[20])


# --------------------------------------------------------------------------- workload

#: the desired retentions the settings page compares
RETENTIONS = (0.80, 0.85, 0.90, 0.95)


@dataclass(frozen=True)
class Workload:
    retention: float
    #: reviews a day, averaged over the simulated span (new cards not counted)
    reviews_per_day: float
    #: cards remembered at the end of the span (sum of their predicted recall)
    remembered: float


def workload(
    parameters: Sequence[float] | None,
    *,
    cards: int,
    new_per_day: int,
    days: int = 365,
    retentions: Sequence[float] = RETENTIONS,
    seed: int = 2026,
) -> list[Workload]:
    """Reviews a day at each desired retention, by fsrs-rs's simulator (same seed for all)."""
    config = rs.default_simulator_config()
    config.deck_size = max(1, cards)
    config.learn_span = days
    config.learn_limit = max(1, new_per_day)
    config.max_cost_perday = 1e9
    out = []
    for retention in retentions:
        result = rs.simulate(list(parameters or DEFAULT_PARAMETERS), retention, config, seed)
        counts = result.review_cnt_per_day
        out.append(
            Workload(
                retention=retention,
                reviews_per_day=sum(counts) / len(counts) if counts else 0.0,
                remembered=float(result.memorized_cnt_per_day[-1])
                if result.memorized_cnt_per_day
                else 0.0,
            )
        )
    return out


# --------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    predicted: float
    actual: float


def calibration(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[Bin]:
    """Predicted recall against the share actually recalled, in `bins` equal-width bins."""
    sums = [[0, 0.0, 0] for _ in range(bins)]
    for predicted, recalled in pairs:
        i = min(bins - 1, max(0, int(predicted * bins)))
        sums[i][0] += 1
        sums[i][1] += predicted
        sums[i][2] += 1 if recalled else 0
    return [Bin(i / bins, (i + 1) / bins, n, p / n, a / n) for i, (n, p, a) in enumerate(sums) if n]


def recall(stability: float | None, days: float, parameters: Sequence[float] | None) -> float:
    """FSRS-6's predicted recall `days` after a review that left `stability` (0 without one)."""
    if not stability or stability <= 0:
        return 0.0
    exponent = decay(parameters)
    factor = 0.9 ** (1 / exponent) - 1
    return (1 + factor * max(0.0, days) / stability) ** exponent
