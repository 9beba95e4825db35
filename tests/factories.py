"""Factories for test data: each builds one row with sensible defaults and commits it.

Tests take them through the fixtures of the same name in tests/conftest.py (`make_company`,
`make_department`, `make_course`, `make_lesson`, `make_item`, `make_exercise`, `make_user`) and
build only what they need; the composed fixtures `people`, `content` and `small_course` are
built from them too.
"""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import Company, Course, CourseCompany, Department, Exercise, Item, Lesson

#: one exercise of each kind, as the first lesson of the `content` fixture has them
EXERCISES = {
    "choose_meaning": {
        "prompt": "你好",
        "options": ["здравствуйте", "спасибо", "банк"],
        "answer": "здравствуйте",
    },
    "choose_hanzi": {"prompt": "спасибо", "options": ["谢谢", "你好", "银行"], "answer": "谢谢"},
    "type_pinyin": {"prompt": "谢谢", "answer": "xièxie"},
    "identify_tone": {"prompt": "买", "answer": 3},
    "listening": {
        "prompt": "银行",
        "options": ["банк", "спасибо", "здравствуйте"],
        "answer": "банк",
    },
    "word_order": {
        "answer": "我是王经理。",
        "ru": "Я менеджер Ван.",
        "tiles": ["我", "是", "王", "经理"],
    },
    "fill_blank": {
        "prompt": "我___中国人。",
        "ru": "Я китаец.",
        "options": ["是", "在", "有"],
        "answer": "是",
    },
    "matching": {"pairs": [["你好", "здравствуйте"], ["谢谢", "спасибо"], ["银行", "банк"]]},
    "scenario": {
        "prompt": "Партнёр подаёт визитку. Что делать?",
        "options": ["Взять двумя руками", "Взять одной рукой"],
        "answer": "Взять двумя руками",
        "explanation": "Так проявляют уважение.",
    },
}


def _saved(row):
    db.session.add(row)
    db.session.commit()
    return row


def make_company(slug: str = "alpha", name: str | None = None, **fields: Any) -> Company:
    """A company (resident unless kind="zone")."""
    return _saved(Company(slug=slug, name=name or slug.title(), **fields))


def make_department(company: Company, name: str = "Продажи") -> Department:
    return _saved(Department(company=company, name=name))


def make_course(
    slug: str = "demo",
    title: str = "Курс",
    *,
    published: bool = True,
    companies: tuple[Company, ...] = (),
    **fields: Any,
) -> Course:
    """A course, published by default; `companies` makes it visible only to those companies."""
    if companies:
        fields.setdefault("visible_to_all", False)
    course = _saved(Course(slug=slug, title=title, published=published, **fields))
    for company in companies:
        db.session.add(CourseCompany(course_id=course.id, company_id=company.id))
    db.session.commit()
    return course


def make_lesson(
    course: Course, slug: str = "one", title: str = "Урок 1", position: int = 0, **fields: Any
) -> Lesson:
    fields.setdefault("goals", ["Цель"])
    return _saved(Lesson(course=course, slug=slug, title=title, position=position, **fields))


def make_item(
    lesson: Lesson, hanzi: str, pinyin: str = "", ru: str = "", position: int = 0, **fields: Any
) -> Item:
    """A word of `lesson` keyed by its hanzi, its pinyin locked as a trainer would."""
    fields.setdefault("key", hanzi)
    fields.setdefault("pinyin_locked", True)
    return _saved(
        Item(lesson=lesson, hanzi=hanzi, pinyin=pinyin, ru=ru, position=position, **fields)
    )


def make_exercise(
    lesson: Lesson, kind: str, data: dict[str, Any], position: int = 0, key: str | None = None
) -> Exercise:
    """An exercise of `kind`, keyed by its kind ("choose-meaning") unless `key` is given."""
    return _saved(
        Exercise(
            lesson=lesson,
            key=key or kind.replace("_", "-"),
            kind=kind,
            position=position,
            data=data,
        )
    )
