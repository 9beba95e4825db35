"""The learner's daily goal and review reminder: settings, and today's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, ReviewLog, User, utcnow

#: minutes a day the learner may aim for
GOAL_CHOICES = (5, 10, 15, 20, 30, 45, 60)
#: the time zones of Russia, west to east (the learner's day and reminder hour follow theirs)
TIMEZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)
DEFAULT_TIMEZONE = "Europe/Moscow"


def zone_of(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_midnight(user: User, now: datetime) -> datetime:
    """The start of the learner's current day, as an aware datetime."""
    local = now.astimezone(zone_of(user))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def answering_ms(user: User, since: datetime) -> int:
    """Milliseconds the learner spent on answers and reviews since `since` (two sums)."""
    answers = db.session.scalar(
        select(func.coalesce(func.sum(Attempt.duration_ms), 0)).where(
            Attempt.user_id == user.id, Attempt.created_at >= since
        )
    )
    reviews = db.session.scalar(
        select(func.coalesce(func.sum(ReviewLog.duration_ms), 0)).where(
            ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= since
        )
    )
    return (answers or 0) + (reviews or 0)


def minutes_today(user: User, now: datetime | None = None) -> int:
    """Minutes of answers and reviews since the learner's local midnight."""
    now = now or utcnow()
    return int(answering_ms(user, local_midnight(user, now)) // 60000)


@dataclass(frozen=True)
class GoalToday:
    goal: int
    done: int

    @property
    def reached(self) -> bool:
        return self.done >= self.goal

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.goal)) if self.goal else 100

    @property
    def left(self) -> int:
        return max(0, self.goal - self.done)


def today(user: User, now: datetime | None = None) -> GoalToday:
    return GoalToday(user.daily_goal_minutes, minutes_today(user, now))


def update(
    user: User, *, goal: int, reminder: bool, hour: int, timezone: str | None = None
) -> None:
    """Save my daily goal and reminder; values outside the offered ones are refused."""
    if goal not in GOAL_CHOICES:
        raise ValueError("goal")
    if not 0 <= hour <= 23:
        raise ValueError("hour")
    if timezone is not None:
        if timezone not in TIMEZONES:
            raise ValueError("timezone")
        user.timezone = timezone
    user.daily_goal_minutes = goal
    user.review_reminder = reminder
    user.reminder_hour = hour
    db.session.flush()


def next_reminder(user: User, now: datetime | None = None) -> datetime | None:
    """When the next reminder may go out (local time), for the settings page."""
    if not user.review_reminder:
        return None
    now = (now or utcnow()).astimezone(zone_of(user))
    moment = now.replace(hour=user.reminder_hour, minute=0, second=0, microsecond=0)
    return moment if moment > now else moment + timedelta(days=1)
