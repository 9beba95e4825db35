"""The exercise-kind protocol and its registry.

A kind is one class that owns everything about itself: the schema of its entry in a lesson
file, the fields of the trainer's editor, its instruction, the template that shows it, whether
its answer is a list (for the page's script), answer parsing with size limits, `check`,
`speech` and the generator hook. The rest of the app reads `REGISTRY`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Union

from pydantic import BaseModel, Field

from app.content.types import LongText, Slug, Strict, Text


def N_(message: str) -> str:  # noqa: N802 - the conventional name of a gettext marker
    """Mark a string for translation; the interface translates it when it shows it."""
    return message


@dataclass(frozen=True)
class Verdict:
    """The outcome of one answer.

    `feedback` is a code the templates translate (`correct`, `wrong`, `wrong_tone`,
    `wrong_syllable`, `unparseable`, `partial`); `details` carries what the code needs.
    """

    correct: bool
    score: float
    feedback: str
    right_answer: str
    explanation: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def right_or_wrong(
        cls,
        correct: bool,
        data: dict[str, Any],
        *,
        right_answer: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> Verdict:
        """All or nothing: «correct» or «wrong», the entry's answer (unless another wording of
        it is given) and explanation."""
        return cls(
            correct=correct,
            score=1.0 if correct else 0.0,
            feedback="correct" if correct else "wrong",
            right_answer=data["answer"] if right_answer is None else right_answer,
            explanation=data.get("explanation"),
            details=details or {},
        )


class AnswerError(ValueError):
    """An answer of the wrong shape or size; `code` is "shape" or "too long"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


#: the most characters one answer (or one part of a list answer) may have, whatever the kind
MAX_ANSWER_CHARS = 2000
#: the part-N fields of a list answer in a plain form
PART_PREFIX = "part-"


class ExerciseBase(Strict):
    """The fields every exercise of a lesson file has; a kind's schema adds its own."""

    key: Slug
    question: Text | None = None
    explanation: LongText | None = None


def answer_text(answer: Any) -> str:
    """A one-string answer, stripped; anything else counts as no answer."""
    return answer.strip() if isinstance(answer, str) else ""


def answer_parts(answer: Any) -> list[str]:
    """A list answer's parts; anything that is not a list of strings counts as no answer."""
    if not isinstance(answer, list):
        return []
    return [part.strip() if isinstance(part, str) else "" for part in answer]


@dataclass(frozen=True)
class Material:
    """What the exercise generator offers a kind: the lesson's words and a seeded way to pick
    options (`options(right, pool)`: the right one and up to three others, shuffled)."""

    meanings: list[str]
    hanzi: list[str]
    options: Callable[[str, list[str]], list[str]]


class ExerciseKind:
    """Base class: subclasses set `name`, `schema`, `instruction`, `fields`, `example` and
    implement `render` and `check`."""

    name: ClassVar[str]
    #: the pydantic model of the kind's entry in a lesson file (its `kind` is `name`)
    schema: ClassVar[type[BaseModel]]
    #: the default instruction above the prompt, also the kind's name in the trainer's lists
    #: (an English msgid marked with N_; the interface shows it translated)
    instruction: ClassVar[str]
    #: the template that shows the prompt and the answer inputs inside the exercise card
    #: (`register` sets exercises/<name>.html unless the kind names another)
    template: ClassVar[str]
    #: the answer arrives as a list of strings (matching, word order) rather than one string;
    #: the card tells the page's script so (`data-multi`)
    multi: ClassVar[bool] = False
    #: the Chinese prompt is heard, not read: the exercise needs a verified clip to be offered
    spoken: ClassVar[bool] = False
    #: the prompt gets a clip as a model to repeat, though the exercise is offered without it
    reference_audio: ClassVar[bool] = False
    #: the kind's template has its own buttons instead of the card's «Check» (say: record, skip)
    own_buttons: ClassVar[bool] = False
    #: the fields of the trainer's editor in form order (key and kind aside); each is a field
    #: of app.author.forms.ExerciseForm
    fields: ClassVar[tuple[str, ...]]
    #: fields written to the file even when empty (so that the schema names what is missing)
    kept_fields: ClassVar[tuple[str, ...]] = ("prompt", "answer", "ru")
    #: fields written in Markdown (raw HTML is refused in them)
    markdown_fields: ClassVar[tuple[str, ...]] = ("explanation",)
    #: help under the editor's fields (English msgids marked with N_)
    helps: ClassVar[dict[str, str]] = {
        "options": N_("The right answer must be one of them."),
        "explanation": N_("Shown after the answer (optional)."),
    }
    #: an optional script (a path under app/static) that enhances the kind's template on the
    #: lesson page, e.g. tap-to-place tiles; it runs after js/qiao.js, before js/lesson.js
    script: ClassVar[str | None] = None
    #: the texts that script shows, {name: English msgid marked with N_}: the page carries them
    #: translated as `data-t-<name>` attributes (ui's `script_texts` macro)
    script_texts: ClassVar[dict[str, str]] = {}
    #: the height of the editor's prompt box
    prompt_rows: ClassVar[int] = 2
    #: the order in which the generator asks the kinds (lower first); None: it never asks
    generate_rank: ClassVar[int | None] = None
    #: a valid exercise of this kind (key and kind aside), for tests and documentation
    example: ClassVar[dict[str, Any]]

    @property
    def label(self) -> str:
        """The kind's name in the trainer's lists: its instruction."""
        return self.instruction

    def help(self, name: str) -> str | None:
        """The editor's help under field `name` (an untranslated msgid), if any."""
        return self.helps.get(name)

    # ------------------------------------------------------------------ the page

    def render(self, data: dict[str, Any], *, seed: int) -> dict[str, Any]:
        """What the learner sees; must not contain the answer."""
        raise NotImplementedError

    def speech(self, data: dict[str, Any]) -> list[str]:
        """Chinese texts this exercise plays as audio."""
        return []

    # ------------------------------------------------------------------ answers

    def check(self, data: dict[str, Any], answer: Any) -> Verdict:
        raise NotImplementedError

    def max_chars(self, data: dict[str, Any]) -> int:
        """The longest answer (or list part) this exercise can sensibly receive."""
        return MAX_ANSWER_CHARS

    def max_parts(self, data: dict[str, Any]) -> int:
        """For a list answer: how many parts it may have."""
        return 0

    def form_answer(self, form: Mapping[str, str]) -> Any:
        """The answer as a plain form sends it: `answer`, or for a list answer the `part-N`
        fields in the order of N."""
        if self.multi:
            parts = []
            for key, value in form.items():
                number = key[len(PART_PREFIX) :]
                if key.startswith(PART_PREFIX) and number.isdigit():
                    parts.append((int(number), value))
            return [value for _n, value in sorted(parts) if value is not None]
        return form.get("answer", "")

    def parse_answer(self, data: dict[str, Any], answer: Any) -> Any:
        """Check an answer's shape and size before it is checked or stored.

        One string (a number is taken as its digits) for most kinds; a list of strings, no
        longer than `max_parts`, for `multi` kinds. Raises AnswerError.
        """
        limit = self.max_chars(data)
        if self.multi:
            if not isinstance(answer, list) or len(answer) > self.max_parts(data):
                raise AnswerError("shape")
            if not all(isinstance(part, str) for part in answer):
                raise AnswerError("shape")
            if any(len(part) > limit for part in answer):
                raise AnswerError("too long")
            return [part.strip() for part in answer]
        if isinstance(answer, bool) or not isinstance(answer, str | int):
            raise AnswerError("shape")
        text = str(answer)
        if len(text) > limit:
            raise AnswerError("too long")
        return text.strip()

    def stored_answer(self, data: dict[str, Any], answer: Any) -> Any:
        """A stored answer, read again to show its verdict: as `parse_answer` by default (a
        kind whose answers the server makes, like say's tones heard, reads them as stored)."""
        return self.parse_answer(data, answer)

    # ------------------------------------------------------------------ the editor

    def form_data(self, raw: Mapping[str, str]) -> dict[str, Any]:
        """The editor's fields (stripped text by name) as the course file writes them;
        the schema validates the result."""
        data: dict[str, Any] = {}
        for name, text in raw.items():
            value = self.parse_field(name, text)
            if value is not None:
                data[name] = value
        return data

    def parse_field(self, name: str, raw: str) -> Any:
        """One editor field's value in the file, or None to leave it out."""
        return raw if raw or name in self.kept_fields else None

    def field_text(self, name: str, value: Any) -> str:
        """The other way: a value of the file as the editor's field shows it."""
        return value if isinstance(value, str) else str(value)

    # ------------------------------------------------------------------ the generator

    def from_word(
        self, word: dict[str, Any], name: str, pinyin: str, material: Material
    ) -> list[dict[str, Any]]:
        """Exercises (without checks) made from a vocabulary word; `name` ends their keys."""
        return []

    def from_sentence(
        self, line: dict[str, Any], name: str, material: Material
    ) -> list[dict[str, Any]]:
        """Exercises made from a dialogue line or a long vocabulary entry."""
        return []

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def shuffled(values: list[Any], seed: int) -> list[Any]:
        """A stable shuffle: the same learner sees the same order on reload."""
        out = list(values)
        random.Random(seed).shuffle(out)
        return out

    @classmethod
    def derange(cls, values: list[Any], seed: int) -> list[Any]:
        """A stable shuffle that never hands out the solved order (when there is another)."""
        out = cls.shuffled(values, seed)
        if out == list(values) and len(set(values)) > 1:
            out = out[1:] + out[:1]
        return out


REGISTRY: dict[str, ExerciseKind] = {}


def register(cls: type[ExerciseKind]) -> type[ExerciseKind]:
    if "template" not in cls.__dict__:
        cls.template = f"exercises/{cls.name}.html"
    REGISTRY[cls.name] = cls()
    return cls


def get_kind(name: str) -> ExerciseKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown exercise kind: {name}") from None


def exercise_schema() -> Any:
    """The schema of one exercise of a lesson file: the registered kinds' schemas, told apart
    by `kind` (in registration order, which is the order of pydantic's messages)."""
    schemas = tuple(kind.schema for kind in REGISTRY.values())
    return Annotated[Union[schemas], Field(discriminator="kind")]  # noqa: UP007


def generating_kinds() -> list[ExerciseKind]:
    """The kinds the exercise generator asks, in their order."""
    kinds = [kind for kind in REGISTRY.values() if kind.generate_rank is not None]
    return sorted(kinds, key=lambda kind: kind.generate_rank or 0)
