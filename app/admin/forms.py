from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.forms import NotGuessable
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


class UserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    company_id = SelectField(_l("Company"), coerce=int)
    department_id = SelectField(_l("Department"), coerce=int)
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=ROLE_CHOICES,
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )
    active = BooleanField(_l("Active"), default=True)
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
