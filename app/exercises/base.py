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
