"""Put the words (tiles) of a Chinese sentence in order; the Russian meaning is shown."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

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
    #: other orders of the same tiles that are right too (这台机器我没用过 beside 我没用过这台机器)
    also: Annotated[list[HanText], Field(min_length=1, max_length=6)] | None = None

    @model_validator(mode="after")
    def _tiles_make_the_answer(self) -> WordOrder:
        if self.tiles is not None and "".join(self.tiles) != strip_punctuation(self.answer):
            raise PydanticCustomError(
                "tiles_not_the_answer",
                "the tiles joined together must equal the answer without punctuation",
            )
        for other in self.also or []:
            if not _same_tiles(other, self.tiles or [], self.answer):
                raise PydanticCustomError(
                    "order_not_the_tiles",
                    "'{other}' is not an order of the answer's tiles",
                    {"other": other},
                )
        return self


def _same_tiles(other: str, tiles: list[str], answer: str) -> bool:
    """Whether `other` (punctuation aside) is the answer's tiles in some order: with tiles given,
    a cut of it into exactly those tiles; without, the same characters."""
    text = strip_punctuation(other)
    if not tiles:
        return sorted(text) == sorted(strip_punctuation(answer)) and text != ""

    def cut(rest: str, left: list[str]) -> bool:
        if not rest:
            return not left
        return any(
            rest.startswith(tile) and cut(rest[len(tile) :], left[:i] + left[i + 1 :])
            for i, tile in enumerate(left)
        )

    return cut(text, list(tiles))


def right_orders(data: dict[str, Any]) -> set[str]:
    """Every order of the tiles that is right: the answer and the file's `also`."""
    return {strip_punctuation(s) for s in [data["answer"], *(data.get("also") or [])]}


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
    fields = ("question", "answer", "ru", "tiles", "also", "explanation")
    helps = {
        **ExerciseKind.helps,
        "answer": N_("The sentence to build, with punctuation."),
        "also": N_("Other orders of the same words that are right too, one per line."),
    }
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
        return Verdict.right_or_wrong("".join(given) in right_orders(data), data)

    def parse_field(self, name: str, raw: str) -> Any:
        if name == "tiles":
            return raw.split() if raw else None
        if name == "also":
            return [line.strip() for line in raw.splitlines() if line.strip()] or None
        return super().parse_field(name, raw)

    def field_text(self, name: str, value: Any) -> str:
        if name == "also":
            return "\n".join(value or [])
        return " ".join(value or []) if name == "tiles" else super().field_text(name, value)

    def from_sentence(self, line, name, material: Material) -> list[dict[str, Any]]:
        pieces = [w.text for w in chinese.annotate(line["hanzi"]) if w.is_han]
        if len(pieces) < 2 or len(pieces) > 12:
            return []
        return [
            {"key": f"order-{name}", "kind": self.name, "answer": line["hanzi"], "ru": line["ru"]}
        ]
