"""The exercises of a draft lesson: adding, editing, keeping generated ones, moving, removing."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import NotFound

from app.author.drafts import DraftInvalid, check_exercise, edit_lesson, save_lesson, swap
from app.models import User


def exercise_at(lesson: dict[str, Any], key: str) -> dict[str, Any]:
    for exercise in lesson.get("exercises", []):
        if exercise["key"] == key:
            return exercise
    raise NotFound()


def save_exercise(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    data: dict[str, Any],
    *,
    old_key: str | None = None,
) -> dict[str, Any]:
    """Add an exercise (old_key None) or replace one; validated as the course files are."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    exercise = check_exercise(data)
    exercises = lesson["exercises"]
    if old_key is None:
        if any(e["key"] == exercise["key"] for e in exercises):
            raise DraftInvalid([f"key: the lesson has an exercise '{exercise['key']}' already"])
        exercises.append(exercise)
        action = "exercise.add"
    else:
        index = exercises.index(exercise_at(lesson, old_key))
        if exercise["key"] != old_key and any(e["key"] == exercise["key"] for e in exercises):
            raise DraftInvalid([f"key: the lesson has an exercise '{exercise['key']}' already"])
        exercises[index] = exercise
        action = "exercise.edit"
    save_lesson(
        actor,
        course,
        draft,
        lesson_slug,
        action,
        {"exercise": exercise["key"], "kind": exercise["kind"]},
        check=lesson,
    )
    return exercise


def keep_exercises(
    actor: User, slug: str, lesson_slug: str, version: int | None, chosen: list[dict[str, Any]]
) -> int:
    """Add the generated exercises the trainer kept; returns how many."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    keys = {e["key"] for e in lesson["exercises"]}
    kept = 0
    for data in chosen:
        exercise = check_exercise(data)
        base, n = exercise["key"], 2
        while exercise["key"] in keys:
            exercise["key"] = f"{base}-{n}"
            n += 1
        keys.add(exercise["key"])
        lesson["exercises"].append(exercise)
        kept += 1
    save_lesson(
        actor, course, draft, lesson_slug, "exercise.generate", {"count": kept}, check=lesson
    )
    return kept


def remove_exercise(actor: User, slug: str, lesson_slug: str, version: int, key: str) -> None:
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    lesson["exercises"].remove(exercise_at(lesson, key))
    save_lesson(actor, course, draft, lesson_slug, "exercise.remove", {"exercise": key})


def move_exercise(
    actor: User, slug: str, lesson_slug: str, version: int, key: str, delta: int
) -> None:
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    exercises = lesson["exercises"]
    index = exercises.index(exercise_at(lesson, key))
    if swap(exercises, index, delta) is not None:
        save_lesson(actor, course, draft, lesson_slug, "exercise.move", {"exercise": key})
