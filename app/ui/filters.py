"""Every Jinja filter of the app, registered once by app/ui (blueprints register none)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_timezone
from markupsafe import Markup

from app.i18n import DEFAULT_TIMEZONE

#: the zone's own time: a due date is the calendar day there (as HR set it)
ZONE = ZoneInfo(DEFAULT_TIMEZONE)


def markdown(text: str | None) -> Markup:
    from app.content.markdown import render as render_markdown

    # render_markdown disables raw HTML and sanitises its output with nh3: safe to mark up
    return Markup(render_markdown(text or ""))  # noqa: S704


def local_date(value: datetime | None, fmt: str = "medium") -> str:
    """A timestamp's day in the reader's time zone."""
    return format_date(value.astimezone(get_timezone()), fmt) if value else "—"


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    return format_datetime(value, fmt) if value else "—"


def due_day(value: datetime | None) -> str:
    """A due timestamp as the calendar day it stands for (HR's `hr_due`)."""
    return format_date(value.astimezone(ZONE).date(), "medium") if value else "—"


def plain_date(value: date | None) -> str:
    """A calendar day (HR's `hr_date`)."""
    return format_date(value, "medium") if value else "—"


def month_label(day: date) -> str:
    """A month's short name for a chart label ("нояб.")."""
    return format_date(day, "LLL")


def day_label(day: date) -> str:
    """A study day for a chart's tooltip ("26 ноября")."""
    return format_date(day, "d MMMM")


def decimal(value: float | None, digits: int = 1, fixed: bool = True) -> str:
    """A number in the reader's notation: «86,9» in Russian; `fixed=False` drops trailing zeros
    («7» rather than «7,0»)."""
    if value is None:
        return "—"
    pattern = "0." + ("0" if fixed else "#") * digits if digits else "0"
    return format_decimal(round(value, digits), pattern)


def register(app: Flask) -> None:
    from app.ui import audit as audit_text
    from app.ui.fragments import fill_card_slots, fill_slots

    app.jinja_env.filters.update(
        {
            "markdown": markdown,
            "decimal": decimal,
            "date": local_date,
            "datetime": local_datetime,
            "audit_action": audit_text.action_label,
            "audit_details": audit_text.details_markup,
            "hr_due": due_day,
            "hr_date": plain_date,
            "review_month": month_label,
            "review_day": day_label,
            "fill_slots": fill_slots,
            "fill_card_slots": fill_card_slots,
        }
    )
