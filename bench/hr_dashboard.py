"""HR reports at the scale of a large resident: 5,000 employees × 20 courses.

Usage: ``python bench/hr_dashboard.py [--database URL] [--people N] [--courses N]`` from the
repository root. Without --database a temporary SQLite file is used; for PostgreSQL pass e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/qiao_hr_bench`` (an empty scratch database).

In one run it builds, with bulk inserts, two companies in the same database:

* the baseline: 50 employees × 2 courses (5 departments, 40 reviewed words each);
* the large one: N employees × M courses (20 departments, 40 reviewed words each),
  plus lesson progress, so that every report query has real work to do;

then measures, for each: the SQL statements and time of the dashboard and readiness services,
the whole ``GET /hr/`` page as HR sees it, and the streamed CSV and XLSX completion exports.
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


def build_company(slug: str, people: int, courses: int, departments: int) -> tuple[int, int]:
    """Bulk-insert a company; return (company id, HR user id)."""
    from sqlalchemy import insert, select

    from app.accounts import hash_password
    from app.extensions import db
    from app.models import (
        Card,
        Company,
        Course,
        Department,
        Enrollment,
        Item,
        Lesson,
        LessonProgress,
        User,
        UserRole,
    )

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
    course_ids, lesson_ids = [], []
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
    db.session.execute(
        insert(User),
        [
            {"email": f"p{n}@{slug}.bench", "full_name": f"Сотрудник {n}",
             "company_id": company.id, "department_id": dept_ids[n % departments],
             "position": "Менеджер", "active": n % 50 != 0, "created_at": NOW,
             "last_seen_at": NOW - timedelta(hours=n % 500)}
            for n in range(people)
        ],
    )  # fmt: skip
    user_ids = db.session.scalars(
        select(User.id).where(User.company_id == company.id, User.id != hr.id).order_by(User.id)
    ).all()
    statuses = ("not_started", "in_progress", "completed")
    enrollments, progress, cards = [], [], []
    for n, user_id in enumerate(user_ids):
        for c, course_id in enumerate(course_ids):
            status = statuses[(n + c) % 3]
            enrollments.append({
                "user_id": user_id, "course_id": course_id, "status": status,
                "due_at": NOW + timedelta(days=(n + c) % 60 - 20),
                "completed_at": NOW - timedelta(days=(n * 7 + c) % 80)
                if status == "completed" else None,
                "created_at": NOW - timedelta(days=90),
            })  # fmt: skip
            if c < 3:
                for i, lesson_id in enumerate(lesson_ids[c][: (n % LESSONS) + 1]):
                    progress.append({
                        "user_id": user_id, "lesson_id": lesson_id, "score": 60 + (n + i) % 40,
                        "status": "completed", "started_at": NOW, "updated_at": NOW,
                    })  # fmt: skip
        for w, word_id in enumerate(word_ids):
            cards.append({
                "user_id": user_id, "item_id": word_id, "direction": "recognition", "state": 2,
                "stability": 1.0 + (n + w) % 60, "difficulty": 5.0,
                "last_review": NOW - timedelta(days=(n + 3 * w) % 45), "due": NOW,
                "reps": 3, "is_new": False, "created_at": NOW,
            })  # fmt: skip
    for table, rows in ((Enrollment, enrollments), (LessonProgress, progress), (Card, cards)):
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(table), rows[start : start + 20_000])
    db.session.commit()
    return company.id, hr.id


def measure(app, company_id: int, hr_id: int) -> dict[str, float]:
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
        reports.readiness(hr, filters)
        figures["report services, s"] = time.perf_counter() - t
    figures["report queries"] = len(seen)

    client = app.test_client()
    client.post("/auth/login", data={"email": hr.email, "password": "bench-password"})
    db.session.remove()
    with count_statements(db.engine) as seen:
        t = time.perf_counter()
        response = client.get("/hr/")
        figures["GET /hr/, s"] = time.perf_counter() - t
    assert response.status_code == 200, response.status_code
    figures["GET /hr/ queries"] = len(seen)
    for fmt in ("csv", "xlsx"):
        t = time.perf_counter()
        response = client.get(f"/hr/export/completion.{fmt}")
        assert response.status_code == 200 and "attachment" in response.headers.get(
            "Content-Disposition", ""
        ), (response.status_code, response.get_data()[:300])
        size = sum(len(chunk) for chunk in response.response)
        figures[f"export {fmt}, s"] = time.perf_counter() - t
        figures[f"export {fmt}, MB"] = size / 1e6
    figures["enrolments"] = db.session.scalar(
        db.select(db.func.count()).select_from(db.text("enrollments"))
        .join(db.text("users"), db.text("users.id = enrollments.user_id"))
        .where(db.text(f"users.company_id = {company_id} AND users.active"))
    )  # fmt: skip
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--people", type=int, default=5000)
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
        with db.engine.begin() as conn:  # fresh planner statistics, as autovacuum would give
            conn.exec_driver_sql("ANALYZE")
        print(f"database: {db.engine.dialect.name}; data built in {time.perf_counter() - t:.1f} s")
        results = {"baseline": measure(app, *base), "large": measure(app, *large)}
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(instance, ignore_errors=True)
    print(f"{'figure':<22}{'baseline':>12}{'large':>12}{'large/baseline':>16}")
    for key in results["baseline"]:
        b, lg = results["baseline"][key], results["large"][key]
        ratio = f"{lg / b:.2f}×" if b else "—"
        fmt = (
            "{:>12.0f}"
            if key in ("report queries", "GET /hr/ queries", "enrolments")
            else "{:>12.3f}"
        )
        print(f"{key:<22}{fmt.format(b)}{fmt.format(lg)}{ratio:>16}")


if __name__ == "__main__":
    main()
