"""The trainers' audio pages: which clips each course has, and how many it still needs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy, visibility
from app.audio.clips import RECORDING, ClipKeys, clip_keys
from app.audio.engines import SPEEDS
from app.audio.texts import VOICED_EXERCISES, prompt_text, texts_by_course
from app.extensions import db
from app.models import AudioClip, Course, Item, Lesson, Role, User


@dataclass(frozen=True)
class CourseAudio:
    course: Course
    lessons: list[tuple[Lesson, list[Item], list[str]]]
    keys: dict[str, ClipKeys]
    #: (item id, speed) of the items that have a recording
    recordings: set[tuple[int, str]]
    present: int
    total: int


def course_audio(actor: User, slug: str) -> CourseAudio | None:
    """A course's lessons with their items, spoken prompts and clips; None if no such course.

    Four queries: the course, its lessons with items and exercises, the clips, the recordings.
    """
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        return None
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == course.id, visibility.live(Lesson))
        .options(selectinload(Lesson.items), selectinload(Lesson.exercises))
        .order_by(Lesson.position)
    ).all()
    rows = []
    texts: set[str] = set()
    item_ids = []
    for lesson in lessons:
        items = [i for i in lesson.items if i.retired_at is None]
        prompts = [
            prompt_text(e.data)
            for e in lesson.exercises
            if e.retired_at is None and e.kind in VOICED_EXERCISES and prompt_text(e.data)
        ]
        rows.append((lesson, items, prompts))
        texts.update(i.hanzi for i in items)
        texts.update(prompts)
        item_ids += [i.id for i in items]
    keys = clip_keys(texts)
    recordings = {
        tuple(row)
        for row in db.session.execute(
            select(AudioClip.item_id, AudioClip.speed).where(
                AudioClip.engine == RECORDING, AudioClip.item_id.in_(item_ids)
            )
        )
    }
    stripped = {t.strip() for t in texts if t.strip()}
    present = sum(1 for t in stripped for s in SPEEDS if keys.get(t, ClipKeys()).get(s) is not None)
    return CourseAudio(course, rows, keys, recordings, present, len(stripped) * len(SPEEDS))


def course_coverage(actor: User) -> list[tuple[Course, int, int]]:
    """Every live course with its number of clips present and needed (drafts included).

    Four queries whatever the number of courses.
    """
    policy.require_role(actor, Role.TRAINER, Role.ADMIN)
    courses = db.session.scalars(
        select(Course).where(visibility.live(Course)).order_by(Course.title)
    ).all()
    per_course = texts_by_course(include_drafts=True)
    keys = clip_keys(set().union(*per_course.values()))
    result = []
    for course in courses:
        texts = per_course.get(course.id, set())
        present = sum(1 for t in texts for s in SPEEDS if keys[t].get(s) is not None)
        result.append((course, present, len(texts) * len(SPEEDS)))
    return result
