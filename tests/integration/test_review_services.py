"""Review services on the database: cards, the daily queue, answers once, undo, statistics."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Card, Course, Item, Lesson, ReviewLog, User
from app.review import answers, daily_queue, deck, reports, suspension
from app.review.deck import ReviewError
from app.srs.scheduling import GOOD, LEARNING, REVIEW
from tests.helpers import sql_statements

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 12:00 in Moscow

WORDS = (
    ("你好", "nǐ hǎo", "здравствуйте"),
    ("谢谢", "xièxie", "спасибо"),
    ("再见", "zàijiàn", "до свидания"),
    ("老师", "lǎoshī", "учитель"),
    ("朋友", "péngyou", "друг"),
    ("中国", "Zhōngguó", "Китай"),
)


def make_lesson(
    words=WORDS, course_slug: str = "biz", lesson_slug: str = "hello"
) -> tuple[Lesson, list[Item]]:
    """A published course with one lesson of vocabulary (and a dialogue line, not a word)."""
    course = db.session.scalar(select(Course).where(Course.slug == course_slug))
    if course is None:
        course = Course(slug=course_slug, title="Деловой китайский", published=True)
        db.session.add(course)
    lesson = Lesson(course=course, slug=lesson_slug, title="Приветствие")
    items = [
        Item(lesson=lesson, key=f"{lesson_slug}-{i}", kind="word", position=i, hanzi=h,
             pinyin=p, ru=r)
        for i, (h, p, r) in enumerate(words)
    ]  # fmt: skip
    line = Item(lesson=lesson, key=f"{lesson_slug}-line", kind="line", hanzi="你好！", ru="Привет!")
    db.session.add_all([lesson, *items, line])
    db.session.commit()
    return lesson, [*items, line]


def cards_of(user: User) -> list[Card]:
    return list(db.session.scalars(select(Card).where(Card.user_id == user.id).order_by(Card.id)))


def answer(user, card, rating=GOOD, *, now=NOW, review_id=None, version="current"):
    result = answers.answer(
        user,
        card_id=card.id,
        rating=rating,
        review_id=review_id or str(uuid.uuid4()),
        duration_ms=4000,
        now=now,
        version=card.version if version == "current" else version,
    )
    db.session.commit()
    return result


def make_mature(card: Card, *, days_ago: float, stability: float, due_days_ago: float = 0.5):
    card.is_new = False
    card.state = REVIEW
    card.step = None
    card.stability = stability
    card.difficulty = 5.0
    card.last_review = NOW - timedelta(days=days_ago)
    card.due = NOW - timedelta(days=due_days_ago)
    card.reps = 3


def next_shown(user, now=NOW):
    shown, _counts = daily_queue.next_card(user, now)
    return shown


# --------------------------------------------------------------------------- cards


def test_ensure_cards_makes_sensible_directions_once(people):
    _lesson, items = make_lesson()
    created = deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    # 6 words × 4 directions; the dialogue line gets none
    assert created == 24
    assert deck.ensure_cards(people.learner_a, items) == 0
    cards = cards_of(people.learner_a)
    assert {c.direction for c in cards} == {"recognition", "recall", "listening", "pinyin"}
    assert all(c.is_new and c.due <= datetime.now(UTC) for c in cards)
    # recognition cards come first in the order new cards are introduced
    assert [c.direction for c in cards[:6]] == ["recognition"] * 6
    assert cards_of(people.learner_b) == []


def test_retired_item_suspends_its_cards_and_keeps_history(people):
    _lesson, items = make_lesson(WORDS[:2])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    first = next_shown(people.learner_a)
    answer(people.learner_a, first.card)
    db.session.get(Item, first.item.id).retired_at = NOW  # the shown word is a read-only view
    db.session.commit()
    shown_items = set()
    for _ in range(10):
        shown = next_shown(people.learner_a, NOW + timedelta(hours=1))
        if shown is None:
            break
        shown_items.add(shown.item.id)
        answer(people.learner_a, shown.card, 4, now=NOW + timedelta(hours=1))
    assert first.item.id not in shown_items
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 5  # the history stays
    assert db.session.get(Card, first.card.id) is not None
    with pytest.raises(ReviewError) as refused:
        answer(people.learner_a, db.session.get(Card, first.card.id))
    assert refused.value.code == "not_reviewable"
    stats = reports.statistics(people.learner_a, NOW + timedelta(hours=1))
    assert stats.states["suspended"] == 4


# --------------------------------------------------------------------------- the queue


def test_due_cards_come_first_most_forgotten_first_then_new(people):
    _lesson, items = make_lesson()
    deck.ensure_cards(people.learner_a, items)
    cards = [c for c in cards_of(people.learner_a) if c.direction == "recognition"]
    # retrievability falls with elapsed days over stability: c[1] is the most forgotten
    make_mature(cards[0], days_ago=5, stability=10)
    make_mature(cards[1], days_ago=30, stability=3)
    make_mature(cards[2], days_ago=12, stability=8)
    db.session.commit()
    order = []
    for _ in range(4):
        shown = next_shown(people.learner_a)
        order.append(shown.card.id)
        answer(people.learner_a, shown.card, 4)
    assert order[:3] == [cards[1].id, cards[2].id, cards[0].id]
    assert db.session.get(Card, order[3]).reps == 1  # then a new card


def test_new_cards_stop_at_the_daily_limit_counted_per_study_day(people):
    _lesson, items = make_lesson()
    people.learner_a.daily_new_limit = 3
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    for _ in range(3):
        answer(people.learner_a, next_shown(people.learner_a).card, 4)
    assert next_shown(people.learner_a) is None
    assert daily_queue.due_count(people.learner_a, NOW) == 0
    # 03:59 Moscow next night is still the same study day; 04:00 starts a new one
    assert daily_queue.due_count(people.learner_a, datetime(2026, 3, 3, 0, 59, tzinfo=UTC)) == 0
    assert daily_queue.due_count(people.learner_a, datetime(2026, 3, 3, 1, 0, tzinfo=UTC)) == 3


def test_siblings_are_not_shown_back_to_back(people):
    _lesson, items = make_lesson(WORDS[:3])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    previous = None
    for _ in range(12):
        shown = next_shown(people.learner_a)
        if shown is None:
            break
        if previous is not None:
            assert shown.item.id != previous, "two cards of one word in a row"
        previous = shown.item.id
        answer(people.learner_a, shown.card, 4)


def test_learning_steps_come_back_within_minutes(people):
    _lesson, items = make_lesson(WORDS[:1])
    people.learner_a.daily_new_limit = 1
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    card = next_shown(people.learner_a).card
    answer(people.learner_a, card, 1)  # Again: back in a minute
    later = next_shown(people.learner_a, NOW + timedelta(seconds=30))
    assert later is not None and later.card.id == card.id  # learned ahead: nothing else left
    assert later.card.state == LEARNING and not later.card.is_new


def test_backlog_mode_caps_the_day_and_holds_new_cards(people, monkeypatch):
    _lesson, items = make_lesson()
    deck.ensure_cards(people.learner_a, items)
    cards = cards_of(people.learner_a)
    for i, card in enumerate(cards[:10]):
        make_mature(card, days_ago=20 + i, stability=2)
    db.session.commit()
    monkeypatch.setattr(daily_queue, "settings_of", lambda u: daily_queue.srs.QueueSettings(15, 4))
    counts = daily_queue.counts(people.learner_a, NOW)
    assert counts.backlog and counts.review == 4 and counts.new == 0
    seen = []
    for _ in range(4):
        shown = next_shown(people.learner_a)
        seen.append(shown.card.id)
        answer(people.learner_a, shown.card, GOOD)
    assert next_shown(people.learner_a) is None
    # the four most overdue relative to their stability (the oldest) went first
    assert set(seen) == {c.id for c in cards[6:10]}


def test_suspended_and_buried_cards_leave_the_queue(people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    cards = cards_of(people.learner_a)
    suspension.suspend(people.learner_a, cards[0].id)
    suspension.bury(people.learner_a, cards[1].id, NOW)
    db.session.commit()
    assert daily_queue.counts(people.learner_a, NOW).new == 2
    tomorrow = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    assert daily_queue.counts(people.learner_a, tomorrow).new == 3
    suspension.resume(people.learner_a, cards[0].id)
    db.session.commit()
    assert daily_queue.counts(people.learner_a, tomorrow).new == 4
    with pytest.raises(ReviewError):
        suspension.suspend(people.learner_b, cards[0].id)  # not theirs


# --------------------------------------------------------------------------- answers


def test_an_answer_is_recorded_once_however_often_it_arrives(people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    card = next_shown(people.learner_a).card
    version = card.version
    review_id = str(uuid.uuid4())
    first = answer(people.learner_a, card, GOOD, review_id=review_id, version=version)
    again = answer(people.learner_a, card, GOOD, review_id=review_id, version=version)
    assert not first.duplicate and again.duplicate and again.log.id == first.log.id
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1
    stored = db.session.get(Card, card.id)
    assert stored.reps == 1 and stored.version == version + 1
    log = first.log
    assert (log.rating, log.state_before, log.was_new, log.duration_ms) == (GOOD, LEARNING, True,
                                                                            4000)  # fmt: skip
    assert log.elapsed_days == 0 and log.due_after == stored.due


def test_a_stale_tab_is_refused(people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    card = next_shown(people.learner_a).card
    shown_version = card.version
    answer(people.learner_a, card, 4, version=shown_version)  # Easy: due again in days
    with pytest.raises(ReviewError) as stale:
        answer(people.learner_a, card, 4, version=shown_version)
    assert stale.value.code == "stale"
    db.session.rollback()
    # without a version: refused because the card is no longer due
    with pytest.raises(ReviewError) as not_due:
        answer(people.learner_a, card, 4, version=None, now=NOW + timedelta(seconds=1))
    assert not_due.value.code == "stale"


def test_a_review_id_cannot_be_reused_for_another_answer(people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    cards = cards_of(people.learner_a)
    review_id = str(uuid.uuid4())
    answer(people.learner_a, cards[0], GOOD, review_id=review_id)
    with pytest.raises(ReviewError) as reused:
        answer(people.learner_a, cards[1], GOOD, review_id=review_id)
    assert reused.value.code == "reused"
    with pytest.raises(ReviewError) as bad:
        answer(people.learner_a, cards[1], GOOD, review_id="not-a-uuid")
    assert bad.value.code == "bad_request"


def test_undo_restores_the_card_once_and_keeps_the_log(people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    card = next_shown(people.learner_a).card
    before = (card.state, card.due, card.reps, card.is_new)
    result = answer(people.learner_a, card, 1)
    assert answers.last_undoable(people.learner_a, NOW).review_id == result.log.review_id
    restored = answers.undo(people.learner_a, result.log.review_id)
    db.session.commit()
    assert (restored.state, restored.due, restored.reps, restored.is_new) == before
    again = answers.undo(people.learner_a, result.log.review_id)  # a double click
    db.session.commit()
    assert again.version == restored.version
    log = db.session.get(ReviewLog, result.log.id)
    assert log.undone
    assert answers.last_undoable(people.learner_a, NOW) is None
    # the undone answer no longer counts against the day's new cards
    assert daily_queue.progress(people.learner_a, NOW).new_done == 0
    # once the card is answered again, the earlier answer cannot be undone
    second = answer(people.learner_a, db.session.get(Card, card.id), GOOD)
    with pytest.raises(ReviewError):
        answers.undo(people.learner_b, second.log.review_id)
    third = answer(
        people.learner_a, db.session.get(Card, card.id), GOOD, now=NOW + timedelta(minutes=10)
    )
    with pytest.raises(ReviewError) as stale:
        answers.undo(people.learner_a, second.log.review_id)
    assert stale.value.code == "stale"
    assert not db.session.get(ReviewLog, third.log.id).undone


def test_leech_after_eight_lapses(people):
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    card = cards_of(people.learner_a)[0]
    make_mature(card, days_ago=3, stability=2)
    card.lapses = 7
    db.session.commit()
    answer(people.learner_a, card, 1)
    stored = db.session.get(Card, card.id)
    assert stored.leech and stored.lapses == 8
    assert deck.my_cards(people.learner_a, which="leech") == [(stored, stored.item)]
    total, learners, rows = reports.leech_report(people.trainer)
    assert (total, learners) == (1, 1) and rows[0].item.hanzi == "你好" and rows[0].cards == 1
    from werkzeug.exceptions import Forbidden

    with pytest.raises(Forbidden):
        reports.leech_report(people.learner_a)


# --------------------------------------------------------------------------- statistics


def test_statistics_of_reviews_retention_forecast_and_states(people):
    _lesson, items = make_lesson(WORDS[:3])
    deck.ensure_cards(people.learner_a, items)
    cards = cards_of(people.learner_a)
    for card in cards[:4]:
        make_mature(card, days_ago=10, stability=8)
    db.session.commit()
    # yesterday evening in Moscow (counts for 1 March) and today
    yesterday = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    answer(people.learner_a, cards[0], GOOD, now=yesterday)
    answer(people.learner_a, cards[1], 1)
    answer(people.learner_a, cards[2], GOOD)
    answer(people.learner_a, cards[3], 3)
    answer(people.learner_a, cards[8], 3)  # a new card: not part of true retention
    stats = reports.statistics(people.learner_a, NOW)
    assert stats.by_day == {datetime(2026, 3, 1).date(): 1, datetime(2026, 3, 2).date(): 4}
    assert stats.streak == 2 and stats.total_reviews == 5
    assert (stats.passed, stats.failed) == (3, 1) and stats.retention == 0.75
    assert stats.states["review"] == 3 and stats.states["relearning"] == 1
    assert stats.states["learning"] == 1 and stats.states["new"] == 12 - 5
    horizon = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)  # 04:00 Moscow, 30 study days on
    due_soon = [c for c in cards_of(people.learner_a) if not c.is_new and c.due < horizon]
    assert sum(n for _d, n in stats.forecast_days) == len(due_soon) == 4
    assert stats.today.reviewed == 4 and stats.today.passed == 3 and stats.today.new == 1


def test_review_logs_feed_fsrs_optimizer(people):
    import fsrs

    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    card = cards_of(people.learner_a)[0]
    answer(people.learner_a, card, GOOD)
    logs = reports.fsrs_review_logs(people.learner_a)
    assert len(logs) == 1 and isinstance(logs[0], fsrs.ReviewLog)
    assert (logs[0].card_id, logs[0].rating, logs[0].review_duration) == (card.id, GOOD, 4000)
    assert logs[0].review_datetime == NOW


# --------------------------------------------------------------------------- cost


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _cost(user: User, now: datetime) -> tuple[int, int]:
    db.session.refresh(user)  # loaded as a request has it (the test's commits expired it)
    user.roles  # noqa: B018
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        shown, _counts = daily_queue.next_card(user, now)
        after_next = counter.count
        answer(user, shown.card, GOOD, now=now)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return after_next, counter.count - after_next


def test_queue_and_answer_cost_a_bounded_number_of_queries(people):
    small_lesson, small = make_lesson(WORDS[:2], lesson_slug="small")
    deck.ensure_cards(people.learner_a, small)
    make_mature(cards_of(people.learner_a)[0], days_ago=4, stability=3)
    db.session.commit()
    small_cost = _cost(people.learner_a, NOW)
    many = [(f"字{i}", "zì", f"слово {i}") for i in range(60)]
    _lesson, items = make_lesson(many, lesson_slug="big")
    for user in (people.learner_a, people.learner_b, people.hr_a):
        deck.ensure_cards(user, items)
    for card in cards_of(people.learner_a)[:100]:
        make_mature(card, days_ago=4, stability=3)
    db.session.commit()
    assert _cost(people.learner_a, NOW) == small_cost
    # next card: the day's counts, progress and undo with the due candidates and their audio
    # clips (1); an answer: the card (1), then on PostgreSQL one statement that locks the card,
    # INSERTs the log and UPDATEs the card (1), elsewhere the INSERT and the UPDATE (2)
    writes = 1 if db.engine.dialect.name == "postgresql" else 2
    assert small_cost == (1, 1 + writes), small_cost
    # nothing due, only new cards: their candidates are one query more
    assert _cost(people.learner_b, NOW) == (2, 1 + writes)


def test_learning_ahead_is_shown_and_counted_in_one_query(people):
    """With nothing else left today, the learning steps due within the learn-ahead window are
    shown, and all of them counted as learning, past the few candidates read: one query more
    than the day's."""
    many = [(f"字{i}", "zì", f"слово {i}") for i in range(12)]
    _lesson, items = make_lesson(many, lesson_slug="ahead")
    deck.ensure_cards(people.learner_a, items)
    learning = [c for c in cards_of(people.learner_a) if c.direction == "recognition"]
    for n, card in enumerate(learning):
        card.is_new, card.state, card.step = False, LEARNING, 0
        card.due = NOW + timedelta(minutes=1 + n)  # all within the 20 minutes ahead
    for card in cards_of(people.learner_a):
        card.suspended = card not in learning
    db.session.commit()
    db.session.refresh(people.learner_a)
    people.learner_a.roles  # noqa: B018
    with sql_statements() as seen:
        shown, counts = daily_queue.next_card(people.learner_a, NOW)
    assert shown.card.id == learning[0].id
    assert (counts.learning, counts.review, counts.new) == (12, 0, 0)
    assert len(seen) == 2, seen
    assert daily_queue.counts(people.learner_a, NOW).learning == 12


# --------------------------------------------------------------------------- demo


def test_seed_demo_gives_learners_the_first_lessons_cards(app, runner, monkeypatch):
    from app.demo import DEMO_REVIEW_COURSE, DEMO_REVIEW_LESSON

    monkeypatch.setenv("QIAO_DEMO_PASSWORD", "demo-password-1")
    skipped = runner.invoke(args=["seed-demo"])
    assert skipped.exit_code == 0
    assert "review cards skipped" in skipped.output
    assert skipped.output.rstrip().splitlines()[-1].count("\t") == 2
    with app.app_context():
        make_lesson(course_slug=DEMO_REVIEW_COURSE, lesson_slug=DEMO_REVIEW_LESSON)
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(User.email, func.count(Card.id))
                .join(Card, Card.user_id == User.id)
                .group_by(User.email)
            ).all()
        )
        assert counts == {
            "hr@lassard.demo": 24,
            "learner@lassard.demo": 24,
            "learner@hirana.demo": 24,
            "learner@raytibor.demo": 24,
        }
        learner = db.session.scalar(select(User).where(User.email == "learner@lassard.demo"))
        assert daily_queue.due_count(learner, datetime.now(UTC)) == 15
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "skipped" not in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Card.id))) == 96
