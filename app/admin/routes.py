from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts import pages
from app.admin import bp, services
from app.admin.forms import UserForm
from app.extensions import db
from app.forms import EmptyForm, saved
from app.models import User

_FIELD_MESSAGES = {
    "email taken": lambda: _("A user with this e-mail already exists."),
    "unknown company": lambda: _("Choose a company from the list."),
    "department of another company": lambda: _("This department belongs to another company."),
    "cannot remove own admin role": lambda: _("You cannot take away your own administrator role."),
    "cannot deactivate yourself": lambda: _("You cannot deactivate yourself."),
}


def _fill_choices(form: UserForm) -> None:
    companies = services.list_companies(current_user)
    form.company_id.choices = [(c.id, c.name) for c, _count in companies]
    # grouped by company, each option tagged with its company so that the page shows only
    # the chosen company's departments (static/js/admin-user.js); the service checks it too
    form.department_id.choices = [SelectChoice(value=0, label="—")] + [
        SelectChoice(
            value=d.id,
            label=d.name,
            optgroup=d.company.name,
            render_kw={"data-company": str(d.company_id)},
        )
        for d in services.all_departments(current_user)
    ]


def _data(form: UserForm) -> services.UserData:
    return services.UserData(
        **form.person_fields(),
        company_id=form.company_id.data,
        roles=set(form.roles.data),
        password=form.password.data or None,
    )


def _save(form: UserForm, action) -> User | None:
    return saved(
        form,
        lambda: action(_data(form)),
        services.UserDataError,
        lambda exc: _FIELD_MESSAGES[str(exc)](),
        default_field="email",
    )


@bp.route("/users")
def users():
    """All users of the zone, optionally of one company."""
    company_id = request.args.get("company", type=int)
    return render_template(
        "admin/users.html",
        users=services.list_users(current_user, company_id=company_id),
        companies=services.list_companies(current_user),
        company_id=company_id,
        active_form=EmptyForm(formdata=None),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a user with a company, roles and an initial password."""
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Set an initial password.")]
        elif _save(form, lambda data: services.create(current_user, data, ip=request.remote_addr)):
            flash(_("User %(name)s created.", name=form.full_name.data), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Edit a user's details, roles, company and status."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _fill_choices(form)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.department_id.data = user.department_id or 0
    if form.validate_on_submit() and _save(
        form, lambda data: services.update(current_user, user, data, ip=request.remote_addr)
    ):
        flash(_("Changes saved."), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def toggle_active(user_id: int):
    """Deactivate an active user or reactivate a deactivated one."""
    user = db.get_or_404(User, user_id)
    return pages.toggle_active(
        user,
        set_active=lambda active: services.set_active(
            current_user, user, active, ip=request.remote_addr
        ),
        refused=services.UserDataError,
        message=lambda exc: _FIELD_MESSAGES[str(exc)](),
        action=url_for("admin.toggle_active", user_id=user.id),
        back=url_for("admin.users"),
    )


@bp.route("/companies")
def companies():
    """Companies of the zone with their departments."""
    return render_template("admin/companies.html", companies=services.list_companies(current_user))
