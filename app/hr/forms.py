from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from app.accounts.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.forms import NotGuessable, PersonFieldsForm
from app.models import AssignmentTarget


class DepartmentForm(FlaskForm):
    name = StringField(_l("Department name"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save"))


class PersonForm(PersonFieldsForm):
    manager_email = EmailField(
        _l("Manager's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx", "txt"], _l("Upload a CSV or XLSX file.")),
        ],
    )
    submit = SubmitField(_l("Check the file"))


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
    send_invitations = BooleanField(_l("E-mail an invitation link to each new employee"))
    submit = SubmitField(_l("Import"))


class AssignmentForm(FlaskForm):
    course_id = SelectField(_l("Course"), coerce=int)
    target = RadioField(
        _l("Assign to"),
        choices=[
            (AssignmentTarget.DEPARTMENT.value, _l("a department")),
            (AssignmentTarget.COMPANY.value, _l("the whole company")),
            (AssignmentTarget.USER.value, _l("one person")),
        ],
        default=AssignmentTarget.DEPARTMENT.value,
    )
    department_id = SelectField(_l("Department"), coerce=int)
    user_email = EmailField(_l("Person's e-mail"), validators=[Optional(), Email()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    recurrence_months = IntegerField(
        _l("Repeat every (months)"), validators=[Optional(), NumberRange(min=1, max=60)]
    )
    submit = SubmitField(_l("Assign"))


class OverrideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give a reason.")), Length(max=500)],
    )
    submit = SubmitField(_l("Mark as completed"))


class AcceptInvitationForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256), NotGuessable()],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )
    submit = SubmitField(_l("Set password"))


class FilterForm(FlaskForm):
    """The report filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    company = SelectField(_l("Company"), coerce=int, validate_choice=False)
    department = SelectField(_l("Department"), coerce=int, validate_choice=False)
    course = SelectField(_l("Course"), coerce=int, validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    due_from = DateField(_l("Due from"), validators=[Optional()])
    due_to = DateField(_l("Due until"), validators=[Optional()])
