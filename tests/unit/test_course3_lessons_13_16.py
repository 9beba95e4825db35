"""Business Chinese 3, lessons 13–16 (issue 16): a job interview in Chinese, a business trip
to Shenzhen, the partner's annual party 年会 and a Chinese engineer who falls ill in Moscow.

They bring the course to sixteen teaching lessons. Their words come mostly from the HSK 3.0
level-3 list, none repeats a word taught earlier on the path, and the constructions they teach
are in grammar.yaml with patterns that find them and not their look-alikes.
"""

import pytest

from app.chinese.levels import hsk_level
from app.content import curriculum
from tests.course_lessons import (
    assert_constructions_taught_in,
    assert_words_are_new,
    detects,
    lessons,
    lessons_named,
)

NEW = ["job-interview", "shenzhen-trip", "annual-party", "sick-colleague"]


def _new_lessons():
    return lessons_named("business-chinese-3", NEW)


def test_new_lessons_follow_review_three_and_end_with_review_four():
    slugs = [lesson.slug for lesson in lessons("business-chinese-3")]
    start = slugs.index("review-3") + 1
    assert slugs[start:] == [*NEW, "review-4"]
    review = lessons("business-chinese-3")[-1]
    assert review.review and not review.vocabulary
    assert len(review.exercises) >= 12 and len({e.kind for e in review.exercises}) >= 6


@pytest.mark.parametrize("slug", NEW)
def test_lesson_shape(slug):
    """Issue 16: 20–35 new words, goals, a dialogue, ≥ 2 grammar notes with examples, exercises
    of several kinds."""
    lesson = _new_lessons()[slug]
    assert 20 <= len(lesson.vocabulary) <= 35
    assert lesson.goals and lesson.dialogues
    assert all(6 <= len(d.lines) <= 12 for d in lesson.dialogues)
    assert all(line.pinyin and line.ru for d in lesson.dialogues for line in d.lines)
    assert len(lesson.grammar) >= 2 and all(note.examples for note in lesson.grammar)
    assert len({e.kind for e in lesson.exercises}) >= 8


@pytest.mark.parametrize("slug", NEW)
def test_most_new_words_are_hsk3(slug):
    """The label rule: at least 72 % of the active words are HSK 3.0 level 3 or below."""
    words = [item.hanzi for item in _new_lessons()[slug].vocabulary if not item.passive]
    easy = [w for w in words if (hsk_level(w) or 99) <= 3]
    assert len(easy) / len(words) >= 0.72, sorted(set(words) - set(easy))


def test_the_new_lessons_teach_a_hundred_hsk3_words():
    words = {item.hanzi for lesson in _new_lessons().values() for item in lesson.vocabulary}
    assert len({w for w in words if hsk_level(w) == 3}) >= 100


def test_every_new_word_is_used():
    """A word is taught, not just listed: each appears in a dialogue, an example or an
    exercise of its lesson."""
    unused = []
    for slug, lesson in _new_lessons().items():
        texts = [line.hanzi for d in lesson.dialogues for line in d.lines]
        texts += [ex.hanzi for note in lesson.grammar for ex in note.examples]
        for exercise in lesson.exercises:
            texts += curriculum.exercise_texts(exercise.model_dump())
        text = "\n".join(texts)
        unused += [f"{slug}: {item.hanzi}" for item in lesson.vocabulary if item.hanzi not in text]
    assert unused == []


def test_no_new_word_was_taught_earlier_on_the_path():
    assert_words_are_new("business-chinese-3", NEW)


def test_constructions_taught_here_are_listed_with_these_lessons():
    expected = {
        "ruguo-dehua": "job-interview",
        "potential-complement": "job-interview",
        "meiyou-zheme": "shenzhen-trip",
        "jiuyao-le": "shenzhen-trip",
        "jile": "annual-party",
        "you-you": "annual-party",
        "haoxiang-kanlai": "sick-colleague",
        "zhidao-cai": "sick-colleague",
    }
    assert_constructions_taught_in("business-chinese-3", expected)


@pytest.mark.parametrize(
    ("cid", "text", "found"),
    [
        ("ruguo-dehua", "如果遇到难题的话，我也会努力解决。", True),
        ("ruguo-dehua", "老师说的话我都记得。", False),
        ("potential-complement", "老师讲十句，我只听得懂一两句。", True),
        ("potential-complement", "他中文说得很好。", False),
        ("meiyou-zheme", "莫斯科的九月没有深圳这么热。", True),
        ("meiyou-zheme", "我没有这么说。", False),
        ("jiuyao-le", "听说台风就要来了。", True),
        ("jiuyao-le", "我们八月一号就要用。", False),
        ("jile", "不太甜，好吃极了！", True),
        ("you-you", "年会又有节目，又有抽奖。", True),
        ("you-you", "他又来了。", False),
        ("zhidao-cai", "直到不发烧了，他才能回去工作。", True),
    ],
)
def test_construction_patterns(cid, text, found):
    """The patterns find the construction and not the look-alikes earlier lessons use."""
    assert detects(cid, text) is found
