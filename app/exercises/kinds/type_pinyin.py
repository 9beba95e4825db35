"""Type the pinyin, with tones, of the Chinese shown."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ValidationInfo, field_validator

from app import chinese
from app.content.types import HanText, Text, check_pinyin
from app.exercises.base import (
    N_,
    ExerciseBase,
    ExerciseKind,
    Material,
    Verdict,
    answer_text,
    register,
)


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


@register
class TypePinyinKind(ExerciseKind):
    name = "type_pinyin"
    schema = TypePinyin
    instruction = N_("Type the pinyin with tones")
    fields = ("question", "prompt", "answer", "explanation")
    generate_rank = 40
    example = {"prompt": "谢谢", "answer": "xièxie"}

    def render(self, data, *, seed):
        return {"prompt": data["prompt"]}

    def speech(self, data):
        return [data["prompt"]]

    def max_chars(self, data):
        # room for spaces, tone numbers and apostrophes; a longer text cannot be right
        return 4 * len(data["answer"]) + 32

    def check(self, data, answer):
        result = chinese.check_pinyin_answer(data["answer"], answer_text(answer))
        return Verdict(
            correct=result.correct,
            score=1.0 if result.correct else 0.0,
            feedback=result.kind,
            right_answer=data["answer"],
            explanation=data.get("explanation"),
            details={"positions": list(result.positions)},
        )

    def from_word(self, word, name, pinyin, material: Material) -> list[dict[str, Any]]:
        return [
            {"key": f"pinyin-{name}", "kind": self.name, "prompt": word["hanzi"], "answer": pinyin}
        ]
