"""HR reports at the scale of a large resident: 5,000 employees × 20 courses.

Usage: ``python bench/hr_dashboard.py [--database URL] [--employees N] [--courses N]`` from
the repository root (``--people`` is the old name of ``--employees``); ``--employees 50000``
makes about a million enrolments, generated lazily and written with COPY on PostgreSQL.
Without --database a temporary SQLite file is used; for PostgreSQL pass e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/qiao_hr_bench`` (an empty scratch database).

In one run it builds, with bulk inserts, two companies in the same database:

* the baseline: 50 employees × 2 courses (5 departments, 40 reviewed words each);
* the large one: N employees × M courses (20 departments, 40 reviewed words each),
  plus lesson progress, first attempts and study time in three of the courses, so that every
  report query has real work to do;

then measures, for each: the SQL statements and time of the dashboard and readiness services,
the whole ``GET /hr/`` page and one person's page as HR sees them (after a warm-up request,
the median of three), and the streamed CSV and XLSX completion exports.
Figures are printed with the ratio large / baseline: the query count must stay flat while
the data grows a thousandfold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = 40
LESSONS = 8
NOW = datetime.now(UTC)


@contextmanager
def count_statements(engine):
    from sqlalchemy import event

    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _writer(session):
    """`write(table, columns, rows)`: COPY on PostgreSQL, chunked INSERTs elsewhere; same rows."""
    from sqlalchemy import insert

    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection

        def write(table, columns, rows) -> None:
            names = ", ".join(columns)
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table.__tablename__} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

        return write

    def write(table, columns, rows) -> None:
        chunk = []
        for row in rows:
            chunk.append(dict(zip(columns, row, strict=True)))
            if len(chunk) == 20_000:
                session.execute(insert(table), chunk)
                chunk = []
        if chunk:
            session.execute(insert(table), chunk)

    return write


STATUSES = ("not_started", "in_progress", "completed")


class _Rows:
    """The large tables' rows as generators: a million enrolments never sit in a list."""

    def __init__(self, user_ids, course_ids, lesson_ids, exercise_ids, word_ids, slug):
        self.user_ids, self.course_ids, self.lesson_ids = user_ids, course_ids, lesson_ids
        self.exercise_ids, self.word_ids, self.slug = exercise_ids, word_ids, slug

    def enrollments(self):
        for n, user_id in enumerate(self.user_ids):
            for c, course_id in enumerate(self.course_ids):
                status = STATUSES[(n + c) % 3]
                completed = (
                    NOW - timedelta(days=(n * 7 + c) % 80) if status == "completed" else None
                )
                yield (user_id, course_id, status, NOW + timedelta(days=(n + c) % 60 - 20),
                       completed, NOW - timedelta(days=90))  # fmt: skip

    def progress(self):
        for n, user_id in enumerate(self.user_ids):
            for c in range(min(3, len(self.course_ids))):
                for i, lesson_id in enumerate(self.lesson_ids[c][: (n % LESSONS) + 1]):
                    yield (user_id, lesson_id, 60 + (n + i) % 40, "completed", NOW, NOW, NOW)

    def attempts(self):
        for n, user_id in enumerate(self.user_ids):
            for c in range(min(3, len(self.course_ids))):
                for i, exercise_id in enumerate(self.exercise_ids[c][: (n % LESSONS) + 1]):
                    yield (f"{self.slug}-{user_id}-{exercise_id}", user_id, exercise_id, '"x"',
                           (n + i) % 4 != 0, 1.0, NOW)  # fmt: skip

    def study_time(self):
        for n, user_id in enumerate(self.user_ids):
            for c in range(min(3, len(self.course_ids))):
                yield (user_id, self.course_ids[c], NOW.date(), 60 * (n % 90 + 1), NOW)

    def cards(self):
        for n, user_id in enumerate(self.user_ids):
            for w, word_id in enumerate(self.word_ids):
                yield (user_id, word_id, "recognition", 2, 1.0 + (n + w) % 60, 5.0,
                       NOW - timedelta(days=(n + 3 * w) % 45), NOW, 3, 0, False, False, False,
                       0, NOW)  # fmt: skip


def build_company(slug: str, people: int, courses: int, departments: int) -> tuple[int, int]:
    """Bulk-insert a company; return (company id, HR user id). Rows are generated lazily and
    written with COPY on PostgreSQL, so 50,000 people × 20 courses take minutes."""
    from sqlalchemy import insert, select

    from app.accounts import hash_password
    from app.extensions import db
    from app.models import (
        Attempt,
        Card,
        Company,
        Course,
        Department,
        Enrollment,
        Exercise,
        Item,
        Lesson,
        LessonProgress,
        StudyTime,
        User,
        UserRole,
    )

    write = _writer(db.session)
    company = Company(slug=slug, name=slug.title())
    db.session.add(company)
    db.session.flush()
    dept_ids = [
        db.session.execute(
            insert(Department).values(company_id=company.id, name=f"Отдел {i}", created_at=NOW)
            .returning(Department.id)
        ).scalar_one()
        for i in range(departments)
    ]  # fmt: skip
    course_ids, lesson_ids, exercise_ids = [], [], []
    for c in range(courses):
        course = Course(slug=f"{slug}-c{c}", title=f"Курс {c}", published=True)
        db.session.add(course)
        db.session.flush()
        course_ids.append(course.id)
        lessons = [Lesson(course_id=course.id, slug=f"l{i}", title=f"Урок {i}", position=i)
                   for i in range(LESSONS)]  # fmt: skip
        db.session.add_all(lessons)
        db.session.flush()
        lesson_ids.append([lesson.id for lesson in lessons])
        exercises = [Exercise(lesson_id=lesson.id, key="e1", kind="choice", data={})
                     for lesson in lessons]  # fmt: skip
        db.session.add_all(exercises)
        db.session.flush()
        exercise_ids.append([exercise.id for exercise in exercises])
    words = [Item(lesson_id=lesson_ids[0][i % LESSONS], key=f"w{i}", hanzi="字", hsk=i % 6 + 1)
             for i in range(WORDS)]  # fmt: skip
    db.session.add_all(words)
    db.session.flush()
    word_ids = [w.id for w in words]

    hr = User(email=f"hr@{slug}.bench", full_name="HR", company_id=company.id,
              password_hash=hash_password("bench-password"))  # fmt: skip
    db.session.add(hr)
    db.session.flush()
    db.session.execute(insert(UserRole), [{"user_id": hr.id, "role": "hr"}])
    write(User, ("email", "full_name", "company_id", "department_id", "position", "active",
                 "locale", "timezone", "desired_retention", "daily_new_limit", "review_writing",
                 "pinyin_mode", "show_palladius", "tone_sandhi", "daily_goal_minutes",
                 "review_reminder", "reminder_hour", "session_version", "created_at",
                 "last_seen_at"),
          ((f"p{n}@{slug}.bench", f"Сотрудник {n}", company.id, dept_ids[n % departments],
            "Менеджер", n % 50 != 0, "ru", "Europe/Moscow", 0.9, 15, False, "on", False, False,
            10, False, 9, 0, NOW, NOW - timedelta(hours=n % 500))
           for n in range(people)))  # fmt: skip
    user_ids = db.session.scalars(
        select(User.id).where(User.company_id == company.id, User.id != hr.id).order_by(User.id)
    ).all()
    rows = _Rows(user_ids, course_ids, lesson_ids, exercise_ids, word_ids, slug)
    write(Enrollment, ("user_id", "course_id", "status", "due_at", "completed_at", "created_at"),
          rows.enrollments())  # fmt: skip
    write(LessonProgress, ("user_id", "lesson_id", "score", "status", "started_at",
                           "completed_at", "updated_at"), rows.progress())  # fmt: skip
    write(Attempt, ("submission_id", "user_id", "exercise_id", "answer", "correct", "score",
                    "created_at"), rows.attempts())  # fmt: skip
    write(StudyTime, ("user_id", "course_id", "day", "seconds", "last_beat_at"), rows.study_time())
    write(Card, ("user_id", "item_id", "direction", "state", "stability", "difficulty",
                 "last_review", "due", "reps", "lapses", "is_new", "suspended", "leech",
                 "version", "created_at"), rows.cards())  # fmt: skip
    db.session.commit()
    return company.id, hr.id


def measure(app, company_id: int, hr_id: int) -> dict[str, float]:
    from sqlalchemy import select

    from app.extensions import db
    from app.hr.training import reports
    from app.hr.training.reports import ReportFilters
    from app.models import User

    figures: dict[str, float] = {}
    hr = db.session.get(User, hr_id)
    filters = ReportFilters(company_id)
    reports.dashboard(hr, filters)  # warm caches once
    db.session.expire_all()
    with count_statements(db.engine) as seen:
        t = time.perf_counter()
        reports.dashboard(hr, filters)
        middle = time.perf_counter()
        reports.readiness(hr, filters)
        figures["report services, s"] = time.perf_counter() - t
        figures["readiness alone, s"] = time.perf_counter() - middle
    figures["report queries"] = len(seen)
    try:  # the stored readiness report (hourly from cron); absent before it existed
        from app.hr.training import readiness_store
    except ImportError:
        readiness_store = None
    if readiness_store is not None:
        t = time.perf_counter()
        readiness_store.refresh(company_id)
        db.session.commit()
        figures["readiness refresh, s"] = time.perf_counter() - t
    person_id = db.session.scalar(
        select(User.id).where(User.company_id == company_id, User.id != hr_id).order_by(User.id)
    )

    client = app.test_client()
    client.post("/auth/login", data={"email": hr.email, "password": "bench-password"})
    for name, url in (("GET /hr/", "/hr/"), ("GET person", f"/hr/people/{person_id}")):
        client.get(url)  # templates compiled, caches warm: the figure is the steady state
        times = []
        for _ in range(3):
            db.session.remove()
            with count_statements(db.engine) as seen:
                t = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        figures[f"{name}, s"] = sorted(times)[1]
        figures[f"{name} queries"] = len(seen)
    for fmt in ("csv", "xlsx"):
        best = None
        for _ in range(2 if fmt == "csv" else 1):  # the CSV's rate: the better of two
            t, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/hr/export/completion.{fmt}")
            assert response.status_code == 200 and "attachment" in response.headers.get(
                "Content-Disposition", ""
            ), (response.status_code, response.get_data()[:300])
            size = sum(len(chunk) for chunk in response.response)
            taken = (time.perf_counter() - t, time.process_time() - cpu)
            best = taken if best is None or taken[0] < best[0] else best
        figures[f"export {fmt}, s"] = best[0]
        figures[f"export {fmt}, MB"] = size / 1e6
        if fmt == "csv":
            # this process's CPU (the web worker's share; the database's is the rest)
            figures["export csv, cpu s"] = best[1]
    figures["enrolments"] = db.session.scalar(
        db.select(db.func.count()).select_from(db.text("enrollments"))
        .join(db.text("users"), db.text("users.id = enrollments.user_id"))
        .where(db.text(f"users.company_id = {company_id} AND users.active"))
    )  # fmt: skip
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--employees", "--people", dest="people", type=int, default=5000)
    parser.add_argument("--courses", type=int, default=20)
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="qiao-hr-bench-"))
    os.environ["QIAO_INSTANCE"] = str(instance)
    url = args.database or f"sqlite:///{instance / 'bench.db'}"
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    # EXPORT_JOB_ROWS out of reach: this measures the exports streamed from the request (past
    # the threshold a job writes the same bytes to a file; bench/exports.py measures writers)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "EXPORT_JOB_ROWS": 10**9})  # fmt: skip
    from flask import g, request_started

    # requests made inside this app context share its `g` (the signed-in user): start each
    # one with an empty `g`, as a real server would
    request_started.connect(lambda sender, **extra: g.__dict__.clear(), app, weak=False)
    with app.app_context():
        upgrade()
        t = time.perf_counter()
        base = build_company("baseline", 50, 2, 5)
        large = build_company("large", args.people, args.courses, 20)
        try:  # rows were copied in, not recorded through the services: summarise them as the
            # migration's backfill does (absent before the summaries existed)
            from app import enrolment_progress
        except ImportError:
            enrolment_progress = None
        if enrolment_progress is not None:
            started = time.perf_counter()
            enrolment_progress.refresh_all()
            db.session.commit()
            print(f"enrolment summaries recounted in {time.perf_counter() - started:.1f} s")
        # fresh planner statistics and no dead rows of the recount, as autovacuum would give
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE"
            )
        print(f"database: {db.engine.dialect.name}; data built in {time.perf_counter() - t:.1f} s")
        results = {"baseline": measure(app, *base), "large": measure(app, *large)}
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(instance, ignore_errors=True)
    print(f"{'figure':<22}{'baseline':>12}{'large':>12}{'large/baseline':>16}")
    for key in results["baseline"]:
        b, lg = results["baseline"][key], results["large"][key]
        ratio = f"{lg / b:.2f}×" if b else "—"
        fmt = "{:>12.0f}" if key.endswith("queries") or key == "enrolments" else "{:>12.3f}"
        print(f"{key:<22}{fmt.format(b)}{fmt.format(lg)}{ratio:>16}")
    large = results["large"]
    mb, wall, cpu = large["export csv, MB"], large["export csv, s"], large["export csv, cpu s"]
    print(f"CSV export of the large company: {mb:.1f} MB in {wall:.2f} s: {mb / wall:.1f} MB/s "
          f"wall, {mb / cpu:.1f} MB/s of the web process's CPU")  # fmt: skip


if __name__ == "__main__":
    main()
