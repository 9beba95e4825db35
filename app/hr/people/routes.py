"""HR pages for people and structure: employees, departments and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import pages
from app.forms import EmptyForm, saved
from app.hr import bp
from app.hr.context import HR_ROLES, ip, one_company, work_company, work_company_id
from app.hr.forms import DepartmentForm, OverrideForm, PersonForm
from app.hr.people import services
from app.hr.training.person_report import person_report
from app.models import Company
from app.policy import roles_required
from app.ratelimits import posts_limited, user_or_address_key

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


def _saved(form, action):
    """Run a service call: commit and return its result, or roll back and show its refusal on
    the form (None)."""
    return saved(
        form,
        action,
        services.HRDataError,
        lambda exc: _MESSAGES.get(exc.code, lambda: exc.code)(),
        default_field="email",
    )


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
            company_id=work_company_id(),
            department_id=department_id,
            query=query,
        ),
        departments=services.departments(current_user, work_company_id()),
        department_id=department_id,
        query=query,
    )


def _department_choices(form: PersonForm, company: Company) -> None:
    form.department_id.choices = [(0, "—")] + [
        (d.id, d.name) for d in services.departments(current_user, company.id)
    ]


def _person_data(form: PersonForm) -> services.PersonData:
    return services.PersonData(
        **form.person_fields(), manager_email=form.manager_email.data or None
    )


@bp.route("/people/new", methods=["GET", "POST"])
@posts_limited("PERSON_FORM_LIMIT", key_func=user_or_address_key)
@roles_required(*HR_ROLES)
@one_company
def new_person(company: Company):
    """Add an employee; they get an invitation link to set their password."""
    form = PersonForm()
    _department_choices(form, company)
    if form.validate_on_submit():
        person = _saved(
            form,
            lambda: services.create_person(current_user, company, _person_data(form), ip=ip()),
        )
        if person is not None:
            flash(_("%(name)s has been added.", name=person.full_name), "success")
            return redirect(url_for("hr.person", user_id=person.id))
    return render_template("hr/person_form.html", form=form, person=None, company=company)


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@posts_limited("PERSON_FORM_LIMIT", key_func=user_or_address_key)
@roles_required(*HR_ROLES)
def edit_person(user_id: int):
    """Change an employee's details, department, manager or status."""
    person = services.get_person(current_user, user_id)
    form = PersonForm(obj=person) if request.method == "GET" else PersonForm()
    _department_choices(form, person.company)
    if request.method == "GET":
        form.department_id.data = person.department_id or 0
        form.manager_email.data = person.manager.email if person.manager else ""
    if form.validate_on_submit() and _saved(
        form, lambda: services.update_person(current_user, person, _person_data(form), ip=ip())
    ):
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
        report=person_report(current_user, person),
        override_form=OverrideForm(formdata=None),
        button_form=EmptyForm(formdata=None),
    )


@bp.route("/people/<int:user_id>/active", methods=["POST"])
@roles_required(*HR_ROLES)
def toggle_active(user_id: int):
    """Deactivate an employee (history kept) or bring them back."""
    person = services.get_person(current_user, user_id)
    return pages.toggle_active(
        person,
        set_active=lambda active: services.set_active(current_user, person, active, ip=ip()),
        refused=services.HRDataError,
        message=lambda exc: _MESSAGES[exc.code](),
        action=url_for("hr.toggle_active", user_id=person.id),
        back=url_for("hr.person", user_id=person.id),
    )


# --------------------------------------------------------------------------- departments


@bp.route("/departments", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
@one_company
def departments(company: Company):
    """The company's departments with their people; add one."""
    form = DepartmentForm()
    if form.validate_on_submit() and _saved(
        form, lambda: services.create_department(current_user, company, form.name.data, ip=ip())
    ):
        flash(_("Department %(name)s added.", name=form.name.data.strip()), "success")
        return redirect(url_for("hr.departments"))
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
    if form.validate_on_submit() and _saved(
        form,
        lambda: services.rename_department(current_user, department, form.name.data, ip=ip()),
    ):
        flash(_("Changes saved."), "success")
        return redirect(url_for("hr.departments", company=department.company_id))
    return render_template("hr/department_form.html", form=form, department=department)


# --------------------------------------------------------------------------- audit log


@bp.route("/audit")
@roles_required(*HR_ROLES)
def audit_log():
    """Who changed what, when and from where (read-only)."""
    company = work_company()
    page = services.audit_events(
        current_user,
        company_id=work_company_id(),
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
