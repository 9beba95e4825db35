"""The review pages: the session (works without JavaScript), statistics, cards, settings."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.forms import posted
from app.models import Role, utcnow
from app.ops.metrics import REVIEW_ANSWERS
from app.policy import roles_required
from app.review import answers, bp, calibration, daily_queue, deck, reports, suspension
from app.review.deck import ReviewError
from app.review.forms import AnswerForm, CardActionForm, CheckForm, SettingsForm, UndoForm
from app.review.rendering import MESSAGES, stage_context


def _session_page(**kwargs):
    return render_template("review/session.html", **stage_context(**kwargs))


@bp.route("/")
@roles_required(Role.LEARNER)
def session():
    """The review session: the next card, or a given card (`?card=`) revealed (`&reveal=1`)."""
    now = utcnow()
    card_id = request.args.get("card", type=int)
    try:
        shown, counts = daily_queue.card_or_next(current_user, card_id, now)
    except ReviewError:
        shown, counts = daily_queue.next_card(current_user, now)
    return _session_page(
        shown=shown, counts=counts, now=now, revealed=request.args.get("reveal") == "1"
    )


@bp.route("/check", methods=["POST"])
@roles_required(Role.LEARNER)
def check():
    """Check a typed answer and show the card's back with the suggested rating."""
    form = posted(CheckForm)
    now = utcnow()
    try:
        shown = daily_queue.show_card(current_user, form.card_id.data, now)
    except ReviewError as exc:
        flash(str(MESSAGES[exc.code]), "error")
        return redirect(url_for("review.session"))
    given = form.answer.data or ""
    grade = shown.grade(given)
    return _session_page(
        shown=shown, counts=daily_queue.counts(current_user, now), now=now, grade=grade, given=given
    )


@bp.route("/answer", methods=["POST"])
@roles_required(Role.LEARNER)
def answer():
    """Record a rating (once, whatever the number of submits) and go on to the next card."""
    form = posted(AnswerForm)
    now = utcnow()
    duration = None
    if form.shown_at.data:
        duration = int(now.timestamp() * 1000) - form.shown_at.data
    try:
        result = answers.answer(
            current_user,
            card_id=form.card_id.data,
            rating=form.rating.data,
            review_id=form.review_id.data,
            duration_ms=duration,
            now=now,
            version=form.version.data,
        )
    except ReviewError as exc:
        db.session.rollback()
        flash(str(MESSAGES[exc.code]), "error")
        return redirect(url_for("review.session"))
    db.session.commit()
    if not result.duplicate:
        REVIEW_ANSWERS.labels(str(result.log.rating)).inc()
    return redirect(url_for("review.session"))


@bp.route("/undo", methods=["POST"])
@roles_required(Role.LEARNER)
def undo():
    """Take back the last answer and show that card again."""
    form = posted(UndoForm)
    try:
        card = answers.undo(current_user, form.review_id.data)
    except ReviewError as exc:
        db.session.rollback()
        flash(
            _("This answer can no longer be undone.")
            if exc.code == "stale"
            else str(MESSAGES[exc.code]),
            "error",
        )
        return redirect(url_for("review.session"))
    db.session.commit()
    flash(_("Answer undone."), "success")
    return redirect(url_for("review.session", card=card.id))


def _card_action(card_id: int, action, done_message: str, back: str):
    if not CardActionForm().validate_on_submit():
        abort(400)
    try:
        action(card_id)
    except ReviewError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(done_message, "success")
    return redirect(url_for(back))


@bp.route("/cards/<int:card_id>/suspend", methods=["POST"])
@roles_required(Role.LEARNER)
def suspend(card_id: int):
    """Suspend a card: it leaves the queue until resumed; its history stays."""
    back = "review.cards" if request.args.get("back") == "cards" else "review.session"
    return _card_action(
        card_id,
        lambda cid: suspension.suspend(current_user, cid),
        _("Card suspended. You can resume it under “My cards”."),
        back,
    )


@bp.route("/cards/<int:card_id>/bury", methods=["POST"])
@roles_required(Role.LEARNER)
def bury(card_id: int):
    """Bury a card until tomorrow's study day."""
    return _card_action(
        card_id,
        lambda cid: suspension.bury(current_user, cid, utcnow()),
        _("Card buried until tomorrow."),
        "review.session",
    )


@bp.route("/cards/<int:card_id>/resume", methods=["POST"])
@roles_required(Role.LEARNER)
def resume(card_id: int):
    """Put a suspended card back into the queue."""
    return _card_action(
        card_id,
        lambda cid: suspension.resume(current_user, cid),
        _("Card resumed."),
        "review.cards",
    )


@bp.route("/cards")
@roles_required(Role.LEARNER)
def cards():
    """My suspended cards and my leeches (cards forgotten again and again)."""
    return render_template(
        "review/cards.html",
        suspended=deck.my_cards(current_user, which="suspended"),
        leeches=deck.my_cards(current_user, which="leech"),
    )


@bp.route("/stats")
@roles_required(Role.LEARNER)
def stats():
    """My review statistics: calendar, retention, forecast, cards by state, streak, and how well
    the memory model predicts me (calibration)."""
    now = utcnow()
    return render_template(
        "review/stats.html",
        stats=reports.statistics(current_user, now),
        calibration=calibration.calibration(current_user, now),
    )


@bp.route("/export.apkg")
@roles_required(Role.LEARNER)
def export_anki():
    """My cards as an Anki package (.apkg): only ever the signed-in learner's own."""
    from app.review import anki

    return Response(
        anki.learner_package(current_user),
        mimetype="application/octet-stream",
        headers={"Content-Disposition": 'attachment; filename="qiao-cards.apkg"'},
    )


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def settings():
    """My desired retention, daily limit of new cards and whether I also write by hand."""
    form = SettingsForm()
    if request.method == "GET":
        form.desired_retention.data = round(current_user.desired_retention * 100)
        form.daily_new_limit.data = current_user.daily_new_limit
        form.review_writing.data = current_user.review_writing
    if form.validate_on_submit():
        daily_queue.update_settings(
            current_user,
            desired_retention=form.desired_retention.data / 100,
            daily_new_limit=form.daily_new_limit.data,
            review_writing=form.review_writing.data,
        )
        db.session.commit()
        flash(_("Review settings saved."), "success")
        return redirect(url_for("review.stats"))
    return render_template(
        "review/settings.html", form=form, workload=calibration.workload(current_user)
    )


@bp.route("/leeches")
@roles_required(Role.TRAINER, Role.ADMIN)
def leeches():
    """For trainers: the words learners forget again and again, counted over all learners."""
    total, learners, rows = reports.leech_report(current_user)
    return render_template("review/leeches.html", total=total, learners=learners, rows=rows)
