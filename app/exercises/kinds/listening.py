"""Listen to the Chinese (not shown) and choose what was heard."""

from __future__ import annotations

from typing import Any, Literal

from app.content.types import HanText
from app.exercises.base import N_, Material, register
from app.exercises.kinds._choice import Choice, WithOptions


class Listening(WithOptions):
    kind: Literal["listening"]
    prompt: HanText


@register
class ListeningKind(Choice):
    name = "listening"
    schema = Listening
    instruction = N_("Listen and choose what you heard")
    spoken = True
    generate_rank = 20
    example = {
        "prompt": "银行",
        "options": ["банк", "спасибо", "здравствуйте"],
        "answer": "банк",
    }

    def render(self, data, *, seed):
        view = super().render(data, seed=seed)
        view["audio_text"] = view.pop("prompt")  # heard, not read
        return view

    def speech(self, data):
        return [data["prompt"]]

    def from_word(self, word, name, pinyin, material: Material) -> list[dict[str, Any]]:
        return self.one_question(
            f"listening-{name}", word["hanzi"], word["ru"], material.meanings, material
        )
