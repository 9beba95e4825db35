"""Put the words (tiles) of a Chinese sentence in order; the Russian meaning is shown."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from app import chinese
from app.content.types import HanText, Text, strip_punctuation
from app.exercises.base import (
    N_,
    ExerciseBase,
    ExerciseKind,
    Material,
    Verdict,
    answer_parts,
    register,
)


class WordOrder(ExerciseBase):
    kind: Literal["word_order"]
    answer: HanText
    ru: Text
    tiles: Annotated[list[Text], Field(min_length=2, max_length=12)] | None = None

    @model_validator(mode="after")
    def _tiles_make_the_answer(self) -> WordOrder:
        if self.tiles is not None and "".join(self.tiles) != strip_punctuation(self.answer):
            raise ValueError("the tiles joined together must equal the answer without punctuation")
        return self


def word_tiles(data: dict[str, Any]) -> list[str]:
    """The tiles of a word-order exercise: the file's, or the answer cut into words."""
    if data.get("tiles"):
        return list(data["tiles"])
    return [word.text for word in chinese.annotate(strip_punctuation(data["answer"]))]


@register
class WordOrderKind(ExerciseKind):
    name = "word_order"
    schema = WordOrder
    instruction = N_("Put the words in order")
    multi = True
    script = "js/kinds/word_order.js"
    fields = ("question", "answer", "ru", "tiles", "explanation")
    helps = {**ExerciseKind.helps, "answer": N_("The sentence to build, with punctuation.")}
    generate_rank = 50
    example = {
        "answer": "我是王经理。",
        "ru": "Я менеджер Ван.",
        "tiles": ["我", "是", "王", "经理"],
    }

    def render(self, data, *, seed):
        return {"ru": data["ru"], "tiles": self.derange(word_tiles(data), seed)}

    def max_parts(self, data):
        return len(word_tiles(data))

    def max_chars(self, data):
        return max(len(tile) for tile in word_tiles(data)) + 16

    def check(self, data, answer):
        given = answer_parts(answer)
        return Verdict.right_or_wrong("".join(given) == strip_punctuation(data["answer"]), data)

    def parse_field(self, name: str, raw: str) -> Any:
        if name == "tiles":
            return raw.split() if raw else None
        return super().parse_field(name, raw)

    def field_text(self, name: str, value: Any) -> str:
        return " ".join(value or []) if name == "tiles" else super().field_text(name, value)

    def from_sentence(self, line, name, material: Material) -> list[dict[str, Any]]:
        pieces = [w.text for w in chinese.annotate(line["hanzi"]) if w.is_han]
        if len(pieces) < 2 or len(pieces) > 12:
            return []
        return [
            {"key": f"order-{name}", "kind": self.name, "answer": line["hanzi"], "ru": line["ru"]}
        ]
