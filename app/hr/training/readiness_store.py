"""The readiness report as last computed, so that HR's dashboard does not compute predicted
recall over every card of a large company on each request.

Recall is a function of the day, not only of what was written, so it cannot be kept up to date
on write like the enrolment summaries. Instead the whole report of a company (all courses and
each course, every department and HSK level: three grouped queries) is stored in
`ReadinessSnapshot` rows by `refresh`, which `flask hr refresh-reports` runs for every company
(cron, see README) and the dashboard runs itself when the stored report is older than
`MAX_AGE` or missing. Reading it is one indexed query whatever the number of cards.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from app.extensions import db
from app.hr.training.reports import (
    Readiness,
    ReportFilters,
    arrange_readiness,
    check_filters,
    readiness,
    readiness_rows,
)
from app.models import Company, CompanyKind, ReadinessSnapshot, User, utcnow

#: a stored report older than this is recomputed by the page that reads it
MAX_AGE = timedelta(hours=1)


def refresh(company_id: int, now: datetime | None = None) -> int:
    """Recompute and store one company's readiness (replacing what was stored); returns rows."""
    now = now or utcnow()
    whole = ReportFilters(company_id)
    rows = []
    for by_course in (False, True):
        levels, learners = readiness_rows(whole, now, by_course=by_course)
        counts = {(dept, course): n for dept, course, n in learners}
        rows += [
            {
                "company_id": company_id,
                "department_id": dept,
                "course_id": course,
                "hsk": hsk or 0,
                "learners": counts.get((dept, course), 0),
                "words": int(words),
                "recall_sum": float(recall or 0.0),
                "known": int(known or 0),
                "computed_at": now,
            }
            for dept, course, hsk, words, recall, known in levels
        ]
    db.session.execute(delete(ReadinessSnapshot).where(ReadinessSnapshot.company_id == company_id))
    if rows:
        db.session.execute(ReadinessSnapshot.__table__.insert(), rows)
    else:  # a company with no reviewed word: an empty report, stored as such
        db.session.add(ReadinessSnapshot(company_id=company_id, hsk=-1, learners=0, words=0,
                                         recall_sum=0.0, known=0, computed_at=now))  # fmt: skip
    db.session.flush()
    return len(rows)


def refresh_all(now: datetime | None = None) -> int:
    """`refresh` for every resident company (the CLI); returns the companies refreshed."""
    ids = db.session.scalars(select(Company.id).where(Company.kind == CompanyKind.RESIDENT)).all()
    for company_id in ids:
        refresh(company_id, now)
    return len(ids)


def stored_readiness(
    actor: User, filters: ReportFilters, now: datetime | None = None
) -> tuple[list[Readiness], datetime | None]:
    """`reports.readiness` from the stored report (recomputed first when older than `MAX_AGE`)
    and the time it was computed; live, with time None, for the zone's all-companies view."""
    check_filters(actor, filters)
    now = now or utcnow()
    if filters.company_id is None:
        return readiness(actor, filters, now), None
    computed_at = _aware(
        db.session.scalar(
            select(func.max(ReadinessSnapshot.computed_at)).where(
                ReadinessSnapshot.company_id == filters.company_id
            )
        )
    )
    if computed_at is None or now - computed_at > MAX_AGE or computed_at > now:
        refresh(filters.company_id, now)
        computed_at = now
    stmt = select(
        ReadinessSnapshot.department_id,
        ReadinessSnapshot.hsk,
        ReadinessSnapshot.words,
        ReadinessSnapshot.recall_sum,
        ReadinessSnapshot.known,
        ReadinessSnapshot.learners,
    ).where(
        ReadinessSnapshot.company_id == filters.company_id,
        ReadinessSnapshot.computed_at == computed_at,
        ReadinessSnapshot.hsk >= 0,
        ReadinessSnapshot.course_id.is_(None)
        if filters.course_id is None
        else ReadinessSnapshot.course_id == filters.course_id,
    )
    if filters.department_id is not None:
        stmt = stmt.where(ReadinessSnapshot.department_id == filters.department_id)
    levels, learners = [], defaultdict(int)
    for dept, hsk, words, recall, known, n in db.session.execute(stmt):
        levels.append((dept, hsk, words, recall, known))
        learners[dept] = n
    return arrange_readiness(levels, dict(learners)), computed_at


def _aware(value: datetime | str | None) -> datetime | None:
    """An aggregate over a UTC column, made timezone-aware whatever the driver returned."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
