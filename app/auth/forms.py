from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.passwords import MAX_LENGTH, password_problem
from app.auth.services import MIN_PASSWORD_LENGTH


class NotGuessable:
    """Refuse passwords guessers try first (app.auth.passwords), the person's name included.

    The person is the form's `account` (a User set by the route) or, on a form that edits one,
    the e-mail and name fields.
    """

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        account = getattr(form, "account", None)
        email = account.email if account is not None else _data(form, "email")
        name = account.full_name if account is not None else _data(form, "full_name")
        if password_problem(field.data, email=email, name=name) == "guessable":
            raise ValidationError(
                _l(
                    "This password is too easy to guess: avoid common words, keyboard rows, "
                    "repeated characters and your own name."
                )
            )


def _data(form, name: str) -> str:
    field = getattr(form, name, None)
    return str(field.data or "") if field is not None else ""


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Remember me"))
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH, max=MAX_LENGTH),
            NotGuessable(),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("ru", "Русский"), ("en", "English")])
    next = HiddenField()
    submit = SubmitField(_l("Switch"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""

    submit = SubmitField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send the link"))


class ResetPasswordForm(FlaskForm):
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=256)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Set the password and sign in"))
