"""Qiao installed the way an operator installs it: a wheel built from the checkout, run from
another folder, serves the Russian interface; a bare checkout compiles its own catalogue."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from babel.support import Translations

from app.i18n import ensure_compiled
from app.ops.readiness import migration_heads

ROOT = Path(__file__).resolve().parents[2]

SERVE_LOGIN = """
import json, app
from app import create_app
flask_app = create_app({"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
response = flask_app.test_client().get("/auth/login")
strokes = flask_app.test_client().get("/strokes/好.json")
print(json.dumps({"file": app.__file__, "status": response.status_code,
                  "body": response.get_data(as_text=True), "strokes": strokes.status_code}))
"""


def test_wheel_serves_russian_login_from_any_directory(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    wheel = next(wheels.glob("qiao-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/templates/base.html" in names
    assert "app/templates/errors/error.html" in names
    assert "app/learn/templates/learn/lesson.html" in names
    assert "app/static/css/qiao.css" in names
    assert "app/translations/ru/LC_MESSAGES/messages.mo" in names
    assert "app/migrations/env.py" in names and "app/migrations/alembic.ini" in names
    assert any(name.startswith("app/migrations/versions/") for name in names)
    # hanzi-writer and the stroke data that `make frontend` put into the package
    assert "app/static/vendor/hanzi-writer.min.js" in names
    assert "app/chinese/data/strokes.zip" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    instance = tmp_path / "instance"
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1",
           "QIAO_INSTANCE": str(instance)}  # fmt: skip
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SERVE_LOGIN], env=env, cwd=elsewhere,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    page = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(page["file"]).is_relative_to(site), "the checkout, not the wheel, was imported"
    assert page["status"] == 200
    assert page["strokes"] == 200, "the installed app serves its stroke data"
    assert "Вход в Цяо" in page["body"] and "Sign in" not in page["body"]
    assert not (instance / "translations").exists(), "the wheel's own .mo was not used"

    # the operator migrates with the wheel's own migrations, from any directory
    database = tmp_path / "qiao.db"
    migrated = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        env={**env, "DATABASE_URL": f"sqlite:///{database}"}, cwd=elsewhere,
        capture_output=True, text=True,
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"users", "courses", "cards", "review_logs"} <= tables
    assert version in migration_heads(str(ROOT / "app" / "migrations"))


def test_bare_checkout_compiles_its_catalogue(tmp_path):
    translations = tmp_path / "translations"
    source = ROOT / "app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
    target = translations / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(source, target / "messages.po")

    ensure_compiled(translations, tmp_path / "fallback")

    russian = Translations.load(str(translations), ["ru"])
    assert russian.gettext("Please sign in to open this page.") == (
        "Войдите, чтобы открыть эту страницу."
    )


def test_read_only_package_compiles_into_instance(tmp_path):
    translations = tmp_path / "translations"
    target = translations / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(ROOT / "app/translations/ru/LC_MESSAGES/messages.po", target / "messages.po")
    target.chmod(0o555)
    try:
        if os.access(target, os.W_OK):  # root ignores permission bits: make writing fail instead
            (target / "messages.mo").mkdir()
            os.utime(target / "messages.mo", (0, 0))
        ensure_compiled(translations, tmp_path / "fallback")
    finally:
        target.chmod(0o755)
    russian = Translations.load(str(tmp_path / "fallback"), ["ru"])
    assert russian.gettext("Bad request") == "Неверный запрос"
