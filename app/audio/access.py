"""Who may hear a clip: trainers and admins every one, learners the clips of content they see."""

from __future__ import annotations

from sqlalchemy import select

from app import visibility
from app.audio.texts import VOICED_EXERCISES
from app.extensions import db
from app.models import AudioClip, Course, Exercise, Item, Lesson, Role, User


def may_hear(user: User, clip: AudioClip) -> bool:
    """Trainers and admins hear every clip; others only clips of published content they see.

    A clip belongs to content through its text: a live item, or the prompt of a spoken
    exercise, in a published lesson of a published course visible to the user's company.
    """
    if user.has_role(Role.TRAINER, Role.ADMIN):
        return True
    published = visibility.learner_content(user.company_id)
    item = (
        select(Item.id)
        .join(Lesson, Item.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(Item.hanzi == clip.text, visibility.live(Item), published)
        .limit(1)
    )
    if db.session.scalar(item) is not None:
        return True
    prompt = (
        select(Exercise.id)
        .join(Lesson, Exercise.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(
            Exercise.kind.in_(VOICED_EXERCISES),
            visibility.live(Exercise),
            Exercise.data["prompt"].as_string() == clip.text,
            published,
        )
        .limit(1)
    )
    return db.session.scalar(prompt) is not None
