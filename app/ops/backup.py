"""Backups of everything Qiao keeps: the database and the folders of files (audio, uploads).

An archive is a gzipped tar with `manifest.json`, the database (`database.sqlite`, made with
SQLite's online backup API, or `database.pgdump`, PostgreSQL's custom format from `pg_dump`)
and `files/<folder>/…`. Restoring replaces the database and the folders with the archive's."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Summary:
    path: Path
    dialect: str
    files: dict[str, int]


def _pg_command(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment carrying it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _dump_database(url: str, target_dir: Path) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        source_path = parsed.database
        if not source_path or source_path == ":memory:":
            raise BackupError("an in-memory SQLite database cannot be backed up")
        name = "database.sqlite"
        source = sqlite3.connect(source_path)
        target = sqlite3.connect(target_dir / name)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return name
    if parsed.get_backend_name() == "postgresql":
        libpq_url, env = _pg_command(url)
        name = "database.pgdump"
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from our own settings
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target_dir / name),
             "--dbname", libpq_url],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
        return name
    raise BackupError(f"unsupported database: {parsed.get_backend_name()}")


def create(url: str, folders: dict[str, Path], output: Path) -> Summary:
    """Write an archive of the database at `url` and of `folders` (name → path) to `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        database = _dump_database(url, work_dir)
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_dir / database, arcname=database)
            for name, folder in folders.items():
                counts[name] = 0
                if not folder.is_dir():
                    continue
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        archive.add(path, arcname=f"files/{name}/{path.relative_to(folder)}")
                        counts[name] += 1
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "dialect": make_url(url).get_backend_name(),
                "database": database,
                "files": counts,
            }
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
        partial.replace(output)
    return Summary(output, manifest["dialect"], counts)


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Regular files with plain relative names only: no links, devices or `..`."""
    members = []
    for member in archive.getmembers():
        name = PurePosixPath(member.name)
        if member.isdir():
            continue
        if not member.isfile() or name.is_absolute() or ".." in name.parts:
            raise BackupError(f"the archive holds an unsafe entry: {member.name}")
        members.append(member)
    return members


def restore(url: str, folders: dict[str, Path], archive_path: Path, dispose) -> Summary:
    """Replace the database at `url` and the `folders` with the archive's.

    `dispose` closes the application's database connections first (SQLite copies into the live
    file; PostgreSQL drops and recreates every table)."""
    if not archive_path.is_file():
        raise BackupError(f"no such archive: {archive_path}")
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                members = _safe_members(archive)
                archive.extractall(work_dir, members=members, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"not a Qiao backup archive: {error}") from error
        try:
            manifest = json.loads((work_dir / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            raise BackupError("the archive has no readable manifest.json") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        dialect = make_url(url).get_backend_name()
        if manifest.get("dialect") != dialect:
            raise BackupError(
                f"the archive holds a {manifest.get('dialect')} database; this is {dialect}"
            )
        dispose()
        _restore_database(url, work_dir / manifest["database"])
        for name, folder in folders.items():
            source = work_dir / "files" / name
            if folder.exists():
                shutil.rmtree(folder)
            if source.is_dir():
                shutil.copytree(source, folder)
            else:
                folder.mkdir(parents=True, exist_ok=True)
    return Summary(archive_path, dialect, manifest.get("files", {}))


def _restore_database(url: str, dump: Path) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        source = sqlite3.connect(dump)
        target = sqlite3.connect(parsed.database)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    libpq_url, env = _pg_command(url)
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from our own settings
        [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
         "--dbname", libpq_url, str(dump)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
