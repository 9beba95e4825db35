"""The learner's daily goal and review reminder settings."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.learn import bp, goals
from app.learn.goal_forms import GoalForm
from app.models import Role
from app.policy import roles_required


@bp.route("/settings/goal", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def goal_settings():
    """My daily goal in minutes and an opt-in e-mail reminder at my chosen hour."""
    form = GoalForm()
    if request.method == "GET":
        form.goal.data = current_user.daily_goal_minutes
        form.reminder.data = current_user.review_reminder
        form.hour.data = current_user.reminder_hour
        form.timezone.data = (
            current_user.timezone if current_user.timezone in goals.TIMEZONES else "Europe/Moscow"
        )
    if form.validate_on_submit():
        goals.update(
            current_user,
            goal=form.goal.data,
            reminder=form.reminder.data,
            hour=form.hour.data,
            timezone=form.timezone.data,
        )
        db.session.commit()
        if current_user.review_reminder:
            flash(
                _("Saved. We will remind you by e-mail at %(hour)02d:00 on days you have not "
                  "reached your goal yet.", hour=current_user.reminder_hour),
                "success",
            )  # fmt: skip
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("learn.dashboard"))
    return render_template("learn/goal_settings.html", form=form, today=goals.today(current_user))
