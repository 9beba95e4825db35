"""HR's invitation pages: a one-time link for one person (shown or e-mailed), the person's side
of it, and everyone never signed in invited at once by a background job HR follows."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.accounts import invitations as invites
from app.extensions import db
from app.forms import EmptyForm, posted
from app.hr import bp
from app.hr.context import HR_ROLES, ip, one_company
from app.hr.forms import AcceptInvitationForm
from app.hr.people import services
from app.hr.people.jobs import LINK_SLOT
from app.jobs import enqueue
from app.links import external_url
from app.mail import Mailer
from app.models import Company
from app.policy import roles_required


@bp.route("/people/<int:user_id>/invite", methods=["POST"])
@roles_required(*HR_ROLES)
def invite(user_id: int):
    """Make a one-time link for a person without a password; show it, or e-mail it."""
    person = services.get_person(current_user, user_id)
    posted()
    if person.password_hash is not None or not person.active:
        flash(_("%(name)s has already set a password.", name=person.full_name), "error")
        return redirect(url_for("hr.person", user_id=person.id))
    token = invites.create_invitation(current_user, person, ip=ip())
    db.session.commit()
    link = external_url("hr.accept_invitation", token=token)
    if request.form.get("send") == "email":
        try:
            with Mailer(current_app.config) as mailer:
                mailer.send(invites.invitation_mail(person, link))
        except Exception:  # noqa: BLE001 — the SMTP server's problem is reported, not raised
            current_app.logger.exception("invitation e-mail to %s failed", person.email)
            flash(_("The e-mail could not be sent; give the link in person."), "error")
            return render_template("hr/invitation.html", person=person, link=link)
        flash(_("The invitation has been sent to %(email)s.", email=person.email), "success")
        return redirect(url_for("hr.person", user_id=person.id))
    return render_template("hr/invitation.html", person=person, link=link)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The employee's side of an invitation: choose a password (the link then stops working)."""
    person = invites.user_for_token(token)
    if person is None:
        return render_template("hr/invitation_invalid.html"), 404
    form = AcceptInvitationForm()
    form.account = person
    if form.validate_on_submit():
        user = invites.accept(token, form.password.data)
        db.session.commit()
        if user is not None:
            session.clear()
            login_user(user)
        flash(_("Your password is set. Welcome to Qiao!"), "success")
        return redirect(url_for("learn.dashboard"))
    return render_template("hr/accept_invitation.html", form=form, person=person)


@bp.route("/invitations", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
@one_company
def invite_pending(company: Company):
    """The people never activated, and a button that e-mails each of them a fresh link."""
    people = invites.never_activated(current_user, company.id)
    form = EmptyForm()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        if not people:
            return redirect(url_for("hr.invite_pending"))
        job = enqueue(
            "hr.invitations",
            {
                "actor_id": current_user.id,
                "company_id": company.id,
                "people": [p.id for p in people],
                "batch": uuid.uuid4().hex,
                "link": external_url("hr.accept_invitation", token=LINK_SLOT),
                "ip": ip(),
            },
            user=current_user,
            key=f"hr-invitations:{company.id}",
        )
        db.session.commit()
        return redirect(url_for("jobs.job_page", job_id=job.id))
    return render_template(
        "hr/invite_pending.html",
        company=company,
        people=people,
        form=form,
        max_days=invites.MAX_AGE_DAYS,
    )
