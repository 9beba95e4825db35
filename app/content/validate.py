"""Validation of course folders: every error of a run at once, each as `file:line: field: message`.

Pure: reads files, imports nothing from Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.content import markdown, yamlfile
from app.content.schema import CourseFile, LessonFile
from app.exercises import get_kind

COURSE_FILE = "course.yaml"

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "string_too_short": "must not be empty",
    "literal_error": None,  # pydantic's own message lists the allowed values
    "string_pattern_mismatch": "use lowercase latin letters, digits and hyphens",
}


@dataclass(frozen=True, order=True)
class Issue:
    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class LessonSource:
    path: Path
    doc: yamlfile.Document
    lesson: LessonFile


@dataclass
class CourseSource:
    folder: Path
    path: Path
    doc: yamlfile.Document
    course: CourseFile
    lessons: list[LessonSource] = field(default_factory=list)


@dataclass
class Result:
    courses: list[CourseSource] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _field_path(data: Any, loc: tuple) -> tuple[tuple, str]:
    """Map a pydantic error location onto the document (skipping union tags) and name it."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and part == node.get("kind"):
            continue  # the tag of a discriminated union: not a field of the file
        else:
            path.append(part)  # a missing or unknown field
            node = None
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return tuple(path), name


def _schema_issues(path: Path, doc: yamlfile.Document, error: ValidationError) -> list[Issue]:
    issues = []
    for err in error.errors(include_url=False):
        doc_path, name = _field_path(doc.data, err["loc"])
        message = _MESSAGES.get(err["type"]) or err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        # a missing field is reported at its parent, an unknown one at its own key
        line = doc.line(doc_path) if err["type"] != "missing" else doc.line(doc_path[:-1])
        issues.append(Issue(path, line, name, message))
    return issues


def _load(path: Path, model):
    """Parse and validate one file: (document, model) or ([issues])."""
    try:
        doc = yamlfile.load(path)
    except yamlfile.FileError as exc:
        return None, None, [Issue(path, exc.line, "", exc.message)]
    except OSError as exc:
        return None, None, [Issue(path, 1, "", f"cannot read the file: {exc.strerror}")]
    if not isinstance(doc.data, dict):
        return doc, None, [Issue(path, 1, "", "the file must be a mapping of fields")]
    try:
        return doc, model.model_validate(doc.data), []
    except ValidationError as exc:
        return doc, None, _schema_issues(path, doc, exc)


load_file = _load


def _markdown_fields(lesson: LessonFile) -> list[tuple[tuple, str]]:
    fields: list[tuple[tuple, str]] = [(("body",), lesson.body)]
    for i, note in enumerate(lesson.grammar):
        fields.append((("grammar", i, "body"), note.body))
    for i, exercise in enumerate(lesson.exercises):
        for name in get_kind(exercise.kind).markdown_fields:
            if value := getattr(exercise, name, None):
                fields.append((("exercises", i, name), value))
    return fields


def _raw_html(path: Path, doc: yamlfile.Document, fields) -> list[Issue]:
    issues = []
    for doc_path, text in fields:
        for offset in markdown.raw_html_lines(text):
            name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in doc_path)
            name = name.replace(".[", "[")
            issues.append(
                Issue(
                    path,
                    doc.line(doc_path) + offset,
                    name,
                    "raw HTML is not allowed in Markdown (it would be stripped)",
                )
            )
    return issues


def _slug_named_by(path: Path, doc, slug: str, name: str, what: str) -> list[Issue]:
    """A course's slug is its folder's name, a lesson's its file's: the issue when it is not."""
    if slug == name:
        return []
    return [Issue(path, doc.line(("slug",)), "slug", f"must equal the {what} '{name}'")]


def _duplicates(path: Path, doc, values: list[tuple[tuple, str]], what: str) -> list[Issue]:
    seen: dict[str, tuple] = {}
    issues = []
    for doc_path, value in values:
        if value in seen:
            issues.append(
                Issue(
                    path,
                    doc.line(doc_path),
                    what,
                    f"duplicate '{value}' (first at line {doc.line(seen[value])})",
                )
            )
        else:
            seen[value] = doc_path
    return issues


def _lesson_duplicates(source: LessonSource) -> list[Issue]:
    lesson, doc, path = source.lesson, source.doc, source.path
    items = [
        (("vocabulary", i, "key" if v.key else "hanzi"), v.key or v.hanzi)
        for i, v in enumerate(lesson.vocabulary)
    ]
    dialogues = [(("dialogues", i, "key"), d.key) for i, d in enumerate(lesson.dialogues)]
    exercises = [(("exercises", i, "key"), e.key) for i, e in enumerate(lesson.exercises)]
    # an example sentence is one item of the lesson: two notes cannot each give it their own
    # translation (the same sentence twice within one note is harmless and kept once)
    examples = []
    for n, note in enumerate(lesson.grammar):
        in_note: set[str] = set()
        for i, example in enumerate(note.examples):
            if example.hanzi not in in_note:
                in_note.add(example.hanzi)
                examples.append((("grammar", n, "examples", i, "hanzi"), example.hanzi))
    return (
        _duplicates(path, doc, items, "vocabulary")
        + _duplicates(path, doc, dialogues, "dialogues.key")
        + _duplicates(path, doc, exercises, "exercises.key")
        + _duplicates(path, doc, examples, "grammar.examples")
    )


def validate_course(folder: Path) -> tuple[CourseSource | None, list[Issue]]:
    course_path = folder / COURSE_FILE
    doc, course, issues = _load(course_path, CourseFile)
    if course is None:
        # still check the lessons, so that one run reports every error
        listed = doc.data.get("lessons") if doc is not None and isinstance(doc.data, dict) else None
        names = (
            [f"{s}.yaml" for s in listed if isinstance(s, str)]
            if isinstance(listed, list)
            else [p.name for p in sorted(folder.glob("*.yaml")) if p.name != COURSE_FILE]
        )
        for name in names:
            if (folder / name).exists():
                issues += _load(folder / name, LessonFile)[2]
        return None, issues
    source = CourseSource(folder, course_path, doc, course)
    issues += _slug_named_by(course_path, doc, course.slug, folder.name, "folder name")
    issues += _duplicates(
        course_path, doc, [(("lessons", i), s) for i, s in enumerate(course.lessons)], "lessons"
    )
    issues += _raw_html(course_path, doc, [(("description",), course.description)])
    listed = set(course.lessons)
    for i, slug in enumerate(course.lessons):
        lesson_path = folder / f"{slug}.yaml"
        if not lesson_path.exists():
            issues.append(
                Issue(
                    course_path,
                    doc.line(("lessons", i)),
                    f"lessons[{i}]",
                    f"no lesson file {lesson_path.name} in {folder}",
                )
            )
    for lesson_path in sorted(folder.glob("*.yaml")):
        if lesson_path.name == COURSE_FILE:
            continue
        if lesson_path.stem not in listed:
            issues.append(Issue(lesson_path, 1, "", "lesson file is not listed in course.yaml"))
            continue
        lesson_doc, lesson, lesson_issues = _load(lesson_path, LessonFile)
        issues += lesson_issues
        if lesson is None:
            continue
        issues += _slug_named_by(
            lesson_path, lesson_doc, lesson.slug, lesson_path.stem, "file name"
        )
        lesson_source = LessonSource(lesson_path, lesson_doc, lesson)
        issues += _lesson_duplicates(lesson_source)
        issues += _raw_html(lesson_path, lesson_doc, _markdown_fields(lesson))
        source.lessons.append(lesson_source)
    # in the course's order, by file (a slug that differs from its file name is reported above)
    order = {slug: i for i, slug in enumerate(course.lessons)}
    source.lessons.sort(key=lambda s: order[s.path.stem])
    return source, issues


def course_folders(root: Path) -> list[Path]:
    """`root` itself when it is a course folder, else its sub-folders that hold a course.yaml."""
    if (root / COURSE_FILE).exists():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / COURSE_FILE).exists())


def validate_tree(root: Path) -> Result:
    """Validate every course under `root` (a course folder or a folder of course folders)."""
    result = Result()
    if not root.is_dir():
        result.errors.append(Issue(root, 1, "", "not a folder"))
        return result
    folders = course_folders(root)
    if not folders:
        result.errors.append(Issue(root, 1, "", f"no {COURSE_FILE} found here or one level below"))
    for folder in folders:
        source, issues = validate_course(folder)
        result.errors += issues
        if source is not None:
            result.courses.append(source)
    result.errors.sort()
    return result
