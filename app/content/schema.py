"""The course-file format as pydantic models (see courses/README.md for the annotated example).

Pure: no Flask, no database. Checks that need several fields at once (an answer among its
options, pinyin with as many syllables as the hanzi has characters) live here as validators;
checks across files (duplicate slugs, the lesson list) live in `validate.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app import chinese
from app.content import homoglyphs

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
#: Markdown bodies: rendering cost grows fast with pathological input (20,000 characters of
#: "*a" take about a second), and the longest text of the shipped courses is 5,517
MARKDOWN_MAX_CHARS = 20_000
LongText = Annotated[str, Field(max_length=MARKDOWN_MAX_CHARS)]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")

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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _require_han(value: str) -> str:
    if not HAN.search(value):
        raise ValueError("must contain Chinese characters (hanzi)")
    return value


HanText = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_require_han)]


def check_pinyin(hanzi: str, pinyin: str) -> str:
    """Raise ValueError unless `pinyin` reads as many syllables as `hanzi` has characters."""
    try:
        syllables = chinese.split_pinyin(pinyin)
    except ValueError as exc:
        raise ValueError(f"not valid pinyin: {exc}") from None
    expected = chinese.han_count(hanzi)
    if len(syllables) != expected:
        raise ValueError(
            f"pinyin has {len(syllables)} syllables but the hanzi has {expected} characters"
        )
    return pinyin


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


class DialogueLine(Hanzi):
    speaker: Annotated[str, Field(min_length=1, max_length=120)]


GlossWord = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(_require_han)]
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


class ExerciseBase(Strict):
    key: Slug
    question: Text | None = None
    explanation: LongText | None = None


def answer_not_among_options(answer: str, options: list[str]) -> PydanticCustomError:
    """The error for an answer that matches no option, naming a look-alike letter if one is
    the cause (a Latin «a» among Cyrillic letters, in the answer or in its option): its type
    and context let the editor say it in Russian."""
    context: dict[str, str | int] = {"answer": answer, "hint": "", "where": ""}
    twins = [i for i, o in enumerate(options, 1) if homoglyphs.fold(o) == homoglyphs.fold(answer)]
    if twins:
        number = twins[0]
        odd, where = homoglyphs.strangers(answer), "answer"
        if not odd:
            odd, where = homoglyphs.strangers(options[number - 1]), f"option {number}"
        if odd:
            first = odd[0]
            other = "Cyrillic" if first.script == "latin" else "Latin"
            context.update(
                char=first.char,
                position=first.position,
                script=first.script,
                where=where,
                option=number,
                hint=f": the {where} has a {first.script.capitalize()} '{first.char}'"
                f" (character {first.position}) among {other} letters",
            )
    return PydanticCustomError(
        "answer_not_among_options", "answer '{answer}' is not among the options{hint}", context
    )


class WithOptions(ExerciseBase):
    options: Annotated[list[Text], Field(min_length=2, max_length=8)]
    answer: Text

    @model_validator(mode="after")
    def _answer_among_options(self) -> WithOptions:
        if len(set(self.options)) != len(self.options):
            raise ValueError("options repeat")
        if self.answer not in self.options:
            raise answer_not_among_options(self.answer, self.options)
        return self


class ChooseMeaning(WithOptions):
    kind: Literal["choose_meaning"]
    prompt: HanText


class ChooseHanzi(WithOptions):
    kind: Literal["choose_hanzi"]
    prompt: Text


class Listening(WithOptions):
    kind: Literal["listening"]
    prompt: HanText


class FillBlank(WithOptions):
    kind: Literal["fill_blank"]
    prompt: HanText
    ru: Text

    @field_validator("prompt")
    @classmethod
    def _has_gap(cls, value: str) -> str:
        if value.count("___") != 1:
            raise ValueError("must contain exactly one gap written as ___")
        return value


class Scenario(WithOptions):
    kind: Literal["scenario"]
    prompt: LongText
    explanation: LongText

    @field_validator("explanation")
    @classmethod
    def _explained(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a scenario needs an explanation of the best answer")
        return value


class TypePinyin(ExerciseBase):
    kind: Literal["type_pinyin"]
    prompt: HanText
    answer: Text

    @field_validator("answer")
    @classmethod
    def _answer_is_pinyin_of_prompt(cls, value: str, info: ValidationInfo) -> str:
        if "prompt" in info.data:
            check_pinyin(info.data["prompt"], value)
        return value


class IdentifyTone(ExerciseBase):
    kind: Literal["identify_tone"]
    prompt: Annotated[HanText, Field(max_length=1)]
    answer: Annotated[int, Field(ge=1, le=5)]


class WordOrder(ExerciseBase):
    kind: Literal["word_order"]
    answer: HanText
    ru: Text
    tiles: Annotated[list[Text], Field(min_length=2, max_length=12)] | None = None

    @model_validator(mode="after")
    def _tiles_make_the_answer(self) -> WordOrder:
        if self.tiles is not None and "".join(self.tiles) != strip_punctuation(self.answer):
            raise ValueError("the tiles joined together must equal the answer without punctuation")
        return self


class Matching(ExerciseBase):
    kind: Literal["matching"]
    pairs: Annotated[list[tuple[Text, Text]], Field(min_length=3, max_length=8)]

    @model_validator(mode="after")
    def _distinct(self) -> Matching:
        lefts = [left for left, _ in self.pairs]
        rights = [right for _, right in self.pairs]
        if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
            raise ValueError("each side of the pairs must be distinct")
        return self


Exercise = Annotated[
    ChooseMeaning
    | ChooseHanzi
    | TypePinyin
    | IdentifyTone
    | Listening
    | WordOrder
    | FillBlank
    | Matching
    | Scenario,
    Field(discriminator="kind"),
]

EXERCISE_KINDS = (
    "choose_meaning",
    "choose_hanzi",
    "type_pinyin",
    "identify_tone",
    "listening",
    "word_order",
    "fill_blank",
    "matching",
    "scenario",
)


class LessonFile(Strict):
    slug: Slug
    title: Text
    title_en: Text | None = None
    goals: Annotated[list[Text], Field(min_length=1, max_length=12)]
    body: LongText = ""
    vocabulary: list[VocabularyItem] = []
    dialogues: list[Dialogue] = []
    grammar: list[GrammarNote] = []
    exercises: list[Exercise] = []


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


_PUNCTUATION = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    r"!-/:-@\[-`{-~…—–·“”‘’«»]"
)


def strip_punctuation(text: str) -> str:
    return _PUNCTUATION.sub("", text)
