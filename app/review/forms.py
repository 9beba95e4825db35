from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.srs.queue import MAX_NEW_PER_DAY
from app.srs.scheduling import MAX_RETENTION, MIN_RETENTION


class AnswerForm(FlaskForm):
    """A rating for the card on screen; the pressed button carries the rating."""

    card_id = IntegerField(validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()])
    review_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    #: when the card was shown (ms since the epoch), for the answer's duration
    shown_at = IntegerField(validators=[Optional()])
    rating = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=4)])


class CheckForm(FlaskForm):
    """A typed answer (pinyin or the word) to check before rating."""

    card_id = IntegerField(validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()])
    shown_at = IntegerField(validators=[Optional()])
    answer = StringField(_l("Your answer"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Check"))


class UndoForm(FlaskForm):
    review_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Undo last answer"))


class CardActionForm(FlaskForm):
    """Suspend, bury or resume a card: a button with the CSRF token."""

    submit = SubmitField()


class SettingsForm(FlaskForm):
    #: in percent on the form, a fraction in the database
    desired_retention = IntegerField(
        _l("Desired retention, %"),
        validators=[
            InputRequired(),
            NumberRange(min=round(MIN_RETENTION * 100), max=round(MAX_RETENTION * 100)),
        ],
    )
    daily_new_limit = IntegerField(
        _l("New cards per day"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_NEW_PER_DAY)],
    )
    review_writing = BooleanField(_l("Also write the characters by hand"))
    submit = SubmitField(_l("Save"))
