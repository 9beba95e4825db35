"""Pinyin syllables: tone numbers and tone marks, and the CSS class of a tone.

The numbered form is the one stored and compared everywhere in Qiao: lower case, ``v`` for ü,
the tone as a final digit 1-5 (5 is the neutral tone): ``hang2``, ``lv4``, ``ma5``. The erhua
suffix is ``r5`` (CC-CEDICT's convention): 哪儿 is ``na3 r5`` and is shown as ``nǎr``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
_COMBINING = {tone: mark for mark, tone in _MARKS.items()}
_NUMBERED = re.compile(r"^([a-zv]+?)([1-5])$")

#: Tone classes used by templates and ``ruby_html``: Pleco's colours (1 red, 2 orange,
#: 3 green, 4 blue, neutral grey) live in the stylesheet under these names.
TONE_CLASSES = {1: "tone1", 2: "tone2", 3: "tone3", 4: "tone4", 5: "tone5"}


@lru_cache(maxsize=4096)
def marked_to_numbered(syllable: str) -> str:
    """Return ``lv4`` for ``lǜ`` (no tone mark gives tone 5); input is lower-cased first."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = 5
    letters = []
    for ch in decomposed:
        if ch in _MARKS:
            tone = _MARKS[ch]
        elif ch == "\u0308":
            if letters and letters[-1] == "u":
                letters[-1] = "v"
        elif ch == "\u0302":
            continue
        else:
            letters.append(ch)
    return "".join(letters).replace("u:", "v") + str(tone)


def split_tone(numbered: str) -> tuple[str, int]:
    """Return ``("hang", 2)`` for ``hang2``; raise ValueError if there is no tone digit."""
    match = _NUMBERED.match(numbered)
    if not match:
        raise ValueError(f"not a numbered pinyin syllable: {numbered!r}")
    return match.group(1), int(match.group(2))


def tone_of(numbered: str) -> int:
    """Return the tone digit (1-5) of a numbered syllable, 5 when it has none."""
    return int(numbered[-1]) if numbered and numbered[-1] in "12345" else 5


def _mark_index(base: str) -> int | None:
    """Index of the vowel that carries the tone mark (a/e first, then o in ou, else the last)."""
    for vowel in "ae":
        if vowel in base:
            return base.index(vowel)
    if "ou" in base:
        return base.index("o")
    for i in range(len(base) - 1, -1, -1):
        if base[i] in "iouv":
            return i
    for i in range(len(base) - 1, -1, -1):
        if base[i] in "mn":
            return i
    return None


@lru_cache(maxsize=4096)
def numbered_to_marked(numbered: str) -> str:
    """Return ``lǜ`` for ``lv4``; the neutral tone and the erhua ``r5`` carry no mark."""
    base, tone = split_tone(numbered)
    index = _mark_index(base) if tone != 5 else None
    out = []
    for i, ch in enumerate(base):
        letter = "u\u0308" if ch == "v" else ch
        if i == index:
            letter += _COMBINING[tone]
        out.append(letter)
    return unicodedata.normalize("NFC", "".join(out))


def tone_class(numbered_syllable: str | None) -> str:
    """Return the CSS class for a syllable's tone: ``tone1`` … ``tone5`` (``tone5`` if unknown)."""
    if not numbered_syllable:
        return TONE_CLASSES[5]
    return TONE_CLASSES[tone_of(numbered_syllable)]


def join_marked(syllables: list[str] | tuple[str, ...]) -> str:
    """Join a word's marked syllables as a dictionary writes them: ``xièxie``, ``nǎr``, ``Xī'ān``.

    An apostrophe goes before a syllable that starts with a, o or e when it is not the first,
    and the erhua ``r`` is glued to the syllable before it.
    """
    out = ""
    for i, syl in enumerate(syllables):
        if i and syl and syl[0].lower() in "aāáǎàoōóǒòeēéěè":
            out += "'"
        out += syl
    return out
