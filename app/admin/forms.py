from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.forms import NotGuessable, PersonFieldsForm
from app.models import Role


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


ROLE_CHOICES = [
    (Role.LEARNER.value, _l("learner")),
    (Role.TRAINER.value, _l("trainer")),
    (Role.HR.value, _l("HR")),
    (Role.ADMIN.value, _l("administrator")),
]


class UserForm(PersonFieldsForm):
    company_id = SelectField(_l("Company"), coerce=int)
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=ROLE_CHOICES,
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=256), NotGuessable()],
    )
    submit = SubmitField(_l("Save"))


class CompanyForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Code"), validators=[Optional(), Length(max=64)])
    submit = SubmitField(_l("Save"))


class RenameCompanyForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Rename"))


class SignInSettingsForm(FlaskForm):
    """A company's sign-in method and its directory; secrets left empty keep the stored ones."""

    method = SelectField(
        _l("Sign-in method"),
        choices=[
            ("local", _l("Passwords kept by Qiao")),
            ("ldap", _l("LDAP / Active Directory")),
            ("oidc", _l("OpenID Connect")),
        ],
    )
    email_domains = StringField(_l("E-mail domains"), validators=[Optional(), Length(max=500)])
    local_allowed = BooleanField(_l("Qiao passwords also work"), default=True)
    ldap_url = StringField(_l("Directory server"), validators=[Optional(), Length(max=500)])
    ldap_start_tls = BooleanField(_l("StartTLS"))
    ldap_bind_dn = StringField(_l("Service account DN"), validators=[Optional(), Length(max=500)])
    ldap_bind_password = PasswordField(
        _l("Service account password"), validators=[Optional(), Length(max=500)]
    )
    ldap_user_dn_template = StringField(
        _l("Person DN template"), validators=[Optional(), Length(max=500)]
    )
    ldap_base_dn = StringField(_l("Search base DN"), validators=[Optional(), Length(max=500)])
    ldap_user_filter = StringField(_l("Person filter"), validators=[Optional(), Length(max=500)])
    ldap_attr_email = StringField(_l("E-mail attribute"), validators=[Optional(), Length(max=64)])
    ldap_attr_name = StringField(_l("Name attribute"), validators=[Optional(), Length(max=64)])
    ldap_attr_department = StringField(
        _l("Department attribute"), validators=[Optional(), Length(max=64)]
    )
    ldap_attr_groups = StringField(_l("Groups attribute"), validators=[Optional(), Length(max=64)])
    ldap_group_roles = TextAreaField(_l("Groups and roles"), validators=[Optional()])
    ldap_timeout = IntegerField(_l("Timeout, seconds"), default=5, validators=[Optional()])
    oidc_issuer = StringField(_l("Issuer"), validators=[Optional(), Length(max=500)])
    oidc_client_id = StringField(_l("Client ID"), validators=[Optional(), Length(max=200)])
    oidc_client_secret = PasswordField(
        _l("Client secret"), validators=[Optional(), Length(max=500)]
    )
    oidc_scopes = StringField(_l("Scopes"), validators=[Optional(), Length(max=200)])
    oidc_claim_email = StringField(_l("E-mail claim"), validators=[Optional(), Length(max=64)])
    oidc_claim_name = StringField(_l("Name claim"), validators=[Optional(), Length(max=64)])
    oidc_claim_groups = StringField(_l("Groups claim"), validators=[Optional(), Length(max=64)])
    oidc_group_roles = TextAreaField(_l("Groups and roles"), validators=[Optional()])
    submit = SubmitField(_l("Save"))
