"""A business situation in Russian (Markdown): choose what to do; the explanation says why."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from app.content.types import LongText
from app.exercises.base import N_, ExerciseKind, register
from app.exercises.kinds._choice import Choice, WithOptions


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


@register
class ScenarioKind(Choice):
    name = "scenario"
    schema = Scenario
    instruction = N_("What would you do?")
    kept_fields = (*ExerciseKind.kept_fields, "explanation")
    markdown_fields = ("prompt", "explanation")
    helps = {
        **ExerciseKind.helps,
        "explanation": N_("Shown after the answer. A scenario needs one."),
        "prompt": N_("Markdown."),
    }
    prompt_rows = 4
    example = {
        "prompt": "Партнёр подаёт визитку. Что делать?",
        "options": ["Взять двумя руками", "Взять одной рукой"],
        "answer": "Взять двумя руками",
        "explanation": "Так проявляют уважение.",
    }
