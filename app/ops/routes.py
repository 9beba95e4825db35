"""/healthz, /readyz and /metrics: for the load balancer and the monitoring, not for people."""

from __future__ import annotations

from typing import Literal

from flask import Response, current_app, jsonify, request
from pydantic import BaseModel

from app.extensions import csrf, limiter
from app.openapi import Access, documented
from app.ops import bp
from app.ops.metrics import address_allowed, exposition, job_counts_text
from app.ops.readiness import failed_checks


class Alive(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    failed: list[dict] | None = None


@bp.get("/healthz")
@documented("operations", Access.PUBLIC, {200: Alive})
@limiter.exempt
def healthz():
    """The process is alive (no database involved)."""
    return jsonify(status="ok")


@bp.get("/readyz")
@documented("operations", Access.PUBLIC, {200: Readiness, 503: Readiness})
@limiter.exempt
def readyz():
    """200 when the database answers at the migrations' head (and Redis, if configured)."""
    failures = failed_checks()
    if failures:
        return jsonify(status="unavailable", failed=failures), 503
    return jsonify(status="ok")


@bp.get("/metrics")
@limiter.exempt
def metrics():
    """Prometheus text format, for a bearer token or an allowed address only."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        if request.headers.get("Authorization", "") != f"Bearer {token}":
            return Response("forbidden\n", 403, mimetype="text/plain")
    elif not address_allowed(request.remote_addr, current_app.config["METRICS_ALLOW_FROM"]):
        return Response("forbidden\n", 403, mimetype="text/plain")
    body, content_type = exposition()
    return Response(body + job_counts_text(job_counts()), content_type=content_type)


def job_counts() -> dict[str, int]:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Job

    rows = db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    return {status: count for status, count in rows}


csrf.exempt(bp)
