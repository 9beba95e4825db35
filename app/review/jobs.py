"""The review side's background jobs: fitting FSRS parameters to the review logs."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.jobs.registry import job_kind


@job_kind("review.fit_fsrs", _l("Fitting memory-model parameters"), max_attempts=1)
def fit_fsrs(payload: dict[str, Any], progress) -> dict[str, Any]:
    """Fit the zone's and every eligible learner's FSRS parameters (app/review/fitting.py).

    Safe to run again: each run records its fits anew, and a set replaces the one in use only
    when it beats it on the held-out reviews, so a rerun never makes the model worse."""
    from app.extensions import db
    from app.review import fitting

    result = fitting.fit_all(progress)
    db.session.commit()
    return result
