"""Placement test pages: the introduction and result, the timed test, marking lessons known."""

from __future__ import annotations

import random

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import Role, utcnow
from app.placement import bp, service
from app.placement.forms import AnswersForm, KnownForm, StartForm
from app.policy import roles_required


@bp.before_request
def _needs_the_test_file():
    if not service.available():
        abort(404)


@bp.route("")
@roles_required(Role.LEARNER)
def intro():
    """What the test is, my last result and where it places me."""
    test = service.test()
    attempt = service.latest_result(current_user)
    start = before = None
    if attempt is not None:
        start, before = service.recommended(current_user, attempt)
    return render_template(
        "placement/intro.html",
        test=test,
        attempt=attempt,
        start=start,
        before=before or [],
        in_progress=service.open_attempt(current_user) is not None,
        form=StartForm(),
        known_form=KnownForm(),
        bands={b.key: b.title for b in test.bands},
    )


@bp.route("/start", methods=["POST"])
@roles_required(Role.LEARNER)
def start():
    if not StartForm().validate_on_submit():
        abort(400)
    service.start(current_user)
    db.session.commit()
    return redirect(url_for("placement.sitting"))


@bp.route("/test")
@roles_required(Role.LEARNER)
def sitting():
    """The questions, with the time left (the server keeps the deadline)."""
    attempt = service.open_attempt(current_user)
    if attempt is None:
        return redirect(url_for("placement.intro"))
    test = service.test()
    shuffle = random.Random(attempt.id)  # noqa: S311 - option order, not a secret
    rows = []
    for question in test.questions:
        options = list(question.options)
        shuffle.shuffle(options)
        rows.append((question, options))
    seconds = max(0, int((attempt.deadline - utcnow()).total_seconds()))
    form = AnswersForm(attempt=str(attempt.id))
    return render_template(
        "placement/test.html", test=test, rows=rows, seconds=seconds, form=form, attempt=attempt
    )


@bp.route("/submit", methods=["POST"])
@roles_required(Role.LEARNER)
def submit():
    form = AnswersForm()
    if not form.validate_on_submit() or not (form.attempt.data or "").isdigit():
        abort(400)
    answers = {
        key[2:]: value for key, value in request.form.items() if key.startswith("q-") and value
    }
    try:
        attempt = service.submit(current_user, int(form.attempt.data), answers)
    except service.PlacementError:
        db.session.rollback()
        flash(_("This test sitting is already finished."), "error")
        return redirect(url_for("placement.intro"))
    db.session.commit()
    if attempt.expired:
        flash(_("Time is up: answers sent after the ten minutes do not count. Try again."), "error")
    return redirect(url_for("placement.intro"))


@bp.route("/known", methods=["POST"])
@roles_required(Role.LEARNER)
def known():
    """Mark the lessons before the recommended start as known; their words go to review."""
    if not KnownForm().validate_on_submit():
        abort(400)
    try:
        marked, cards = service.mark_known(current_user)
    except service.PlacementError:
        db.session.rollback()
        flash(_("Take the placement test first."), "error")
        return redirect(url_for("placement.intro"))
    attempt = service.latest_result(current_user)
    start, _before = service.recommended(current_user, attempt)
    db.session.commit()
    flash(
        _("%(lessons)d lessons marked as known; %(cards)d new review cards.",
          lessons=marked, cards=cards),
        "success",
    )  # fmt: skip
    if start is None:
        return redirect(url_for("placement.intro"))
    return redirect(url_for("learn.course", course_id=start.course.id))
