"""`flask` commands. They call the same services as the web pages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app

from app.extensions import db


def _demo_password() -> str:
    """QIAO_DEMO_PASSWORD, or a random one generated once and kept in instance/demo_password."""
    if password := os.environ.get("QIAO_DEMO_PASSWORD"):
        return password
    path = Path(current_app.instance_path) / "demo_password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(12))
        click.echo(f"QIAO_DEMO_PASSWORD is not set: generated a password, kept in {path}", err=True)
    return path.read_text().strip()


def register(app: Flask) -> None:
    register_courses(app)

    @app.cli.command("pinyin")
    @click.argument("text")
    def pinyin_command(text: str) -> None:
        """Show the engine's reading of TEXT: words, pinyin, tone sandhi, Palladius, polyphones."""
        from app.chinese import describe

        click.echo(describe(text))

    from app.hr.training.cli import register as register_hr

    register_hr(app)
    from app.audio.cli import register as register_audio

    register_audio(app)
    from app.review.cli import register as register_review
    from app.review.cli import register_srs

    register_review(app)
    register_srs(app)
    from app.ops.cli import register as register_backup

    register_backup(app)
    from app.directory.cli import register as register_directory

    register_directory(app)
    from app.jobs.cli import register as register_jobs

    register_jobs(app)

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create the demo companies, departments and one user per role (idempotent)."""
        from app.demo import seed_demo, seed_review_cards

        password = _demo_password()
        accounts = seed_demo(password)
        db.session.flush()
        skipped = seed_review_cards()
        db.session.commit()
        if skipped:
            click.echo(skipped, err=True)
        for account, company in accounts:
            click.echo(f"{account.role}\t{company.name}\t{account.email}")


def register_courses(app: Flask) -> None:
    from pathlib import Path as _Path

    courses = click.Group("courses", help="Course files: validate, import, export, report.")
    app.cli.add_command(courses)

    @courses.command("validate")
    @click.argument("path", type=click.Path(path_type=_Path), default="courses")
    def validate_command(path: _Path) -> None:
        """Check course files without importing; print file:line: field: message per error."""
        from app.content.validate import validate_tree

        result = validate_tree(path)
        for issue in result.errors:
            click.echo(str(issue), err=True)
        if not result.ok:
            raise click.ClickException(f"{len(result.errors)} error(s); nothing was changed")
        lessons = sum(len(c.lessons) for c in result.courses)
        click.echo(f"OK: {len(result.courses)} course(s), {lessons} lesson(s)")

    @courses.command("import")
    @click.argument("path", type=click.Path(path_type=_Path), default="courses")
    def import_command(path: _Path) -> None:
        """Validate, then create or update the courses under PATH in one transaction."""
        from app.content.importer import ImportRefused, import_courses
        from app.content.validate import validate_tree

        try:
            report = import_courses(validate_tree(path))
        except ImportRefused as exc:
            db.session.rollback()
            for issue in exc.issues:
                click.echo(str(issue), err=True)
            raise click.ClickException(
                f"{len(exc.issues)} error(s); nothing was imported"
            ) from None
        db.session.commit()
        for note in report.notes:
            click.echo(f"note: {note}")
        click.echo(report.summary())

    @courses.command("export")
    @click.argument("slug")
    @click.option(
        "--out",
        type=click.Path(path_type=_Path),
        default=None,
        help="Folder to write to (default: courses/SLUG).",
    )
    def export_command(slug: str, out: _Path | None) -> None:
        """Write a course from the database back to its course files."""
        from app.content.exporter import export_course

        try:
            written = export_course(slug, out or _Path("courses") / slug)
        except KeyError:
            raise click.ClickException(f"no course with the slug '{slug}'") from None
        click.echo(f"wrote {len(written)} file(s) to {written[0].parent}")

    @courses.command("report")
    @click.argument("path", type=click.Path(path_type=_Path), default="courses")
    @click.option("--files-only", is_flag=True, help="Only the course files, not the database.")
    def report_command(path: _Path, files_only: bool) -> None:
        """Imported courses' words by HSK level; then, from the files under PATH, the path's
        coverage, review units, packs and every word or construction used before it is taught."""
        if not files_only:
            _echo_imported_levels()
        if (path / "grammar.yaml").exists():
            from app.content import path_report

            click.echo(f"\nCourse files under {path}:")
            for line in path_report.lines(path_report.build(path)):
                click.echo(line)


def _echo_imported_levels() -> None:
    from sqlalchemy import inspect

    from app.content.report import hsk_report

    if not inspect(db.engine).has_table("courses"):
        click.echo("The database has no tables yet (flask db upgrade): course files only.")
        return
    for report in hsk_report():
        total = sum(report.by_level.values())
        click.echo(
            f"{report.course.title} ({report.course.slug}, {report.course.level}): {total} words"
        )
        for level in sorted(report.by_level, key=lambda lv: (lv is None, lv or 0)):
            name = f"HSK {level}" if level else "not in HSK lists"
            click.echo(f"  {name:>17}: {report.by_level[level]}")
        if report.outside:
            words = ", ".join(
                f"{h} ({'HSK ' + str(lv) if lv else '—'}, {lesson})"
                for h, lv, lesson in report.outside
            )
            click.echo(f"  outside the level: {words}")
