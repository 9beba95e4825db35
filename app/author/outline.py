"""A course's outline in the draft: its settings, its lessons in order (with their title,
goals and body), retiring; and the read side of the editor: history and the course overview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from app import audit
from app.author.drafts import (
    DraftInvalid,
    authorise,
    check_course_version,
    check_lesson,
    clean_markdown,
    draft_of,
    edit_lesson,
    error_messages,
    get_course,
    lesson_of,
    save_draft,
    swap,
)
from app.content.schema import CourseFile
from app.extensions import db
from app.live_content import lessons_per_course, words_per_course
from app.models import AuditEvent, Company, Course, Item, Lesson, User, utcnow
from app.visibility import live


def _visibility(value: list[str] | str) -> list[str] | str:
    if value == "all" or not value:
        return "all"
    return sorted(value)


def _course_spec(data: dict[str, Any]) -> dict[str, Any]:
    spec = {
        "slug": data["slug"],
        "title": data["title"].strip(),
        "title_en": (data.get("title_en") or "").strip() or None,
        "kind": data["kind"],
        "level": data["level"].strip(),
        "audience": data["audience"].strip(),
        "description": clean_markdown(data.get("description")),
        "visibility": _visibility(data.get("visibility") or "all"),
        "pass_threshold": int(data.get("pass_threshold") or 80),
    }
    return {k: v for k, v in spec.items() if v is not None}


def _check_course_spec(spec: dict[str, Any], lessons: list[str]) -> None:
    try:
        CourseFile.model_validate({**spec, "lessons": lessons or ["placeholder"]})
    except ValidationError as exc:
        raise DraftInvalid(error_messages(exc)) from None
    if spec["visibility"] != "all":
        known = set(
            db.session.scalars(select(Company.slug).where(Company.slug.in_(spec["visibility"])))
        )
        missing = [s for s in spec["visibility"] if s not in known]
        if missing:
            raise DraftInvalid([f"visibility: no company {', '.join(missing)}"])


def create_course(actor: User, data: dict[str, Any]) -> Course:
    """A new, unpublished course whose draft holds its settings and no lessons yet."""
    authorise(actor)
    spec = _course_spec(data)
    _check_course_spec(spec, [])
    if db.session.scalar(select(Course.id).where(Course.slug == spec["slug"])) is not None:
        raise DraftInvalid([f"slug: a course '{spec['slug']}' exists already"])
    course = Course(
        slug=spec["slug"],
        title=spec["title"],
        title_en=spec.get("title_en"),
        kind=spec["kind"],
        level=spec["level"],
        audience=spec["audience"],
        description=spec["description"],
        visible_to_all=spec["visibility"] == "all",
        pass_threshold=spec["pass_threshold"],
        desired_retention=data.get("desired_retention"),
        published=False,
    )
    db.session.add(course)
    db.session.flush()
    draft = {
        "course": spec,
        "lessons": [],
        "versions": {},
        "editors": {},
        "retention": data.get("desired_retention"),
    }
    save_draft(actor, course, draft, "create", {"title": spec["title"]})
    return course


def update_settings(actor: User, slug: str, version: int, data: dict[str, Any]) -> Course:
    """Change the course settings in the draft (title, level, visibility, threshold, …)."""
    course = get_course(actor, slug, lock=True)
    loaded = check_course_version(course, version)
    draft = draft_of(course)
    spec = _course_spec({**data, "slug": course.slug})
    _check_course_spec(spec, [lesson["slug"] for lesson in draft["lessons"]])
    changed = sorted(k for k in spec if draft["course"].get(k) != spec[k])
    draft["course"] = spec
    if draft.get("retention") != data.get("desired_retention"):
        changed.append("desired_retention")
    draft["retention"] = data.get("desired_retention")
    draft["settings_by"] = actor.full_name
    save_draft(actor, course, draft, "settings", {"fields": changed}, course_version=loaded)
    return course


def add_lesson(actor: User, slug: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Append a lesson to the draft."""
    course = get_course(actor, slug, lock=True)
    loaded = check_course_version(course, version)
    draft = draft_of(course)
    if any(lesson["slug"] == data["slug"] for lesson in draft["lessons"]):
        raise DraftInvalid([f"slug: the course has a lesson '{data['slug']}' already"])
    lesson = _lesson_fields({"slug": data["slug"]}, data)
    check_lesson(lesson)
    draft["lessons"].append(lesson)
    save_draft(
        actor,
        course,
        draft,
        "lesson.add",
        {"lesson": lesson["slug"], "title": lesson["title"]},
        course_version=loaded,
    )
    return lesson


def _lesson_fields(lesson: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    lesson.update(
        {
            "title": data["title"].strip(),
            "goals": [g.strip() for g in data.get("goals", []) if g.strip()],
            "body": clean_markdown(data.get("body")),
        }
    )
    title_en = (data.get("title_en") or "").strip()
    if title_en:
        lesson["title_en"] = title_en
    else:
        lesson.pop("title_en", None)
    for name in ("vocabulary", "dialogues", "grammar", "exercises"):
        lesson.setdefault(name, [])
    return lesson


def move_lesson(actor: User, slug: str, version: int, lesson_slug: str, delta: int) -> None:
    """Move a lesson up (-1) or down (+1) in the study order."""
    course = get_course(actor, slug, lock=True)
    loaded = check_course_version(course, version)
    draft = draft_of(course)
    lessons = draft["lessons"]
    index = lessons.index(lesson_of(draft, lesson_slug))
    target = swap(lessons, index, delta)
    if target is not None:
        save_draft(
            actor,
            course,
            draft,
            "lesson.move",
            {"lesson": lesson_slug, "position": target + 1},
            course_version=loaded,
        )


def retire_lesson(actor: User, slug: str, version: int, lesson_slug: str) -> None:
    """Take a lesson out of the draft; publishing retires it (learners keep their history)."""
    course = get_course(actor, slug, lock=True)
    loaded = check_course_version(course, version)
    draft = draft_of(course)
    lesson = lesson_of(draft, lesson_slug)
    draft["lessons"].remove(lesson)
    save_draft(
        actor, course, draft, "lesson.retire", {"lesson": lesson_slug}, course_version=loaded
    )


def retire_course(actor: User, slug: str) -> Course:
    """Hide a course from learners (kept with its history; importing it again revives it)."""
    course = get_course(actor, slug, lock=True)
    course.retired_at = utcnow()
    audit.record(actor, "course.retire", target=course, details={})
    db.session.flush()
    return course


def update_lesson(
    actor: User, slug: str, lesson_slug: str, version: int, data: dict[str, Any]
) -> None:
    """Change a lesson's title, goals and Markdown body."""
    course, draft, lesson = edit_lesson(actor, slug, lesson_slug, version)
    _lesson_fields(lesson, data)
    check_lesson(lesson)
    save_draft(
        actor, course, draft, "lesson.edit", {"lesson": lesson_slug}, lesson_slug=lesson_slug
    )


# --------------------------------------------------------------------------- history, overview


@dataclass(frozen=True)
class HistoryRow:
    event: AuditEvent
    actor: str


def history(actor: User, slug: str, limit: int = 200) -> tuple[Course, list[HistoryRow]]:
    """Who changed the course, when and what: newest first."""
    course = get_course(actor, slug)
    rows = db.session.execute(
        select(AuditEvent, User.full_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.target_type == "course", AuditEvent.target_id == course.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return course, [HistoryRow(event, name or "—") for event, name in rows]


@dataclass(frozen=True)
class CourseRow:
    course: Course
    lessons: int
    words: int
    pending: bool


def course_overview(actor: User | None = None) -> list[CourseRow]:
    """Every course with its number of lessons and vocabulary items (two aggregate queries)."""
    if actor is not None:
        authorise(actor)
    courses = db.session.scalars(select(Course).order_by(Course.title)).all()
    lessons = lessons_per_course(live(Lesson))
    words = words_per_course(live(Item))
    return [
        CourseRow(c, lessons.get(c.id, 0), words.get(c.id, 0), c.draft is not None) for c in courses
    ]


def companies() -> list[Company]:
    return list(db.session.scalars(select(Company).order_by(Company.name)))
