"""The shapes of the learner's JSON endpoints (answers, say, study time), for the OpenAPI
description."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ExerciseAnswerIn(BaseModel):
    answer: Any = Field(
        description="The answer as the exercise's kind takes it: a string, or a list of "
        "strings for a kind with several answers."
    )
    submission_id: str = Field(
        json_schema_extra={"format": "uuid"},
        description="A UUID made by the page: the same id sent again records nothing new.",
    )
    duration_ms: int | None = Field(default=None, ge=0)


class AnswerResult(BaseModel):
    """The verdict and the lesson's progress after an answer."""

    message: str | None = Field(description="Said when the lesson or course is complete.")
    next_url: str
    correct: bool
    score: float
    feedback: str = Field(description="correct, wrong, wrong_tone, wrong_syllable, ...")
    html: str
    lesson_score: float
    score_html: str
    first_try_percent: int | None
    all_answered: bool
    summary_html: str
    lesson_completed: bool
    lesson_completed_now: bool
    course_completed_now: bool


class SayItemIn(BaseModel):
    recording: bytes = Field(description="The recording, a WAV of at most 15 seconds.")
    keep: str | None = Field(default=None, description="«1» keeps the recording.")


class SayExerciseIn(SayItemIn):
    submission_id: str = Field(json_schema_extra={"format": "uuid"})


class SayItemResult(BaseModel):
    right: bool
    html: str


class SayExerciseResult(AnswerResult):
    say_html: str


class HeartbeatIn(BaseModel):
    seconds: int = Field(ge=0, description="Seconds the page was visible since the last beat.")
    course: int | None = Field(default=None, description="The course studied, if any.")


class Heartbeat(BaseModel):
    added: int = Field(description="The seconds counted (a beat is capped).")
