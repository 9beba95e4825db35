"""HR's staff import pages: upload and preview (nothing changes), then confirm (all or none)."""

from __future__ import annotations

import hashlib

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts import invitations as invites
from app.extensions import db
from app.forms import posted
from app.hr import bp
from app.hr.context import HR_ROLES, ip, one_company, work_company
from app.hr.forms import ImportConfirmForm, ImportForm
from app.hr.people import import_store, importing
from app.hr.people.jobs import LINK_SLOT
from app.jobs import enqueue
from app.links import external_url
from app.mail import Mailer
from app.models import Company
from app.policy import roles_required
from app.ratelimits import posts_limited, user_or_address_key
from app.security import body_limit

#: an employee list is small (10,000 rows are well under 2 MB as CSV or XLSX)
IMPORT_MAX_BYTES = 5 * 1024 * 1024


def _import_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="qiao-hr-import")


@bp.route("/import", methods=["GET", "POST"])
@body_limit(IMPORT_MAX_BYTES)
@posts_limited("IMPORT_PREVIEW_LIMIT", key_func=user_or_address_key)
@roles_required(*HR_ROLES)
@one_company
def import_people(company: Company):
    """Upload a CSV or XLSX of employees and see what would change (nothing changes yet)."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        table = importing.read_table(upload.filename or "", upload.read())
        plan = importing.plan_import(current_user, company, table)
        confirm = ImportConfirmForm(formdata=None)
        confirm.payload.data = _import_serializer().dumps(
            {
                "company": company.id,
                "actor": current_user.id,
                "file": upload.filename,
                "table": importing.dump_table(table),
            }
        )
        db.session.rollback()
        return render_template(
            "hr/import_preview.html",
            company=company,
            plan=plan,
            confirm=confirm,
            describe=importing.describe,
            filename=upload.filename,
        )
    return render_template("hr/import.html", form=form, company=company)


@bp.route("/import/confirm", methods=["POST"])
@roles_required(*HR_ROLES)
def import_confirm():
    """Apply a previewed import: checked again, then all rows or none."""
    company = work_company()
    if company is None:
        abort(400)
    form = posted(ImportConfirmForm)
    try:
        data = _import_serializer().loads(form.payload.data, max_age=3600)
    except BadSignature:
        flash(_("The preview has expired; upload the file again."), "error")
        return redirect(url_for("hr.import_people"))
    if data.get("company") != company.id or data.get("actor") != current_user.id:
        abort(404)
    table = importing.load_table(data["table"])
    if len(table.rows) > current_app.config["HR_IMPORT_JOB_ROWS"]:
        return _import_in_background(company, data, form)
    plan, result = importing.apply_import(
        current_user, company, table, filename=data.get("file") or "", ip=ip()
    )
    if result is None:
        db.session.rollback()
        flash(_("Nothing was imported: the data has changed since the preview."), "error")
        return render_template(
            "hr/import_preview.html",
            company=company,
            plan=plan,
            confirm=None,
            describe=importing.describe,
            filename=data.get("file"),
        )
    tokens = []
    if form.send_invitations.data:
        tokens = [
            (p, invites.create_invitation(current_user, p, ip=ip()))
            for p in result.created
            if p.active
        ]
    db.session.commit()
    flash(
        _(
            "Imported: %(created)d new, %(updated)d updated, %(departments)d new departments.",
            created=len(result.created),
            updated=result.updated,
            departments=result.departments,
        ),
        "success",
    )
    if tokens:
        sent, failed = _send_invitations(tokens)
        if sent:
            flash(_("Invitations sent: %(n)d.", n=sent), "success")
        if failed:
            flash(
                _("%(n)d invitation(s) could not be sent; make links on the people's pages.",
                  n=failed),
                "error",
            )  # fmt: skip
    return redirect(url_for("hr.people"))


def _import_in_background(company, data: dict, form: ImportConfirmForm):
    """Store the table under its content hash and hand the import to a job; HR follows it.

    The job's key is the hash of the signed preview: confirming the same preview twice (a double
    click, a resent form) gives the same job, or the recorded outcome of the one that ran."""
    digest = import_store.store(data["table"])
    key = hashlib.sha256(form.payload.data.encode("utf-8")).hexdigest()
    job = enqueue(
        "hr.import",
        {
            "actor_id": current_user.id,
            "company_id": company.id,
            "file": digest,
            "filename": (data.get("file") or "")[:200],
            "key": key,
            "invite": bool(form.send_invitations.data),
            "link": external_url("hr.accept_invitation", token=LINK_SLOT),
            "ip": ip(),
        },
        user=current_user,
        key=f"hr-import:{key}",
    )
    db.session.commit()
    flash(_("The import runs in the background; this page shows how far it is."), "success")
    return redirect(url_for("jobs.job_page", job_id=job.id))


def _send_invitations(tokens) -> tuple[int, int]:
    sent = failed = 0
    with Mailer(current_app.config) as mailer:
        for person, token in tokens:
            link = external_url("hr.accept_invitation", token=token)
            try:
                mailer.send(invites.invitation_mail(person, link))
                sent += 1
            except Exception:  # noqa: BLE001
                current_app.logger.exception("invitation e-mail to %s failed", person.email)
                failed += 1
    return sent, failed
