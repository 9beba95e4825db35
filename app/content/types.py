"""The field types of the course files, shared by the file schema and the exercise kinds.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app import chinese

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
#: Markdown bodies: rendering cost grows fast with pathological input (20,000 characters of
#: "*a" take about a second), and the longest text of the shipped courses is 5,517
MARKDOWN_MAX_CHARS = 20_000
LongText = Annotated[str, Field(max_length=MARKDOWN_MAX_CHARS)]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def require_han(value: str) -> str:
    if not HAN.search(value):
        raise ValueError("must contain Chinese characters (hanzi)")
    return value


HanText = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(require_han)]


def check_pinyin(hanzi: str, pinyin: str) -> str:
    """Raise ValueError unless `pinyin` reads as many syllables as `hanzi` has characters."""
    try:
        syllables = chinese.split_pinyin(pinyin)
    except ValueError as exc:
        raise ValueError(f"not valid pinyin: {exc}") from None
    expected = chinese.han_count(hanzi)
    if len(syllables) != expected:
        raise ValueError(
            f"pinyin has {len(syllables)} syllables but the hanzi has {expected} characters"
        )
    return pinyin


_PUNCTUATION = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    r"!-/:-@\[-`{-~…—–·“”‘’«»]"
)


def strip_punctuation(text: str) -> str:
    return _PUNCTUATION.sub("", text)
