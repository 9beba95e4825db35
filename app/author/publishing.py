"""The draft as course files: publishing it (through the course-file import, atomically),
exporting a course as a zip and importing zips of course folders."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.author.drafts import authorise, draft_of, get_course
from app.content import exporter, importer, validate
from app.extensions import db
from app.models import Course, User, utcnow

#: a zip upload larger than this is refused before it is opened
ZIP_MAX_BYTES = 8 * 1024 * 1024
ZIP_MAX_FILES = 300
ZIP_MAX_FILE_BYTES = 512 * 1024
#: all course files of a zip together, decompressed (the largest course today is ~260 KB)
ZIP_MAX_UNPACKED_BYTES = 4 * 1024 * 1024


class PublishRefused(Exception):
    """Nothing was published or imported; `issues` are `file:line: message` lines."""

    def __init__(self, issues: list[str]):
        super().__init__(f"{len(issues)} error(s)")
        self.issues = issues


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


def _check_zip_entry(path: PurePosixPath, entry: zipfile.ZipInfo) -> None:
    """Refuse an entry that is not `<course>/<file>.yaml`, too large, encrypted or compressed
    in a way we do not read; nothing is decompressed."""
    if path.is_absolute() or ".." in path.parts or len(path.parts) > 2 or path.suffix != ".yaml":
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
        _check_zip_entry(path, entry)
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
    authorise(actor)
    files = _read_zip_entries(data)
    courses, report = _import(actor, files)
    for course in courses:
        course.draft = None
        audit.record(actor, "course.import", target=course, details={"summary": report.summary()})
    db.session.flush()
    return courses, report
