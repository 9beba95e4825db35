"""Choose the characters for the Russian meaning shown."""

from __future__ import annotations

from typing import Any, Literal

from app.content.types import Text
from app.exercises.base import N_, Material, register
from app.exercises.kinds._choice import Choice, WithOptions


class ChooseHanzi(WithOptions):
    kind: Literal["choose_hanzi"]
    prompt: Text


@register
class ChooseHanziKind(Choice):
    name = "choose_hanzi"
    schema = ChooseHanzi
    instruction = N_("Choose the right characters")
    generate_rank = 30
    example = {"prompt": "спасибо", "options": ["谢谢", "你好", "银行"], "answer": "谢谢"}

    def from_word(self, word, name, pinyin, material: Material) -> list[dict[str, Any]]:
        return self.one_question(
            f"hanzi-{name}", word["ru"], word["hanzi"], material.hanzi, material
        )
