"""Write the characters by hand: trace them with hints, then write them from memory.

The page's script (js/kinds/write.js) runs a hanzi-writer quiz per character, twice: first
over the character's outline with a hint after every miss (tracing), then on an empty box
(from memory). The answer is the number of mistakes of the second round, one count per
character, as text ("0 2"); the server decides from the counts, never from a client's verdict.

A character is written right when its mistakes are at most `allowed_mistakes` of its stroke
count: 1 for up to 4 strokes, 2 for 5–9, 3 for 10 or more. The exercise is right when every
character is.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator

from app import chinese
from app.chinese import strokes
from app.content.types import HAN, HanText, Text
from app.exercises.base import (
    N_,
    AnswerError,
    ExerciseBase,
    ExerciseKind,
    Material,
    Verdict,
    register,
)

#: the most characters one exercise asks to write (a word, not a sentence)
MAX_CHARS = 4
#: the generator proposes handwriting for short words only (the trainer picks among them)
GENERATED_MAX_CHARS = 2
#: the most mistakes counted on one character (more says nothing new)
MAX_COUNT = 99
#: stroke counts → the mistakes a character may have and still count as written right
_ALLOWED = ((4, 1), (9, 2))
_ALLOWED_LONG = 3
#: without stroke data (not installed) a character is judged as a middling one
_UNKNOWN_STROKES = 6
_COUNTS = re.compile(r"\d{1,3}")


def allowed_mistakes(stroke_count: int | None) -> int:
    """How many mistakes a character of `stroke_count` strokes may have and still be right."""
    count = _UNKNOWN_STROKES if stroke_count is None else stroke_count
    for most, allowed in _ALLOWED:
        if count <= most:
            return allowed
    return _ALLOWED_LONG


def _only_han(value: str) -> str:
    if any(not HAN.fullmatch(c) for c in value):
        raise ValueError("only Chinese characters, without spaces or punctuation")
    if len(value) > MAX_CHARS:
        raise ValueError(f"at most {MAX_CHARS} characters")
    return value


class Write(ExerciseBase):
    kind: Literal["write"]
    answer: Annotated[HanText, AfterValidator(_only_han)]
    ru: Text


def characters(text: str) -> list[dict[str, Any]]:
    """Each character to write with its stroke count (None without data) and allowance."""
    out = []
    for char in text:
        count = strokes.stroke_count(char)
        out.append({"char": char, "strokes": count, "allowed": allowed_mistakes(count)})
    return out


def parse_counts(text: str, expected: int) -> list[int] | None:
    """`expected` mistake counts from "0 2" (spaces or commas), or None when it is not that."""
    parts = [p for p in re.split(r"[\s,]+", text.strip()) if p]
    if len(parts) != expected or not all(_COUNTS.fullmatch(p) for p in parts):
        return None
    return [min(int(p), MAX_COUNT) for p in parts]


@register
class WriteKind(ExerciseKind):
    name = "write"
    schema = Write
    instruction = N_("Write the characters by hand")
    template = "exercises/write.html"
    script = "js/kinds/write.js"
    #: the drawing pad's texts (the review's writing cards use the same pad)
    script_texts = {
        "trace": N_("Trace character {n} of {total} over its outline"),
        "memory": N_("Write character {n} of {total} from memory"),
        "done": N_("Written. Mistakes: {mistakes}."),
        "missing": N_(
            "There is no stroke data for these characters here: write them on paper and "
            "compare with the answer."
        ),
        "offline": N_(
            "Without a connection the strokes of these characters are not available: write "
            "them on paper and compare with the answer."
        ),
        "box": N_("Drawing box: draw the strokes with the mouse, a finger or a pen"),
        "good": N_("No mistakes."),
        "hard": N_("Written with mistakes or hints."),
        "again": N_("Too many mistakes."),
    }
    fields = ("question", "answer", "ru", "explanation")
    kept_fields = ("answer", "ru")
    helps = {
        **ExerciseKind.helps,
        "answer": N_("One to four characters, no spaces or punctuation."),
    }
    #: last: the generator's other candidates come first
    generate_rank = 90
    example = {"answer": "你好", "ru": "здравствуйте"}

    def render(self, data, *, seed):
        # the characters are drawn from stroke data the page loads; they are not shown as text
        return {
            "ru": data["ru"],
            "pinyin": " ".join(w.spoken_pinyin for w in chinese.annotate(data["answer"])),
            "chars": characters(data["answer"]),
        }

    def speech(self, data):
        return [data["answer"]]

    def max_chars(self, data):
        return 4 * len(data["answer"]) + 8

    def parse_answer(self, data, answer):
        text = super().parse_answer(data, answer)
        if parse_counts(text, len(data["answer"])) is None:
            raise AnswerError("shape")
        return text

    def from_word(self, word, name, pinyin, material: Material) -> list[dict[str, Any]]:
        hanzi = word["hanzi"]
        if not 1 <= len(hanzi) <= GENERATED_MAX_CHARS or not all(HAN.fullmatch(c) for c in hanzi):
            return []
        return [{"key": f"write-{name}", "kind": self.name, "answer": hanzi, "ru": word["ru"]}]

    def check(self, data, answer):
        chars = characters(data["answer"])
        counts = parse_counts(answer if isinstance(answer, str) else "", len(chars))
        details: dict[str, Any] = {"written": []}
        if counts is None:
            return Verdict(False, 0.0, "wrong", data["answer"], data.get("explanation"), details)
        pairs = zip(chars, counts, strict=True)
        rows = [{**c, "mistakes": m, "ok": m <= c["allowed"]} for c, m in pairs]
        right = sum(1 for row in rows if row["ok"])
        correct = right == len(rows)
        return Verdict(
            correct=correct,
            score=right / len(rows),
            feedback="correct" if correct else "wrong",
            right_answer=data["answer"],
            explanation=data.get("explanation"),
            details={"written": rows},
        )
