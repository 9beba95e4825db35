"""The course-file format as pydantic models (see courses/README.md for the annotated example).

Pure: no Flask, no database. Checks that need several fields at once (pinyin with as many
syllables as the hanzi has characters) live here as validators; each exercise kind brings its
own schema (app/exercises/kinds/); checks across files (duplicate slugs, the lesson list) live
in `validate.py`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from app.content.types import (  # noqa: F401  (the field types, also read from here)
    HAN,
    MARKDOWN_MAX_CHARS,
    SLUG,
    HanText,
    LongText,
    Slug,
    Strict,
    Text,
    check_pinyin,
    require_han,
    strip_punctuation,
)
from app.exercises import REGISTRY, exercise_schema

PARTS_OF_SPEECH = (
    "noun",
    "verb",
    "adjective",
    "adverb",
    "pronoun",
    "numeral",
    "measure",
    "particle",
    "preposition",
    "conjunction",
    "interjection",
    "phrase",
    "name",
)


class Hanzi(Strict):
    """Anything with Chinese text, an optional explicit pinyin and a Russian meaning."""

    hanzi: HanText
    pinyin: Annotated[str, Field(max_length=2000)] | None = None
    ru: Text
    en: Text | None = None

    @field_validator("pinyin")
    @classmethod
    def _pinyin_matches(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and "hanzi" in info.data:
            check_pinyin(info.data["hanzi"], value)
        return value


class VocabularyItem(Hanzi):
    pos: Literal[PARTS_OF_SPEECH]  # type: ignore[valid-type]
    hsk: Annotated[int, Field(ge=1, le=7)] | None = None
    key: Slug | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None
    #: recognised in texts and heard, never produced: no recall, pinyin or writing cards
    #: (words above the course's level that its situations still need)
    passive: bool = False


class DialogueLine(Hanzi):
    speaker: Annotated[str, Field(min_length=1, max_length=120)]


GlossWord = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(require_han)]
GlossText = Annotated[str, Field(min_length=1, max_length=200)]


class Dialogue(Strict):
    key: Slug
    title: Text
    lines: Annotated[list[DialogueLine], Field(min_length=1, max_length=60)]
    #: the trainer's Russian glosses of words in this dialogue, over the course vocabulary's
    glosses: Annotated[dict[GlossWord, GlossText], Field(max_length=200)] = {}


class Example(Hanzi):
    pass


class GrammarNote(Strict):
    title: Text
    body: LongText
    examples: list[Example] = []


#: one exercise of a lesson file: the schema of the kind its `kind` names
Exercise = exercise_schema()

EXERCISE_KINDS = tuple(REGISTRY)


class LessonFile(Strict):
    slug: Slug
    title: Text
    title_en: Text | None = None
    #: a review unit: no new words, mixed exercises over the lessons before it
    review: bool = False
    goals: Annotated[list[Text], Field(min_length=1, max_length=12)]
    body: LongText = ""
    vocabulary: list[VocabularyItem] = []
    dialogues: list[Dialogue] = []
    grammar: list[GrammarNote] = []
    exercises: list[Exercise] = []

    @field_validator("vocabulary")
    @classmethod
    def _review_has_no_words(
        cls, value: list[VocabularyItem], info: ValidationInfo
    ) -> list[VocabularyItem]:
        if value and info.data.get("review"):
            raise ValueError("a review unit teaches no new words: leave the vocabulary out")
        return value


class CourseFile(Strict):
    slug: Slug
    title: Text
    title_en: Text | None = None
    kind: Literal["language", "etiquette"]
    level: Annotated[str, Field(min_length=1, max_length=80)]
    audience: Text
    description: LongText
    visibility: Literal["all"] | Annotated[list[Slug], Field(min_length=1)] = "all"
    pass_threshold: Annotated[int, Field(ge=1, le=100)] = 80
    lessons: Annotated[list[Slug], Field(min_length=1, max_length=200)]
