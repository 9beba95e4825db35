from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField

from app.learn.goals import GOAL_CHOICES

TIMEZONE_CHOICES = [
    ("Europe/Kaliningrad", _l("Kaliningrad (UTC+2)")),
    ("Europe/Moscow", _l("Moscow (UTC+3)")),
    ("Europe/Samara", _l("Samara (UTC+4)")),
    ("Asia/Yekaterinburg", _l("Yekaterinburg (UTC+5)")),
    ("Asia/Omsk", _l("Omsk (UTC+6)")),
    ("Asia/Novosibirsk", _l("Novosibirsk (UTC+7)")),
    ("Asia/Krasnoyarsk", _l("Krasnoyarsk (UTC+7)")),
    ("Asia/Irkutsk", _l("Irkutsk (UTC+8)")),
    ("Asia/Yakutsk", _l("Yakutsk (UTC+9)")),
    ("Asia/Vladivostok", _l("Vladivostok (UTC+10)")),
    ("Asia/Magadan", _l("Magadan (UTC+11)")),
    ("Asia/Kamchatka", _l("Kamchatka (UTC+12)")),
]


class GoalForm(FlaskForm):
    goal = SelectField(
        _l("Daily goal"),
        coerce=int,
        choices=[(n, _l("%(num)d minutes a day", num=n)) for n in GOAL_CHOICES],
    )
    reminder = BooleanField(_l("E-mail me a reminder to review every day"))
    hour = SelectField(
        _l("Reminder time"), coerce=int, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
    timezone = SelectField(_l("Time zone"), choices=TIMEZONE_CHOICES)
    submit = SubmitField(_l("Save"))
