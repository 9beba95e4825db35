"""Running a job: claim it, heartbeat while it runs, record its outcome; requeue lost ones."""

from __future__ import annotations

import logging
import threading
import traceback
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from app.extensions import db
from app.jobs.registry import JobError, kind
from app.models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)


class Progress:
    """Handed to a job: `progress(percent, message)` records how far it is and commits the
    session, so what the job wrote so far stands (jobs are idempotent; a retry redoes it)."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id

    def __call__(self, percent: float, message: str | None = None) -> None:
        values: dict[str, Any] = {
            "progress": max(0, min(99, int(percent))),
            "heartbeat_at": utcnow(),
        }
        if message is not None:
            values["message"] = message
        db.session.execute(
            update(Job).where(Job.id == self.job_id, Job.status == JobStatus.RUNNING).values(values)
        )
        db.session.commit()


def _claim(job_id: str, now: datetime) -> bool:
    claimed = db.session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            Job.status == JobStatus.QUEUED,
            or_(Job.run_after.is_(None), Job.run_after <= now),
        )
        .values(
            status=JobStatus.RUNNING,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
        )
    ).rowcount
    db.session.commit()
    return bool(claimed)


class _Heartbeat(threading.Thread):
    """Refreshes heartbeat_at on its own connection while a long step runs between progress
    calls, so the reaper does not take a live job for a lost one."""

    def __init__(self, app: Flask, job_id: str, every: float) -> None:
        super().__init__(daemon=True, name=f"qiao-heartbeat-{job_id[:8]}")
        self.app, self.job_id, self.every = app, job_id, every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                with self.app.app_context(), db.engine.begin() as conn:
                    conn.execute(
                        update(Job)
                        .where(Job.id == self.job_id, Job.status == JobStatus.RUNNING)
                        .values(heartbeat_at=utcnow())
                    )
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)


def run(job_id: str) -> str | None:
    """Run the job if it is queued and due; returns its final status (None if not claimed)."""
    from app.ops.metrics import JOB_OUTCOMES

    if not _claim(job_id, utcnow()):
        return None
    job = db.session.get(Job, job_id)
    job_kind = kind(job.kind)
    app = current_app._get_current_object()
    beat = _Heartbeat(app, job_id, app.config["JOBS_LEASE_SECONDS"] / 3)
    beat.start()
    try:
        result = job_kind.func(dict(job.payload or {}), Progress(job_id))
        job = db.session.get(Job, job_id)
        job.status, job.progress, job.result = JobStatus.DONE, 100, result or {}
        job.finished_at, job.error = utcnow(), None
        db.session.commit()  # the job's last writes and its "done" in one transaction
        JOB_OUTCOMES.labels(job.kind, "done").inc()
        return JobStatus.DONE
    except Exception as error:
        db.session.rollback()
        status, backoff = _record_failure(job_id, error)
        JOB_OUTCOMES.labels(
            job_kind.name, "retry" if status == JobStatus.QUEUED else "failed"
        ).inc()
        if status == JobStatus.QUEUED:
            if backoff == 0:
                return run(job_id)
            _retry_later(app, job_id, backoff)
        return status
    finally:
        beat.stopped.set()


def _retry_later(app: Flask, job_id: str, seconds: float) -> None:
    """A thread of this process retries after the back-off; with RQ the workers' reaper does."""
    from app.jobs.dispatch import backend, dispatch

    if backend(app) == "thread":
        timer = threading.Timer(seconds, dispatch, args=(app, job_id))
        timer.daemon = True
        timer.start()


def _record_failure(job_id: str, error: Exception) -> tuple[str, float]:
    job = db.session.get(Job, job_id)
    if isinstance(error, JobError):
        job.error = str(error)
    else:
        log.error("job %s (%s) failed", job_id, job.kind, exc_info=error)
        job.error = "".join(traceback.format_exception_only(error)).strip()[:2000]
    backoff = 0.0
    if job.attempts < job.max_attempts and not isinstance(error, JobError):
        job.status, job.heartbeat_at = JobStatus.QUEUED, None
        backoff = current_app.config["JOBS_BACKOFF_SECONDS"] * 3 ** (job.attempts - 1)
        job.run_after = utcnow() + timedelta(seconds=backoff)
    else:
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
    db.session.commit()
    return job.status, backoff


def reap(now: datetime | None = None) -> list[str]:
    """Queue again what a dead worker left running and what is due but was never picked up;
    returns the ids handed to a runner."""
    from app.jobs.dispatch import dispatch

    now = now or utcnow()
    lease = timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])
    lost = db.session.scalars(
        select(Job).where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < now - lease)
    ).all()
    for job in lost:
        if job.attempts < job.max_attempts:
            job.status, job.run_after, job.heartbeat_at = JobStatus.QUEUED, None, None
            job.error = "worker lost during the job; queued again"
        else:
            job.status, job.finished_at = JobStatus.FAILED, now
            job.error = "worker lost during the job (no attempts left)"
    # queued jobs whose back-off is over, or whose dispatch is older than the lease (Redis was
    # down, or the queue lost it): heartbeat_at of a queued job is when it was last dispatched
    due = db.session.scalars(
        select(Job.id).where(
            Job.status == JobStatus.QUEUED,
            or_(Job.run_after.is_(None), Job.run_after <= now),
            or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < now - lease),
        )
    ).all()
    if due:
        db.session.execute(update(Job).where(Job.id.in_(due)).values(heartbeat_at=now))
    db.session.commit()
    app = current_app._get_current_object()
    for job_id in due:
        dispatch(app, job_id)
    return list(due)


def run_in_worker(job_id: str) -> str | None:
    """RQ's entry point: `flask jobs worker` has pushed the app context."""
    try:
        return run(job_id)
    finally:
        db.session.remove()
