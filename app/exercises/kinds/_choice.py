"""What the choice kinds share: pick one of the options (the prompt shown, played or read)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from app.content import homoglyphs
from app.content.types import Text
from app.exercises.base import ExerciseBase, ExerciseKind, Material, Verdict, answer_text


def answer_not_among_options(answer: str, options: list[str]) -> PydanticCustomError:
    """The error for an answer that matches no option, naming a look-alike letter if one is
    the cause (a Latin «a» among Cyrillic letters, in the answer or in its option): its type
    and context let the editor say it in Russian."""
    context: dict[str, str | int] = {"answer": answer, "hint": "", "where": ""}
    twins = [i for i, o in enumerate(options, 1) if homoglyphs.fold(o) == homoglyphs.fold(answer)]
    if twins:
        number = twins[0]
        odd, where = homoglyphs.strangers(answer), "answer"
        if not odd:
            odd, where = homoglyphs.strangers(options[number - 1]), f"option {number}"
        if odd:
            first = odd[0]
            other = "Cyrillic" if first.script == "latin" else "Latin"
            context.update(
                char=first.char,
                position=first.position,
                script=first.script,
                where=where,
                option=number,
                hint=f": the {where} has a {first.script.capitalize()} '{first.char}'"
                f" (character {first.position}) among {other} letters",
            )
    return PydanticCustomError(
        "answer_not_among_options", "answer '{answer}' is not among the options{hint}", context
    )


class WithOptions(ExerciseBase):
    options: Annotated[list[Text], Field(min_length=2, max_length=8)]
    answer: Text

    @model_validator(mode="after")
    def _answer_among_options(self) -> WithOptions:
        if len(set(self.options)) != len(self.options):
            raise ValueError("options repeat")
        if self.answer not in self.options:
            raise answer_not_among_options(self.answer, self.options)
        return self


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
