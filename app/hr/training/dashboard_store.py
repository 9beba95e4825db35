"""The unfiltered dashboard of a large company as last computed.

The dashboard reads one summary row per enrolment (app.enrolment_progress), in one pass; at a
million enrolments that pass still takes seconds. A company whose last count reached
`LIVE_LIMIT` enrolments is therefore shown the copy stored in `DashboardSnapshot` while it is
younger than `MAX_AGE`, with the time it was computed; `flask hr refresh-reports` (cron, every
few minutes) keeps it fresh, and the page recomputes it when it finds it older. Smaller
companies and every filtered view are counted live.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from app.extensions import db
from app.hr.training.reports import (
    Dashboard,
    OverdueRow,
    ReportFilters,
    Tally,
    TrendPoint,
    check_filters,
    dashboard,
    dashboard_figures,
)
from app.models import Company, CompanyKind, DashboardSnapshot, User, utcnow

#: from this many enrolments (of active people) on, the page shows the stored copy
LIVE_LIMIT = 20_000
#: a stored copy older than this is recomputed by the page that reads it
MAX_AGE = timedelta(minutes=10)


def stored_dashboard(
    actor: User, filters: ReportFilters, now: datetime | None = None
) -> tuple[Dashboard, datetime | None]:
    """`reports.dashboard`, from the stored copy for a large company's unfiltered view (with
    the time it was computed), live otherwise (time None)."""
    check_filters(actor, filters)
    now = now or utcnow()
    if filters.company_id is None or filters != ReportFilters(filters.company_id):
        return dashboard(actor, filters, now), None
    row = db.session.execute(
        select(DashboardSnapshot.enrolments, DashboardSnapshot.data, DashboardSnapshot.computed_at)
        .where(DashboardSnapshot.company_id == filters.company_id)
        .order_by(DashboardSnapshot.computed_at.desc())
        .limit(1)
    ).first()
    if row is not None and row.enrolments < LIVE_LIMIT:
        data = dashboard(actor, filters, now)
        if data.total.total >= LIVE_LIMIT:  # grew past the limit: the next view reads a copy
            store(filters.company_id, data, now)
        return data, None
    computed_at = _aware(row.computed_at) if row is not None else None
    if computed_at is not None and now - MAX_AGE <= computed_at <= now:
        return decode(row.data, filters), computed_at
    data = dashboard(actor, filters, now)
    store(filters.company_id, data, now)
    return data, (now if data.total.total >= LIVE_LIMIT else None)


def store(company_id: int, data: Dashboard, now: datetime) -> None:
    """Replace the company's stored dashboard with `data`."""
    db.session.execute(delete(DashboardSnapshot).where(DashboardSnapshot.company_id == company_id))
    db.session.add(DashboardSnapshot(company_id=company_id, enrolments=data.total.total,
                                     data=encode(data), computed_at=now))  # fmt: skip
    db.session.flush()


def refresh_all(now: datetime | None = None) -> int:
    """Recompute the stored dashboard of every resident company (the CLI); returns them."""
    now = now or utcnow()
    companies = db.session.scalars(
        select(Company.id).where(Company.kind == CompanyKind.RESIDENT)
    ).all()
    for company_id in companies:
        store(company_id, dashboard_figures(ReportFilters(company_id), now), now)
    return len(companies)


def encode(data: Dashboard) -> dict[str, Any]:
    """The dashboard as JSON (datetimes as ISO text)."""

    def tally(t: Tally) -> dict[str, Any]:
        return {"counts": t.counts, "answered": t.answered, "right": t.right,
                "seconds": t.seconds}  # fmt: skip

    return {
        "total": tally(data.total),
        "by_department": [[k, name, tally(t)] for k, name, t in data.by_department],
        "by_course": [[k, name, tally(t)] for k, name, t in data.by_course],
        "overdue": [{**asdict(r), "due_at": r.due_at.isoformat()} for r in data.overdue],
        "overdue_total": data.overdue_total,
        "trend": [[p.at.isoformat(), p.assigned, p.completed] for p in data.trend],
    }


def decode(raw: dict[str, Any], filters: ReportFilters) -> Dashboard:
    """`encode` reversed."""

    def tally(t: dict[str, Any]) -> Tally:
        return Tally(dict(t["counts"]), t["answered"], t["right"], t["seconds"])

    return Dashboard(
        filters=filters,
        total=tally(raw["total"]),
        by_department=[(k, name, tally(t)) for k, name, t in raw["by_department"]],
        by_course=[(k, name, tally(t)) for k, name, t in raw["by_course"]],
        overdue=[
            OverdueRow(**{**r, "due_at": datetime.fromisoformat(r["due_at"])})
            for r in raw["overdue"]
        ],
        overdue_total=raw["overdue_total"],
        trend=[TrendPoint(datetime.fromisoformat(at), a, c) for at, a, c in raw["trend"]],
    )


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
