"""Invitations in bulk: one e-mail for everyone of the company who has never signed in."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.hr import bp, invites
from app.hr.forms import ButtonForm
from app.hr.mail import Mailer
from app.hr.routes import HR_ROLES, choose_company, company_arg, ip, work_company
from app.links import external_url
from app.policy import roles_required


@bp.route("/invitations", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
def invite_pending():
    """The people never activated, and a button that e-mails each of them a fresh link."""
    company = work_company()
    if company is None:
        return choose_company()
    people = invites.never_activated(current_user, company.id)
    form = ButtonForm()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        tokens = [(p, invites.create_invitation(current_user, p, ip=ip())) for p in people]
        db.session.commit()
        sent = failed = 0
        with Mailer(current_app.config) as mailer:
            for person, token in tokens:
                link = external_url("hr.accept_invitation", token=token)
                try:
                    mailer.send(invites.invitation_mail(person, link))
                    sent += 1
                except Exception:  # noqa: BLE001 — one failure must not stop the batch
                    current_app.logger.exception("invitation e-mail to %s failed", person.email)
                    failed += 1
        if sent:
            flash(_("Invitations sent: %(n)d.", n=sent), "success")
        if failed:
            flash(
                _("%(n)d invitation(s) could not be sent; make links on the people's pages.",
                  n=failed),
                "error",
            )  # fmt: skip
        return redirect(url_for("hr.invite_pending", company=company_arg()))
    return render_template(
        "hr/invite_pending.html",
        company=company,
        people=people,
        form=form,
        max_days=invites.MAX_AGE_DAYS,
    )
