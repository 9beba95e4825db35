"""Deadline reminders by e-mail: before the due date and when overdue, to the learner with a
copy to their manager, in Russian. Run daily by `flask hr remind` (cron).

Each (rule, enrolment, day) gets one `ReminderLog` row: a second run on the same day sends
nothing again; a failed send keeps its error and is retried by the next run (a few times).
`plan()` adds the rows (the caller commits), `deliver()` sends one and records the outcome.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.hr.training.assignments import due_date_of
from app.mail import Mail
from app.models import Course, Enrollment, EnrollmentStatus, ReminderLog, User, utcnow
from app.outbox import Pending, logged_delivery

log = logging.getLogger(__name__)

DUE_SOON = "due_soon"
OVERDUE = "overdue"
#: days before the due date on which the learner is reminded
BEFORE_DAYS = (7, 1)
#: overdue reminders go out on the first day overdue, then every this many days
OVERDUE_EVERY = 7
MAX_ATTEMPTS = 5
#: failed reminders older than this are given up
RETRY_WINDOW = timedelta(days=7)


def rule_for(days_left: int) -> str | None:
    """Which rule, if any, applies with `days_left` until the due date (negative: overdue)."""
    if days_left in BEFORE_DAYS:
        return DUE_SOON
    if days_left < 0 and (-days_left - 1) % OVERDUE_EVERY == 0:
        return OVERDUE
    return None


def _today(user: User, now: datetime) -> date:
    try:
        tz = ZoneInfo(user.timezone or "Europe/Moscow")
    except (KeyError, ValueError):
        tz = ZoneInfo("Europe/Moscow")
    return now.astimezone(tz).date()


def compose(
    rule: str, person: User, course: Course, due_at: datetime, today: date, link: str
) -> tuple[str, str]:
    """Subject and body of a reminder, in Russian."""
    due = due_date_of(due_at)
    days_left = (due - today).days if due else 0
    with force_locale("ru"):
        when = format_date(due, "long") if due else ""
        if rule == DUE_SOON:
            subject = _("Reminder: complete the course «%(course)s» by %(date)s",
                        course=course.title, date=when)  # fmt: skip
            lead = _(
                "The course «%(course)s» is due on %(date)s: %(days)d day(s) left.",
                course=course.title,
                date=when,
                days=days_left,
            )
        else:
            subject = _("Overdue: the course «%(course)s» was due on %(date)s",
                        course=course.title, date=when)  # fmt: skip
            lead = _(
                "The course «%(course)s» was due on %(date)s and is not completed yet "
                "(%(days)d day(s) overdue).",
                course=course.title,
                date=when,
                days=-days_left,
            )
        body = _(
            "Hello, %(name)s!\n\n%(lead)s\n\nContinue the course: %(link)s\n\n"
            "Your manager receives a copy of this reminder.\n\n— Qiao",
            name=person.full_name,
            lead=lead,
            link=link,
        )
    return subject, body


def plan(now: datetime | None = None, *, link_for=lambda course_id: "") -> list[Pending]:
    """Add today's reminder rows, and pick up failed ones to retry; the caller commits."""
    now = now or utcnow()
    candidates = db.session.execute(
        _with_manager(_open_enrolments(select(Enrollment, User, Course)))
        .where(
            Enrollment.due_at.is_not(None),
            Enrollment.due_at < now + timedelta(days=max(BEFORE_DAYS) + 2),
        )
        .order_by(Enrollment.id)
    ).all()
    days = {_today(user, now) for _e, user, _c, _m in candidates}
    done = {
        tuple(row)
        for row in db.session.execute(
            select(ReminderLog.rule, ReminderLog.enrollment_id, ReminderLog.day).where(
                ReminderLog.day.in_(days)
            )
        )
    }
    pending: list[Pending] = []
    new_rows: list[tuple[ReminderLog, Mail]] = []
    for enrollment, user, course, boss in candidates:
        today = _today(user, now)
        due = due_date_of(enrollment.due_at)
        assert due is not None and enrollment.due_at is not None
        rule = rule_for((due - today).days)
        if rule is None or (rule, enrollment.id, today) in done:
            continue
        subject, body = compose(rule, user, course, enrollment.due_at, today, link_for(course.id))
        cc = [boss.email] if boss is not None and boss.active else []
        row = ReminderLog(
            rule=rule,
            enrollment_id=enrollment.id,
            day=today,
            recipients=", ".join([user.email, *cc]),
            attempts=0,
        )
        db.session.add(row)
        new_rows.append((row, Mail(to=[user.email], cc=cc, subject=subject, body=body)))
    db.session.flush()
    pending.extend(Pending(row.id, mail) for row, mail in new_rows)
    pending.extend(_retries(now, {row.id for row, _m in new_rows}, link_for))
    return pending


def _open_enrolments(stmt: Select) -> Select:
    """`stmt` (over enrolments) joined to their learners and courses, keeping the unfinished
    enrolments of active learners."""
    return (
        stmt.join(User, User.id == Enrollment.user_id)
        .join(Course, Course.id == Enrollment.course_id)
        .where(User.active.is_(True), Enrollment.status != EnrollmentStatus.COMPLETED)
    )


def _with_manager(stmt: Select) -> Select:
    """`stmt` with the learner's manager (or None) as its last column."""
    manager = aliased(User)
    return stmt.add_columns(manager).outerjoin(manager, manager.id == User.manager_id)


def retry_query(rules: tuple[str, ...], since: datetime) -> Select:
    """Reminder rows of `rules` not sent since `since` that are still worth a try (attempts
    left, the learner active, the course not completed), with the enrolment, the learner and
    the course, oldest first."""
    return (
        _open_enrolments(
            select(ReminderLog, Enrollment, User, Course).join(
                Enrollment, Enrollment.id == ReminderLog.enrollment_id
            )
        )
        .where(
            ReminderLog.rule.in_(rules),
            ReminderLog.sent_at.is_(None),
            ReminderLog.attempts < MAX_ATTEMPTS,
            ReminderLog.created_at >= since,
        )
        .order_by(ReminderLog.id)
    )


def _retries(now: datetime, skip: set[int], link_for) -> list[Pending]:
    """Failed reminders of the last days, still relevant, with attempts left."""
    rows = db.session.execute(
        _with_manager(retry_query((DUE_SOON, OVERDUE), now - RETRY_WINDOW))
    ).all()
    out = []
    for row, enrollment, user, course, boss in rows:
        if row.id in skip or enrollment.due_at is None:
            continue
        subject, body = compose(
            row.rule, user, course, enrollment.due_at, _today(user, now), link_for(course.id)
        )
        cc = [boss.email] if boss is not None and boss.active else []
        out.append(Pending(row.id, Mail(to=[user.email], cc=cc, subject=subject, body=body)))
    return out


#: send one reminder and record the outcome on its row (flushed; the caller commits)
deliver = logged_delivery(ReminderLog, lambda row: f"reminder {row.id} to {row.recipients}", log)
