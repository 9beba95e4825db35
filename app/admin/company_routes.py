"""The zone admin's companies: add one, rename one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp, services
from app.admin.forms import CompanyForm, RenameCompanyForm
from app.forms import saved

_MESSAGES = {
    "name required": lambda: _("Enter the company's name."),
    "company name taken": lambda: _("A company with this name already exists."),
    "bad slug": lambda: _(
        "Use Latin lower-case letters, digits and hyphens (for example, baltic-port)."
    ),
    "slug taken": lambda: _("Another company already has this code."),
}


def _saved(form, action):
    return saved(
        form,
        action,
        services.CompanyDataError,
        lambda exc: _MESSAGES[str(exc)](),
        default_field="name",
    )


@bp.route("/companies/new", methods=["GET", "POST"])
def new_company():
    """Add a resident company of the zone."""
    form = CompanyForm()
    if form.validate_on_submit() and (
        company := _saved(
            form,
            lambda: services.create_company(
                current_user, form.name.data, form.slug.data, ip=request.remote_addr
            ),
        )
    ):
        flash(_("Company «%(name)s» added.", name=company.name), "success")
        return redirect(url_for("admin.companies"))
    return render_template("admin/company_form.html", form=form, company=None)


@bp.route("/companies/<int:company_id>", methods=["GET", "POST"])
def edit_company(company_id: int):
    """Rename a company (its code stays: course files refer to it)."""
    company = services.get_company(current_user, company_id)
    form = RenameCompanyForm(data={"name": company.name} if request.method == "GET" else None)
    if form.validate_on_submit() and _saved(
        form,
        lambda: services.rename_company(
            current_user, company, form.name.data, ip=request.remote_addr
        ),
    ):
        flash(_("The company is now called «%(name)s».", name=company.name), "success")
        return redirect(url_for("admin.companies"))
    return render_template("admin/company_form.html", form=form, company=company)
