"""How a committed job reaches a runner: RQ on Redis, a thread of this process, or at once.

JOBS_BACKEND is `rq` when REDIS_URL is set and `thread` otherwise (`make run` needs nothing);
the tests use `sync`. Dispatching happens only after the transaction that created the job
commits, so a worker never looks for a row that is not there yet."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_PENDING = "qiao_jobs_to_dispatch"
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def backend(app: Flask) -> str:
    chosen = app.config.get("JOBS_BACKEND") or ""
    if chosen:
        return chosen
    return "rq" if app.config.get("REDIS_URL") else "thread"


def after_commit(session: Session, job_id: str) -> None:
    """Dispatch `job_id` once `session` commits (forgotten if it rolls back)."""
    session.info.setdefault(_PENDING, []).append(job_id)


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        app = current_app._get_current_object()
        for job_id in pending:
            dispatch(app, job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def redis_queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))


def dispatch(app: Flask, job_id: str) -> None:
    """Hand `job_id` to a runner now. Dispatching twice is harmless: only one run claims it."""
    chosen = backend(app)
    if chosen == "rq":
        redis_queue(app).enqueue(
            "app.jobs.runner.run_in_worker",
            job_id,
            job_id=f"{job_id}-{uuid.uuid4().hex[:8]}",
            job_timeout=app.config["JOBS_TIMEOUT_SECONDS"],
            result_ttl=0,
            failure_ttl=7 * 24 * 3600,
        )
    elif chosen == "thread":
        _thread_pool().submit(_run_in_thread, app, job_id)
    else:  # sync: at once, in a session of its own (the committing one may not run SQL now)
        worker = threading.Thread(target=_run_in_thread, args=(app, job_id))
        worker.start()
        worker.join()


def _thread_pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qiao-job")
        return _executor


def _run_in_thread(app: Flask, job_id: str) -> None:
    from app.extensions import db
    from app.jobs.runner import run

    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()
