"""Invitations in bulk: one e-mail for everyone of the company who has never signed in, sent by
a background job whose progress HR follows."""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from app.accounts import invitations as invites
from app.extensions import db
from app.hr import bp
from app.hr.forms import ButtonForm
from app.hr.jobs import LINK_SLOT
from app.hr.routes import HR_ROLES, choose_company, company_arg, ip, work_company
from app.jobs import enqueue
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
        if not people:
            return redirect(url_for("hr.invite_pending", company=company_arg()))
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
