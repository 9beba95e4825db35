"""`flask backup create|restore`: the database and the audio and upload folders in one archive."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app

from app.extensions import db


def _folders() -> dict[str, Path]:
    from app.uploads.services import uploads_dir

    # AUDIO_DIR is absolute once create_app has checked the settings
    audio = Path(current_app.config["AUDIO_DIR"])
    return {"audio": audio, "uploads": uploads_dir(current_app.instance_path)}


def register(app: Flask) -> None:
    @app.cli.group("backup")
    def backup_group() -> None:
        """Back up and restore the database, audio and uploads."""

    @backup_group.command("create")
    @click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="archive to write (default: instance/backups/qiao-<time>.tar.gz)",
    )
    def create_command(output: Path | None) -> None:
        """Write one archive with the database and the audio and upload folders."""
        from app.ops import backup

        if output is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            output = Path(current_app.instance_path) / "backups" / f"qiao-{stamp}.tar.gz"
        db.session.remove()
        try:
            summary = backup.create(db.engine.url.render_as_string(False), _folders(), output)
        except (backup.BackupError, OSError) as error:
            raise click.ClickException(str(error)) from error
        files = ", ".join(f"{name} {count}" for name, count in summary.files.items())
        click.echo(f"wrote {summary.path} ({summary.dialect} database; files: {files})")

    @backup_group.command("restore")
    @click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="confirm that the current data is replaced")
    def restore_command(archive: Path, yes: bool) -> None:
        """Replace the database and the audio and upload folders with ARCHIVE's."""
        from app.ops import backup

        if not yes:
            raise click.ClickException(
                "restore replaces the database and the files; run again with --yes to go on"
            )

        def dispose() -> None:
            db.session.remove()
            db.engine.dispose()

        try:
            summary = backup.restore(
                db.engine.url.render_as_string(False), _folders(), archive, dispose
            )
        except (backup.BackupError, OSError) as error:
            raise click.ClickException(str(error)) from error
        files = ", ".join(f"{name} {count}" for name, count in summary.files.items())
        click.echo(f"restored {archive} ({summary.dialect} database; files: {files})")
