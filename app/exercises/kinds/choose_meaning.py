"""Choose the meaning of the Chinese shown (and heard)."""

from __future__ import annotations

from typing import Any, Literal

from app.content.types import HanText
from app.exercises.base import N_, Material, register
from app.exercises.kinds._choice import Choice, WithOptions


class ChooseMeaning(WithOptions):
    kind: Literal["choose_meaning"]
    prompt: HanText


@register
class ChooseMeaningKind(Choice):
    name = "choose_meaning"
    schema = ChooseMeaning
    instruction = N_("What does it mean?")
    generate_rank = 10
    example = {
        "prompt": "你好",
        "options": ["здравствуйте", "спасибо", "банк"],
        "answer": "здравствуйте",
    }

    def speech(self, data):
        return [data["prompt"]]

    def from_word(self, word, name, pinyin, material: Material) -> list[dict[str, Any]]:
        return self.one_question(
            f"meaning-{name}", word["hanzi"], word["ru"], material.meanings, material
        )
