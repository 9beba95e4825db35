from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired


class StartForm(FlaskForm):
    submit = SubmitField(_l("Start the test"))


class AnswersForm(FlaskForm):
    """The answers themselves are radio groups named `q-<question key>`, read by the route."""

    attempt = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Finish the test"))


class KnownForm(FlaskForm):
    submit = SubmitField(_l("Mark these lessons as known"))
