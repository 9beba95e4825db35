"""A word in detail: its characters' stroke order and breakdown, and the other course words that
use each character. The character logic is pure (app.chinese.characters); the queries are here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from werkzeug.exceptions import NotFound

from app import visibility
from app.audio.clips import clip_keys
from app.chinese.characters import Breakdown, breakdown, han_characters
from app.extensions import db
from app.learn.courses import get_lesson
from app.learn.glossary import vocabulary_glossary
from app.models import Course, Item, ItemKind, Lesson, User

#: other words shown under each character
OTHER_WORDS = 8


@dataclass(frozen=True)
class OtherWord:
    """A course word the learner may open that shares a character with this one."""

    item_id: int
    hanzi: str
    pinyin: str
    ru: str


@dataclass(frozen=True)
class CharacterView:
    breakdown: Breakdown
    others: list[OtherWord]


@dataclass(frozen=True)
class WordPage:
    item: Item
    lesson: Lesson
    course: Course
    characters: list[CharacterView]
    audio_keys: dict


def word_page(user: User, item_id: int) -> WordPage:
    """A word of a lesson the user may open, taken apart character by character; 404 otherwise.

    A fixed number of queries whatever the word's length.
    """
    item = db.session.get(Item, item_id)
    if item is None or item.kind != ItemKind.WORD or item.retired_at is not None:
        raise NotFound()
    lesson = get_lesson(user, item.lesson_id)
    course = db.session.get(Course, lesson.course_id)
    chars = han_characters(item.hanzi)
    meanings = {hanzi: ru for hanzi, (_pinyin, ru) in vocabulary_glossary(course.id).items()}
    others = other_words(user, chars, exclude=item.hanzi, course_id=course.id)
    return WordPage(
        item=item,
        lesson=lesson,
        course=course,
        characters=[CharacterView(breakdown(c, meanings), others.get(c, [])) for c in chars],
        audio_keys=clip_keys([item.hanzi]),
    )


def other_words(
    user: User, chars: list[str], *, exclude: str, course_id: int
) -> dict[str, list[OtherWord]]:
    """For each character, up to OTHER_WORDS words of the courses `user` sees that contain it,
    `course_id`'s first (one query; one entry per written form, `exclude` itself left out)."""
    if not chars:
        return {}
    rows = db.session.execute(
        select(Item.id, Item.hanzi, Item.pinyin, Item.ru)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(
            Item.kind == ItemKind.WORD,
            visibility.live(Item),
            visibility.learner_content(user.company_id),
            Item.hanzi != exclude,
            or_(*(Item.hanzi.contains(c, autoescape=True) for c in chars)),
        )
        .order_by(Course.id != course_id, Course.id, Lesson.position, Item.position)
    ).all()
    found: dict[str, dict[str, OtherWord]] = defaultdict(dict)
    for row in rows:
        for char in chars:
            words = found[char]
            if char in row.hanzi and row.hanzi not in words and len(words) < OTHER_WORDS:
                words[row.hanzi] = OtherWord(row.id, row.hanzi, row.pinyin, row.ru)
    return {char: list(words.values()) for char, words in found.items()}
