"""Tone sandhi over a reading someone wrote down (a course file's pinyin), for display."""

from __future__ import annotations

from collections.abc import Sequence

from app.chinese import lexicon, sandhi
from app.chinese.reading import analyse
from app.chinese.tones import tone_of


def per_character(text: str, syllables: Sequence[str]) -> list[str | None]:
    """Spread numbered syllables (one per Han character, as `split_pinyin` gives them) over
    the characters of `text`: None for the others. ValueError if the counts differ."""
    readings = analyse(text).readings
    slots = [i for i, r in enumerate(readings) if r is not None]
    if len(slots) != len(syllables):
        raise ValueError(f"{len(syllables)} syllables for {len(slots)} characters")
    out: list[str | None] = [None] * len(text)
    for i, syllable in zip(slots, syllables, strict=True):
        out[i] = syllable
    return out


def spoken_from_written(text: str, written: Sequence[str | None]) -> list[str | None]:
    """The tones as pronounced (一/不 and third-tone sandhi) for a per-character reading."""
    analysis = analyse(text)
    lex = lexicon.lexicon()
    ends = {
        token.start + len(token.text) - 1
        for token in analysis.tokens
        if token.is_han and len(token.text) > 1
    }

    def dictionary_tone(ch: str) -> int:
        options = lex.chars.get(ch)
        return tone_of(options[0]) if options else 5

    return sandhi.apply(text, list(written), ends, dictionary_tone)
