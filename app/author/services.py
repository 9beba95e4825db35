"""Trainers' authoring: courses edited as a draft of their course files, published atomically.

A course's draft (`Course.draft`) is its course files as data: the fields of `course.yaml` and
one dict per lesson file, in study order. Every edit changes the draft (validated with the same
pydantic schema as the files); learners keep seeing the published rows until `publish` writes
the draft to files and runs them through the same validation and import as `flask courses
import`. Items keep their identity by key (a changed meaning keeps the learners' cards, a
removed item is retired by the importer).

Each lesson carries a version in the draft and the course settings `Course.version`: an edit
names the version it started from, and a stale one is refused with `VersionConflict` instead of
silently overwriting another trainer's work.
"""

from __future__ import annotations

import copy
import html
import io
import random
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import nh3
import yaml
from flask_babel import gettext
from flask_babel import gettext as _
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import case, func, select
from werkzeug.exceptions import NotFound

from app import audit, chinese
from app.author import messages
from app.chinese.rules import DEFAULT as DEFAULT_REASON
from app.content import exporter, importer, markdown, validate
from app.content.schema import EXERCISE_KINDS, CourseFile, Exercise, LessonFile, check_pinyin
from app.exercises import REGISTRY, Material, generating_kinds, get_kind
from app.extensions import db
from app.models import (
    Attempt,
    AuditEvent,
    Card,
    Company,
    Course,
    Item,
    ItemKind,
    Job,
    Lesson,
    Role,
    User,
    utcnow,
)
from app.models import Exercise as ExerciseRow
from app.policy import require_role

EXERCISE_ADAPTER: TypeAdapter = TypeAdapter(Exercise)
#: a zip upload larger than this is refused before it is opened
ZIP_MAX_BYTES = 8 * 1024 * 1024
ZIP_MAX_FILES = 300
ZIP_MAX_FILE_BYTES = 512 * 1024
#: all course files of a zip together, decompressed (the largest course today is ~260 KB)
ZIP_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
#: the fields of each exercise kind, in form order (key and kind aside)
KIND_FIELDS: dict[str, tuple[str, ...]] = {name: kind.fields for name, kind in REGISTRY.items()}


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


class PublishRefused(Exception):
    """Nothing was published or imported; `issues` are `file:line: message` lines."""

    def __init__(self, issues: list[str]):
        super().__init__(f"{len(issues)} error(s)")
        self.issues = issues


# --------------------------------------------------------------------------- loading


def _authorise(actor: User) -> None:
    require_role(actor, Role.TRAINER, Role.ADMIN)


def get_course(actor: User, slug: str, *, lock: bool = False) -> Course:
    """The course named `slug` for a trainer; 404 when there is none. `lock` takes a row lock
    (PostgreSQL) and reloads it, so that two concurrent edits of one draft serialise."""
    _authorise(actor)
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


def _check_lesson(lesson: dict[str, Any]) -> None:
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


def _save(
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


def _check_course_version(course: Course, version: int | None) -> int:
    if version is not None and version != course.version:
        raise VersionConflict(course.draft and course.draft.get("settings_by"))
    return course.version


def _check_lesson_version(draft: dict[str, Any], lesson_slug: str, version: int | None) -> None:
    if version is not None and version != lesson_version(draft, lesson_slug):
        raise VersionConflict(draft.get("editors", {}).get(lesson_slug))


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
    _authorise(actor)
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
    _save(actor, course, draft, "create", {"title": spec["title"]})
    return course


def update_settings(actor: User, slug: str, version: int, data: dict[str, Any]) -> Course:
    """Change the course settings in the draft (title, level, visibility, threshold, …)."""
    course = get_course(actor, slug, lock=True)
    loaded = _check_course_version(course, version)
    draft = draft_of(course)
    spec = _course_spec({**data, "slug": course.slug})
    _check_course_spec(spec, [lesson["slug"] for lesson in draft["lessons"]])
    changed = sorted(k for k in spec if draft["course"].get(k) != spec[k])
    draft["course"] = spec
    if draft.get("retention") != data.get("desired_retention"):
        changed.append("desired_retention")
    draft["retention"] = data.get("desired_retention")
    draft["settings_by"] = actor.full_name
    _save(actor, course, draft, "settings", {"fields": changed}, course_version=loaded)
    return course


def add_lesson(actor: User, slug: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Append a lesson to the draft."""
    course = get_course(actor, slug, lock=True)
    loaded = _check_course_version(course, version)
    draft = draft_of(course)
    if any(lesson["slug"] == data["slug"] for lesson in draft["lessons"]):
        raise DraftInvalid([f"slug: the course has a lesson '{data['slug']}' already"])
    lesson = _lesson_fields({"slug": data["slug"]}, data)
    _check_lesson(lesson)
    draft["lessons"].append(lesson)
    _save(
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
    loaded = _check_course_version(course, version)
    draft = draft_of(course)
    lessons = draft["lessons"]
    index = lessons.index(lesson_of(draft, lesson_slug))
    target = index + delta
    if 0 <= target < len(lessons):
        lessons[index], lessons[target] = lessons[target], lessons[index]
        _save(
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
    loaded = _check_course_version(course, version)
    draft = draft_of(course)
    lesson = lesson_of(draft, lesson_slug)
    draft["lessons"].remove(lesson)
    _save(actor, course, draft, "lesson.retire", {"lesson": lesson_slug}, course_version=loaded)


def retire_course(actor: User, slug: str) -> Course:
    """Hide a course from learners (kept with its history; importing it again revives it)."""
    course = get_course(actor, slug, lock=True)
    course.retired_at = utcnow()
    audit.record(actor, "course.retire", target=course, details={})
    db.session.flush()
    return course


def _edit_lesson(actor: User, slug: str, lesson_slug: str, version: int | None):
    course = get_course(actor, slug, lock=True)
    draft = draft_of(course)
    lesson = lesson_of(draft, lesson_slug)
    _check_lesson_version(draft, lesson_slug, version)
    return course, draft, lesson


def update_lesson(
    actor: User, slug: str, lesson_slug: str, version: int, data: dict[str, Any]
) -> None:
    """Change a lesson's title, goals and Markdown body."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    _lesson_fields(lesson, data)
    _check_lesson(lesson)
    _save(actor, course, draft, "lesson.edit", {"lesson": lesson_slug}, lesson_slug=lesson_slug)


# --------------------------------------------------------------------------- items


def _item_entry(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """An item as the course file writes it; pinyin only when a person chose or typed it."""
    entry: dict[str, Any] = {}
    if kind == ItemKind.LINE:
        entry["speaker"] = data["speaker"].strip()
    entry["hanzi"] = data["hanzi"].strip()
    pinyin = (data.get("pinyin") or "").strip()
    if pinyin and data.get("pinyin_locked"):
        entry["pinyin"] = pinyin
    entry["ru"] = data["ru"].strip()
    if (data.get("en") or "").strip():
        entry["en"] = data["en"].strip()
    if kind == ItemKind.WORD:
        entry["pos"] = data.get("pos") or "phrase"
        if (data.get("notes") or "").strip():
            entry["notes"] = data["notes"].strip()
        if data.get("key"):
            entry["key"] = data["key"]
    return entry


def _find_item(lesson: dict[str, Any], ref: str) -> tuple[list, int]:
    """The list holding item `ref` (`v3`: word 3; `d1.2`: dialogue 1, line 2) and its index."""
    match = re.fullmatch(r"v(\d+)|d(\d+)\.(\d+)", ref)
    if match is None:
        raise NotFound()
    try:
        if match.group(1) is not None:
            items, index = lesson["vocabulary"], int(match.group(1))
        else:
            items, index = lesson["dialogues"][int(match.group(2))]["lines"], int(match.group(3))
        items[index]
    except (IndexError, KeyError):
        raise NotFound() from None
    return items, index


def add_items(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    words: list[dict[str, Any]],
    dialogue: dict[str, Any] | None = None,
) -> list[str]:
    """Add words (and/or a dialogue with its lines) to a lesson; returns their hanzi."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    added = []
    for word in words:
        lesson["vocabulary"].append(_item_entry(word, ItemKind.WORD))
        added.append(word["hanzi"].strip())
    if dialogue is not None:
        keys = {d["key"] for d in lesson["dialogues"]}
        n = len(lesson["dialogues"]) + 1
        while f"dialogue-{n}" in keys:
            n += 1
        lines = [_item_entry(line, ItemKind.LINE) for line in dialogue["lines"]]
        lesson["dialogues"].append(
            {"key": f"dialogue-{n}", "title": dialogue["title"].strip(), "lines": lines}
        )
        added += [line["hanzi"] for line in lines]
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "items.add",
        {"lesson": lesson_slug, "items": added},
        lesson_slug=lesson_slug,
    )
    return added


def item_at(lesson: dict[str, Any], ref: str) -> dict[str, Any]:
    items, index = _find_item(lesson, ref)
    return items[index]


def update_item(
    actor: User, slug: str, lesson_slug: str, version: int, ref: str, data: dict[str, Any]
) -> str:
    """Change one item; its key stays, so learners keep their cards when the meaning changes."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    items, index = _find_item(lesson, ref)
    old = items[index]
    kind = ItemKind.LINE if ref.startswith("d") else ItemKind.WORD
    entry = _item_entry({**data, "key": old.get("key")}, kind)
    if kind == ItemKind.WORD and "key" not in entry and entry["hanzi"] != old["hanzi"]:
        # the hanzi was the identity: keep the old one's cards only when it was a slug key
        pass
    changed = sorted(k for k in set(entry) | set(old) if entry.get(k) != old.get(k))
    items[index] = entry
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "item.edit",
        {"lesson": lesson_slug, "item": entry["hanzi"], "fields": changed},
        lesson_slug=lesson_slug,
    )
    return entry["hanzi"]


def remove_item(actor: User, slug: str, lesson_slug: str, version: int, ref: str) -> None:
    """Remove an item from the draft (publishing retires it; cards and history stay)."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    items, index = _find_item(lesson, ref)
    removed = items.pop(index)
    if ref.startswith("d") and not items:
        lesson["dialogues"] = [d for d in lesson["dialogues"] if d["lines"]]
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "item.remove",
        {"lesson": lesson_slug, "item": removed["hanzi"]},
        lesson_slug=lesson_slug,
    )


def move_item(actor: User, slug: str, lesson_slug: str, version: int, ref: str, delta: int) -> None:
    """Move an item up (-1) or down (+1) within its list."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    items, index = _find_item(lesson, ref)
    target = index + delta
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _save(
            actor,
            course,
            draft,
            "item.move",
            {"lesson": lesson_slug, "item": items[target]["hanzi"]},
            lesson_slug=lesson_slug,
        )


_SEPARATOR = re.compile(r"\s+[—–-]\s+|\t+|\s*=\s*")
_SPEAKER = re.compile(r"^([^:：]{1,60})[:：]\s*(.+)$")


@dataclass(frozen=True)
class PasteError:
    """A pasted line that could not be read: its number, what is wrong, the text at fault.

    `problem` is a code the route turns into a Russian message: `format` (no «汉字 — перевод»),
    `speaker` (a dialogue line without «Speaker:»), `no_hanzi` (`text` has no Chinese).
    """

    line: int
    problem: str
    text: str = ""


@dataclass
class Pasted:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[PasteError] = field(default_factory=list)


def parse_block(text: str, *, dialogue: bool) -> Pasted:
    """Parse pasted lines: `汉字 — перевод` per line, or `Speaker: 汉字 — перевод` for a
    dialogue. Errors name the line."""
    out = Pasted()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        speaker = None
        if dialogue:
            match = _SPEAKER.match(line)
            if match is None or chinese.han_count(match.group(1)) != 0:
                out.errors.append(PasteError(number, "speaker"))
                continue
            speaker, line = match.group(1).strip(), match.group(2).strip()
        parts = _SEPARATOR.split(line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            out.errors.append(PasteError(number, "format"))
            continue
        hanzi, ru = parts[0].strip(), parts[1].strip()
        if chinese.han_count(hanzi) == 0:
            out.errors.append(PasteError(number, "no_hanzi", hanzi))
            continue
        row: dict[str, Any] = {"hanzi": hanzi, "ru": ru, "pos": "phrase"}
        if speaker is not None:
            row["speaker"] = speaker
        out.rows.append(row)
    return out


# --------------------------------------------------------------------------- pinyin


def word_pinyin(hanzi: str) -> str:
    """The generated pinyin of a vocabulary entry (no sentence capital), as the importer does."""
    return " ".join(w.pinyin for w in chinese.annotate(hanzi) if w.is_han)


def reading_reason(polyphone: chinese.Polyphone) -> str:
    """Why the engine read a polyphone as it did, in the interface language."""
    if polyphone.source == "phrase":
        return gettext("dictionary phrase %(word)s", word=polyphone.detail)
    if polyphone.source == "model":
        return gettext("context model, %(sure)s sure", sure=polyphone.detail)
    if polyphone.reason:
        return gettext("rule: %(rule)s", rule=gettext(polyphone.reason))
    return gettext(DEFAULT_REASON)


def pinyin_info(hanzi: str, *, sentence: bool, choices: dict[int, str] | None = None) -> dict:
    """Live pinyin for the editor: the reading (with chosen polyphone readings), the polyphones
    with their alternatives, HSK level and Palladius."""
    from app.chinese.pinyin import assemble
    from app.chinese.tones import join_marked

    hanzi = (hanzi or "").strip()[:500]
    if not chinese.han_count(hanzi):
        return {"pinyin": "", "polyphones": [], "hsk": None, "palladius": ""}
    choices = choices or {}
    words = chinese.annotate(hanzi)
    polyphones = []
    for word in words:
        for p in word.polyphones:
            options = [p.chosen, *p.alternatives]
            chosen = choices.get(p.index, p.chosen)
            if chosen not in options:
                chosen = p.chosen
            polyphones.append(
                {
                    "index": p.index,
                    "char": p.char,
                    "chosen": chosen,
                    "options": [
                        {"value": o, "label": chinese.numbered_to_marked(o)} for o in options
                    ],
                    "review": p.needs_review,
                    "why": reading_reason(p) if chosen == p.chosen else gettext("your choice"),
                }
            )

    def spell(word) -> str:
        picked = [
            (p.index - word.start, choices[p.index])
            for p in word.polyphones
            if choices.get(p.index) not in (None, p.chosen)
        ]
        if not picked:
            return word.pinyin
        marked = list(word.marked)
        for offset, numbered in picked:
            marked[offset] = chinese.numbered_to_marked(numbered)
        return join_marked(marked)

    pinyin = assemble(words, spell) if sentence else " ".join(spell(w) for w in words if w.is_han)
    return {
        "pinyin": pinyin,
        "polyphones": polyphones,
        "hsk": chinese.hsk_level(hanzi),
        "palladius": chinese.palladius(hanzi),
    }


@dataclass
class ItemView:
    ref: str
    entry: dict[str, Any]
    pinyin: str
    locked: bool
    hsk: int | None
    palladius: str
    #: polyphones the engine was not sure about and nobody confirmed
    review: list[str]


def item_views(lesson: dict[str, Any]) -> tuple[list[ItemView], list[tuple[dict, list[ItemView]]]]:
    """The lesson's words and dialogues with the pinyin a learner will see."""

    def view(ref: str, entry: dict[str, Any], sentence: bool) -> ItemView:
        locked = bool(entry.get("pinyin"))
        info = pinyin_info(entry["hanzi"], sentence=sentence)
        review = [] if locked else [p["char"] for p in info["polyphones"] if p["review"]]
        return ItemView(
            ref,
            entry,
            entry.get("pinyin") or info["pinyin"],
            locked,
            entry.get("hsk") or info["hsk"],
            info["palladius"],
            review,
        )

    words = [view(f"v{i}", w, False) for i, w in enumerate(lesson.get("vocabulary", []))]
    dialogues = [
        (d, [view(f"d{di}.{li}", line, True) for li, line in enumerate(d["lines"])])
        for di, d in enumerate(lesson.get("dialogues", []))
    ]
    return words, dialogues


def lesson_texts(lesson: dict[str, Any]) -> list[str]:
    """Every Chinese text of a lesson that gets audio."""
    texts = [w["hanzi"] for w in lesson.get("vocabulary", [])]
    for d in lesson.get("dialogues", []):
        texts += [line["hanzi"] for line in d["lines"]]
    for note in lesson.get("grammar", []):
        texts += [e["hanzi"] for e in note.get("examples", [])]
    for e in lesson.get("exercises", []):
        texts += get_kind(e["kind"]).speech(e)
    return list(dict.fromkeys(texts))


# --------------------------------------------------------------------------- audio


def start_audio_build(actor: User, texts: Iterable[str]) -> Job | None:
    """Queue a job making the clips of `texts` (the page polls `clip_keys`; the trainer can
    follow the job under /jobs/). Runs when the caller commits."""
    from app.jobs import enqueue

    texts = [t for t in dict.fromkeys(texts) if t and t.strip()]
    if not texts:
        return None
    return enqueue("audio.texts", {"texts": texts}, user=actor)


# --------------------------------------------------------------------------- exercises


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
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
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
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        action,
        {"lesson": lesson_slug, "exercise": exercise["key"], "kind": exercise["kind"]},
        lesson_slug=lesson_slug,
    )
    return exercise


def keep_exercises(
    actor: User, slug: str, lesson_slug: str, version: int | None, chosen: list[dict[str, Any]]
) -> int:
    """Add the generated exercises the trainer kept; returns how many."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
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
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "exercise.generate",
        {"lesson": lesson_slug, "count": kept},
        lesson_slug=lesson_slug,
    )
    return kept


def remove_exercise(actor: User, slug: str, lesson_slug: str, version: int, key: str) -> None:
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    lesson["exercises"].remove(exercise_at(lesson, key))
    _save(
        actor,
        course,
        draft,
        "exercise.remove",
        {"lesson": lesson_slug, "exercise": key},
        lesson_slug=lesson_slug,
    )


def move_exercise(
    actor: User, slug: str, lesson_slug: str, version: int, key: str, delta: int
) -> None:
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    exercises = lesson["exercises"]
    index = exercises.index(exercise_at(lesson, key))
    target = index + delta
    if 0 <= target < len(exercises):
        exercises[index], exercises[target] = exercises[target], exercises[index]
        _save(
            actor,
            course,
            draft,
            "exercise.move",
            {"lesson": lesson_slug, "exercise": key},
            lesson_slug=lesson_slug,
        )


def ascii_slug(text: str, fallback: str = "item") -> str:
    """A key from pinyin or any Latin text: `yínháng` → `yinhang`."""
    plain = unicodedata.normalize("NFKD", text.replace("ü", "v").replace("Ü", "v"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")
    return slug or fallback


def generate_exercises(lesson: dict[str, Any], *, seed: int = 0) -> list[dict[str, Any]]:
    """Exercises made from the lesson's vocabulary and dialogue lines, for a trainer to review:
    meaning, hanzi, pinyin, listening and word order. Only valid ones are returned."""
    rng = random.Random(seed)
    words = lesson.get("vocabulary", [])
    existing = {e["key"] for e in lesson.get("exercises", [])}
    out: list[dict[str, Any]] = []

    def add(candidate: dict[str, Any]) -> None:
        if candidate["key"] in existing:
            return
        try:
            out.append(check_exercise(candidate))
            existing.add(candidate["key"])
        except DraftInvalid:
            pass

    def options(right: str, pool: list[str]) -> list[str]:
        others = [p for p in dict.fromkeys(pool) if p != right]
        rng.shuffle(others)
        picked = [right, *others[:3]]
        rng.shuffle(picked)
        return picked

    material = Material([w["ru"] for w in words], [w["hanzi"] for w in words], options)
    kinds = generating_kinds()
    for word in words:
        pinyin = word.get("pinyin") or word_pinyin(word["hanzi"])
        name = ascii_slug(pinyin)
        for kind in kinds:
            for candidate in kind.from_word(word, name, pinyin, material):
                add(candidate)
    sentences = [line for d in lesson.get("dialogues", []) for line in d["lines"]]
    sentences += [w for w in words if chinese.han_count(w["hanzi"]) >= 4]
    for line in sentences:
        name = ascii_slug(line.get("pinyin") or word_pinyin(line["hanzi"]))[:40].strip("-")
        for kind in kinds:
            for candidate in kind.from_sentence(line, name, material):
                add(candidate)
    return out


# --------------------------------------------------------------------------- files


def files_of(draft: dict[str, Any]) -> dict[str, str]:
    """The draft as course files: {file name: YAML}."""
    course = {**draft["course"], "lessons": [lesson["slug"] for lesson in draft["lessons"]]}
    files = {validate.COURSE_FILE: exporter.dump(course)}
    for lesson in draft["lessons"]:
        compact = {k: v for k, v in lesson.items() if v not in (None, "", [])}
        files[f"{lesson['slug']}.yaml"] = exporter.dump(compact)
    return files


def export_zip(actor: User, slug: str) -> bytes:
    """The course (its draft when edits are pending) as a zip of its `courses/` folder."""
    course = get_course(actor, slug)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files_of(draft_of(course)).items():
            archive.writestr(f"{course.slug}/{name}", text)
    return buffer.getvalue()


def _validate_files(files: dict[str, str | bytes]) -> tuple[validate.Result, Path, Any]:
    """Write files (relative paths) into a temporary folder and validate them as a tree."""
    tmp = tempfile.TemporaryDirectory(prefix="qiao-author-")
    root = Path(tmp.name)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return validate.validate_tree(root), root, tmp


def _without_root(text: str, root: Path) -> str:
    """`text` with the temporary folder's path taken out (messages name archive paths only)."""
    for prefix in (f"{root}/", str(root), f"{root.resolve()}/", str(root.resolve())):
        text = text.replace(prefix, "")
    return text


def _issue_lines(issues: Iterable[validate.Issue], root: Path) -> list[str]:
    lines = []
    for issue in issues:
        try:
            path = issue.path.relative_to(root)
        except ValueError:
            path = Path(_without_root(str(issue.path), root))
        line = str(validate.Issue(path, issue.line, issue.field, issue.message))
        lines.append(_without_root(line, root))
    return lines


def _import(actor: User, files: dict[str, str | bytes]) -> tuple[list[Course], importer.Report]:
    result, root, tmp = _validate_files(files)
    try:
        if result.errors:
            raise PublishRefused(_issue_lines(result.errors, root))
        try:
            report = importer.import_courses(result)
        except importer.ImportRefused as exc:
            raise PublishRefused(_issue_lines(exc.issues, root)) from None
        slugs = [source.course.slug for source in result.courses]
        courses = list(db.session.scalars(select(Course).where(Course.slug.in_(slugs))))
        report.notes = [_without_root(note, root) for note in report.notes]
        return courses, report
    finally:
        tmp.cleanup()


def publish(actor: User, slug: str) -> importer.Report:
    """Make the draft what learners see, in one transaction, through the course-file import."""
    course = get_course(actor, slug, lock=True)
    draft = draft_of(course)
    if not draft["lessons"]:
        raise PublishRefused(["a course needs at least one lesson"])
    files = {f"{slug}/{name}": text for name, text in files_of(draft).items()}
    _courses, report = _import(actor, files)
    now = utcnow()
    course.published = True
    course.published_at = course.published_at or now
    course.retired_at = None
    course.desired_retention = draft.get("retention")
    course.draft = None
    audit.record(actor, "course.publish", target=course, details={"summary": report.summary()})
    db.session.flush()
    return report


def _read_zip_entries(data: bytes) -> dict[str, bytes]:
    """The course files of an uploaded zip, by their path inside it; PublishRefused otherwise.

    Bounded before anything is decompressed: the upload's size, the number of files, each
    file's and all files' declared sizes (a reader stops at a declared size and then fails the
    CRC, so the declared sizes bound the work). Encrypted entries, unknown compression, bad
    checksums and entries whose stored name differs from the directory's are refused with a
    message naming the entry; messages name paths inside the archive only.
    """
    if len(data) > ZIP_MAX_BYTES:
        raise PublishRefused(
            [_("The zip is larger than %(mb)d MB.", mb=ZIP_MAX_BYTES // (1024 * 1024))]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise PublishRefused([_("This is not a zip file.")]) from None
    if len(entries) > ZIP_MAX_FILES:
        raise PublishRefused([_("The zip holds more than %(n)d files.", n=ZIP_MAX_FILES)])
    wanted = []
    for entry in entries:
        path = PurePosixPath(entry.filename)
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if (
            path.is_absolute()
            or ".." in path.parts
            or len(path.parts) > 2
            or path.suffix != ".yaml"
        ):
            raise PublishRefused(
                [_("%(name)s: only <course>/<file>.yaml files may be in the zip.", name=path)]
            )
        if entry.file_size > ZIP_MAX_FILE_BYTES:
            raise PublishRefused(
                [_("%(name)s: larger than %(kb)d KB.", name=path, kb=ZIP_MAX_FILE_BYTES // 1024)]
            )
        if entry.flag_bits & 0x1:
            raise PublishRefused([_("%(name)s: encrypted files cannot be imported.", name=path)])
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PublishRefused(
                [_("%(name)s: compressed in a way Qiao does not read; zip it again.", name=path)]
            )
        wanted.append((path, entry))
    if sum(entry.file_size for _path, entry in wanted) > ZIP_MAX_UNPACKED_BYTES:
        raise PublishRefused(
            [
                _(
                    "The course files add up to more than %(mb)d MB once unpacked.",
                    mb=ZIP_MAX_UNPACKED_BYTES // (1024 * 1024),
                )
            ]
        )
    files: dict[str, bytes] = {}
    for path, entry in wanted:
        try:
            files[str(path)] = archive.read(entry)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            # a bad checksum, a name that differs from the directory's, a damaged stream
            raise PublishRefused(
                [_("%(name)s: the file in the zip is damaged; zip the course again.", name=path)]
            ) from None
    if not files:
        raise PublishRefused([_("The zip holds no course files.")])
    return files


def import_zip(actor: User, data: bytes) -> tuple[list[Course], importer.Report]:
    """Import a zip of course folders (as `flask courses import`); pending drafts of those
    courses are replaced by what was imported."""
    _authorise(actor)
    files = _read_zip_entries(data)
    courses, report = _import(actor, files)
    for course in courses:
        course.draft = None
        audit.record(actor, "course.import", target=course, details={"summary": report.summary()})
    db.session.flush()
    return courses, report


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
        _authorise(actor)
    courses = db.session.scalars(select(Course).order_by(Course.title)).all()
    lessons = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.retired_at.is_(None))
            .group_by(Lesson.course_id)
        ).all()
    )
    words = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Item.id))
            .join(Item, Item.lesson_id == Lesson.id)
            .where(Item.kind == ItemKind.WORD, Item.retired_at.is_(None))
            .group_by(Lesson.course_id)
        ).all()
    )
    return [
        CourseRow(c, lessons.get(c.id, 0), words.get(c.id, 0), c.draft is not None) for c in courses
    ]


def companies() -> list[Company]:
    return list(db.session.scalars(select(Company).order_by(Company.name)))


# --------------------------------------------------------------------------- analytics


@dataclass(frozen=True)
class HardItem:
    hanzi: str
    pinyin: str
    ru: str
    lesson: str
    lapses: int
    cards: int


@dataclass(frozen=True)
class HardExercise:
    key: str
    kind: str
    lesson: str
    wrong: int
    total: int

    @property
    def percent_wrong(self) -> int:
        return round(100 * self.wrong / self.total) if self.total else 0


def analytics(
    actor: User, slug: str, lesson_slug: str | None = None, limit: int = 20
) -> tuple[list[HardItem], list[HardExercise]]:
    """The items learners lapse on most and the exercises they answer wrong most (aggregates)."""
    course = get_course(actor, slug)
    lesson_filter = [Lesson.course_id == course.id]
    if lesson_slug:
        lesson_filter.append(Lesson.slug == lesson_slug)
    lapses = func.sum(Card.lapses)
    items = db.session.execute(
        select(Item.hanzi, Item.pinyin, Item.ru, Lesson.title, lapses, func.count(Card.id))
        .join(Card, Card.item_id == Item.id)
        .join(Lesson, Lesson.id == Item.lesson_id)
        .where(*lesson_filter)
        .group_by(Item.id, Item.hanzi, Item.pinyin, Item.ru, Lesson.title)
        .having(lapses > 0)
        .order_by(lapses.desc(), Item.hanzi)
        .limit(limit)
    ).all()
    wrong = func.sum(case((Attempt.correct.is_(False), 1), else_=0))
    exercises = db.session.execute(
        select(ExerciseRow.key, ExerciseRow.kind, Lesson.title, wrong, func.count(Attempt.id))
        .join(Attempt, Attempt.exercise_id == ExerciseRow.id)
        .join(Lesson, Lesson.id == ExerciseRow.lesson_id)
        .where(*lesson_filter)
        .group_by(ExerciseRow.id, ExerciseRow.key, ExerciseRow.kind, Lesson.title)
        .having(wrong > 0)
        .order_by(wrong.desc(), ExerciseRow.key)
        .limit(limit)
    ).all()
    return (
        [HardItem(h, p, r, lt, int(n), int(c)) for h, p, r, lt, n, c in items],
        [HardExercise(k, kd, lt, int(w), int(t)) for k, kd, lt, w, t in exercises],
    )


@dataclass
class DraftPage:
    """A draft lesson in the shape of the learner's page (`app.learn.services.LessonPage`), so
    that the trainer previews it through the learner's own templates."""

    course: Course
    lesson: SimpleNamespace
    words: list[SimpleNamespace]
    dialogues: list[tuple[SimpleNamespace, list[SimpleNamespace]]]
    grammar: list[dict[str, Any]]
    #: {"exercise", "view", "number"}: the route adds the URLs that check without recording
    exercises: list[dict[str, Any]]
    glossary: dict[str, tuple[str, str]]
    audio_keys: dict[str, Any] = field(default_factory=dict)
    progress: None = None
    summary: None = None


def lesson_preview(course: Course, draft: dict[str, Any], lesson: dict[str, Any]) -> DraftPage:
    """A draft lesson as the learner's page will show it: words and dialogue lines with the
    pinyin a learner will see, grammar notes with their examples, tap-a-word glosses from the
    draft course's vocabulary, and every exercise rendered by its kind."""
    words, dialogues = item_views(lesson)

    def entry(view: ItemView) -> SimpleNamespace:
        e = view.entry
        return SimpleNamespace(
            hanzi=e["hanzi"],
            pinyin=view.pinyin,
            ru=e.get("ru", ""),
            notes=e.get("notes"),
            hsk=view.hsk,
            speaker=e.get("speaker", ""),
        )

    grammar = [
        {
            **note,
            "examples": [
                SimpleNamespace(
                    hanzi=ex["hanzi"],
                    pinyin=ex.get("pinyin") or pinyin_info(ex["hanzi"], sentence=True)["pinyin"],
                    ru=ex.get("ru", ""),
                )
                for ex in note.get("examples", [])
            ],
        }
        for note in lesson.get("grammar", [])
    ]
    glossary = {
        w["hanzi"]: (w.get("pinyin") or word_pinyin(w["hanzi"]), w.get("ru", ""))
        for other in draft.get("lessons", [])
        for w in other.get("vocabulary", [])
    }
    exercises = []
    for n, data in enumerate(lesson.get("exercises", []), start=1):
        exercises.append(
            {
                "exercise": PreviewExercise(n, data["kind"], data),
                "view": get_kind(data["kind"]).render(data, seed=n),
                "number": n,
            }
        )
    return DraftPage(
        course=course,
        lesson=SimpleNamespace(
            id=None,
            course_id=course.id,
            title=lesson.get("title", ""),
            goals=lesson.get("goals", []),
            body=lesson.get("body"),
        ),
        words=[entry(v) for v in words],
        dialogues=[
            (SimpleNamespace(title=d.get("title", "")), [entry(v) for v in lines])
            for d, lines in dialogues
        ],
        grammar=grammar,
        exercises=exercises,
        glossary=glossary,
    )


def check_preview_answer(lesson: dict[str, Any], number: int, answer: Any):
    """The verdict on an answer to draft exercise `number` (1-based); nothing is recorded."""
    exercises = lesson.get("exercises", [])
    if not 1 <= number <= len(exercises):
        raise NotFound()
    data = exercises[number - 1]
    return data, get_kind(data["kind"]).check(data, answer)


@dataclass(frozen=True)
class PreviewExercise:
    """Stands in for an Exercise row in the learner's exercise macro."""

    id: int
    kind: str
    data: dict[str, Any]


# --------------------------------------------------------------------------- grammar notes


def parse_examples(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, str, str]]]:
    """Grammar examples, one a line: `汉字 — перевод`, or `汉字 | pinyin — перевод` to keep a
    reading. Returns the examples and errors as (line number, code, text): `format` (no
    separator), `no_han` (no Chinese characters) or `pinyin` (the reading does not fit)."""
    examples: list[dict[str, Any]] = []
    errors: list[tuple[int, str, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = _SEPARATOR.split(line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            errors.append((number, "format", line))
            continue
        left, ru = parts[0].strip(), parts[1].strip()
        hanzi, _bar, pinyin = (s.strip() for s in left.partition("|"))
        if chinese.han_count(hanzi) == 0:
            errors.append((number, "no_han", hanzi))
            continue
        example: dict[str, Any] = {"hanzi": hanzi}
        if pinyin:
            try:
                check_pinyin(hanzi, pinyin)
            except ValueError as exc:
                errors.append((number, "pinyin", str(exc)))
                continue
            example["pinyin"] = pinyin
        example["ru"] = ru
        examples.append(example)
    return examples, errors


def examples_text(examples: list[dict[str, Any]]) -> str:
    """Examples as the editor shows them (the inverse of `parse_examples`)."""
    lines = []
    for ex in examples:
        left = f"{ex['hanzi']} | {ex['pinyin']}" if ex.get("pinyin") else ex["hanzi"]
        lines.append(f"{left} — {ex['ru']}")
    return "\n".join(lines)


def save_grammar(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    index: int | None,
    data: dict[str, Any],
) -> str:
    """Add a grammar note (`index` None) or replace note `index`; returns its title. English
    meanings of examples whose hanzi stay the same are kept (the editor does not show them)."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    notes = lesson.setdefault("grammar", [])
    if index is not None and not 0 <= index < len(notes):
        raise NotFound()
    old_en = {}
    if index is not None:
        old_en = {e["hanzi"]: e["en"] for e in notes[index].get("examples", []) if e.get("en")}
    examples = []
    for example in data.get("examples", []):
        example = dict(example)
        if example["hanzi"] in old_en:
            example["en"] = old_en[example["hanzi"]]
        examples.append(example)
    note = {
        "title": (data.get("title") or "").strip(),
        "body": clean_markdown(data.get("body")),
        "examples": examples,
    }
    if index is None:
        notes.append(note)
    else:
        notes[index] = note
    _check_lesson(lesson)
    action = "grammar.add" if index is None else "grammar.edit"
    _save(
        actor,
        course,
        draft,
        action,
        {"lesson": lesson_slug, "grammar": note["title"]},
        lesson_slug=lesson_slug,
    )
    return note["title"]


def remove_grammar(actor: User, slug: str, lesson_slug: str, version: int, index: int) -> None:
    """Remove grammar note `index` from the draft."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    notes = lesson.get("grammar", [])
    if not 0 <= index < len(notes):
        raise NotFound()
    removed = notes.pop(index)
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "grammar.remove",
        {"lesson": lesson_slug, "grammar": removed["title"]},
        lesson_slug=lesson_slug,
    )


# --------------------------------------------------------------------------- dialogues


def _dialogue(lesson: dict[str, Any], index: int) -> dict[str, Any]:
    dialogues = lesson.get("dialogues", [])
    if not 0 <= index < len(dialogues):
        raise NotFound()
    return dialogues[index]


def rename_dialogue(
    actor: User, slug: str, lesson_slug: str, version: int | None, index: int, title: str
) -> None:
    """Change the title of dialogue `index` (its key, and so its lines' identity, stays)."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    dialogue = _dialogue(lesson, index)
    old, dialogue["title"] = dialogue["title"], (title or "").strip()
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "dialogue.edit",
        {"lesson": lesson_slug, "dialogue": dialogue["key"], "from": old, "to": dialogue["title"]},
        lesson_slug=lesson_slug,
    )


class GlossRefused(Exception):
    """A gloss override for a word the dialogue does not contain."""


def set_gloss(
    actor: User,
    slug: str,
    lesson_slug: str,
    version: int | None,
    index: int,
    word: str,
    meaning: str,
) -> None:
    """Set (or, with an empty meaning, remove) the Russian gloss of `word` in dialogue `index`:
    learners see it when they tap the word, once the course is published."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    dialogue = _dialogue(lesson, index)
    word, meaning = (word or "").strip(), " ".join((meaning or "").split())
    if not any(word in line.get("hanzi", "") for line in dialogue.get("lines", [])):
        raise GlossRefused(word)
    glosses = dict(dialogue.get("glosses") or {})
    before = glosses.get(word)
    if meaning:
        glosses[word] = meaning
    else:
        glosses.pop(word, None)
    if glosses:
        dialogue["glosses"] = glosses
    else:
        dialogue.pop("glosses", None)
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "gloss.edit",
        {
            "lesson": lesson_slug,
            "dialogue": dialogue["key"],
            "word": word,
            "before": before,
            "after": meaning or None,
        },  # fmt: skip
        lesson_slug=lesson_slug,
    )


def add_line(
    actor: User, slug: str, lesson_slug: str, version: int | None, index: int, data: dict
) -> str:
    """Add one line (speaker, hanzi, meaning) at the end of dialogue `index`; returns its hanzi."""
    course, draft, lesson = _edit_lesson(actor, slug, lesson_slug, version)
    dialogue = _dialogue(lesson, index)
    entry = _item_entry(data, ItemKind.LINE)
    dialogue["lines"].append(entry)
    _check_lesson(lesson)
    _save(
        actor,
        course,
        draft,
        "items.add",
        {"lesson": lesson_slug, "dialogue": dialogue["key"], "items": [entry["hanzi"]]},
        lesson_slug=lesson_slug,
    )
    return entry["hanzi"]
