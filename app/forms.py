"""Forms and validators shared by several blueprints (buttons, the language switch, passwords,
a person's fields).

Core code and `app/ui` import them from here, never from a blueprint package.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.accounts.passwords import password_problem
from app.extensions import db


class NotGuessable:
    """Refuse passwords guessers try first (app.accounts.passwords), the person's name included.

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


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("ru", "Русский"), ("en", "English")])
    next = HiddenField()
    submit = SubmitField(_l("Switch"))


class PersonFieldsForm(FlaskForm):
    """What both the admin's user form and HR's person form ask of a person
    (`accounts.PersonFields`); each form adds its own fields and the department choices."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    department_id = SelectField(_l("Department"), coerce=int)
    active = BooleanField(_l("Active"), default=True)

    def person_fields(self) -> dict[str, Any]:
        """The fields as `accounts.PersonFields` takes them (nothing chosen or written: None)."""
        return {
            "email": self.email.data,
            "full_name": self.full_name.data,
            "position": self.position.data or None,
            "department_id": self.department_id.data or None,
            "active": self.active.data,
        }


F = TypeVar("F", bound=FlaskForm)


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""

    submit = SubmitField()


def posted(form_class: type[F] = EmptyForm) -> F:  # type: ignore[assignment]
    """This POST's form of `form_class` (a button's by default), validated with its CSRF
    token; 400 if it does not validate."""
    form = form_class()
    if not form.validate_on_submit():
        abort(400)
    return form


def saved(
    form: FlaskForm,
    action: Callable[[], Any],
    refused: type[Exception],
    message: Callable[[Any], str],
    *,
    default_field: str,
) -> Any:
    """Run a form's service call and commit: its result (True if it returns nothing). On a
    `refused` error roll back and show `message(error)` under the field the error names
    (`error.field`, else `default_field`): None."""
    try:
        result = action()
    except refused as exc:
        db.session.rollback()
        field = getattr(form, getattr(exc, "field", ""), None) or getattr(form, default_field)
        field.errors = [*field.errors, message(exc)]
        return None
    db.session.commit()
    return True if result is None else result
