"""The study-time heartbeat: the page tells the server how long it was visible."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.learn import bp, study_time
from app.learn.api_schemas import Heartbeat, HeartbeatIn
from app.openapi import FORM, Access, ApiError, documented
from app.security import parse_id


@bp.route("/api/v1/study/heartbeat", methods=["POST"])
@documented(
    "learn", Access.SIGNED_IN, {200: Heartbeat, 400: ApiError}, body=HeartbeatIn, body_media=FORM
)
@login_required
def heartbeat():
    """Add the seconds a page was visible (form fields `seconds`, optional `course`)."""
    seconds = request.form.get("seconds", type=int)
    if seconds is None or seconds < 0:
        message = _("The request could not be understood.")
        return jsonify(error="bad_request", message=message), 400
    course_id = request.form.get("course", type=parse_id)
    added = study_time.record_beat(current_user, seconds, course_id)
    db.session.commit()
    return jsonify(added=added)


@bp.app_context_processor
def _study_hours() -> dict:
    return {"study_hours": study_hours}


def study_hours(seconds: int | None) -> str:
    """Hours with one decimal in the reader's locale («12,5»)."""
    return format_decimal(round((seconds or 0) / 3600, 1), "0.0")
