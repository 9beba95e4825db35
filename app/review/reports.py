"""The study day so far, the learner's statistics, and the trainers' leech report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, and_, case, cast, false, func, select, true

from app import policy, srs
from app.extensions import db
from app.models import Card, Course, Item, Lesson, ReviewLog, Role, User
from app.review.deck import LIVE, dialect, in_use, with_content
from app.srs import stats as srs_stats
from app.srs.scheduling import LEARNING, RELEARNING, REVIEW


def _epoch_hour(column):
    """Whole hours since the Unix epoch of a timestamp, for grouping by hour in SQL."""
    if dialect() == "sqlite":
        return cast(func.strftime("%s", column), Integer) / 3600
    return cast(func.floor(func.extract("epoch", column) / 3600), Integer)


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
        with_content(select(Card.due))
        .where(
            Card.user_id == user.id,
            Card.is_new == false(),
            Card.suspended == false(),
            in_use(user),
            Card.due > now,
            Card.due < end,
            LIVE,
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
    live_reviews = with_content(select().select_from(Card)).where(
        Card.user_id == user.id,
        Card.is_new == false(),
        Card.suspended == false(),
        in_use(user),
        LIVE,
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

    retired = (~LIVE).label("retired")
    state_rows = db.session.execute(
        with_content(select(Card.state, Card.is_new, Card.suspended, retired, Card.leech))
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
