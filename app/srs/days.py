"""Study days: a learner's day rolls over at 04:00 in their own time zone, not at midnight UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Moscow"
ROLLOVER = time(4, 0)


def zone(name: str | None) -> ZoneInfo:
    """The learner's time zone; Europe/Moscow for an empty or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def study_day(moment: datetime, tz: ZoneInfo) -> date:
    """The study day `moment` belongs to: 03:59 local still counts as the day before."""
    local = moment.astimezone(tz)
    day = local.date()
    return day - timedelta(days=1) if local.time() < ROLLOVER else day


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The UTC moment study day `day` begins (04:00 local)."""
    return datetime.combine(day, ROLLOVER, tzinfo=tz).astimezone(UTC)


def today_bounds(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC start and end of the study day that contains `now`."""
    day = study_day(now, tz)
    return day_start(day, tz), day_start(day + timedelta(days=1), tz)
