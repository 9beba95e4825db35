"""HR pages for people and structure: employees, departments, import, invitations, audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts import invitations as invites
from app.extensions import db, limiter
from app.hr import assignments, bp, importing, reports, services
from app.hr.forms import (
    AcceptInvitationForm,
    ButtonForm,
    DepartmentForm,
    ImportConfirmForm,
    ImportForm,
    OverrideForm,
    PersonForm,
)
from app.links import external_url
from app.models import Company, Role
from app.policy import roles_required
from app.ratelimits import user_or_address_key
from app.security import body_limit

HR_ROLES = (Role.HR, Role.ADMIN)

_MESSAGES = {
    "email taken": lambda: _("A user with this e-mail already exists."),
    "email unavailable": lambda: _(
        "This e-mail cannot be used here. If this is a mistake, contact the zone administrator."
    ),
    "unknown department": lambda: _("Choose a department from the list."),
    "unknown manager": lambda: _("No employee of the company has this e-mail."),
    "own manager": lambda: _("A person cannot be their own manager."),
    "cannot deactivate yourself": lambda: _("You cannot deactivate yourself."),
    "department exists": lambda: _("The company already has a department with this name."),
    "reason required": lambda: _("Give a reason."),
}


#: an employee list is small (10,000 rows are well under 2 MB as CSV or XLSX)
IMPORT_MAX_BYTES = 5 * 1024 * 1024


def _limit(name: str):
    """A limit read from the configuration at request time (tests and deployments tune it)."""
    from flask import current_app

    return lambda: current_app.config[name]


def ip() -> str | None:
    return request.remote_addr


def company_arg() -> int | None:
    return request.args.get("company", type=int)


def work_company() -> Company | None:
    """The company of this page: HR's own (404 for another), or the admin's `?company=`."""
    return services.resolve_company(current_user, company_arg())


def choose_company():
    """For the zone admin on a page that needs one company: pick it first."""
    return render_template(
        "hr/choose_company.html",
        companies=services.resident_companies(current_user),
        endpoint=request.endpoint,
        view_args=request.view_args or {},
    )


def _field_error(form, exc: services.HRDataError | assignments.AssignmentError) -> None:
    field = getattr(form, exc.field, None) or form.email
    field.errors = [*field.errors, _MESSAGES.get(exc.code, lambda: exc.code)()]


# --------------------------------------------------------------------------- people


@bp.route("/people")
@roles_required(*HR_ROLES)
def people():
    """Employees of my company, filterable by department and name."""
    company = work_company()
    department_id = request.args.get("department", type=int)
    if department_id:
        services.get_department(current_user, department_id)
    query = request.args.get("q", "")[:100]
    return render_template(
        "hr/people.html",
        company=company,
        people=services.list_people(
            current_user,
            company_id=company.id if company else None,
            department_id=department_id,
            query=query,
        ),
        departments=services.departments(current_user, company.id if company else None),
        department_id=department_id,
        query=query,
    )


def _department_choices(form: PersonForm, company: Company) -> None:
    form.department_id.choices = [(0, "—")] + [
        (d.id, d.name) for d in services.departments(current_user, company.id)
    ]


def _person_data(form: PersonForm) -> services.PersonData:
    return services.PersonData(
        email=form.email.data,
        full_name=form.full_name.data,
        position=form.position.data or None,
        department_id=form.department_id.data or None,
        manager_email=form.manager_email.data or None,
        active=form.active.data,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@limiter.limit(_limit("PERSON_FORM_LIMIT"), key_func=user_or_address_key, methods=["POST"])
@roles_required(*HR_ROLES)
def new_person():
    """Add an employee; they get an invitation link to set their password."""
    company = work_company()
    if company is None:
        return choose_company()
    form = PersonForm()
    _department_choices(form, company)
    if form.validate_on_submit():
        try:
            person = services.create_person(current_user, company, _person_data(form), ip=ip())
        except services.HRDataError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=person.full_name), "success")
            return redirect(url_for("hr.person", user_id=person.id))
    return render_template("hr/person_form.html", form=form, person=None, company=company)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@limiter.limit(_limit("PERSON_FORM_LIMIT"), key_func=user_or_address_key, methods=["POST"])
@roles_required(*HR_ROLES)
def edit_person(user_id: int):
    """Change an employee's details, department, manager or status."""
    person = services.get_person(current_user, user_id)
    form = PersonForm(obj=person) if request.method == "GET" else PersonForm()
    _department_choices(form, person.company)
    if request.method == "GET":
        form.department_id.data = person.department_id or 0
        form.manager_email.data = person.manager.email if person.manager else ""
    if form.validate_on_submit():
        try:
            services.update_person(current_user, person, _person_data(form), ip=ip())
        except services.HRDataError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("hr.person", user_id=person.id))
    return render_template("hr/person_form.html", form=form, person=person, company=person.company)


@bp.route("/people/<int:user_id>")
@roles_required(*HR_ROLES)
def person(user_id: int):
    """One employee: courses, lessons, scores, review activity, last activity."""
    person = services.get_person(current_user, user_id)
    return render_template(
        "hr/person.html",
        person=person,
        report=reports.person_report(current_user, person),
        override_form=OverrideForm(formdata=None),
        button_form=ButtonForm(formdata=None),
    )


@bp.route("/people/<int:user_id>/active", methods=["POST"])
@roles_required(*HR_ROLES)
def toggle_active(user_id: int):
    """Deactivate an employee (history kept) or bring them back."""
    person = services.get_person(current_user, user_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    if person.active and request.form.get("confirm") != "1":
        return render_template(
            "confirm_deactivate.html",
            person=person,
            form=form,
            action=url_for("hr.toggle_active", user_id=person.id),
            cancel=url_for("hr.person", user_id=person.id),
        )
    try:
        services.set_active(current_user, person, not person.active, ip=ip())
    except services.HRDataError as exc:
        db.session.rollback()
        flash(_MESSAGES[exc.code](), "error")
        return redirect(url_for("hr.person", user_id=person.id))
    db.session.commit()
    if person.active:
        flash(_("%(name)s can sign in again.", name=person.full_name), "success")
    else:
        flash(
            _("%(name)s has been deactivated; their history is kept.", name=person.full_name),
            "success",
        )
    return redirect(url_for("hr.person", user_id=person.id))


@bp.route("/enrollments/<int:enrollment_id>/override", methods=["POST"])
@roles_required(*HR_ROLES)
def override(enrollment_id: int):
    """Mark a course completed by HR's decision, with a reason."""
    enrollment = assignments.get_enrollment(current_user, enrollment_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Give a reason to mark the course as completed."), "error")
        return redirect(url_for("hr.person", user_id=enrollment.user_id))
    assignments.override_completion(current_user, enrollment, form.reason.data, ip=ip())
    db.session.commit()
    flash(_("The course is marked as completed."), "success")
    return redirect(url_for("hr.person", user_id=enrollment.user_id))


# --------------------------------------------------------------------------- invitations


@bp.route("/people/<int:user_id>/invite", methods=["POST"])
@roles_required(*HR_ROLES)
def invite(user_id: int):
    """Make a one-time link for a person without a password; show it, or e-mail it."""
    person = services.get_person(current_user, user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if person.password_hash is not None or not person.active:
        flash(_("%(name)s has already set a password.", name=person.full_name), "error")
        return redirect(url_for("hr.person", user_id=person.id))
    token = invites.create_invitation(current_user, person, ip=ip())
    db.session.commit()
    link = external_url("hr.accept_invitation", token=token)
    if request.form.get("send") == "email":
        from flask import current_app

        from app.mail import Mailer

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


# --------------------------------------------------------------------------- departments


@bp.route("/departments", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
def departments():
    """The company's departments with their people; add one."""
    company = work_company()
    if company is None:
        return choose_company()
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            services.create_department(current_user, company, form.name.data, ip=ip())
        except services.HRDataError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Department %(name)s added.", name=form.name.data.strip()), "success")
            return redirect(url_for("hr.departments", company=company_arg()))
    return render_template(
        "hr/departments.html",
        company=company,
        rows=services.department_rows(current_user, company),
        form=form,
    )


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
def edit_department(department_id: int):
    """Rename a department."""
    department = services.get_department(current_user, department_id)
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            services.rename_department(current_user, department, form.name.data, ip=ip())
        except services.HRDataError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("hr.departments", company=department.company_id))
    return render_template("hr/department_form.html", form=form, department=department)


# --------------------------------------------------------------------------- import


def _import_serializer() -> URLSafeTimedSerializer:
    from flask import current_app

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="qiao-hr-import")


@bp.route("/import", methods=["GET", "POST"])
@body_limit(IMPORT_MAX_BYTES)
@limiter.limit(_limit("IMPORT_PREVIEW_LIMIT"), key_func=user_or_address_key, methods=["POST"])
@roles_required(*HR_ROLES)
def import_people():
    """Upload a CSV or XLSX of employees and see what would change (nothing changes yet)."""
    company = work_company()
    if company is None:
        return choose_company()
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
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = _import_serializer().loads(form.payload.data, max_age=3600)
    except BadSignature:
        flash(_("The preview has expired; upload the file again."), "error")
        return redirect(url_for("hr.import_people", company=company_arg()))
    if data.get("company") != company.id or data.get("actor") != current_user.id:
        abort(404)
    table = importing.load_table(data["table"])
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
    return redirect(url_for("hr.people", company=company_arg()))


def _send_invitations(tokens) -> tuple[int, int]:
    from flask import current_app

    from app.mail import Mailer

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


# --------------------------------------------------------------------------- audit log


@bp.route("/audit")
@roles_required(*HR_ROLES)
def audit_log():
    """Who changed what, when and from where (read-only)."""
    company = work_company()
    page = services.audit_events(
        current_user,
        company_id=company.id if company else None,
        action=request.args.get("action", "")[:64],
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "hr/audit.html",
        page=page,
        company=company,
        companies=services.resident_companies(current_user),
        action=request.args.get("action", "")[:64],
    )
