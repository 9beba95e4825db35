"""Per-course vocabulary statistics by HSK 3.0 level (`flask courses report`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from app import visibility
from app.extensions import db
from app.models import Course, Item, ItemKind, Lesson


@dataclass
class CourseLevels:
    course: Course
    by_level: Counter = field(default_factory=Counter)
    #: words above the course's level or in no HSK list: (hanzi, level or None, lesson slug)
    outside: list[tuple[str, int | None, str]] = field(default_factory=list)


def course_top_level(level: str) -> int | None:
    """The highest HSK level a course's level text names ("HSK 1–2" → 2), if any."""
    numbers = [int(n) for n in re.findall(r"\d+", level)] if "HSK" in level.upper() else []
    return max(numbers) if numbers else None


def hsk_report() -> list[CourseLevels]:
    """Counts by HSK level of every live course's words, and the words outside its level."""
    rows = db.session.execute(
        select(Course, Item.hanzi, Item.hsk, Lesson.slug)
        .join(Lesson, Lesson.course_id == Course.id)
        .join(Item, Item.lesson_id == Lesson.id)
        .where(
            Item.kind == ItemKind.WORD,
            visibility.live_path(Item, Lesson, Course),
        )
        .order_by(Course.title, Lesson.position, Item.position)
    ).all()
    reports: dict[int, CourseLevels] = {}
    for course, hanzi, hsk, lesson_slug in rows:
        report = reports.setdefault(course.id, CourseLevels(course))
        report.by_level[hsk] += 1
        top = course_top_level(course.level)
        if hsk is None or (top is not None and hsk > top):
            report.outside.append((hanzi, hsk, lesson_slug))
    return list(reports.values())
