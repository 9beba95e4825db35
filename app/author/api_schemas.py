"""The shapes of the editor's JSON helpers (`routes/api.py`, the exercise preview), for the
OpenAPI description."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PinyinIn(BaseModel):
    hanzi: str = Field(description="The text (the first 500 characters are read).")
    sentence: bool = Field(default=False, description="Spell it as a sentence.")
    choices: dict[str, str] = Field(
        default_factory=dict,
        description="Chosen readings of polyphones: character index → numbered pinyin.",
    )


class PinyinOption(BaseModel):
    value: str
    label: str


class Polyphone(BaseModel):
    index: int
    char: str
    chosen: str
    options: list[PinyinOption]
    review: bool
    why: str


class PinyinInfo(BaseModel):
    pinyin: str
    polyphones: list[Polyphone]
    hsk: int | None
    palladius: str


class MarkdownIn(BaseModel):
    text: str


class MarkdownHtml(BaseModel):
    html: str


class ClipUrls(BaseModel):
    normal: str | None
    slow: str | None


class AudioQuery(BaseModel):
    t: list[str] = Field(default_factory=list, description="The texts (at most 200 are read).")


class ExercisePreviewIn(BaseModel):
    """The editor's exercise form, as it stands (its fields depend on the kind)."""

    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="The exercise kind.")


class ExercisePreview(BaseModel):
    ok: bool
    html: str | None = None
    errors: list[str] | None = None
