"""Match Chinese words with their meanings."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from app.content.types import Text
from app.exercises.base import N_, ExerciseBase, ExerciseKind, Verdict, answer_parts, register

#: how a trainer may separate the two sides of a pair in the editor, in the order tried
PAIR_SEPARATORS = (" — ", " – ", " - ", "\t", "=")


class Matching(ExerciseBase):
    kind: Literal["matching"]
    pairs: Annotated[list[tuple[Text, Text]], Field(min_length=3, max_length=8)]

    @model_validator(mode="after")
    def _distinct(self) -> Matching:
        lefts = [left for left, _ in self.pairs]
        rights = [right for _, right in self.pairs]
        if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
            raise ValueError("each side of the pairs must be distinct")
        return self


def parse_pairs(raw: str) -> list[list[str]]:
    """The editor's pairs, one a line: «汉字 — перевод»; a line without a separator is dropped."""
    pairs = []
    for line in raw.splitlines():
        for sep in PAIR_SEPARATORS:
            if sep in line:
                left, right = line.split(sep, 1)
                pairs.append([left.strip(), right.strip()])
                break
    return pairs


@register
class MatchingKind(ExerciseKind):
    name = "matching"
    schema = Matching
    instruction = N_("Match the pairs")
    multi = True
    script = "js/kinds/matching.js"
    fields = ("question", "pairs", "explanation")
    example = {"pairs": [["你好", "здравствуйте"], ["谢谢", "спасибо"], ["银行", "банк"]]}

    def render(self, data, *, seed):
        lefts = [left for left, _ in data["pairs"]]
        rights = [right for _, right in data["pairs"]]
        return {"lefts": lefts, "rights": self.derange(rights, seed)}

    def max_parts(self, data):
        return len(data["pairs"])

    def max_chars(self, data):
        return max(len(right) for _, right in data["pairs"]) + 16

    def check(self, data, answer):
        given = answer_parts(answer)
        rights = [right for _, right in data["pairs"]]
        hits = sum(1 for g, r in zip(given, rights, strict=False) if g == r)
        correct = hits == len(rights) and len(given) == len(rights)
        return Verdict(
            correct=correct,
            score=hits / len(rights),
            feedback="correct" if correct else ("partial" if hits else "wrong"),
            right_answer="; ".join(f"{left} — {right}" for left, right in data["pairs"]),
            explanation=data.get("explanation"),
            details={"hits": hits, "total": len(rights)},
        )

    def parse_field(self, name: str, raw: str) -> Any:
        if name == "pairs":
            return parse_pairs(raw)
        return super().parse_field(name, raw)

    def field_text(self, name: str, value: Any) -> str:
        if name == "pairs":
            return "\n".join(f"{left} — {right}" for left, right in value)
        return super().field_text(name, value)
