"""The person who started a job follows it: a page with a progress bar, and JSON to poll."""

from __future__ import annotations

from typing import Literal

from flask import abort, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_pgettext
from flask_login import current_user, login_required
from pydantic import BaseModel
from sqlalchemy import select

from app.extensions import db
from app.jobs import bp, visible_job
from app.jobs.registry import kind
from app.models import Job
from app.openapi import Access, ApiError, documented

STATUS_LABELS = {
    "queued": lazy_pgettext("job", "waiting in the queue"),
    "running": lazy_pgettext("job", "running"),
    "done": lazy_pgettext("job", "done"),
    "failed": lazy_pgettext("job", "failed"),
}


class JobLink(BaseModel):
    text: str
    url: str


class JobView(BaseModel):
    """A background job as its starter sees it (never its payload)."""

    id: str
    title: str
    status: Literal["queued", "running", "done", "failed"]
    status_label: str
    progress: int | float | None
    message: str
    error: str | None
    attempts: int
    result: dict
    outcome: list[str]
    links: list[JobLink]
    finished: bool


def job_view(job: Job) -> dict:
    """What the page and the JSON show of a job (never its payload)."""
    job_kind = kind(job.kind)
    lines = []
    if job.status == "done" and job_kind.outcome is not None:
        lines = [(str(text), url) for text, url in job_kind.outcome(job.result or {})]
    return {
        "id": job.id,
        "title": str(job_kind.title),
        "status": job.status,
        "status_label": str(STATUS_LABELS[job.status]),
        "progress": job.progress,
        # a finished job's last progress message gives way to its outcome
        "message": "" if lines else job.message or "",
        "error": job.error if job.status in ("failed", "queued") else "",
        "attempts": job.attempts,
        "result": job.result or {},
        "outcome": [text for text, url in lines if not url],
        "links": [{"text": text, "url": url} for text, url in lines if url],
        "finished": job.status in ("done", "failed"),
    }


@bp.get("/jobs/")
@login_required
def my_jobs():
    """The jobs I started, newest first."""
    jobs = db.session.scalars(
        select(Job)
        .where(Job.created_by_id == current_user.id)
        .order_by(Job.created_at.desc())
        .limit(30)
    ).all()
    return render_template("jobs/list.html", jobs=[job_view(j) for j in jobs])


@bp.get("/jobs/<job_id>")
@login_required
def job_page(job_id: str):
    """One job: progress bar, what it does now, its outcome or why it failed."""
    job = visible_job(current_user, job_id)
    if job is None:
        abort(404)
    return render_template("jobs/job.html", job=job_view(job))


@bp.get("/api/v1/jobs/<job_id>")
@documented("jobs", Access.SIGNED_IN, {200: JobView, 401: ApiError, 404: ApiError})
def job_json(job_id: str):
    """A background job I may see: its progress and outcome (the job page polls it)."""
    if not current_user.is_authenticated:
        return jsonify(error="unauthorized", message=_("Please sign in to open this page.")), 401
    job = visible_job(current_user, job_id)
    if job is None:
        message = _("There is no such page, or it has been removed.")
        return jsonify(error="not_found", message=message), 404
    return jsonify(job_view(job))
