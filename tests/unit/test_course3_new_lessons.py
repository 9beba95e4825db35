"""Business Chinese 3, lessons 9–12 (issue 16): a faulty batch and its settlement, a delegation
in the special economic zone, an exclusive distribution agreement, operator training.

They are the course's HSK 3 lessons: most new words come from the HSK 3.0 level-3 list, no word
repeats one taught earlier on the path, and the constructions they teach are in grammar.yaml.
"""

import pytest

from app.chinese.levels import hsk_level
from tests.course_lessons import (
    assert_constructions_taught_in,
    assert_words_are_new,
    detects,
    lessons,
    lessons_named,
)

NEW = ["faulty-batch", "delegation-visit", "distribution-agreement", "operator-training"]


def _new_lessons():
    return lessons_named("business-chinese-3", NEW)


def test_new_lessons_follow_review_two_and_precede_review_three():
    slugs = [lesson.slug for lesson in lessons("business-chinese-3")]
    start = slugs.index("review-2") + 1
    assert slugs[start : start + 5] == [*NEW, "review-3"]
    review = lessons("business-chinese-3")[start + 4]
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
    assert_words_are_new("business-chinese-3", NEW)


def test_constructions_taught_here_are_listed_with_these_lessons():
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
    assert_constructions_taught_in("business-chinese-3", expected)


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
    assert detects(cid, text) is found
