"""`flask backup create` then `restore` gives back every row and every file (SQLite and,
with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.audio import audio_dir
from app.extensions import db
from app.uploads.services import uploads_dir


def _rows() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _wipe(app) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {table.name} CASCADE"))
            else:
                conn.execute(table.delete())


@pytest.mark.usefixtures("content", "hr_b")
def test_backup_and_restore_round_trip(app, runner, people, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIO_DIR", str(tmp_path / "audio"))  # not the shared one
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))  # uploads: nor here
    audio = Path(audio_dir())
    uploads = uploads_dir(app.instance_path)
    (audio / "ab").mkdir(parents=True, exist_ok=True)
    (audio / "ab" / "clip.mp3").write_bytes(b"ID3 clip bytes")
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "picture.png").write_bytes(b"\x89PNG picture")
    email = people.learner_a.email
    db.session.commit()
    rows, audio_files, upload_files = _rows(), _files(audio), _files(uploads)
    assert rows["users"] == 6 and rows["companies"] == 3

    archive = tmp_path / "qiao.tar.gz"
    created = runner.invoke(args=["backup", "create", "--output", str(archive)])
    assert created.exit_code == 0, created.output
    assert "audio 1" in created.output and "uploads 1" in created.output

    _wipe(app)
    for folder in (audio, uploads):
        for path in folder.rglob("*.*"):
            path.unlink()
    assert _rows()["users"] == 0

    refused = runner.invoke(args=["backup", "restore", str(archive)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    restored = runner.invoke(args=["backup", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output

    db.session.remove()
    assert _rows() == rows
    assert _files(audio) == audio_files and _files(uploads) == upload_files
    # the restored rows are the same people, and the app can sign one in
    from tests.helpers import sign_in

    assert sign_in(app.test_client(), email).status_code == 302


def test_restore_refuses_a_crafted_archive(app, runner, people, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"owned"
        info = tarfile.TarInfo("../../outside.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    users = _rows()["users"]
    result = runner.invoke(args=["backup", "restore", str(archive), "--yes"])
    assert result.exit_code != 0 and "unsafe entry" in result.output
    assert not (tmp_path.parent / "outside.txt").exists()
    assert _rows()["users"] == users

    not_an_archive = tmp_path / "notes.txt"
    not_an_archive.write_text("hello")
    result = runner.invoke(args=["backup", "restore", str(not_an_archive), "--yes"])
    assert result.exit_code != 0 and "not a Qiao backup archive" in result.output
