"""Business Chinese 3, lessons 9–12 (issue 16): a faulty batch and its settlement, a delegation
in the special economic zone, an exclusive distribution agreement, operator training.

They are the course's HSK 3 lessons: most new words come from the HSK 3.0 level-3 list, no word
repeats one taught earlier on the path, and the constructions they teach are in grammar.yaml.
"""

from functools import cache
from pathlib import Path

import pytest

from app.chinese.levels import hsk_level
from app.content import curriculum
from app.content.validate import validate_tree

COURSES = Path(__file__).resolve().parents[2] / "courses"
NEW = ["faulty-batch", "delegation-visit", "distribution-agreement", "operator-training"]
PATH = ["business-chinese-1", "business-chinese-2", "business-chinese-3"]


@cache
def _courses():
    result = validate_tree(COURSES)
    return {c.course.slug: c for c in result.courses}


def _lessons(slug):
    return [s.lesson for s in _courses()[slug].lessons]


def _new_lessons():
    return {lesson.slug: lesson for lesson in _lessons("business-chinese-3") if lesson.slug in NEW}


def test_new_lessons_follow_review_two_and_precede_review_three():
    slugs = [lesson.slug for lesson in _lessons("business-chinese-3")]
    start = slugs.index("review-2") + 1
    assert slugs[start : start + 5] == [*NEW, "review-3"]
    review = _lessons("business-chinese-3")[start + 4]
    assert review.review and not review.vocabulary


@pytest.mark.parametrize("slug", NEW)
def test_lesson_shape(slug):
    """Issue 16: 20–35 new words, goals, a dialogue, ≥ 2 grammar notes with examples, exercises
    of several kinds."""
    lesson = _new_lessons()[slug]
    assert 20 <= len(lesson.vocabulary) <= 35
    assert lesson.goals and lesson.dialogues
    assert all(line.pinyin and line.ru for d in lesson.dialogues for line in d.lines)
    assert len(lesson.grammar) >= 2 and all(note.examples for note in lesson.grammar)
    assert len({e.kind for e in lesson.exercises}) >= 8


@pytest.mark.parametrize("slug", NEW)
def test_most_new_words_are_hsk3(slug):
    words = [item.hanzi for item in _new_lessons()[slug].vocabulary]
    hsk3 = [w for w in words if hsk_level(w) == 3]
    assert len(hsk3) / len(words) >= 0.7, sorted(set(words) - set(hsk3))


def test_no_new_word_was_taught_earlier_on_the_path():
    earlier = set()
    for course in PATH:
        for lesson in _lessons(course):
            if lesson.slug in NEW:
                break
            earlier |= {item.hanzi for item in lesson.vocabulary}
    new = [item.hanzi for slug in NEW for item in _new_lessons()[slug].vocabulary]
    assert len(new) == len(set(new))
    assert set(new) & earlier == set()


def test_constructions_taught_here_are_listed_with_these_lessons():
    grammar, issues = curriculum.load_grammar(COURSES / "grammar.yaml")
    assert grammar is not None and issues == []
    where = {c.id: c.lesson for c in grammar.constructions}
    expected = {
        "budan-erqie": "faulty-batch",
        "lian-dou": "faulty-batch",
        "weile": "delegation-visit",
        "dui-laishuo": "delegation-visit",
        "huozhe-haishi": "distribution-agreement",
        "yishang-yixia": "distribution-agreement",
        "verb-measure": "operator-training",
        "yi-ye-bu": "operator-training",
    }
    assert {cid: where.get(cid) for cid in expected} == {
        cid: f"business-chinese-3/{slug}" for cid, slug in expected.items()
    }


@pytest.mark.parametrize(
    ("cid", "text", "found"),
    [
        ("lian-dou", "客户连下一批货都不想要了。", True),
        ("dui-laishuo", "对一家年轻的公司来说，我们发展得不错。", True),
        ("yi-ye-bu", "我们练习了三遍，一次也没出问题。", True),
        ("yi-ye-bu", "只要质量好，价格高一点儿也没关系。", False),
        ("yi-ye-bu", "客户连下一批货都不想要了。", False),
    ],
)
def test_construction_patterns(cid, text, found):
    """The patterns find the construction and not the look-alikes earlier lessons use."""
    grammar, _ = curriculum.load_grammar(COURSES / "grammar.yaml")
    construction = next(c for c in grammar.constructions if c.id == cid)
    tokens = curriculum.chinese_tokens(text)
    assert (cid in curriculum.detect(text, tokens, [construction])) is found
