"""Daily review reminders by e-mail, at the hour each learner chose, in their time zone.

`flask review remind` runs every hour (cron: `0 * * * *`). A learner who opted in gets one
e-mail on a day when it is their reminder hour and they have not reached their daily goal yet.
Each (learner, local day) gets one `StudyReminderLog` row, so a second run in the same hour
(or a retry) sends nothing twice; a failed send keeps its error and is retried by the next
runs of that day. The same run sends the «course assigned» e-mails (see `app.learn.notices`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.learn import goals
from app.mail import Mail, Mailer
from app.models import Role, StudyReminderLog, User, UserRole, utcnow
from app.outbox import Pending, deliver_all, logged_delivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def _local_day(user: User, now: datetime) -> date:
    return now.astimezone(goals.zone_of(user)).date()


def _learners_at_their_hour(now: datetime) -> list[User]:
    """Opted-in active learners whose reminder hour it is now: one query per time zone."""
    opted_in = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.LEARNER,
            User.active.is_(True),
            User.review_reminder.is_(True),
            User.password_hash.is_not(None),
        )
    )
    zones = db.session.scalars(
        select(User.timezone).where(User.id.in_(opted_in.with_only_columns(User.id))).distinct()
    ).all()
    people: list[User] = []
    for name in zones:
        try:
            hour = now.astimezone(ZoneInfo(name or goals.DEFAULT_TIMEZONE)).hour
        except (KeyError, ValueError):
            hour = now.astimezone(ZoneInfo(goals.DEFAULT_TIMEZONE)).hour
        people += db.session.scalars(
            opted_in.where(User.timezone == name, User.reminder_hour == hour).order_by(User.id)
        ).all()
    return people


def compose(user: User, due: int, today: goals.GoalToday, link: str) -> Mail:
    """The reminder, in Russian: what is due, the goal, the link, how to switch it off."""
    with force_locale("ru"):
        subject = (
            ngettext(
                "Qiao: %(num)d card to review today",
                "Qiao: %(num)d cards to review today",
                due,
            )
            if due
            else _("Qiao: %(num)d minutes of Chinese today?", num=today.goal)
        )
        lead = (
            ngettext(
                "%(num)d card is waiting for review.", "%(num)d cards are waiting for review.", due
            )
            if due
            else _("No cards are due, but a new lesson is waiting.")
        )
        body = _(
            "Hello, %(name)s!\n\n%(lead)s Your daily goal is %(goal)d minutes; "
            "today you have studied %(done)d.\n\n%(link)s\n\n"
            "You asked for this reminder; switch it off or change its time in the settings "
            "«Goal and reminder».\n\n— Qiao",
            name=user.full_name,
            lead=lead,
            goal=today.goal,
            done=today.done,
            link=link,
        )
    return Mail(to=[user.email], subject=subject, body=body)


def plan(now: datetime | None = None, *, link: str = "") -> list[Pending]:
    """Add this hour's reminder rows and pick up failed ones of today; the caller commits."""
    from app.review.daily_queue import due_count

    now = now or utcnow()
    people = _learners_at_their_hour(now)
    days = {_local_day(u, now) for u in people}
    done = {
        (user_id, day)
        for user_id, day in db.session.execute(
            select(StudyReminderLog.user_id, StudyReminderLog.day).where(
                StudyReminderLog.user_id.in_([u.id for u in people]),
                StudyReminderLog.day.in_(days),
            )
        )
    }
    new_rows: list[tuple[StudyReminderLog, Mail]] = []
    for user in people:
        day = _local_day(user, now)
        if (user.id, day) in done:
            continue
        today = goals.today(user, now)
        if today.reached:
            continue
        row = StudyReminderLog(user_id=user.id, day=day, attempts=0)
        db.session.add(row)
        new_rows.append((row, compose(user, due_count(user, now), today, link)))
    db.session.flush()
    pending = [Pending(row.id, mail) for row, mail in new_rows]
    return pending + _retries(now, {row.id for row, _m in new_rows}, link)


def _retries(now: datetime, skip: set[int], link: str) -> list[Pending]:
    """Failed reminders of the learner's current day, if they still want them."""
    from app.review.daily_queue import due_count

    rows = db.session.execute(
        select(StudyReminderLog, User)
        .join(User, User.id == StudyReminderLog.user_id)
        .where(
            StudyReminderLog.sent_at.is_(None),
            StudyReminderLog.attempts < MAX_ATTEMPTS,
            # a local day is at most one day off the UTC date
            StudyReminderLog.day >= now.date() - timedelta(days=1),
            User.active.is_(True),
            User.review_reminder.is_(True),
        )
        .order_by(StudyReminderLog.id)
    ).all()
    out = []
    for row, user in rows:
        if row.id in skip or row.day != _local_day(user, now):
            continue
        today = goals.today(user, now)
        if today.reached:
            continue
        out.append(Pending(row.id, compose(user, due_count(user, now), today, link)))
    return out


#: send one study reminder and record the outcome on its row (flushed; the caller commits)
deliver = logged_delivery(StudyReminderLog, lambda row: f"study reminder {row.id}", log)


def run(mailer_factory: Callable[[], Mailer], pending: list[Pending]) -> tuple[int, int]:
    """Deliver `pending`, committing after each; (sent, failed)."""
    with mailer_factory() as mailer:
        return deliver_all(pending, mailer, deliver)
