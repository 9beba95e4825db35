"""Taught before used: which words and grammar constructions a lesson uses before the path
teaches them (`flask courses report`).

Pure: no Flask, no database. The text is cut into tokens by a tokenizer passed in (the default,
`chinese_tokens`, uses the reader's segmentation and jieba's part-of-speech tags), so the logic
is tested with hand-made tokens.

Constructions live in `courses/grammar.yaml`: each has an id, a Russian name, the lesson that
teaches it (`course/lesson`) and one or more detection patterns. A pattern is either a regular
expression over the raw text (`re: ...`) or a sequence of token matchers separated by spaces:

* `了` — a token with exactly this text; `能|会` — one of several;
* `@v` — a token whose jieba tag starts with `v` (`@v|@a` either); `@end` — punctuation or the
  end of the text; `@num` — a token made of numerals only;
* `~X` — any token the matcher X does not match (`~@end`: not the end of a clause);
* `*` — any one Chinese token; `...` — zero to six Chinese tokens within the clause.

Detection is conservative: a construction is reported only when its pattern is unambiguous,
so 在 counts as the progressive only right before a verb (在开会), never before a place or a
person (在会议室, 在我这儿), and 的 counts as 是……的 only when it closes a clause straight after
a verb and a 是 opens it (我是坐高铁来的); a possessive 的 (这是我的) is never taken for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, field_validator

from app.content.types import HAN, Slug, Strict, Text

NUMERAL_CHARS = set("零一二三四五六七八九十百千万亿两0123456789")
GAP = 6


@dataclass(frozen=True)
class Token:
    text: str
    #: jieba's part-of-speech tag ("" when unknown)
    tag: str = ""
    #: a person's, a place's or an organisation's name: never counted as an untaught word
    name: bool = False

    @property
    def is_han(self) -> bool:
        return bool(HAN.search(self.text))


Tokenizer = Callable[[str], list[Token]]


# --- the construction list ------------------------------------------------------------------


def lesson_ref(value: str) -> str:
    course, _, lesson = value.partition("/")
    if not re.fullmatch(r"[a-z0-9-]+", course or "") or not re.fullmatch(r"[a-z0-9-]+", lesson):
        raise ValueError("write the lesson as course/lesson (both slugs)")
    return value


PatternText = Annotated[str, Field(min_length=1, max_length=300)]


class Construction(Strict):
    id: Slug
    ru: Text
    #: the lesson that teaches it (course/lesson); None: no lesson of the path teaches it yet
    lesson: Annotated[str, Field(max_length=170)] | None = None
    patterns: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=300)]], Field(min_length=1)
    ]
    #: the tokens the construction stands for: not reported again as untaught words
    words: list[Annotated[str, Field(min_length=1, max_length=10)]] = []
    notes: Text | None = None

    @field_validator("lesson")
    @classmethod
    def _lesson(cls, value: str | None) -> str | None:
        return lesson_ref(value) if value is not None else None

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            compile_pattern(pattern)
        return value


class GrammarList(Strict):
    #: the courses of the learning path, in order
    path: Annotated[list[Slug], Field(min_length=1)]
    constructions: Annotated[list[Construction], Field(min_length=1)]

    @field_validator("constructions")
    @classmethod
    def _unique(cls, value: list[Construction]) -> list[Construction]:
        seen: set[str] = set()
        for item in value:
            if item.id in seen:
                raise ValueError(f"duplicate construction id '{item.id}'")
            seen.add(item.id)
        return value


# --- patterns ---------------------------------------------------------------------------------

Matcher = Callable[[Token | None], bool]


def _is_end(token: Token | None) -> bool:
    return token is None or not token.is_han


def _one(spec: str) -> Matcher:
    if spec.startswith("~"):
        inner = _one(spec[1:])
        return lambda t: not inner(t)
    options: list[Matcher] = []
    for part in spec.split("|"):
        if part == "@end":
            options.append(_is_end)
        elif part == "@num":
            options.append(lambda t: t is not None and set(t.text) <= NUMERAL_CHARS)
        elif part.startswith("@") and len(part) > 1:
            prefix = part[1:]
            options.append(lambda t, p=prefix: t is not None and t.is_han and t.tag.startswith(p))
        elif part == "*":
            options.append(lambda t: t is not None and t.is_han)
        elif part and HAN.search(part):
            options.append(lambda t, w=part: t is not None and t.text == w)
        else:
            raise ValueError(f"unknown token matcher '{part}'")
    return lambda t: any(option(t) for option in options)


@dataclass(frozen=True)
class Pattern:
    source: str
    regex: re.Pattern[str] | None = None
    steps: tuple[Matcher | None, ...] = ()  # None: a gap

    def search(self, text: str, tokens: list[Token]) -> bool:
        if self.regex is not None:
            return bool(self.regex.search(text))
        return any(self._match(tokens, i, 0) for i in range(len(tokens)))

    def _match(self, tokens: list[Token], i: int, step: int) -> bool:
        if step == len(self.steps):
            return True
        matcher = self.steps[step]
        if matcher is None:
            for skip in range(GAP + 1):
                if skip and (i + skip - 1 >= len(tokens) or _is_end(tokens[i + skip - 1])):
                    return False
                if self._match(tokens, i + skip, step + 1):
                    return True
            return False
        token = tokens[i] if i < len(tokens) else None
        if not matcher(token):
            return False
        if token is None:  # only @end matches past the end, and nothing can follow it
            return step + 1 == len(self.steps)
        return self._match(tokens, i + 1, step + 1)


def compile_pattern(source: str) -> Pattern:
    """A `Pattern` from its text (see the module's docstring); ValueError if malformed."""
    if source.startswith("re:"):
        try:
            return Pattern(source, regex=re.compile(source[3:].strip()))
        except re.error as exc:
            raise ValueError(f"bad regular expression: {exc}") from None
    steps = [None if part == "..." else _one(part) for part in source.split()]
    if not steps or all(step is None for step in steps):
        raise ValueError("a pattern needs at least one token matcher")
    return Pattern(source, steps=tuple(steps))


def detect(text: str, tokens: list[Token], constructions: Iterable[Construction]) -> set[str]:
    """The ids of the constructions `text` (cut into `tokens`) uses."""
    found = set()
    for item in constructions:
        if any(compile_pattern(p).search(text, tokens) for p in item.patterns):
            found.add(item.id)
    return found


# --- lessons and uses -----------------------------------------------------------------------


@dataclass
class LessonText:
    """What the check needs of one lesson."""

    course: str
    slug: str
    #: the Chinese of its vocabulary (what it teaches)
    vocabulary: list[str] = field(default_factory=list)
    #: words glossed in place (a dialogue's glosses), and names the lesson declares
    glossed: set[str] = field(default_factory=set)
    #: the Chinese texts its dialogues and exercises show
    texts: list[str] = field(default_factory=list)
    review: bool = False

    @property
    def ref(self) -> str:
        return f"{self.course}/{self.slug}"


@dataclass(frozen=True)
class Use:
    """A word or construction a lesson uses before the path teaches it."""

    course: str
    lesson: str
    kind: str  # "word" or "grammar"
    item: str
    example: str
    #: where the path teaches it later (course/lesson), or None if nowhere
    taught_in: str | None = None
    #: of a word the segmentation gave whole (对不起), the parts no known word covers (对, 起)
    missing: tuple[str, ...] = ()


def _han_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if HAN.search(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _han_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _han_strings(item)


def exercise_texts(data: dict[str, Any]) -> list[str]:
    """The Chinese an exercise shows: every string with hanzi, a gap filled with its answer."""
    data = dict(data)
    prompt, answer = data.get("prompt"), data.get("answer")
    if isinstance(prompt, str) and "___" in prompt and isinstance(answer, str):
        data["prompt"] = prompt.replace("___", answer)
    data.pop("explanation", None)
    return list(_han_strings(data))


def _is_known(piece: str, known: set[str]) -> bool:
    return piece in known or (set(piece) <= NUMERAL_CHARS and set(piece) <= known)


def unknown_pieces(word: str, known: set[str]) -> list[str]:
    """The parts of `word` no known word covers, cutting it to leave as few characters
    uncovered as possible: [] when it is a run of known words (公司里 → 公司 + 里); the
    reader's segmentation sometimes merges words (我会, 吃了饭), so only the unknown part is
    reported. Numerals count as known when each of their characters is."""
    n = len(word)
    # best[i]: (uncovered characters, indices of the uncovered characters) for word[:i]
    best: list[tuple[int, tuple[int, ...]] | None] = [(0, ())] + [None] * n
    for end in range(1, n + 1):
        for start in range(end):
            prev = best[start]
            if prev is None:
                continue
            if _is_known(word[start:end], known):
                cand = prev
            elif end - start == 1:
                cand = (prev[0] + 1, (*prev[1], start))
            else:
                continue
            current = best[end]
            if current is None or cand[0] < current[0]:
                best[end] = cand
    result = best[n]
    assert result is not None
    pieces: list[str] = []
    last = -2
    for i in result[1]:
        if i == last + 1:
            pieces[-1] += word[i]
        else:
            pieces.append(word[i])
        last = i
    return pieces


class Path:
    """The lessons of a path in order; `first_taught` and `untaught` answer over it."""

    def __init__(
        self,
        lessons: list[LessonText],
        constructions: list[Construction],
        tokenize: Tokenizer,
    ) -> None:
        self.lessons = lessons
        self.constructions = constructions
        self.tokenize = tokenize
        self.order = {lesson.ref: i for i, lesson in enumerate(lessons)}
        self.construction_words: dict[str, list[str]] = {}
        for item in constructions:
            for word in item.words:
                self.construction_words.setdefault(word, []).append(item.id)

    def first_taught(self) -> dict[str, int]:
        """Word or construction id → the index of the first lesson teaching it."""
        first: dict[str, int] = {}
        for i, lesson in enumerate(self.lessons):
            for word in lesson.vocabulary:
                first.setdefault(word, i)
                for token in self.tokenize(word):
                    if token.is_han:
                        first.setdefault(token.text, i)
        for item in self.constructions:
            if item.lesson is not None and item.lesson in self.order:
                first.setdefault(item.id, self.order[item.lesson])
        return first

    def missing_lessons(self) -> list[Construction]:
        """Constructions whose teaching lesson is not on the path."""
        return [
            c for c in self.constructions if c.lesson is not None and c.lesson not in self.order
        ]

    def untaught(self) -> list[Use]:
        """Every word or construction used before it is taught, once per lesson."""
        first = self.first_taught()
        uses: list[Use] = []
        for i, lesson in enumerate(self.lessons):
            seen: set[tuple[str, str]] = set()
            for text in lesson.texts:
                for use in self._text_uses(text, i, lesson, first):
                    if (use.kind, use.item) not in seen:
                        seen.add((use.kind, use.item))
                        uses.append(use)
        return uses

    def _later(self, item: str, first: dict[str, int]) -> str | None:
        index = first.get(item)
        return self.lessons[index].ref if index is not None else None

    def _text_uses(
        self, text: str, i: int, lesson: LessonText, first: dict[str, int]
    ) -> Iterator[Use]:
        tokens = self.tokenize(text)
        used = detect(text, tokens, self.constructions)
        for cid in sorted(used):
            if first.get(cid, len(self.lessons)) > i:
                yield Use(lesson.course, lesson.slug, "grammar", cid, text, self._later(cid, first))
        known = {w for w, j in first.items() if j <= i} | lesson.glossed
        for token in tokens:
            word = token.text
            if not token.is_han or token.name or word in known:
                continue
            ids = self.construction_words.get(word, ())
            if any(first.get(cid, len(self.lessons)) <= i or cid in used for cid in ids):
                continue  # taught, or reported as the construction
            missing = unknown_pieces(word, known | self._taught_construction_words(first, i))
            if missing:
                later = self._later(word, first)
                yield Use(lesson.course, lesson.slug, "word", word, text, later, tuple(missing))

    def _taught_construction_words(self, first: dict[str, int], i: int) -> set[str]:
        return {
            word
            for word, ids in self.construction_words.items()
            if any(first.get(cid, len(self.lessons)) <= i for cid in ids)
        }


# --- the default tokenizer -------------------------------------------------------------------


def chinese_tokens(text: str) -> list[Token]:
    """The reader's segmentation of `text`, with jieba's tags and the names it finds."""
    from app.chinese.lexicon import lexicon
    from app.chinese.reading import analyse

    analysis = analyse(text)
    lex = lexicon()
    lex.ensure(text)
    in_name = {i for name in analysis.names for a, b in name.words for i in range(a, b)}
    tokens = []
    for token in analysis.tokens:
        tag = lex.tag(token.text, "") or "" if token.is_han else ""
        span = range(token.start, token.start + len(token.text))
        is_name = token.is_han and (
            all(i in in_name for i in span) or tag in ("nr", "nrt", "nrfg", "ns", "nt")
        )
        tokens.append(Token(token.text, tag, is_name))
    return tokens


# --- from the course files --------------------------------------------------------------------


def lesson_text(course: str, lesson: Any) -> LessonText:
    """The `LessonText` of a validated lesson file (`schema.LessonFile`)."""
    texts = [line.hanzi for dialogue in lesson.dialogues for line in dialogue.lines]
    for exercise in lesson.exercises:
        texts += exercise_texts(exercise.model_dump())
    glossed = {word for dialogue in lesson.dialogues for word in dialogue.glosses}
    return LessonText(
        course=course,
        slug=lesson.slug,
        vocabulary=[item.hanzi for item in lesson.vocabulary],
        glossed=glossed,
        texts=texts,
        review=getattr(lesson, "review", False),
    )


def load_grammar(path: Any) -> tuple[GrammarList | None, list[Any]]:
    """`courses/grammar.yaml` as a `GrammarList`, or None and its issues (file:line)."""
    from app.content.validate import load_file

    _doc, grammar, issues = load_file(path, GrammarList)
    return grammar, issues
