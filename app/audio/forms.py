from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import AnyOf

SPEED_CHOICES = [("normal", _l("normal speed")), ("slow", _l("slow speed"))]


class RecordingForm(FlaskForm):
    """A trainer's recording of one item (validated by decoding it in the service)."""

    file = FileField(
        _l("Recording (MP3, OGG or WAV)"),
        validators=[FileRequired(message=_l("Choose an audio file."))],
    )
    speed = SelectField(_l("Speed"), choices=SPEED_CHOICES, default="normal")
    submit = SubmitField(_l("Upload"))


class DeleteRecordingForm(FlaskForm):
    speed = HiddenField(validators=[AnyOf(["normal", "slow"])])
    submit = SubmitField()


class BatchRecordingsForm(FlaskForm):
    """A zip of a lesson's recordings, each file named by the item's key or hanzi."""

    archive = FileField(
        _l("Archive (ZIP)"),
        validators=[FileRequired(message=_l("Choose a ZIP archive."))],
    )
    submit = SubmitField(_l("Upload the recordings"))
