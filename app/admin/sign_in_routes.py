"""The zone admin's sign-in settings of a company: passwords, LDAP / AD or OpenID Connect."""

from __future__ import annotations

from dataclasses import fields

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp, services
from app.admin.forms import SignInSettingsForm
from app.directory import settings as sign_in
from app.directory.secrets import SecretKeyMissing
from app.forms import saved

_MESSAGES = {
    "bad method": lambda: _("Choose a sign-in method from the list."),
    "bad domain": lambda: _("Write domains like example.ru, separated by commas."),
    "domain taken": lambda: _("Another company already signs in with this domain."),
    "domains required": lambda: _("A directory needs the company's e-mail domains."),
    "bad attribute": lambda: _("An attribute name is Latin letters, digits and hyphens."),
    "bad ldap url": lambda: _("The server address starts with ldap:// or ldaps://."),
    "template or search required": lambda: _(
        "Give a person DN template, or a service account with a search base DN."
    ),
    "template needs login": lambda: _("The template must contain {login}."),
    "filter needs email": lambda: _("The filter must contain {email}."),
    "bad issuer": lambda: _("The issuer is an https:// address."),
    "client id required": lambda: _("Enter the client ID."),
    "bad timeout": lambda: _("The timeout is 1 to 60 seconds."),
    "bad role map": lambda: _("One group a line: «group = role», the role learner, trainer or hr."),
    "no key": lambda: _(
        "Secrets cannot be saved: DIRECTORY_SECRET_KEY is not set on the server (see README)."
    ),
}


def _data(form: SignInSettingsForm) -> sign_in.SettingsData:
    names = {f.name for f in fields(sign_in.SettingsData)}
    values = {name: getattr(form, name).data for name in names}
    values = {k: ("" if v is None and k != "ldap_timeout" else v) for k, v in values.items()}
    values["ldap_timeout"] = values["ldap_timeout"] or 5
    return sign_in.SettingsData(**values)


def _save(form, company):
    def action():
        try:
            return sign_in.save(current_user, company, _data(form), ip=request.remote_addr)
        except SecretKeyMissing as exc:
            raise sign_in.SettingsError("ldap_bind_password", "no key") from exc

    return saved(
        form,
        action,
        sign_in.SettingsError,
        lambda exc: _MESSAGES[exc.code](),
        default_field="method",
    )


@bp.route("/companies/<int:company_id>/sign-in", methods=["GET", "POST"])
def company_sign_in(company_id: int):
    """How a company's people sign in: Qiao passwords, its directory or its OpenID provider."""
    company = services.get_company(current_user, company_id)
    current = sign_in.get(current_user, company)
    form = SignInSettingsForm(
        data=vars(sign_in.as_data(current)) if request.method == "GET" else None
    )
    if form.validate_on_submit() and _save(form, company):
        flash(_("Sign-in settings of «%(name)s» saved.", name=company.name), "success")
        return redirect(url_for("admin.companies"))
    return render_template(
        "admin/sign_in.html",
        form=form,
        company=company,
        has_ldap_secret=bool(current.ldap_bind_password_enc),
        has_oidc_secret=bool(current.oidc_client_secret_enc),
    )
