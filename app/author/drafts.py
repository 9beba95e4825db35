"""Trainers' authoring: courses edited as a draft of their course files, published atomically.

A course's draft (`Course.draft`) is its course files as data: the fields of `course.yaml` and
one dict per lesson file, in study order. Every edit changes the draft (validated with the same
pydantic schema as the files); learners keep seeing the published rows until `publishing.publish`
writes the draft to files and runs them through the same validation and import as `flask courses
import`. Items keep their identity by key (a changed meaning keeps the learners' cards, a
removed item is retired by the importer).

Each lesson carries a version in the draft and the course settings `Course.version`: an edit
names the version it started from, and a stale one is refused with `VersionConflict` instead of
silently overwriting another trainer's work.

This module holds the draft itself: loading it, validating it, saving it. The edits live beside
it: `outline` (course settings, lessons), `items`, `grammar_notes`, `lesson_exercises`.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

import nh3
import yaml
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app import audit
from app.author import messages
from app.content import exporter, markdown, validate
from app.content.schema import EXERCISE_KINDS, Exercise, LessonFile
from app.exercises import get_kind
from app.extensions import db
from app.models import Course, Role, User
from app.policy import require_role

EXERCISE_ADAPTER: TypeAdapter = TypeAdapter(Exercise)


class VersionConflict(Exception):
    """Someone saved the same lesson (or course settings) since this edit started."""

    def __init__(self, by: str | None):
        super().__init__("version conflict")
        self.by = by


class DraftInvalid(Exception):
    """The change would make the course files invalid; `messages` say why."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --------------------------------------------------------------------------- loading


def authorise(actor: User) -> None:
    require_role(actor, Role.TRAINER, Role.ADMIN)


def get_course(actor: User, slug: str, *, lock: bool = False) -> Course:
    """The course named `slug` for a trainer; 404 when there is none. `lock` takes a row lock
    (PostgreSQL) and reloads it, so that two concurrent edits of one draft serialise."""
    authorise(actor)
    stmt = select(Course).where(Course.slug == slug)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    course = db.session.scalar(stmt)
    if course is None:
        raise NotFound()
    return course


def draft_of(course: Course) -> dict[str, Any]:
    """The course's draft: pending edits, or the published course read back as files."""
    if course.draft is not None:
        return copy.deepcopy(course.draft)
    files = exporter.course_files(course.slug)
    spec = yaml.safe_load(files.pop(validate.COURSE_FILE))
    order = spec.pop("lessons", [])
    lessons = [yaml.safe_load(files[f"{slug}.yaml"]) for slug in order if f"{slug}.yaml" in files]
    for lesson in lessons:
        lesson.setdefault("goals", [])
    return {
        "course": spec,
        "lessons": lessons,
        "versions": {},
        "editors": {},
        "retention": course.desired_retention,
    }


def lesson_of(draft: dict[str, Any], lesson_slug: str) -> dict[str, Any]:
    for lesson in draft["lessons"]:
        if lesson["slug"] == lesson_slug:
            return lesson
    raise NotFound()


def lesson_version(draft: dict[str, Any], lesson_slug: str) -> int:
    return int(draft.get("versions", {}).get(lesson_slug, 1))


# --------------------------------------------------------------------------- validation


def _error_name(loc: tuple) -> str:
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif part in EXERCISE_KINDS:
            continue
        else:
            name += f".{part}" if name else str(part)
    return name


def error_messages(exc: ValidationError) -> list[str]:
    """Readable `field: message` lines of a pydantic error."""
    out = []
    for err in exc.errors(include_url=False):
        message = messages.schema_message(err) or validate._MESSAGES.get(err["type"]) or err["msg"]
        message = message.removeprefix("Value error, ")
        name = _error_name(err["loc"])
        out.append(f"{name}: {message}" if name else message[:1].upper() + message[1:])
    return out


def check_lesson(lesson: dict[str, Any]) -> None:
    try:
        LessonFile.model_validate(lesson)
    except ValidationError as exc:
        raise DraftInvalid(error_messages(exc)) from None
    keys = [w.get("key") or w["hanzi"] for w in lesson.get("vocabulary", [])]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise DraftInvalid([f"vocabulary: the lesson already has {', '.join(dupes)}"])
    exercise_keys = [e["key"] for e in lesson.get("exercises", [])]
    if len(set(exercise_keys)) != len(exercise_keys):
        raise DraftInvalid(["exercises: two exercises have the same key"])


def check_exercise(data: dict[str, Any]) -> dict[str, Any]:
    """Validate one exercise as the course files would; returns it normalised."""
    try:
        model = EXERCISE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise DraftInvalid(error_messages(exc)) from None
    for name in get_kind(model.kind).markdown_fields:
        value = getattr(model, name, None)
        if isinstance(value, str) and markdown.raw_html_lines(value):
            raise DraftInvalid([f"{name}: raw HTML is not allowed in Markdown"])
    return model.model_dump(mode="json", exclude_none=True)


_DANGEROUS_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def clean_markdown(text: str | None) -> str:
    """Markdown as saved: raw HTML removed with nh3, script-scheme links defused."""
    text = (text or "").replace("\r\n", "\n")
    for _attempt in range(3):
        if not markdown.raw_html_lines(text) and "<" not in text:
            break
        text = html.unescape(nh3.clean(text, tags=set()))
    text = _DANGEROUS_LINK.sub("](#", text)
    return text.strip()


# --------------------------------------------------------------------------- saving


def save_draft(
    actor: User,
    course: Course,
    draft: dict[str, Any],
    action: str,
    details: dict[str, Any],
    *,
    lesson_slug: str | None = None,
    course_version: int | None = None,
) -> None:
    """Store the draft (a new dict, so that the JSON column is written), bump versions, log."""
    if course_version is not None:
        course.version = course_version + 1
    if lesson_slug is not None:
        draft.setdefault("versions", {})[lesson_slug] = lesson_version(draft, lesson_slug) + 1
        draft.setdefault("editors", {})[lesson_slug] = actor.full_name
    course.draft = draft
    audit.record(actor, f"course.{action}", target=course, details=details)
    db.session.flush()


def save_lesson(
    actor: User,
    course: Course,
    draft: dict[str, Any],
    lesson_slug: str,
    action: str,
    details: dict[str, Any],
    *,
    check: dict[str, Any] | None = None,
) -> None:
    """Store a change to one lesson of the draft (its version bumped; the audit line names the
    lesson and `details`), after checking the changed lesson `check` if given."""
    if check is not None:
        check_lesson(check)
    save_draft(
        actor, course, draft, action, {"lesson": lesson_slug, **details}, lesson_slug=lesson_slug
    )


def swap(entries: list, index: int, delta: int) -> int | None:
    """Move `entries[index]` one place up (-1) or down (+1); its new index, None at an end."""
    target = index + delta
    if not 0 <= target < len(entries):
        return None
    entries[index], entries[target] = entries[target], entries[index]
    return target


def check_course_version(course: Course, version: int | None) -> int:
    if version is not None and version != course.version:
        raise VersionConflict(course.draft and course.draft.get("settings_by"))
    return course.version


def _check_lesson_version(draft: dict[str, Any], lesson_slug: str, version: int | None) -> None:
    if version is not None and version != lesson_version(draft, lesson_slug):
        raise VersionConflict(draft.get("editors", {}).get(lesson_slug))


def edit_lesson(actor: User, slug: str, lesson_slug: str, version: int | None):
    course = get_course(actor, slug, lock=True)
    draft = draft_of(course)
    lesson = lesson_of(draft, lesson_slug)
    _check_lesson_version(draft, lesson_slug, version)
    return course, draft, lesson
