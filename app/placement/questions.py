"""The placement test's questions (`courses/placement.yaml`), their schema and the scoring.

Pure: no Flask, no database. Each question belongs to a band (HSK 1, HSK 2, HSK 3, business
words); a band is passed when the learner answers at least `pass_share` per cent of its
questions right. The learner is placed at the `start` lesson of the first band not passed
(bands go from the easiest); one who passes every band starts at `beyond`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from app.content.curriculum import lesson_ref
from app.content.options import OneOfOptions
from app.content.types import HanText, Slug, Strict, Text

PLACEMENT_FILE = Path(__file__).resolve().parents[2] / "courses" / "placement.yaml"

LessonRef = Annotated[str, Field(max_length=170)]


class Band(Strict):
    key: Slug
    title: Text
    #: where a learner who does not pass this band starts (course/lesson)
    start: LessonRef

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        return lesson_ref(value)


class Question(Strict, OneOfOptions):
    key: Slug
    band: Slug
    #: the question in Russian
    ask: Text
    #: the Chinese it is about (a word or a sentence; ___ marks a gap)
    hanzi: HanText | None = None
    options: Annotated[list[Text], Field(min_length=3, max_length=5)]
    answer: Text


class PlacementFile(Strict):
    title: Text
    minutes: Annotated[int, Field(ge=1, le=60)]
    pass_share: Annotated[int, Field(ge=1, le=100)]
    bands: Annotated[list[Band], Field(min_length=1)]
    #: where a learner who passes every band starts
    beyond: LessonRef
    questions: Annotated[list[Question], Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _consistent(self) -> PlacementFile:
        lesson_ref(self.beyond)
        bands = [b.key for b in self.bands]
        if len(set(bands)) != len(bands):
            raise ValueError("band keys must be distinct")
        keys = [q.key for q in self.questions]
        if len(set(keys)) != len(keys):
            raise ValueError("question keys must be distinct")
        for q in self.questions:
            if q.band not in bands:
                raise ValueError(f"question {q.key}: no band '{q.band}'")
        for band in bands:
            if not any(q.band == band for q in self.questions):
                raise ValueError(f"band {band} has no questions")
        return self


@dataclass(frozen=True)
class Result:
    #: band key → (right, asked), in band order
    bands: dict[str, tuple[int, int]]
    #: the recommended first lesson (course/lesson)
    start: str
    #: the first band not passed, None if every band was
    stopped_at: str | None


def score(test: PlacementFile, answers: dict[str, str]) -> Result:
    """Grade `answers` (question key → option chosen) and recommend where to start."""
    counts = {band.key: [0, 0] for band in test.bands}
    for q in test.questions:
        counts[q.band][1] += 1
        if answers.get(q.key) == q.answer:
            counts[q.band][0] += 1
    stopped = next(
        (b for b in test.bands if counts[b.key][0] * 100 < test.pass_share * counts[b.key][1]),
        None,
    )
    return Result(
        bands={k: (v[0], v[1]) for k, v in counts.items()},
        start=stopped.start if stopped else test.beyond,
        stopped_at=stopped.key if stopped else None,
    )


def load(path: Path = PLACEMENT_FILE) -> tuple[PlacementFile | None, list]:
    """The placement file validated, or None and its issues (file:line: field: message)."""
    from app.content.validate import load_file

    _doc, test, issues = load_file(path, PlacementFile)
    return test, issues


@lru_cache(maxsize=4)
def shipped(path: Path = PLACEMENT_FILE) -> PlacementFile:
    """The test in `path` (read once); ValueError naming the first issue if it is missing or
    broken."""
    test, issues = load(path)
    if test is None:
        raise ValueError(str(issues[0]) if issues else "no placement test")
    return test
