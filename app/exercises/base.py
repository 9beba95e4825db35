"""The exercise-kind protocol and its registry."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, ClassVar


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


class AnswerError(ValueError):
    """An answer of the wrong shape or size; `code` is "shape" or "too long"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


#: the most characters one answer (or one part of a list answer) may have, whatever the kind
MAX_ANSWER_CHARS = 2000


class ExerciseKind:
    """Base class: subclasses set `name` and implement `render` and `check`."""

    name: ClassVar[str]
    #: a code for the default instruction shown above the prompt (translated by templates)
    instruction: ClassVar[str]
    #: the answer arrives as a list of strings (matching, word order) rather than one string
    multi: ClassVar[bool] = False

    def render(self, data: dict[str, Any], *, seed: int) -> dict[str, Any]:
        """What the learner sees; must not contain the answer."""
        raise NotImplementedError

    def check(self, data: dict[str, Any], answer: Any) -> Verdict:
        raise NotImplementedError

    def max_chars(self, data: dict[str, Any]) -> int:
        """The longest answer (or list part) this exercise can sensibly receive."""
        return MAX_ANSWER_CHARS

    def max_parts(self, data: dict[str, Any]) -> int:
        """For a list answer: how many parts it may have."""
        return 0

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

    def speech(self, data: dict[str, Any]) -> list[str]:
        """Chinese texts this exercise plays as audio."""
        return []

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
    REGISTRY[cls.name] = cls()
    return cls


def get_kind(name: str) -> ExerciseKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown exercise kind: {name}") from None
