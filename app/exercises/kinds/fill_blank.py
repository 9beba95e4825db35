"""Choose the word that fills the gap (___) of a Chinese sentence."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from app.content.types import HanText, Text
from app.exercises.base import N_, ExerciseKind, Verdict, register
from app.exercises.kinds._choice import Choice, WithOptions


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


@register
class FillBlankKind(Choice):
    name = "fill_blank"
    schema = FillBlank
    instruction = N_("Fill in the missing word")
    fields = ("question", "prompt", "ru", "options", "answer", "explanation")
    helps = {**ExerciseKind.helps, "prompt": N_("Write the gap as ___.")}
    example = {
        "prompt": "我___中国人。",
        "ru": "Я китаец.",
        "options": ["是", "在", "有"],
        "answer": "是",
    }

    def render(self, data, *, seed):
        before, _, after = data["prompt"].partition("___")
        return {
            "before": before,
            "after": after,
            "ru": data["ru"],
            "options": self.shuffled(data["options"], seed),
        }

    def check(self, data, answer):
        verdict = super().check(data, answer)
        full = data["prompt"].replace("___", data["answer"])
        return Verdict(
            verdict.correct, verdict.score, verdict.feedback, full, data.get("explanation")
        )
