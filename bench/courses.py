"""Agreement of a pinyin engine with the human-checked pinyin of the course files.

Every vocabulary item, dialogue line and grammar example of ``courses/`` that carries its own
``pinyin`` is a test case. Two measures:

* syllables: the engine's written reading of each Han character equals the file's, neutral
  tones included; tone sandhi aside (a file writing 一个 ``yí gè`` agrees with ``yī``);
* words: a word of the file (a run of syllables between spaces or punctuation, as GB/T 16159
  joins them) agrees when the engine writes the same syllables as one word, with the same
  capital or small first letter (proper names, sentence starts).

Vocabulary items are written as dictionary entries (no sentence capital), lines and examples
as sentences, as the course import generates them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

#: Chinese and Latin punctuation between pinyin words; a hyphen separates words too.
_WORD = re.compile(r"[A-Za-zÀ-ÿĀ-ʯ\u0300-\u036f'’:]+")


@dataclass(frozen=True)
class Case:
    """One text of a course file with the pinyin a person wrote for it."""

    where: str
    hanzi: str
    pinyin: str
    sentence: bool


def load(folder: Path) -> list[Case]:
    """Every item, line and example of the course files under ``folder`` with its pinyin."""
    cases = []
    for path in sorted(folder.glob("*/*.yaml")):
        if path.name == "course.yaml":
            continue
        lesson = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        where = f"{path.parent.name}/{path.stem}"
        for entry, sentence in _entries(lesson):
            if entry.get("pinyin") and entry.get("hanzi"):
                cases.append(Case(where, entry["hanzi"], str(entry["pinyin"]), sentence))
    return cases


def _entries(lesson: dict) -> Iterator[tuple[dict, bool]]:
    for item in lesson.get("vocabulary") or []:
        yield item, False
    for dialogue in lesson.get("dialogues") or []:
        for line in dialogue.get("lines") or []:
            yield line, True
    for note in lesson.get("grammar") or []:
        for example in note.get("examples") or []:
            # an example without a full stop is a phrase: written without a sentence capital
            yield example, str(example.get("hanzi", "")).rstrip()[-1:] in "。！？…!?."


def words(pinyin: str) -> list[tuple[int, int, bool]]:
    """The words of a pinyin string: (first syllable, syllable count, starts with a capital)."""
    from app.chinese import split_pinyin

    out = []
    position = 0
    for match in _WORD.finditer(pinyin):
        count = len(split_pinyin(match.group()))
        if count:
            out.append((position, count, match.group()[0].isupper()))
            position += count
    return out


@dataclass
class Score:
    """Counts of agreement over the course cases."""

    syllables: int = 0
    syllables_agreed: int = 0
    words: int = 0
    words_agreed: int = 0
    cases: int = 0

    @property
    def syllable_rate(self) -> float:
        return self.syllables_agreed / self.syllables if self.syllables else 1.0

    @property
    def word_rate(self) -> float:
        return self.words_agreed / self.words if self.words else 1.0


@dataclass(frozen=True)
class Miss:
    """A case where the engine disagrees with the file: what it wrote instead."""

    case: Case
    engine: str
    syllables: tuple[int, ...]
    words: int


def qiao_pinyin(case: Case) -> str:
    """What Qiao's course import would generate for a case."""
    from app import chinese

    if case.sentence:
        return chinese.pinyin_text(case.hanzi)
    return " ".join(w.pinyin for w in chinese.annotate(case.hanzi) if w.is_han)


def score_syllables(
    cases: list[Case], read: Callable[[str], list]
) -> tuple[Score, list[tuple[Case, list[int]]]]:
    """Syllable agreement of any system that reads a text character by character."""
    from app.chinese import split_pinyin
    from app.chinese.spoken import per_character, spoken_from_written

    score = Score()
    misses = []
    for case in cases:
        human = split_pinyin(case.pinyin)
        got = [r for r in read(case.hanzi) if r]
        score.cases += 1
        score.syllables += len(human)
        if len(got) != len(human):
            misses.append((case, list(range(len(human)))))
            continue
        spoken = [r for r in spoken_from_written(case.hanzi, per_character(case.hanzi, got)) if r]
        bad = [
            i
            for i, (h, g, s) in enumerate(zip(human, got, spoken, strict=True))
            if h != g and h != s
        ]
        score.syllables_agreed += len(human) - len(bad)
        if bad:
            misses.append((case, bad))
    return score, misses


def score_qiao(cases: list[Case]) -> tuple[Score, list[Miss]]:
    """Syllable and word agreement of Qiao's engine (its course-import pinyin)."""
    from app.chinese import syllables

    score, syllable_misses = score_syllables(cases, syllables)
    bad_syllables = {id(case): tuple(bad) for case, bad in syllable_misses}
    misses = []
    for case in cases:
        engine = qiao_pinyin(case)
        human_words = words(case.pinyin)
        engine_words = set(words(engine))
        agreed = sum(1 for w in human_words if w in engine_words)
        score.words += len(human_words)
        score.words_agreed += agreed
        if agreed < len(human_words) or id(case) in bad_syllables:
            misses.append(
                Miss(case, engine, bad_syllables.get(id(case), ()), len(human_words) - agreed)
            )
    return score, misses


def load_gold(path: Path) -> list[tuple[str, int, int, str, str]]:
    """The neutral-tone and names gold set: (sentence, span start, span end, pinyin, source)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            marked, pinyin, source = line.split("\t")
            before, span, after = marked.split("\u2581")
            rows.append(
                (before + span + after, len(before), len(before) + len(span), pinyin, source)
            )
    return rows


def span_pinyin(sentence: str, start: int, end: int) -> str:
    """Qiao's pinyin of a span: its words as written when the span is made of whole words,
    otherwise its syllables joined."""
    from app.chinese import annotate
    from app.chinese.tones import join_marked

    words = [
        w
        for w in annotate(sentence)
        if w.is_han and w.start < end and w.start + len(w.text) > start
    ]
    if words and words[0].start == start and words[-1].start + len(words[-1].text) == end:
        return " ".join(w.pinyin for w in words)
    marked = [m for w in words for k, m in enumerate(w.marked) if start <= w.start + k < end]
    return join_marked(marked)


def score_gold(
    rows: list[tuple[str, int, int, str, str]],
) -> tuple[float, list[tuple[str, str, str]]]:
    """Agreement of Qiao with the gold set (exact pinyin, capitals included)."""
    misses = []
    for sentence, start, end, pinyin, _ in rows:
        got = span_pinyin(sentence, start, end)
        if got != pinyin:
            misses.append((sentence, pinyin, got))
    return 1 - len(misses) / len(rows), misses
