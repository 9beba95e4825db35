"""FSRS scheduling on the fsrs package: states, intervals, leeches, retention, study days."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.srs import CardState, day_start, preview, retrievability, review, scheduler_for, study_day
from app.srs.scheduling import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING,
    LEECH_LAPSES,
    RELEARNING,
    REVIEW,
    forgetting_key,
    to_fsrs,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")


def mature(card_id=7, days_ago=10, stability=12.0, lapses=0) -> CardState:
    return CardState(
        card_id=card_id,
        state=REVIEW,
        stability=stability,
        difficulty=5.0,
        due=NOW - timedelta(days=1),
        last_review=NOW - timedelta(days=days_ago),
        reps=5,
        lapses=lapses,
        is_new=False,
    )


def test_new_card_goes_through_learning_steps_under_a_day():
    new = CardState(card_id=1)
    again = review(new, AGAIN, NOW)
    good = review(new, GOOD, NOW)
    assert again.card.state == LEARNING and again.interval == timedelta(minutes=1)
    assert good.card.state == LEARNING and good.interval == timedelta(minutes=10)
    assert good.was_new and not good.card.is_new and good.elapsed_days == 0
    graduated = review(good.card, GOOD, NOW + timedelta(minutes=10))
    assert graduated.card.state == REVIEW and graduated.interval >= timedelta(days=1)
    easy = review(new, EASY, NOW)
    assert easy.card.state == REVIEW and easy.interval >= timedelta(days=3)


def test_the_card_keeps_its_own_id_in_fsrs():
    assert to_fsrs(CardState(card_id=4242), NOW).card_id == 4242


def test_buttons_show_exactly_the_interval_the_answer_gives():
    card = mature()
    shown = preview(card, NOW)
    for rating in (AGAIN, HARD, GOOD, EASY):
        assert review(card, rating, NOW).interval == shown[rating]
    assert shown[AGAIN] < shown[HARD] <= shown[GOOD] <= shown[EASY]


def test_a_lapse_is_counted_and_the_eighth_makes_a_leech():
    card = mature(lapses=LEECH_LAPSES - 2)
    once = review(card, AGAIN, NOW)
    assert once.card.state == RELEARNING and once.card.lapses == LEECH_LAPSES - 1
    assert not once.card.leech
    twice = review(mature(lapses=LEECH_LAPSES - 1), AGAIN, NOW)
    assert twice.card.leech
    # Again during learning is not a lapse
    assert review(CardState(card_id=1), AGAIN, NOW).card.lapses == 0


def test_desired_retention_is_clamped_and_higher_retention_means_sooner():
    assert scheduler_for(0.5).desired_retention == 0.70
    assert scheduler_for(0.99).desired_retention == 0.97
    assert scheduler_for(None).desired_retention == 0.90
    assert scheduler_for(0.9) is scheduler_for(0.9)
    card = mature(stability=30.0)
    relaxed = review(card, GOOD, NOW, desired_retention=0.80).interval
    strict = review(card, GOOD, NOW, desired_retention=0.95).interval
    assert strict < relaxed


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        review(CardState(card_id=1), GOOD, datetime(2026, 1, 1))


def test_rating_must_be_one_to_four():
    with pytest.raises(ValueError):
        review(CardState(card_id=1), 5, NOW)


@given(
    st.lists(
        st.tuples(st.floats(0.5, 400), st.floats(0.2, 300)), min_size=2, max_size=12, unique=True
    )
)
def test_queue_order_by_forgetting_key_is_the_order_of_retrievability(cards):
    """Sorting by elapsed days over stability (what SQL does) sorts by fsrs's retrievability."""
    states = [
        CardState(card_id=i, state=REVIEW, stability=s, difficulty=5.0, due=NOW,
                  last_review=NOW - timedelta(days=float(int(days))), is_new=False)
        for i, (days, s) in enumerate(cards)
    ]  # fmt: skip
    by_key = sorted(states, key=lambda c: -forgetting_key(c.last_review, c.stability, NOW))
    r = [retrievability(c, NOW) for c in by_key]
    assert r == sorted(r)


def test_study_day_rolls_over_at_four_in_the_learners_zone():
    # 03:30 in Moscow is still the day before; 04:00 starts the new day
    assert study_day(datetime(2026, 3, 2, 0, 30, tzinfo=UTC), MOSCOW) == date(2026, 3, 1)
    assert study_day(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), MOSCOW) == date(2026, 3, 2)
    assert day_start(date(2026, 3, 2), MOSCOW) == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    vladivostok = ZoneInfo("Asia/Vladivostok")
    assert study_day(datetime(2026, 3, 1, 17, 59, tzinfo=UTC), vladivostok) == date(2026, 3, 1)
    assert study_day(datetime(2026, 3, 1, 18, 0, tzinfo=UTC), vladivostok) == date(2026, 3, 2)
