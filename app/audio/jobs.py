"""Audio as background jobs: the clips of a trainer's save."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.jobs.registry import job_kind


@job_kind("audio.texts", _l("Audio for the lesson"))
def build_texts(payload: dict[str, Any], progress) -> dict[str, Any]:
    """Make the clips of payload["texts"] with TTS_ENGINE. Clips are content-addressed, so a
    second run (a retry) makes only what the first did not finish."""
    from app.audio import build

    texts = [t for t in dict.fromkeys(payload.get("texts", [])) if t and t.strip()]
    plan = build.plan_build(
        texts, current_app.config["TTS_ENGINE"], current_app.config["AUDIO_DIR"], retries=1
    )
    total, finished = max(len(plan.tasks), 1), 0

    def on_progress(_outcome) -> None:
        nonlocal finished
        finished += 1

    def checkpoint() -> bool:
        progress(100 * finished / total, _("Clips made: %(done)d of %(total)d", done=finished,
                                           total=len(plan.tasks)))  # fmt: skip
        return True

    report = build.run_build(
        plan, checkpoint=checkpoint, checkpoint_every=4, on_progress=on_progress
    )
    return {
        "made": report.total_made,
        "cached": plan.cached + report.cached,
        "failed": len(report.failed) + len(plan.refused),
    }


@job_kind("audio.build", _l("Audio build"), max_attempts=3)
def build_all(payload: dict[str, Any], progress) -> dict[str, Any]:
    """`flask audio build` as a job: every missing clip of the content (or of one course).

    Clips are content-addressed and their rows committed every few clips, so a retry (after a
    failure or a killed worker) makes only what the earlier run did not."""
    from sqlalchemy.exc import IntegrityError

    from app.audio import build
    from app.audio.texts import needed_texts
    from app.extensions import db

    course = payload.get("course")
    texts = needed_texts(course_slug=course, include_drafts=True) if course else needed_texts()
    mode = payload.get("engine") or current_app.config["TTS_ENGINE"]
    plan = build.plan_build(
        texts, mode, current_app.config["AUDIO_DIR"], retries=int(payload.get("retries", 2))
    )
    total, finished = max(len(plan.tasks), 1), 0

    def on_progress(_outcome) -> None:
        nonlocal finished
        finished += 1

    def checkpoint() -> bool:
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent build recorded a clip first: record the others
            db.session.rollback()
            return False
        progress(100 * finished / total, _("Clips made: %(done)d of %(total)d", done=finished,
                                           total=len(plan.tasks)))  # fmt: skip
        return True

    report = build.run_build(
        plan,
        workers=int(payload.get("workers") or 1),
        checkpoint=checkpoint,
        checkpoint_every=10,
        on_progress=on_progress,
    )
    return {
        "texts": len(texts),
        "made": report.total_made,
        "cached": plan.cached + report.cached,
        "failed": len(report.failed) + len(plan.refused),
    }
