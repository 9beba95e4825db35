"""Forms of the course editor. Content rules live in the course-file schema; these check shape."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.author.messages import POS_LABELS
from app.content.schema import PARTS_OF_SPEECH, SLUG
from app.exercises import get_kind

SLUG_MESSAGE = _l("Use lowercase Latin letters, digits and hyphens.")


class VersionedForm(FlaskForm):
    #: the version the editor started from (a stale one is refused)
    version = HiddenField()

    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class NamedForm(VersionedForm):
    """What a course and a lesson are both named by: a short name, a title, an English one."""

    slug = StringField(
        _l("Short name (in addresses and files)"),
        validators=[DataRequired(), Length(max=80), Regexp(SLUG, message=SLUG_MESSAGE)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=200)])

    def names(self) -> dict[str, Any]:
        return {"slug": self.slug.data, "title": self.title.data, "title_en": self.title_en.data}


class CourseForm(NamedForm):
    kind = SelectField(
        _l("Kind"), choices=[("language", _l("Language")), ("etiquette", _l("Etiquette"))]
    )
    level = StringField(_l("Level"), validators=[DataRequired(), Length(max=80)])
    audience = TextAreaField(_l("Who the course is for"), validators=[DataRequired()])
    description = TextAreaField(_l("Description (Markdown)"), validators=[DataRequired()])
    pass_threshold = IntegerField(
        _l("Pass threshold, %"), default=80, validators=[DataRequired(), NumberRange(1, 100)]
    )
    visibility = RadioField(
        _l("Visible to"),
        choices=[("all", _l("All companies")), ("chosen", _l("Chosen companies"))],
        default="all",
    )
    companies = SelectMultipleField(_l("Companies"), choices=[])
    desired_retention = FloatField(
        _l("Desired retention for reviews (0.70–0.99, empty: the default)"),
        validators=[Optional(), NumberRange(0.7, 0.99)],
    )
    submit = SubmitField(_l("Save"))

    def data_dict(self) -> dict[str, Any]:
        return {
            **self.names(),
            "kind": self.kind.data,
            "level": self.level.data,
            "audience": self.audience.data,
            "description": self.description.data,
            "pass_threshold": self.pass_threshold.data,
            "visibility": "all" if self.visibility.data == "all" else list(self.companies.data),
            "desired_retention": self.desired_retention.data,
        }


class LessonForm(NamedForm):
    goals = TextAreaField(_l("Goals, one per line"), validators=[DataRequired()])
    body = TextAreaField(_l("Lesson text (Markdown)"))
    submit = SubmitField(_l("Save"))

    def data_dict(self) -> dict[str, Any]:
        return {
            **self.names(),
            "goals": (self.goals.data or "").splitlines(),
            "body": self.body.data or "",
        }


POS_CHOICES = [(p, POS_LABELS[p]) for p in PARTS_OF_SPEECH]


class ItemForm(VersionedForm):
    speaker = StringField(_l("Speaker"), validators=[Optional(), Length(max=120)])
    hanzi = StringField(_l("Hanzi"), validators=[DataRequired(), Length(max=500)])
    pinyin = StringField(_l("Pinyin"), validators=[Optional(), Length(max=2000)])
    pinyin_locked = BooleanField(_l("Keep this pinyin (never regenerate it)"))
    ru = StringField(_l("Meaning in Russian"), validators=[DataRequired(), Length(max=2000)])
    en = StringField(_l("Meaning in English"), validators=[Optional(), Length(max=2000)])
    pos = SelectField(_l("Part of speech"), choices=POS_CHOICES, default="phrase")
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    passive = BooleanField(
        _l("Passive: learners recognise it in texts but are not asked to produce it")
    )
    submit = SubmitField(_l("Save"))


class PasteForm(VersionedForm):
    mode = RadioField(
        _l("What you paste"),
        choices=[("words", _l("Words: 汉字 — перевод")), ("dialogue", _l("A dialogue"))],
        default="words",
    )
    dialogue_title = StringField(_l("Dialogue title"), validators=[Optional(), Length(max=200)])
    block = TextAreaField(_l("Lines"), validators=[DataRequired()])
    submit = SubmitField(_l("Add"))


class ExerciseForm(VersionedForm):
    """Every field an exercise kind may have; the page shows the kind's own (its `fields`)."""

    kind = HiddenField()
    key = StringField(
        _l("Key"), validators=[DataRequired(), Length(max=80), Regexp(SLUG, message=SLUG_MESSAGE)]
    )
    question = StringField(_l("Question (instead of the default)"), validators=[Optional()])
    prompt = TextAreaField(_l("Prompt"))
    options = TextAreaField(_l("Options, one per line"))
    answer = StringField(_l("Right answer"))
    ru = StringField(_l("Translation"))
    tiles = StringField(_l("Tiles, separated by spaces (empty: by segmentation)"))
    also = TextAreaField(_l("Other right orders, one per line"))
    pairs = TextAreaField(_l("Pairs, one per line: 汉字 — перевод"))
    explanation = TextAreaField(_l("Explanation (Markdown)"))
    submit = SubmitField(_l("Save"))

    def exercise_data(self, fields: tuple[str, ...]) -> dict[str, Any]:
        """The exercise as the course file writes it (validated later by the schema); the
        kind turns its fields' text into values."""
        data: dict[str, Any] = {"key": (self.key.data or "").strip(), "kind": self.kind.data}
        raw = {name: (getattr(self, name).data or "").strip() for name in fields}
        return data | get_kind(self.kind.data).form_data(raw)

    def fill(self, exercise: dict[str, Any]) -> None:
        """The editor's fields from an exercise of the draft (the kind writes their text)."""
        self.key.data = exercise.get("key")
        self.kind.data = exercise.get("kind")
        kind = get_kind(exercise["kind"])
        for name in kind.fields:
            if name in exercise:
                getattr(self, name).data = kind.field_text(name, exercise[name])


class ImportForm(FlaskForm):
    archive = FileField(_l("A zip of course folders"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


class MoveForm(VersionedForm):
    direction = HiddenField()


class GrammarForm(VersionedForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the note a title.")), Length(max=200)],
    )
    body = TextAreaField(_l("Explanation (Markdown)"))
    examples = TextAreaField(_l("Examples, one per line: 汉字 — перевод"))
    submit = SubmitField(_l("Save"))


class GlossForm(VersionedForm):
    word = StringField(
        _l("Word"), validators=[DataRequired(message=_l("Write the word.")), Length(max=20)]
    )
    meaning = StringField(_l("Gloss in Russian"), validators=[Optional(), Length(max=200)])


class DialogueTitleForm(VersionedForm):
    title = StringField(
        _l("Dialogue title"),
        validators=[DataRequired(message=_l("Give the dialogue a title.")), Length(max=200)],
    )


class LineForm(VersionedForm):
    speaker = StringField(
        _l("Speaker"),
        validators=[DataRequired(message=_l("Name the speaker.")), Length(max=120)],
    )
    hanzi = StringField(
        _l("Hanzi"),
        validators=[DataRequired(message=_l("Write the line in Chinese.")), Length(max=500)],
    )
    ru = StringField(
        _l("Meaning in Russian"),
        validators=[DataRequired(message=_l("Write the meaning in Russian.")), Length(max=2000)],
    )


class UploadForm(FlaskForm):
    image = FileField(_l("Image (PNG, JPEG or WebP, up to 2 MB)"), validators=[FileRequired()])
    submit = SubmitField(_l("Upload"))
