"""Background jobs behind one interface: RQ on Redis in production, a thread of the web process
when there is no Redis (`make run`), at once in the tests. See `enqueue`."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint
from sqlalchemy import select

from app.extensions import db
from app.jobs.registry import JobError, job_kind, kind
from app.models import Job, JobStatus, User, utcnow

bp = Blueprint("jobs", __name__, template_folder="templates")

__all__ = ["JobError", "enqueue", "job_kind", "visible_job"]


def enqueue(
    kind_name: str, payload: dict[str, Any], *, user: User | None, key: str | None = None
) -> Job:
    """Add a job; it is handed to a runner when the caller's transaction commits.

    With `key`, a job of the same key that is still queued or running is returned instead of a
    second one (a double click, a retried request)."""
    from app.jobs.dispatch import after_commit

    job_kind = kind(kind_name)
    if key is not None:
        existing = db.session.scalar(
            select(Job).where(Job.key == key, Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
        )
        if existing is not None:
            return existing
    job = Job(
        id=str(uuid.uuid4()),
        kind=kind_name,
        payload=payload,
        key=key,
        status=JobStatus.QUEUED,
        progress=0,
        attempts=0,
        max_attempts=job_kind.max_attempts,
        created_by_id=user.id if user is not None else None,
        heartbeat_at=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    after_commit(db.session(), job.id)
    return job


def visible_job(actor: User, job_id: str) -> Job | None:
    """The job if `actor` started it (admins see every job); None otherwise."""
    from app.models import Role

    job = db.session.get(Job, job_id)
    if job is None:
        return None
    if job.created_by_id == actor.id or actor.has_role(Role.ADMIN):
        return job
    return None


from app.jobs import routes  # noqa: E402,F401
