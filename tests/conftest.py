"""Fixtures: the app on a migrated test database, a client, and users of every role.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
TEST_DATABASE_URL. The schema is built once per run by the Alembic migrations (so they are
tested too) and every test starts from empty tables.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import text

from app.models import (
    Certificate,
    Company,
    Course,
    Department,
    Exercise,
    Item,
    Lesson,
    Role,
    User,
)
from tests import factories
from tests.factories import EXERCISES
from tests.helpers import PASSWORD, csrf_token, sign_in  # noqa: F401 — older imports from here
from tests.mailbox import mailbox  # noqa: F401 — the SMTP fixture, for every test module


def pytest_configure(config):
    """Compile the translation catalogues before any test runs, so that plain `pytest` on a
    fresh clone speaks Russian everywhere: app-less tests, the wheel build and browser servers."""
    from app.i18n import ensure_compiled

    translations = Path(__file__).resolve().parents[1] / "app" / "translations"
    ensure_compiled(translations, Path(tempfile.gettempdir()) / "qiao-test-translations")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With QIAO_NO_SKIP=1 (CI) a skipped test is a failed test: nothing may silently skip."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("QIAO_NO_SKIP") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where everything must run: {reason}"


def pytest_collection_modifyitems(config, items):
    """postgres_only tests (tests/system) belong to the PostgreSQL pass, sqlite_pass tests (the
    walk over every page, which does not depend on the database) to the SQLite pass; each is
    deselected in the other pass, so that CI runs each once."""
    postgres = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
    other_pass = "sqlite_pass" if postgres else "postgres_only"
    kept = [item for item in items if item.get_closest_marker(other_pass) is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if worker else url


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker empties its tables after every test, so each gets a
    database of its own beside the one named (created here, dropped by `.ci/run` afterwards)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    os.environ["QIAO_INSTANCE"] = str(instance)
    from app import create_app
    from app.accounts import credentials as auth_services
    from app.extensions import db

    # Fast hashes: the tests sign in hundreds of times; production keeps argon2's defaults.
    auth_services._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth_services._DUMMY_HASH = auth_services._hasher.hash("dummy")

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DIRECTORY_SECRET_KEY": "GgTpRlqBqxsV-ZcT8g3L5U1zqGhU0Rg7aDFcya6Aa6s=",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "RATELIMIT_STORAGE_URI": "memory://",
            "JOBS_BACKEND": "sync",
            "JOBS_BACKOFF_SECONDS": 0,
            "AUDIO_DIR": str(instance / "audio"),
            "SERVER_NAME": None,
        }
    )
    # A test that holds an app context shares `g` with the requests it makes; start each
    # request with an empty `g` (signed-in user, CSRF token, locale), as a real server would.
    request_started.connect(lambda sender, **extra: g.__dict__.clear(), app, weak=False)
    with app.app_context():
        from flask_migrate import upgrade

        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    yield app


@pytest.fixture(autouse=True)
def _clean_database(request) -> Iterator[None]:
    """Empty every table after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    from app.extensions import db, limiter

    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(t.name for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())
        limiter.reset()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def audio_dir(app: Flask, tmp_path, monkeypatch) -> Path:
    """An empty AUDIO_DIR of the test's own (the session's folder is shared)."""
    folder = tmp_path / "audio"
    monkeypatch.setitem(app.config, "AUDIO_DIR", str(folder))
    return folder


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@dataclass
class Content:
    """A public course of two lessons with one exercise of each kind, and a course that only
    company B may see (with a certificate of B's learner)."""

    course: Course
    lesson: Lesson
    lesson2: Lesson
    exercises: dict[str, Exercise]
    private_course: Course
    private_lesson: Lesson
    certificate_b: Certificate


def make_content(b: Company, learner_b: User) -> Content:
    from app.extensions import db

    course = factories.make_course(level="HSK 1")
    lesson = factories.make_lesson(course)
    lesson2 = factories.make_lesson(course, "two", "Урок 2", position=1)
    for i, (hanzi, pinyin, ru) in enumerate(
        [
            ("你好", "nǐ hǎo", "здравствуйте"),
            ("谢谢", "xièxie", "спасибо"),
            ("银行", "yínháng", "банк"),
        ]
    ):
        factories.make_item(lesson, hanzi, pinyin, ru, position=i, pos="phrase")
    exercises = {
        kind: factories.make_exercise(lesson, kind, data, position=i)
        for i, (kind, data) in enumerate(EXERCISES.items())
    }
    private_course = factories.make_course("private", "Закрытый", companies=(b,))
    private_lesson = factories.make_lesson(private_course, "p", "Закрытый урок", goals=["Ц"])
    certificate_b = Certificate(
        code="ABCD-EFGH-JKLM",
        user_id=learner_b.id,
        course_id=private_course.id,
        learner_name=learner_b.full_name,
        course_title=private_course.title,
    )
    db.session.add(certificate_b)
    db.session.commit()
    return Content(
        course, lesson, lesson2, exercises, private_course, private_lesson, certificate_b
    )


@pytest.fixture
def make_company(app_ctx) -> Callable[..., Company]:
    return factories.make_company


@pytest.fixture
def make_department(app_ctx) -> Callable[..., Department]:
    return factories.make_department


@pytest.fixture
def make_course(app_ctx) -> Callable[..., Course]:
    return factories.make_course


@pytest.fixture
def make_lesson(app_ctx) -> Callable[..., Lesson]:
    return factories.make_lesson


@pytest.fixture
def make_item(app_ctx) -> Callable[..., Item]:
    return factories.make_item


@pytest.fixture
def make_exercise(app_ctx) -> Callable[..., Exercise]:
    return factories.make_exercise


@pytest.fixture
def make_user(app_ctx) -> Callable[..., User]:
    from app.accounts import PersonFields, new_account
    from app.extensions import db

    def make(
        email: str,
        company: Company,
        roles: set[str] | None = None,
        department: Department | None = None,
        password: str = PASSWORD,
        full_name: str | None = None,
    ) -> User:
        user = new_account(
            PersonFields(email, full_name or email.split("@")[0].title()),
            company=company,
            roles=roles or {Role.LEARNER},
            department=department,
            password=password,
        )
        db.session.commit()
        return user

    return make


@dataclass
class People:
    """The zone (admin, trainer), company A (HR who also learns, a learner in Sales) and company
    B (a learner in Logistics): who most tests sign in as, with no content."""

    zone: Company
    a: Company
    b: Company
    a_sales: Department
    b_logistics: Department
    admin: User
    trainer: User
    hr_a: User
    learner_a: User
    learner_b: User


@pytest.fixture
def people(make_user) -> People:
    zone = factories.make_company("zone", "Администрация", kind="zone")
    a = factories.make_company("alpha", "Альфа")
    b = factories.make_company("beta", "Бета")
    a_sales = factories.make_department(a, "Продажи")
    b_logistics = factories.make_department(b, "Логистика")
    return People(
        zone=zone,
        a=a,
        b=b,
        a_sales=a_sales,
        b_logistics=b_logistics,
        admin=make_user("admin@zone.example", zone, {Role.ADMIN}),
        trainer=make_user("trainer@zone.example", zone, {Role.TRAINER}),
        hr_a=make_user("hr@alpha.example", a, {Role.HR, Role.LEARNER}),
        learner_a=make_user("learner@alpha.example", a, {Role.LEARNER}, a_sales),
        learner_b=make_user("learner@beta.example", b, {Role.LEARNER}, b_logistics),
    )


@pytest.fixture
def hr_b(people, make_user) -> User:
    """Company B's HR, for tests of what one company's HR may not do to the other."""
    return make_user("hr@beta.example", people.b, {Role.HR})


@dataclass
class SmallCourse:
    """A published course of two lessons; the first has a word and a scenario exercise."""

    course: Course
    lesson: Lesson
    lesson2: Lesson
    scenario: Exercise


@pytest.fixture
def small_course(app_ctx) -> SmallCourse:
    course = factories.make_course(level="HSK 1")
    lesson = factories.make_lesson(course)
    lesson2 = factories.make_lesson(course, "two", "Урок 2", position=1)
    factories.make_item(lesson, "你好", "nǐ hǎo", "здравствуйте", pos="phrase")
    scenario = factories.make_exercise(lesson, "scenario", EXERCISES["scenario"])
    return SmallCourse(course, lesson, lesson2, scenario)


@pytest.fixture
def content(people) -> Content:
    """Content for the people: a lesson with an exercise of each kind, a second lesson, and
    the course only company B sees (with its learner's certificate)."""
    return make_content(people.b, people.learner_b)
