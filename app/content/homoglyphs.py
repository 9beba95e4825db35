"""Letters that look alike in Latin and Cyrillic: find the odd one out in a word.

A Latin «a» typed among Cyrillic letters looks right on screen and makes an answer differ from
its option. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Latin letters and the Cyrillic ones they are mistaken for (both cases)
LATIN_TO_CYRILLIC = dict(zip("aeopcxyABEKMHOPCTX", "аеорсхуАВЕКМНОРСТХ", strict=True))
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Stranger:
    """A letter of one script inside a word written in the other."""

    position: int  #: 1-based, in the whole text
    char: str
    script: str  #: "latin" or "cyrillic": the script of `char`


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return "latin"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    return None


def strangers(text: str) -> list[Stranger]:
    """Letters whose script differs from the rest of their word (a word mostly in the other)."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        scripts = [_script(ch) for ch in word]
        latin, cyrillic = scripts.count("latin"), scripts.count("cyrillic")
        if not latin or not cyrillic:
            continue
        odd = "latin" if latin < cyrillic else "cyrillic"
        if latin == cyrillic:
            odd = "latin"  # a Russian interface: the Latin letters are the intruders
        found.extend(
            Stranger(match.start() + i + 1, ch, odd)
            for i, (ch, sc) in enumerate(zip(word, scripts, strict=True))
            if sc == odd
        )
    return found


def fold(text: str) -> str:
    """The text with look-alike Latin letters replaced by their Cyrillic twins."""
    return "".join(LATIN_TO_CYRILLIC.get(ch, ch) for ch in text)
