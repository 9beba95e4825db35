"""The learner side's background jobs: the e-mails of a new assignment."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.jobs.registry import job_kind


@job_kind("learn.course_assigned", _l("E-mails about the assigned course"))
def course_assigned(payload: dict[str, Any], progress) -> dict[str, Any]:
    """E-mail each person of the assignment once. A second run sends only to those not
    announced yet (the reminder log has a row per enrolment)."""
    from app.extensions import db
    from app.hr.training.reminders import deliver
    from app.learn import notices
    from app.outbox import send_batch

    link = str(payload.get("link") or "")
    pending = notices.plan(
        link_for=lambda _course_id: link, assignment_id=int(payload["assignment_id"])
    )
    db.session.commit()
    sent, failed = send_batch(
        current_app.config,
        pending,
        deliver,
        progress=lambda number, sent: progress(
            100 * number / len(pending), _("E-mails sent: %(n)d", n=sent)
        ),
    )
    return {"sent": sent, "failed": failed}
