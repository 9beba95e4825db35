"""The rows of HR's exports: the completion report and the overdue list, streamed from the database.

Headers are Russian (the zone's working language, whatever the interface language); times are
in the acting user's time zone. Rows come from one query read in batches (`yield_per`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import LazyString, force_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.hr.training.assignments import Status, status_expr
from app.hr.training.reports import (
    ReportFilters,
    _overdue_query,
    check_filters,
    listing_query,
    roomy_sorts,
)
from app.models import (
    Course,
    Department,
    Enrollment,
    Lesson,
    User,
)
from app.visibility import published

BATCH = 5000


@dataclass(frozen=True)
class Export:
    name: str
    sheet: str
    headers: list[str]
    widths: list[int]
    rows: Callable[[], Iterator[Sequence[Any]]]
    #: the number of rows, counted up to `limit` (None: all of them)
    count: Callable[[int | None], int]


def _counter(stmt) -> Callable[[int | None], int]:
    def count(limit: int | None) -> int:
        inner = stmt.order_by(None)
        if limit is not None:
            inner = inner.limit(limit)
        return db.session.scalar(select(func.count()).select_from(inner.subquery())) or 0

    return count


def status_labels() -> dict[str, str]:
    return {
        Status.NOT_STARTED: _("not started"),
        Status.IN_PROGRESS: _("in progress"),
        Status.COMPLETED: _("completed"),
        Status.OVERDUE: _("overdue"),
    }


def _local(tz: ZoneInfo, value: datetime | None) -> datetime | None:
    return value.astimezone(tz) if value is not None else None


def _export_zone(actor: User, filters: ReportFilters) -> ZoneInfo:
    """Check that the actor may export with these filters; the time zone of the dates."""
    check_filters(actor, filters)
    return ZoneInfo(actor.timezone or "Europe/Moscow")


def _person_headers(*rest: LazyString) -> list[str]:
    """The columns' headers in Russian: the person's four first, then `rest`."""
    with force_locale("ru"):
        return [
            pgettext("spreadsheet column", "Full name"),
            _("E-mail"),
            _("Department"),
            _("Position"),
            *(str(header) for header in rest),
        ]


def _person_cells(full_name: str, email: str, department: str | None, position: str | None):
    """The cells under `_person_headers`' first four columns."""
    return full_name, email, department or "", position or ""


def _stream(stmt):
    """The statement's rows read in batches of BATCH (a big export never sits in memory), as
    plain rows on the session's connection: the ORM's result layer cost a fifth of an export's
    time in the web process, for rows that are only columns."""
    return db.session.connection().execute(stmt.execution_options(yield_per=BATCH))


def completion_export(actor: User, filters: ReportFilters, now: datetime) -> Export:
    """One row per enrolment: person, department, course, status, dates, lessons, HR mark."""
    tz = _export_zone(actor, filters)
    with force_locale("ru"):
        labels = status_labels()
    headers = _person_headers(
        _l("Course"),
        _l("Status"),
        _l("Due"),
        _l("Started"),
        _l("Completed"),
        _l("Lessons completed"),
        _l("Lessons in the course"),
        _l("Exercises answered"),
        _l("Right at the first try, %"),
        _l("Study time, hours"),
        _l("Marked completed by HR"),
    )
    status = status_expr(now)
    total = (
        select(Lesson.course_id.label("course_id"), func.count().label("n"))
        .where(published(Lesson))
        .group_by(Lesson.course_id)
        .subquery()
    )
    # PostgreSQL turns UTC into the HR officer's local time itself (a third of the time a
    # big export spent in Python went to astimezone); elsewhere Python does
    in_sql = db.session.get_bind().dialect.name == "postgresql"

    def local(column):
        return func.timezone(tz.key, column) if in_sql else column

    moment = (lambda value: value) if in_sql else partial(_local, tz)
    stmt = (
        listing_query(
            filters,
            now,
            User.full_name,
            User.email,
            Department.name,
            User.position,
            Course.title,
            status,
            local(Enrollment.due_at),
            local(Enrollment.started_at),
            local(Enrollment.completed_at),
            # the summaries kept on write (app.enrolment_progress)
            Enrollment.lessons_done,
            func.coalesce(total.c.n, 0),
            Enrollment.override_reason,
            Enrollment.answered,
            Enrollment.first_right,
            Enrollment.study_seconds,
        )
        .outerjoin(total, total.c.course_id == Course.id)
        .order_by(Department.name, User.full_name, Course.title, Enrollment.id)
    )

    def rows() -> Iterator[Sequence[Any]]:
        roomy_sorts()
        for r in _stream(stmt):
            yield (
                *_person_cells(*r[:4]),
                r[4],
                labels.get(r[5], r[5]),
                moment(r[6]),
                moment(r[7]),
                moment(r[8]),
                int(r[9]),
                int(r[10]),
                int(r[12]),
                round(100 * int(r[13]) / int(r[12])) if r[12] else None,
                round(int(r[14]) / 3600, 1),
                r[11] or "",
            )

    return Export(
        "completion",
        "Прохождение",
        headers,
        [28, 30, 22, 22, 30, 14, 17, 17, 17, 10, 10, 12, 14, 12, 30],
        rows,
        _counter(stmt),
    )


def overdue_export(actor: User, filters: ReportFilters, now: datetime) -> Export:
    """The overdue list, most overdue first, with each person's manager."""
    tz = _export_zone(actor, filters)
    headers = _person_headers(
        _l("Manager"), _l("Manager's e-mail"), _l("Course"), _l("Due"), _l("Days overdue")
    )
    stmt = _overdue_query(filters, now)

    def rows() -> Iterator[Sequence[Any]]:
        for r in _stream(stmt):
            yield (
                *_person_cells(r[2], r[3], r[4], r[7]),
                r[8] or "",
                r[9] or "",
                r[5],
                _local(tz, r[6]),
                (now - r[6]).days + 1,
            )

    return Export(
        "overdue",
        "Просрочено",
        headers,
        [28, 30, 22, 22, 28, 30, 30, 17, 10],
        rows,
        _counter(stmt),
    )
