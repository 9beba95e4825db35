"""The Russian vocabulary behind tap-a-word glosses: our own courses' words, never a dictionary's
English. The lesson's course comes first; the other live courses fill the gaps."""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, case, func, select

from app import visibility
from app.extensions import db
from app.models import Course, Item, ItemKind, Lesson


class Glossary(dict[str, tuple[str, str]]):
    """hanzi → (pinyin, Russian), with a digest of its content: the pages' glossed ruby is
    cached on it (app.ui.chinese.ruby), so that an edited word shows at once."""

    fingerprint: bytes = b""


#: built once (every lesson page runs it): the lesson's own course last, so that its meanings
#: overwrite the others'
_WORDS = (
    select(Item.hanzi, Item.pinyin, Item.ru)
    .join(Lesson, Lesson.id == Item.lesson_id)
    .join(Course, Course.id == Lesson.course_id)
    .where(
        Item.kind == ItemKind.WORD,
        visibility.live_path(Item, Lesson, Course),
        Item.ru != "",
    )
    .order_by(
        case((Lesson.course_id == bindparam("course_id"), 1), else_=0), Lesson.position, Item.id
    )
)


#: the words that occur in a text (`:text`, say a lesson's dialogue lines), per database
_WITHIN = {
    "sqlite": _WORDS.where(func.instr(bindparam("text"), Item.hanzi) > 0),
    "postgresql": _WORDS.where(func.strpos(bindparam("text"), Item.hanzi) > 0),
}


def vocabulary_glossary(course_id: int, within: list[str] | None = None) -> Glossary:
    """hanzi → (pinyin, Russian) of the words of every live course, `course_id`'s winning.

    With `within` (texts), only the words that occur in one of them: tap-a-word looks up
    nothing but pieces of the line it glosses, so a page's glossary needs no more, and a
    thousand words less cost a lesson page a fifth of its time.
    """
    params = {"course_id": course_id}
    statement = _WORDS
    if within is not None:
        statement = _WITHIN.get(db.session.get_bind().dialect.name, _WORDS)
        params["text"] = "\n".join(within)
    rows = db.session.execute(statement, params).all()
    glossary = Glossary({hanzi: (pinyin, ru) for hanzi, pinyin, ru in rows})
    glossary.fingerprint = hashlib.blake2b(repr(glossary).encode(), digest_size=16).digest()
    return glossary
