"""The shipped course files as the content tests read them: the path's courses and lessons,
what was taught before a group of lessons, and the constructions grammar.yaml lists."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.content import curriculum
from app.content.validate import validate_tree

COURSES = Path(__file__).resolve().parents[1] / "courses"
PATH = ["business-chinese-1", "business-chinese-2", "business-chinese-3"]


@cache
def courses() -> dict:
    result = validate_tree(COURSES)
    return {c.course.slug: c for c in result.courses}


def lessons(course: str) -> list:
    return [s.lesson for s in courses()[course].lessons]


def lessons_named(course: str, slugs: list[str]) -> dict:
    return {lesson.slug: lesson for lesson in lessons(course) if lesson.slug in slugs}


def taught_before(slugs: list[str]) -> set[str]:
    """Every word the path teaches before the first of `slugs`."""
    earlier: set[str] = set()
    for course in PATH:
        for lesson in lessons(course):
            if lesson.slug in slugs:
                return earlier
            earlier |= {item.hanzi for item in lesson.vocabulary}
    return earlier


def construction_lessons() -> dict[str, str | None]:
    """grammar.yaml's constructions: id → the lesson that teaches it."""
    grammar, issues = curriculum.load_grammar(COURSES / "grammar.yaml")
    assert grammar is not None and issues == []
    return {c.id: c.lesson for c in grammar.constructions}


def detects(cid: str, text: str) -> bool:
    """Whether construction `cid`'s patterns find it in `text`."""
    grammar, _ = curriculum.load_grammar(COURSES / "grammar.yaml")
    construction = next(c for c in grammar.constructions if c.id == cid)
    return cid in curriculum.detect(text, curriculum.chinese_tokens(text), [construction])


def assert_words_are_new(course: str, slugs: list[str]) -> None:
    """The lessons `slugs` of `course` teach each word once and none the path taught before."""
    named = lessons_named(course, slugs)
    new = [item.hanzi for slug in slugs for item in named[slug].vocabulary]
    assert len(new) == len(set(new))
    assert set(new) & taught_before(slugs) == set()


def assert_constructions_taught_in(course: str, expected: dict[str, str]) -> None:
    """grammar.yaml names, for each construction id, the lesson of `course` given."""
    where = construction_lessons()
    assert {cid: where.get(cid) for cid in expected} == {
        cid: f"{course}/{slug}" for cid, slug in expected.items()
    }
