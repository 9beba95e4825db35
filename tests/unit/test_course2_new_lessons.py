"""Course 2's lessons 9–14 (issue 16): everyday situations of a business trip that teach the
HSK 1–2 words the path lacked, each word taught once on the path, with a review unit after them;
lessons 13–14 (the trip to Xi'an, the company party) close the course with review-4.
"""

from functools import cache
from pathlib import Path

import pytest

from app.chinese.levels import hsk_level
from app.content import path_report
from app.content.validate import validate_tree

COURSES = Path(__file__).resolve().parents[2] / "courses"
NEW_LESSONS = ["weather-and-commute", "feeling-unwell", "buying-gifts", "team-lunch"]
LAST_LESSONS = ["business-trip", "holidays"]
NEW_LESSONS_SET = set(NEW_LESSONS) | set(LAST_LESSONS)
PATH = ["business-chinese-1", "business-chinese-2", "business-chinese-3"]


@cache
def _courses():
    result = validate_tree(COURSES)
    assert result.errors == []
    return {c.course.slug: c for c in result.courses}


def _lesson(slug):
    return next(s.lesson for s in _courses()["business-chinese-2"].lessons if s.lesson.slug == slug)


def test_the_new_lessons_follow_the_old_ones_with_a_review_after_them():
    slugs = [s.lesson.slug for s in _courses()["business-chinese-2"].lessons]
    assert slugs[10:15] == [*NEW_LESSONS, "review-3"]
    assert _lesson("review-3").review and not _lesson("review-3").vocabulary


def test_the_course_closes_with_lessons_13_and_14_and_a_last_review():
    slugs = [s.lesson.slug for s in _courses()["business-chinese-2"].lessons]
    assert slugs[15:] == [*LAST_LESSONS, "review-4"]
    assert _lesson("review-4").review and not _lesson("review-4").vocabulary


@pytest.mark.parametrize("slug", [*NEW_LESSONS, *LAST_LESSONS])
def test_each_new_lesson_is_complete(slug):
    """20–35 new words, a dialogue of at most 12 lines, ≥ 2 grammar notes with examples,
    every pinyin written out and several exercise kinds."""
    lesson = _lesson(slug)
    assert 20 <= len(lesson.vocabulary) <= 35
    assert len(lesson.dialogues) == 1 and 6 <= len(lesson.dialogues[0].lines) <= 12
    assert len(lesson.grammar) >= 2 and all(note.examples for note in lesson.grammar)
    items = [*lesson.vocabulary, *lesson.dialogues[0].lines]
    items += [ex for note in lesson.grammar for ex in note.examples]
    assert [i.hanzi for i in items if not i.pinyin] == []
    assert len({e.kind for e in lesson.exercises}) >= 8


def test_the_new_words_are_mostly_hsk_1_and_2():
    words = {v.hanzi for slug in NEW_LESSONS for v in _lesson(slug).vocabulary}
    low = {w for w in words if hsk_level(w) in (1, 2)}
    assert len(low) / len(words) >= 0.9


def test_no_word_is_taught_twice_on_the_path():
    """A learner never gets a second card for a word a lesson of the path already taught."""
    seen: dict[str, str] = {}
    twice = []
    for course in PATH:
        for source in _courses()[course].lessons:
            for item in source.lesson.vocabulary:
                where = f"{course}/{source.lesson.slug}"
                first = seen.setdefault(item.hanzi, where)
                if first != where and NEW_LESSONS_SET & {first.split("/")[1], source.lesson.slug}:
                    twice.append(f"{item.hanzi}: {first} and {where}")
    assert twice == []


def test_the_path_now_covers_more_of_hsk_1_and_2():
    report = path_report.build(COURSES)
    coverage = path_report.coverage(report.path_words)
    assert coverage[1][0] >= 230 and coverage[2][0] >= 120


def test_black_tea_is_called_red_in_chinese():
    """The trap a Russian speaker falls into: 红茶 is what Russia calls black tea."""
    hongcha = next(v for v in _lesson("buying-gifts").vocabulary if v.hanzi == "红茶")
    assert hongcha.ru == "чёрный чай"


def test_the_course_is_mostly_hsk_1_and_2_and_the_rest_business_words():
    """The label «HSK 2»: at least 70 % of the course's active words are HSK 3.0 level 1–2."""
    items = [
        v
        for source in _courses()["business-chinese-2"].lessons
        for v in source.lesson.vocabulary
        if not v.passive
    ]
    low = [v for v in items if hsk_level(v.hanzi) in (1, 2)]
    business = [v for v in items if (hsk_level(v.hanzi) or 99) > 3]
    assert len(low) / len(items) >= 0.7
    assert len(business) >= 55


def test_directional_complements_are_taught_on_the_trip():
    report = path_report.build(COURSES)
    assert report.path == PATH
    grammar = (COURSES / "grammar.yaml").read_text(encoding="utf-8")
    assert "lesson: business-chinese-2/business-trip" in grammar
    titles = [note.title for note in _lesson("business-trip").grammar]
    assert any("来 и 去 после глагола" in title for title in titles)
