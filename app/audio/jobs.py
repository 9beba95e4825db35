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
