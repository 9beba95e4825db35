"""Hear one syllable and say its tone."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from app import chinese
from app.content.types import HanText
from app.exercises.base import N_, ExerciseBase, ExerciseKind, Verdict, answer_text, register


class IdentifyTone(ExerciseBase):
    kind: Literal["identify_tone"]
    prompt: Annotated[HanText, Field(max_length=1)]
    answer: Annotated[int, Field(ge=1, le=5)]


@register
class IdentifyToneKind(ExerciseKind):
    name = "identify_tone"
    schema = IdentifyTone
    instruction = N_("Which tone do you hear?")
    spoken = True
    fields = ("question", "prompt", "answer", "explanation")
    helps = {**ExerciseKind.helps, "answer": N_("A tone number 1–5 (5: neutral).")}
    example = {"prompt": "买", "answer": 3}

    def render(self, data, *, seed):
        return {"audio_text": data["prompt"], "prompt": data["prompt"], "tones": [1, 2, 3, 4, 5]}

    def speech(self, data):
        return [data["prompt"]]

    def max_chars(self, data):
        return 8

    def check(self, data, answer):
        given = 0
        if isinstance(answer, str | int) and not isinstance(answer, bool):
            try:
                given = int(answer_text(answer) if isinstance(answer, str) else answer)
            except ValueError:
                given = 0
        correct = given == int(data["answer"])
        syllable = "".join(w.pinyin for w in chinese.annotate(data["prompt"]))
        return Verdict.right_or_wrong(
            correct,
            data,
            right_answer=f"{data['prompt']} {syllable} — {data['answer']}",
            details={"tone": int(data["answer"])},
        )

    def parse_field(self, name: str, raw: str) -> Any:
        if name == "answer":
            return int(raw) if raw.isdigit() else raw
        return super().parse_field(name, raw)
