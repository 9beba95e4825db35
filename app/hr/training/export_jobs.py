"""Exports over EXPORT_JOB_ROWS rows: built by a job into a file of the instance folder, then
downloaded by the person who started it or by HR of the same company, until they expire.

The folder must be shared by the web instances and the workers (docs/deploy.md). A file is
written beside its final name and renamed when complete, so a retried job (a killed worker)
simply writes it again; files older than EXPORT_KEEP_HOURS are removed by the next export job.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from werkzeug.exceptions import HTTPException

from app import policy
from app.extensions import db
from app.instance_files import remove_older_than
from app.jobs.registry import JobError, job_kind
from app.models import Job, JobStatus, Role, User, utcnow

#: rows between two progress updates of a job writing an export
PROGRESS_EVERY = 5000


def folder() -> Path:
    return Path(current_app.instance_path) / "exports"


def file_of(job: Job) -> Path | None:
    """The finished file of an export job, or None (not done, expired or removed)."""
    name = (job.result or {}).get("file")
    if job.kind != "hr.export" or job.status != JobStatus.DONE or not name:
        return None
    keep = timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])
    if job.finished_at is None or job.finished_at < utcnow() - keep:
        return None
    path = folder() / Path(name).name
    return path if path.is_file() else None


def may_download(actor: User, job: Job) -> bool:
    """The person who started the export, HR of its company, or a zone admin."""
    if job.created_by_id == actor.id or actor.has_role(Role.ADMIN):
        return True
    company_id = (job.payload or {}).get("company_id")
    return company_id is not None and actor.has_role(Role.HR) and actor.company_id == company_id


def prune(now: float | None = None) -> int:
    """Remove export files older than EXPORT_KEEP_HOURS; returns how many."""
    return remove_older_than(folder(), "*", current_app.config["EXPORT_KEEP_HOURS"], now)


def payload_for(report: str, fmt: str, filters, now: datetime) -> dict[str, Any]:
    return {"report": report, "format": fmt, **filters.as_payload(), "now": now.isoformat()}


def key_for(actor: User, report: str, fmt: str, filters) -> str:
    """One export of one person with the same filters is built by one job at a time."""
    args = json.dumps(filters.as_args(), sort_keys=True)
    return f"hr-export:{actor.id}:{hashlib.sha256(f'{report}.{fmt}?{args}'.encode()).hexdigest()}"


def _side_progress(job_id: str, percent: float, message: str) -> None:
    """Progress written on a connection of its own: the export's rows are still being read
    from the session's cursor, which a commit would close. SQLite (one writer, and a reader
    holding the file) gets only the start and the end."""
    if db.engine.dialect.name == "sqlite":
        return
    with db.engine.begin() as conn:
        conn.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.RUNNING)
            .values(progress=max(1, min(99, int(percent))), message=message, heartbeat_at=utcnow())
        )


def _outcome(result: dict[str, Any]) -> list[tuple[str, str | None]]:
    lines: list[tuple[str, str | None]] = [(_("Rows: %(n)d", n=result.get("rows", 0)), None)]
    if result.get("file"):
        job_id = Path(result["file"]).stem
        lines.append(
            (_("Download %(name)s", name=result.get("filename", "")),
             url_for("hr.export_download", job_id=job_id))
        )  # fmt: skip
    lines.append((_("Back to the dashboard"), url_for("hr.dashboard")))
    return lines


@job_kind("hr.export", _l("Report export"), outcome=_outcome)
def build_export(payload: dict[str, Any], progress) -> dict[str, Any]:
    """Write the report to `<instance>/exports/<job id>.<format>`; a rerun writes it again."""
    from app.hr.training import exporting, exports
    from app.hr.training.reports import ReportFilters

    actor = db.session.get(User, int(payload["actor_id"]))
    if actor is None or not actor.active:
        raise JobError(_("The person who started the export can no longer act."))
    report, fmt = payload["report"], payload["format"]
    if report not in ("completion", "overdue") or fmt not in ("csv", "xlsx"):
        raise JobError(_("This report cannot be exported."))
    now = datetime.fromisoformat(payload["now"])
    build = exports.completion_export if report == "completion" else exports.overdue_export
    try:  # the rights are checked again: they may have changed since the request
        policy.require_role(actor, Role.HR, Role.ADMIN)
        spec = build(actor, ReportFilters.from_payload(payload), now)
    except HTTPException:
        raise JobError(_("The person who started the export can no longer act.")) from None
    total = spec.count(None)
    progress(1, _("Rows to write: %(n)d", n=total))
    folder().mkdir(parents=True, exist_ok=True)
    prune()
    job_id = progress.job_id
    written = 0

    def rows():
        nonlocal written
        for written, row in enumerate(spec.rows(), 1):
            if written % PROGRESS_EVERY == 0:
                message = _("Rows written: %(n)d of %(total)d", n=written, total=total)
                _side_progress(job_id, 100 * written / max(total, 1), message)
            yield row

    if fmt == "csv":
        body = exporting.csv_stream(spec.headers, rows())
    else:
        body = exporting.xlsx_stream(
            spec.headers, rows(), sheet_title=spec.sheet, widths=spec.widths
        )
    path = folder() / f"{job_id}.{fmt}"
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    with open(partial, "wb") as out:
        for chunk in body:
            out.write(chunk)
    os.chmod(partial, 0o600)
    partial.replace(path)
    return {
        "rows": written,
        "size": path.stat().st_size,
        "file": path.name,
        "filename": f"qiao-{report}-{now.date().isoformat()}.{fmt}",
    }
