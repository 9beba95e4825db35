"""«A course has been assigned to you»: one e-mail per assigned enrolment.

Kept in the reminder log (rule `assigned`, one row per enrolment), so each learner hears of an
assignment once, however the enrolment came (a new assignment, a new hire joining a department,
a recertification); a failed send is retried by the next `flask review remind`. HR's
«Assign» page queues a background job (`app.learn.jobs`); the hourly run picks up the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.extensions import db
from app.hr.training.assignments import due_date_of
from app.hr.training.reminders import retry_query
from app.mail import Mail
from app.models import Course, Enrollment, EnrollmentStatus, ReminderLog, User, utcnow
from app.outbox import Pending

ASSIGNED = "assigned"
#: enrolments older than this are not announced any more (the first run after an upgrade
#: does not e-mail everyone about courses assigned long ago)
WINDOW = timedelta(days=3)


def compose(person: User, course: Course, due_at: datetime | None, link: str) -> Mail:
    with force_locale("ru"):
        subject = _("Qiao: you have a new course, «%(course)s»", course=course.title)
        due = due_date_of(due_at)
        deadline = (
            _("Please complete it by %(date)s.", date=format_date(due, "long")) if due else ""
        )
        body = _(
            "Hello, %(name)s!\n\nYour company has assigned you the course «%(course)s». "
            "%(deadline)s\n\nStart here: %(link)s\n\n— Qiao",
            name=person.full_name,
            course=course.title,
            deadline=deadline,
            link=link,
        )
    return Mail(to=[person.email], subject=subject, body=body.replace(" \n", "\n"))


def plan(
    now: datetime | None = None,
    *,
    link_for: Callable[[int], str],
    assignment_id: int | None = None,
) -> list[Pending]:
    """Add a row for each assigned enrolment not announced yet, and pick up failed ones."""
    now = now or utcnow()
    announced = exists().where(
        ReminderLog.enrollment_id == Enrollment.id, ReminderLog.rule == ASSIGNED
    )
    stmt = (
        select(Enrollment, User, Course)
        .join(User, User.id == Enrollment.user_id)
        .join(Course, Course.id == Enrollment.course_id)
        .where(
            Enrollment.assignment_id.is_not(None),
            Enrollment.status != EnrollmentStatus.COMPLETED,
            Enrollment.created_at >= now - WINDOW,
            User.active.is_(True),
            ~announced,
        )
        .order_by(Enrollment.id)
    )
    if assignment_id is not None:
        stmt = stmt.where(Enrollment.assignment_id == assignment_id)
    new_rows = []
    for enrollment, person, course in db.session.execute(stmt).all():
        row = ReminderLog(
            rule=ASSIGNED,
            enrollment_id=enrollment.id,
            day=now.date(),
            recipients=person.email,
            attempts=0,
        )
        db.session.add(row)
        new_rows.append((row, compose(person, course, enrollment.due_at, link_for(course.id))))
    db.session.flush()
    pending = [Pending(row.id, mail) for row, mail in new_rows]
    if assignment_id is None:
        pending += _retries(now, {row.id for row, _m in new_rows}, link_for)
    return pending


def _retries(now: datetime, skip: set[int], link_for) -> list[Pending]:
    rows = db.session.execute(retry_query((ASSIGNED,), now - WINDOW)).all()
    return [
        Pending(row.id, compose(person, course, enrollment.due_at, link_for(course.id)))
        for row, enrollment, person, course in rows
        if row.id not in skip
    ]


def announce(actor: User, assignment_id: int, link: str) -> None:
    """Queue the e-mails of a new assignment as a background job (sent after the commit).

    What fails stays in the log and is retried by the hourly `flask review remind`.
    """
    from app.jobs import enqueue

    enqueue(
        "learn.course_assigned",
        {"assignment_id": assignment_id, "link": link},
        user=actor,
        key=f"course-assigned:{assignment_id}",
    )
