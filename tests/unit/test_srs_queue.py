"""The daily queue's rules: new-card limit, review cap and backlog mode, sibling spacing."""

from dataclasses import dataclass

from app.srs import QueueSettings, pick, plan


def test_new_cards_up_to_the_daily_limit():
    settings = QueueSettings(new_per_day=15, review_cap=200)
    assert plan(settings, reviews_done=0, new_done=0, reviews_due=10).new_left == 15
    assert plan(settings, reviews_done=0, new_done=12, reviews_due=0).new_left == 3
    assert plan(settings, reviews_done=0, new_done=20, reviews_due=0).new_left == 0


def test_backlog_caps_the_days_reviews_and_holds_new_cards_back():
    settings = QueueSettings(new_per_day=15, review_cap=100)
    normal = plan(settings, reviews_done=30, new_done=0, reviews_due=70)
    assert not normal.backlog and normal.reviews_left == 70 and normal.new_left == 15
    backlog = plan(settings, reviews_done=0, new_done=0, reviews_due=640)
    assert backlog.backlog and backlog.reviews_left == 100 and backlog.new_left == 0
    done = plan(settings, reviews_done=100, new_done=0, reviews_due=540)
    assert done.backlog and done.reviews_left == 0


@dataclass(frozen=True)
class C:
    card_id: int
    item_id: int


def test_siblings_of_the_word_just_answered_are_not_shown_next():
    candidates = [C(1, 10), C(2, 10), C(3, 11)]
    assert pick(candidates, last_item_id=10) == C(3, 11)
    assert pick(candidates, last_item_id=99) == C(1, 10)
    # only siblings left: better a sibling than nothing
    assert pick([C(1, 10), C(2, 10)], last_item_id=10) == C(1, 10)
    assert pick([], last_item_id=None) is None
