"""FSRS fitting (app/srs/fitting.py): items from review histories, held-out judgement (a worse
fit is never used), the threshold for a learner's own fit, workload and calibration."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import fsrs
import pytest

from app.srs import fitting
from app.srs.fitting import Review
from bench.fsrs_fit import PROFILES, simulate, true_parameters

D0 = date(2026, 1, 5)


@lru_cache(maxsize=1)
def fast_forgetter() -> fitting.Dataset:
    """~60 days of a simulated fast forgetter reviewing through the app's scheduler."""
    _name, stab, growth, decay, first = PROFILES[0]
    w = true_parameters(stab, growth, decay, random.Random(1))
    return fitting.dataset(simulate(w, first, days=60, new_per_day=12, cards=250, seed=7))


def test_items_are_one_per_later_review_and_the_newest_are_held_out():
    reviews = [
        Review(1, D0, 3, 1), Review(1, D0, 3, 2),  # learning steps, same day: not predicted
        Review(1, D0 + timedelta(days=2), 3, 3), Review(1, D0 + timedelta(days=9), 1, 4),
        Review(2, D0 + timedelta(days=1), 4, 5), Review(2, D0 + timedelta(days=5), 3, 6),
    ]  # fmt: skip
    data = fitting.dataset(reviews, holdout=0.34)
    assert (data.reviews, data.days) == (6, 9)
    assert len(data.train) + len(data.test) == 3
    # the held-out item is the newest: card 1's lapse on day 9, after its whole history
    (held,) = data.test
    assert [re.findall(r"rating: (\d), delta_t: (\d+)", repr(r))[0] for r in held.reviews] == [
        ("3", "0"), ("3", "0"), ("3", "2"), ("1", "7")
    ]  # fmt: skip


def test_a_learner_needs_512_reviews_over_14_days():
    def data(reviews, days):
        return fitting.Dataset(train=[], test=[], reviews=reviews, days=days)

    assert fitting.enough(data(512, 14))
    assert not fitting.enough(data(511, 30))
    assert not fitting.enough(data(5000, 13))


def test_a_fit_that_is_worse_on_held_out_reviews_is_not_used():
    data = fast_forgetter()
    good = fitting.train(data.train)
    worse = list(good)
    worse[0] = worse[1] = worse[2] = worse[3] = 80.0  # every new card "remembered for months"
    result = fitting.judge(worse, good, data.test)
    assert not result.accepted and result.reason == "not_better"
    assert result.parameters == tuple(good)
    assert result.after.log_loss > result.before.log_loss


def test_a_fit_that_beats_the_defaults_is_used():
    data = fast_forgetter()
    result = fitting.fit(data, None)
    assert result.accepted and result.reason == "better"
    assert result.after.log_loss < result.before.log_loss
    assert len(result.parameters) == 21 and result.parameters != fitting.DEFAULT_PARAMETERS


def test_too_few_reviews_change_nothing():
    reviews = [Review(c, D0 + timedelta(days=k), 3, k) for c in range(3) for k in (0, 1, 3)]
    result = fitting.fit(fitting.dataset(reviews), None)
    assert not result.accepted and result.reason == "too_few_reviews"
    assert result.parameters == fitting.DEFAULT_PARAMETERS


def test_predicted_recall_is_the_schedulers():
    w = list(fitting.DEFAULT_PARAMETERS)
    w[20] = 0.5
    scheduler = fsrs.Scheduler(parameters=w)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    card = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=4.0, difficulty=5.0,
                     last_review=now - timedelta(days=6), due=now)  # fmt: skip
    expected = scheduler.get_card_retrievability(card, current_datetime=now)
    assert fitting.recall(4.0, 6, w) == pytest.approx(expected)
    assert fitting.recall(None, 6, w) == 0.0


def test_a_higher_desired_retention_costs_more_reviews():
    rows = fitting.workload(None, cards=400, new_per_day=10, days=120)
    assert [r.retention for r in rows] == [0.80, 0.85, 0.90, 0.95]
    per_day = [r.reviews_per_day for r in rows]
    assert per_day == sorted(per_day) and per_day[-1] > 1.5 * per_day[0]


def test_calibration_bins_compare_predicted_and_actual():
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.42, True), (0.44, False)]
    bins = fitting.calibration(pairs)
    assert [(b.low, b.count) for b in bins] == [(0.4, 2), (0.9, 10)]
    assert bins[1].predicted == pytest.approx(0.95) and bins[1].actual == pytest.approx(0.9)
    assert bins[0].actual == pytest.approx(0.5)


def test_fitted_parameters_are_ones_the_scheduler_accepts():
    wild = [-1.0, 500.0, *fitting.DEFAULT_PARAMETERS[2:20], 5.0]
    kept = fitting.within_bounds(wild)
    fsrs.Scheduler(parameters=kept)  # raises on a set outside its bounds
    assert kept[2:20] == fitting.DEFAULT_PARAMETERS[2:20]
    fsrs.Scheduler(parameters=fitting.train(fast_forgetter().train))
