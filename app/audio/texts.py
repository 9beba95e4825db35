"""Which texts must be heard: live items (words, dialogue lines, examples) and the prompts of
spoken exercises, per course. Two queries whatever the size of the content.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app import visibility
from app.exercises import REGISTRY
from app.extensions import db
from app.models import Course, Dialogue, Exercise, Item, Lesson

#: exercise kinds whose Chinese prompt is spoken to the learner (heard, not read)
SPOKEN_EXERCISES = tuple(name for name, kind in REGISTRY.items() if kind.spoken)
#: …and those whose prompt is also voiced as a model to repeat: every one gets a clip
VOICED_EXERCISES = tuple(
    name for name, kind in REGISTRY.items() if kind.spoken or kind.reference_audio
)


def _live_content(stmt, *, course_slug: str | None, include_drafts: bool):
    stmt = stmt.where(visibility.live_path(Lesson, Course))
    if not include_drafts:
        stmt = stmt.where(visibility.published(Course), visibility.published(Lesson))
    if course_slug is not None:
        stmt = stmt.where(Course.slug == course_slug)
    return stmt


def prompt_text(data: dict) -> str:
    prompt = data.get("prompt") if isinstance(data, dict) else None
    return prompt.strip() if isinstance(prompt, str) else ""


def texts_by_course(
    *, course_slug: str | None = None, include_drafts: bool = False
) -> dict[int, set[str]]:
    """Per course id, every text that must be heard: live items (words, dialogue lines,
    examples) and the prompts of spoken exercises.

    Published courses and lessons only, unless `include_drafts` (trainers preview drafts, and
    prune must not remove what they built). Two queries, whatever the size of the content.
    """
    items = (
        select(Course.id, Item.hanzi)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .outerjoin(Dialogue, Item.dialogue_id == Dialogue.id)
        .where(visibility.live_path(Item, Dialogue))
    )
    prompts = (
        select(Course.id, Exercise.data)
        .join(Lesson, Exercise.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(visibility.live(Exercise), Exercise.kind.in_(VOICED_EXERCISES))
    )
    options = {"course_slug": course_slug, "include_drafts": include_drafts}
    result: dict[int, set[str]] = defaultdict(set)
    for course_id, hanzi in db.session.execute(_live_content(items, **options)):
        if hanzi.strip():
            result[course_id].add(hanzi.strip())
    for course_id, data in db.session.execute(_live_content(prompts, **options)):
        if text := prompt_text(data):
            result[course_id].add(text)
    return dict(result)


def needed_texts(*, course_slug: str | None = None, include_drafts: bool = False) -> list[str]:
    """Every text that must be heard, of all published courses or of one course."""
    per_course = texts_by_course(course_slug=course_slug, include_drafts=include_drafts)
    return sorted(set().union(*per_course.values()))
