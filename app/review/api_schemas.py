"""The shapes of the review API (`api_routes`), for its OpenAPI description."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.security import MAX_ID


class NextQuery(BaseModel):
    card_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Show this card instead of the next due one."
    )


class Counts(BaseModel):
    """What is left today."""

    learning: int
    review: int
    new: int
    total: int
    backlog: bool = Field(description="More is due than today's limits let in.")


class Interval(BaseModel):
    seconds: int
    label: str


class NextCard(BaseModel):
    """The next card (`card_id` null when nothing is due) and the session's HTML stage."""

    card_id: int | None
    counts: Counts
    html: str = Field(description="The session page's stage for this card, ready to insert.")
    version: int | None = Field(default=None, description="Send it back with the answer.")
    direction: str | None = None
    typed: bool | None = None
    leech: bool | None = None
    is_new: bool | None = None
    hanzi: str | None = None
    pinyin: str | None = None
    meaning: str | None = None
    intervals: dict[str, Interval] | None = Field(
        default=None, description="By rating (1–4): when the card would come back."
    )


class OfflineCard(BaseModel):
    card_id: int
    version: int
    bucket: str
    hanzi: str
    audio: str | None = Field(description="The clip's URL, if it has one.")
    strokes: list[str]
    html: str


class Queue(BaseModel):
    """Today's queue, every card once, to study offline."""

    cards: list[OfflineCard]
    counts: Counts


class AnswerIn(BaseModel):
    card_id: int = Field(ge=1, le=MAX_ID)
    rating: int = Field(ge=1, le=4, description="1 again, 2 hard, 3 good, 4 easy.")
    review_id: str = Field(
        json_schema_extra={"format": "uuid"},
        description="A UUID made by the client: the same id sent again records nothing new.",
    )
    duration_ms: int | None = Field(default=None, ge=0)
    version: int | None = Field(default=None, description="The card's version when shown.")
    answered_at: int | None = Field(
        default=None, description="Milliseconds since the epoch, for an answer made offline."
    )
    next: bool = Field(
        default=False, description="true: the answer brings the next card (as `next` would)."
    )


class Answered(BaseModel):
    status: Literal["recorded", "duplicate"]
    review_id: str
    card_id: int
    rating: int
    due: str | None = Field(json_schema_extra={"format": "date-time"})
    interval: str | None
    next: NextCard | None = Field(default=None, description="The next card, when asked for.")


class CheckIn(BaseModel):
    card_id: int = Field(ge=1, le=MAX_ID)
    answer: str = Field(max_length=200)


class Checked(BaseModel):
    verdict: str
    message: str
    rating: int
    rating_name: str
    given: str


class UndoIn(BaseModel):
    review_id: str = Field(json_schema_extra={"format": "uuid"})


class Undone(BaseModel):
    status: Literal["undone"]
    card_id: int


class CardStatus(BaseModel):
    status: Literal["suspended", "buried"]
    card_id: int
