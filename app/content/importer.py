"""Import validated course files into the database, in one transaction, idempotently.

Rows are matched by their stable slugs and keys, so a second import changes nothing and ids stay.
What disappeared from the files is retired (`retired_at`), never deleted, so that learners'
cards, attempts and progress keep their history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app import chinese
from app.content import validate
from app.content.schema import LessonFile
from app.extensions import db
from app.models import (
    Company,
    Course,
    CourseCompany,
    Dialogue,
    Exercise,
    Item,
    ItemKind,
    Lesson,
    utcnow,
)


class ImportRefused(Exception):
    """Nothing was imported; `issues` says why (file:line: message)."""

    def __init__(self, issues: list[validate.Issue]):
        super().__init__(f"{len(issues)} error(s)")
        self.issues = issues


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    retired: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def fmt(counter: Counter) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        return (
            f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; "
            f"retired: {fmt(self.retired)}"
        )


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set only the attributes whose value differs; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def same_reading(a: str, b: str) -> bool:
    """True when two pinyin strings read the same syllables and tones (spacing, case aside)."""
    try:
        return [s.lower() for s in chinese.split_pinyin(a)] == [
            s.lower() for s in chinese.split_pinyin(b)
        ]
    except ValueError:
        return False


class _Importer:
    def __init__(self, report: Report):
        self.report = report
        self.now = utcnow()

    def _upsert(self, model, existing: dict, key, values: dict[str, Any], kind: str):
        row = existing.pop(key, None)
        if row is None:
            row = model(**values)
            db.session.add(row)
            self.report.created[kind] += 1
        elif _assign(row, {**values, "retired_at": None}):
            self.report.updated[kind] += 1
        return row

    def _retire(self, rows, kind: str) -> None:
        for row in rows:
            if row.retired_at is None:
                row.retired_at = self.now
                self.report.retired[kind] += 1

    def _pinyin(self, where: str, hanzi: str, given: str | None, kind: str) -> tuple[str, bool]:
        if kind == ItemKind.WORD:  # a dictionary entry, not a sentence: no capital letter
            generated = " ".join(w.pinyin for w in chinese.annotate(hanzi) if w.is_han)
        else:
            generated = chinese.pinyin_text(hanzi)
        if not given:
            return generated, False
        if not same_reading(given, generated):
            self.report.notes.append(
                f"{where}: {hanzi}: the file's pinyin '{given}' is kept; "
                f"the engine reads '{generated}'"
            )
        return given, True

    def course(self, source: validate.CourseSource, companies: dict[str, Company]) -> Course:
        spec = source.course
        course = db.session.scalar(select(Course).where(Course.slug == spec.slug))
        values = {
            "slug": spec.slug,
            "title": spec.title,
            "title_en": spec.title_en,
            "description": spec.description,
            "kind": spec.kind,
            "level": spec.level,
            "audience": spec.audience,
            "visible_to_all": spec.visibility == "all",
            "pass_threshold": spec.pass_threshold,
            "published": True,
        }
        if course is None:
            course = Course(**values, published_at=self.now)
            db.session.add(course)
            db.session.flush()
            self.report.created["courses"] += 1
        elif _assign(course, {**values, "retired_at": None}):
            self.report.updated["courses"] += 1
        wanted = set() if spec.visibility == "all" else {companies[s].id for s in spec.visibility}
        have = {link.company_id for link in course.company_links}
        if wanted != have:
            course.company_links = [
                link for link in course.company_links if link.company_id in wanted
            ] + [CourseCompany(company_id=cid) for cid in sorted(wanted - have)]
            self.report.updated["course visibility"] += 1

        lessons = {
            lesson.slug: lesson
            for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))
        }
        for position, lesson_source in enumerate(source.lessons):
            self.lesson(course, lessons, position, lesson_source)
        self._retire(lessons.values(), "lessons")
        return course

    def lesson(self, course: Course, lessons: dict, position: int, source) -> None:
        spec: LessonFile = source.lesson
        where = str(source.path)
        is_new = spec.slug not in lessons
        lesson = self._upsert(
            Lesson,
            lessons,
            spec.slug,
            {
                "course_id": course.id,
                "slug": spec.slug,
                "position": position,
                "title": spec.title,
                "title_en": spec.title_en,
                "review": spec.review,
                "goals": list(spec.goals),
                "body": spec.body,
                "published": True,
            },
            "lessons",
        )
        db.session.flush()
        items = {
            i.key: i for i in db.session.scalars(select(Item).where(Item.lesson_id == lesson.id))
        }
        dialogues = {
            d.key: d
            for d in db.session.scalars(select(Dialogue).where(Dialogue.lesson_id == lesson.id))
        }
        exercises = {
            e.key: e
            for e in db.session.scalars(select(Exercise).where(Exercise.lesson_id == lesson.id))
        }
        position = 0

        def item(key: str, kind: str, spec_item, **extra) -> Item:
            nonlocal position
            pinyin, locked = self._pinyin(where, spec_item.hanzi, spec_item.pinyin, kind)
            values = {
                "lesson_id": lesson.id,
                "key": key,
                "kind": kind,
                "position": position,
                "hanzi": spec_item.hanzi,
                "pinyin": pinyin,
                "pinyin_locked": locked,
                "ru": spec_item.ru,
                "en": spec_item.en,
                **extra,
            }
            position += 1
            return self._upsert(Item, items, key, values, "items")

        for word in spec.vocabulary:
            item(
                word.key or word.hanzi,
                ItemKind.WORD,
                word,
                pos=word.pos,
                notes=word.notes,
                hsk=word.hsk if word.hsk is not None else chinese.hsk_level(word.hanzi),
                passive=word.passive,
                dialogue_id=None,
                speaker=None,
            )
        for d_position, dialogue_spec in enumerate(spec.dialogues):
            dialogue = self._upsert(
                Dialogue,
                dialogues,
                dialogue_spec.key,
                {
                    "lesson_id": lesson.id,
                    "key": dialogue_spec.key,
                    "title": dialogue_spec.title,
                    "position": d_position,
                    "glosses": dict(dialogue_spec.glosses),
                },
                "dialogues",
            )
            db.session.flush()
            for n, line in enumerate(dialogue_spec.lines, start=1):
                item(
                    f"{dialogue_spec.key}:{n}",
                    ItemKind.LINE,
                    line,
                    speaker=line.speaker,
                    dialogue_id=dialogue.id,
                    pos=None,
                    notes=None,
                    hsk=None,
                )
        grammar = []
        for note in spec.grammar:
            keys = []
            for example in note.examples:
                key = f"example:{example.hanzi}"
                if key not in keys:
                    item(
                        key,
                        ItemKind.EXAMPLE,
                        example,
                        dialogue_id=None,
                        speaker=None,
                        pos=None,
                        notes=None,
                        hsk=None,
                    )
                    keys.append(key)
            grammar.append({"title": note.title, "body": note.body, "examples": keys})
        if _assign(lesson, {"grammar": grammar}) and not is_new:
            self.report.updated["lessons"] += 1
        for e_position, exercise in enumerate(spec.exercises):
            self._upsert(
                Exercise,
                exercises,
                exercise.key,
                {
                    "lesson_id": lesson.id,
                    "key": exercise.key,
                    "kind": exercise.kind,
                    "position": e_position,
                    "data": exercise.model_dump(
                        mode="json", exclude={"key", "kind"}, exclude_none=True
                    ),
                },
                "exercises",
            )
        self._retire(items.values(), "items")
        self._retire(dialogues.values(), "dialogues")
        self._retire(exercises.values(), "exercises")


def _company_issues(result: validate.Result, companies: dict[str, Company]) -> list[validate.Issue]:
    issues = []
    for source in result.courses:
        if source.course.visibility == "all":
            continue
        for i, slug in enumerate(source.course.visibility):
            if slug not in companies:
                issues.append(
                    validate.Issue(
                        source.path,
                        source.doc.line(("visibility", i)),
                        f"visibility[{i}]",
                        f"no company '{slug}'",
                    )
                )
    return issues


def import_courses(result: validate.Result) -> Report:
    """Create or update the validated courses; raise ImportRefused (nothing written) on errors.

    The caller commits (or rolls back) once.
    """
    if result.errors:
        raise ImportRefused(result.errors)
    companies = {c.slug: c for c in db.session.scalars(select(Company))}
    if issues := _company_issues(result, companies):
        raise ImportRefused(issues)
    report = Report()
    importer = _Importer(report)
    for source in result.courses:
        importer.course(source, companies)
    db.session.flush()
    return report
