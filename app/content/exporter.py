"""Write a course from the database back to its course files (the same format it came from)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.content.validate import COURSE_FILE
from app.extensions import db
from app.models import Company, Course, Dialogue, Exercise, Item, ItemKind, Lesson
from app.visibility import live


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings, so that exported Markdown stays readable."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def _hanzi_fields(item: Item) -> dict[str, Any]:
    """hanzi, pinyin (only when a person gave it: generated pinyin is generated again), ru, en."""
    return _compact(
        {
            "hanzi": item.hanzi,
            "pinyin": item.pinyin if item.pinyin_locked else None,
            "ru": item.ru,
            "en": item.en,
        }
    )


def course_files(slug: str) -> dict[str, str]:
    """The course's files as {file name: YAML text}; KeyError for an unknown slug."""
    course = db.session.scalar(
        select(Course).where(Course.slug == slug).options(selectinload(Course.company_links))
    )
    if course is None:
        raise KeyError(slug)
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id, live(Lesson)).order_by(Lesson.position)
    ).all()
    lesson_ids = [lesson.id for lesson in lessons]
    items = db.session.scalars(
        select(Item).where(Item.lesson_id.in_(lesson_ids), live(Item)).order_by(Item.position)
    ).all()
    dialogues = db.session.scalars(
        select(Dialogue)
        .where(Dialogue.lesson_id.in_(lesson_ids), live(Dialogue))
        .order_by(Dialogue.position)
    ).all()
    exercises = db.session.scalars(
        select(Exercise)
        .where(Exercise.lesson_id.in_(lesson_ids), live(Exercise))
        .order_by(Exercise.position)
    ).all()

    if course.visible_to_all:
        visibility: Any = "all"
    else:
        ids = [link.company_id for link in course.company_links]
        visibility = sorted(db.session.scalars(select(Company.slug).where(Company.id.in_(ids))))
    files = {
        COURSE_FILE: dump(
            _compact(
                {
                    "slug": course.slug,
                    "title": course.title,
                    "title_en": course.title_en,
                    "kind": course.kind,
                    "level": course.level,
                    "audience": course.audience,
                    "description": course.description,
                    "visibility": visibility,
                    "pass_threshold": course.pass_threshold,
                    "lessons": [lesson.slug for lesson in lessons],
                }
            )
        )
    }
    for lesson in lessons:
        files[f"{lesson.slug}.yaml"] = dump(_lesson(lesson, items, dialogues, exercises))
    return files


def _lesson(lesson: Lesson, items, dialogues, exercises) -> dict[str, Any]:
    own = [i for i in items if i.lesson_id == lesson.id]
    by_key = {i.key: i for i in own}
    vocabulary = []
    for item in own:
        if item.kind != ItemKind.WORD:
            continue
        entry = _hanzi_fields(item)
        entry.update(_compact({"pos": item.pos, "hsk": item.hsk, "notes": item.notes}))
        if item.passive:
            entry["passive"] = True
        if item.key != item.hanzi:
            entry["key"] = item.key
        vocabulary.append(entry)
    dialogue_list = []
    for dialogue in (d for d in dialogues if d.lesson_id == lesson.id):
        lines = [
            {"speaker": i.speaker, **_hanzi_fields(i)} for i in own if i.dialogue_id == dialogue.id
        ]
        entry = {"key": dialogue.key, "title": dialogue.title, "lines": lines}
        if dialogue.glosses:
            entry["glosses"] = dict(dialogue.glosses)
        dialogue_list.append(entry)
    grammar = [
        _compact(
            {
                "title": note["title"],
                "body": note["body"],
                "examples": [_hanzi_fields(by_key[k]) for k in note["examples"] if k in by_key],
            }
        )
        for note in lesson.grammar
    ]
    exercise_list = [
        {"key": e.key, "kind": e.kind, **e.data} for e in exercises if e.lesson_id == lesson.id
    ]
    return _compact(
        {
            "slug": lesson.slug,
            "title": lesson.title,
            "title_en": lesson.title_en,
            "review": lesson.review or None,
            "goals": lesson.goals,
            "body": lesson.body,
            "vocabulary": vocabulary,
            "dialogues": dialogue_list,
            "grammar": grammar,
            "exercises": exercise_list,
        }
    )


def export_course(slug: str, folder: Path) -> list[Path]:
    """Write the course's files into `folder` (created if needed); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in course_files(slug).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
