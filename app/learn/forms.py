from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField

PINYIN_CHOICES = [("on", _l("on")), ("off", _l("off")), ("above", _l("above my level"))]
LEVEL_CHOICES = [(0, _l("not set"))] + [(n, f"HSK {n}") for n in range(1, 7)] + [(7, "HSK 7–9")]


class DisplayForm(FlaskForm):
    pinyin_mode = SelectField(_l("Pinyin"), choices=PINYIN_CHOICES)
    hsk_level = SelectField(_l("My level"), choices=LEVEL_CHOICES, coerce=int, default=0)
    show_palladius = BooleanField(_l("Russian transcription"))
    tone_sandhi = BooleanField(_l("Tone changes as pronounced"))
    next = HiddenField()
    submit = SubmitField(_l("Apply"))
