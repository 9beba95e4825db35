"""What the choice kinds share: pick one of the options (the prompt shown, played or read)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from app.content.options import OneOfOptions
from app.content.types import Text
from app.exercises.base import ExerciseBase, ExerciseKind, Material, Verdict, answer_text


class WithOptions(ExerciseBase, OneOfOptions):
    options: Annotated[list[Text], Field(min_length=2, max_length=8)]
    answer: Text


class Choice(ExerciseKind):
    """Pick one option; the prompt is shown (or, for listening, played)."""

    fields = ("question", "prompt", "options", "answer", "explanation")

    def render(self, data: dict[str, Any], *, seed: int) -> dict[str, Any]:
        return {
            "prompt": data["prompt"],
            "options": self.shuffled(data["options"], seed),
        }

    def max_chars(self, data: dict[str, Any]) -> int:
        return max(len(option) for option in data["options"]) + 16

    def check(self, data: dict[str, Any], answer: Any) -> Verdict:
        return Verdict.right_or_wrong(answer_text(answer) == data["answer"], data)

    def one_question(
        self, key: str, prompt: str, answer: str, pool: list[str], material: Material
    ) -> list[dict[str, Any]]:
        """The generator's exercise of a word: `answer` among options from `pool` (none when
        the lesson has too few different ones)."""
        if len(set(pool)) < 2:
            return []
        return [
            {
                "key": key,
                "kind": self.name,
                "prompt": prompt,
                "options": material.options(answer, pool),
                "answer": answer,
            }
        ]

    def parse_field(self, name: str, raw: str) -> Any:
        if name == "options":
            return [line.strip() for line in raw.splitlines() if line.strip()]
        return super().parse_field(name, raw)

    def field_text(self, name: str, value: Any) -> str:
        return "\n".join(value) if name == "options" else super().field_text(name, value)
