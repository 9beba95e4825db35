"""Chinese for the templates: words with their pinyin as ruby, tone colours, glosses.

Stored pinyin (the trainer's, or the engine's at import) is what learners see; the engine cuts
the text into words and, on request, applies tone sandhi for display.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app import chinese
from app.chinese.spoken import per_character, spoken_from_written


@dataclass(frozen=True)
class Syllable:
    char: str
    #: tone-number form as pronounced (after sandhi when asked for), None for non-Han
    spoken: str | None

    @property
    def tone_class(self) -> str:
        return chinese.tone_class(self.spoken) if self.spoken else ""

    @property
    def marked(self) -> str:
        return chinese.numbered_to_marked(self.spoken) if self.spoken else ""


@dataclass(frozen=True)
class Word:
    text: str
    syllables: tuple[Syllable, ...]
    is_han: bool
    hsk: int | None

    @property
    def pinyin(self) -> str:
        return "".join(s.marked for s in self.syllables)


@lru_cache(maxsize=20_000)
def words(hanzi: str, pinyin: str | None, *, sandhi: bool = False) -> tuple[Word, ...]:
    """`hanzi` cut into words, each Han character with its syllable from the stored `pinyin`.

    Cached: course texts are few and change rarely, and pages show the same ones again.

    Pinyin that cannot be aligned (import checks it, so this should not happen) falls back to
    the engine's reading, so that a page never breaks.
    """
    try:
        readings = per_character(hanzi, chinese.split_pinyin(pinyin)) if pinyin else None
    except ValueError:
        readings = None
    if readings is None:
        readings = chinese.syllables(hanzi)
    if sandhi:
        readings = spoken_from_written(hanzi, readings)
    out = []
    for word in chinese.annotate(hanzi):
        span = range(word.start, word.start + len(word.text))
        syllables = tuple(Syllable(hanzi[i], readings[i]) for i in span)
        level = chinese.hsk_level(word.text) if word.is_han else None
        out.append(Word(word.text, syllables, word.is_han, level))
    return tuple(out)


@lru_cache(maxsize=20_000)
def _ruby(syllable: Syllable) -> Markup:
    if syllable.spoken is None:
        return escape(syllable.char)
    if syllable.spoken == "r5":  # erhua: the 儿 is read into the syllable before it
        return Markup('<ruby class="tone5">{c}<rt></rt></ruby>').format(c=syllable.char)
    return Markup('<ruby class="{tc}">{c}<rt>{p}</rt></ruby>').format(
        tc=syllable.tone_class, c=syllable.char, p=syllable.marked
    )


def ruby(
    hanzi: str,
    pinyin: str | None,
    *,
    mode: str = "on",
    level: int | None = None,
    sandhi: bool = False,
    glossary: dict | None = None,
    overrides: dict | None = None,
) -> Markup:
    """Ruby markup with tone colours.

    Words at or below the learner's HSK `level` are marked `known`, so that the page's
    "pinyin only above my level" mode (a CSS class on a container) hides their pinyin without
    a reload. Mode "off" leaves pinyin and tone colours out of the markup altogether (a
    type-the-pinyin prompt must not carry its answer). With a `glossary` ({hanzi: (pinyin,
    meaning)}), each word is focusable and shows its Russian gloss on tap: tap-a-word;
    `overrides` ({word: meaning}) are the trainer's glosses for this dialogue.
    """
    if mode == "off":
        return escape(hanzi)
    if glossary is None:
        return _plain_ruby(hanzi, pinyin, level, sandhi)
    fingerprint = getattr(glossary, "fingerprint", None)
    if fingerprint:
        # the glosses depend on the glossary's content (its digest), the trainer's overrides
        # and the language of the page ("personal name"), so the key holds all three
        key = tuple(sorted(overrides.items())) if overrides else ()
        data = _Uncached((glossary, overrides))
        locale = str(get_locale())
        return _glossed_cached(hanzi, pinyin, level, sandhi, fingerprint, key, locale, data)
    return _glossed(hanzi, pinyin, level, sandhi, glossary, overrides)


class _Uncached:
    """An argument that rides along with an lru_cache key without being part of it."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Uncached)


@lru_cache(maxsize=20_000)
def _glossed_cached(hanzi, pinyin, level, sandhi, _fingerprint, _overrides_key, _locale,
                    data: _Uncached) -> Markup:  # fmt: skip
    glossary, overrides = data.value
    return _glossed(hanzi, pinyin, level, sandhi, glossary, overrides)


def _glossed(
    hanzi: str,
    pinyin: str | None,
    level: int | None,
    sandhi: bool,
    glossary: Mapping[str, tuple[str, str]],
    overrides: dict | None,
) -> Markup:
    cut = words(hanzi, pinyin, sandhi=sandhi)
    glosses = chinese.russian_glosses([w.text for w in cut], _Meanings(glossary), overrides)
    parts = []
    for word, gloss in zip(cut, glosses, strict=True):
        if not word.is_han or gloss is None:
            parts.append(escape(word.text))
            continue
        known = level is not None and word.hsk is not None and word.hsk <= level
        classes = "w known" if known else "w"
        inner = Markup("").join(_ruby(s) for s in word.syllables)
        parts.append(
            Markup(
                '<span class="{c} tap" tabindex="0" lang="zh-Hans">{i}'
                '<span class="gloss" role="tooltip" lang="ru"><span class="gloss-py">{py}</span> '
                "{m}</span></span>"
            ).format(c=classes, i=inner, py=word.pinyin, m=gloss_text(gloss))
        )
    return Markup("").join(parts)


class _Meanings(Mapping[str, str]):
    """The Russian meanings of a glossary {hanzi: (pinyin, meaning)}, without copying it."""

    def __init__(self, glossary: Mapping[str, tuple[str, str]]) -> None:
        self._glossary = glossary

    def __getitem__(self, word: str) -> str:
        meaning = self._glossary[word][1]
        if not meaning:
            raise KeyError(word)
        return meaning

    def __contains__(self, word: object) -> bool:
        return word in self._glossary and bool(self._glossary[word][1])  # type: ignore[index]

    def __iter__(self) -> Iterator[str]:
        return (w for w in self._glossary if self._glossary[w][1])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        # truth without counting: `vocabulary or {}` must not walk the whole glossary per line
        return bool(self._glossary)


def gloss_text(gloss: chinese.RussianGloss) -> Markup:
    """A Russian gloss as the page shows it: the meaning, «имя», «фамилия Ван», «нет перевода»."""
    if gloss.kind == "none":
        return Markup('<span class="gloss-none">{t}</span>').format(t=_("no translation"))
    if gloss.kind == "name":
        return escape(_("personal name"))
    if gloss.kind == "surname" and gloss.meaning and " " not in gloss.meaning:
        return escape(_("surname %(name)s", name=gloss.meaning))
    if gloss.kind == "given_name":
        return escape(_("given name %(name)s", name=gloss.meaning))
    if gloss.kind == "company":
        return escape(_("company name (%(name)s)", name=gloss.meaning))
    return escape(gloss.meaning or "")


@lru_cache(maxsize=20_000)
def _plain_ruby(hanzi: str, pinyin: str | None, level: int | None, sandhi: bool) -> Markup:
    parts = []
    for word in words(hanzi, pinyin, sandhi=sandhi):
        if not word.is_han:
            parts.append(escape(word.text))
            continue
        known = level is not None and word.hsk is not None and word.hsk <= level
        inner = Markup("").join(_ruby(s) for s in word.syllables)
        parts.append(
            Markup('<span class="{c}" lang="zh-Hans">{i}</span>').format(
                c="w known" if known else "w", i=inner
            )
        )
    return Markup("").join(parts)


@lru_cache(maxsize=20_000)
def palladius(hanzi: str) -> str:
    return chinese.palladius(hanzi)


@lru_cache(maxsize=20_000)
def coloured_pinyin(pinyin: str | None) -> Markup:
    """Stored pinyin as written (its spacing, its capitals), each syllable in its tone's colour.

    A piece that is not pinyin (punctuation, a typo the import let through) stays as it is.
    """
    parts = []
    for piece in re.split(r"(\s+)", pinyin or ""):
        before, token, after = re.fullmatch(r"(\W*)(.*?)(\W*)", piece).groups()
        try:
            numbered = chinese.split_pinyin(token) if token else []
        except ValueError:
            numbered = []
        if not numbered:
            parts.append(escape(piece))
            continue
        parts.append(escape(before))
        spans = []
        for i, syllable in enumerate(numbered):
            marked = chinese.numbered_to_marked(syllable)
            if i == 0 and token[:1].isupper():
                marked = marked[:1].upper() + marked[1:]
            spans.append(
                Markup('<span class="{tc}">{p}</span>').format(
                    tc=chinese.tone_class(syllable), p=marked
                )
            )
        parts.append(Markup("").join(spans))
        parts.append(escape(after))
    return Markup("").join(parts)
