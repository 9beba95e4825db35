"""Render times of the learner's pages on the demo data, against a trivial page of the same app.

    .venv/bin/python bench/pages.py [--repeat 30]

Builds a scratch instance (SQLite in a temporary folder), imports the three courses, seeds the
demo, lets the demo learner answer every exercise of the first business lesson, then times each
page through Flask's test client (no network). Prints median and p95 in ms, the SQL statements
per page, and each page's median as a ratio to the trivial page measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _answer(answers, learner, exercise) -> None:
    """Answer an exercise the way its kind takes answers: the stored answer, an empty list,
    a skipped recording (say) or a character drawn without mistakes (write)."""
    from app.exercises.base import AnswerError

    stored = exercise.data.get("answer", "")
    drawn = " ".join("0" for _ in str(stored))
    for answer in (stored, [], "skip", drawn):
        try:
            answers.submit_answer(learner, exercise.id, answer, str(uuid.uuid4()), 5000)
            return
        except AnswerError:
            continue
    raise SystemExit(f"no answer fits exercise {exercise.id} ({exercise.kind})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="qiao-bench-"))
    os.environ["QIAO_INSTANCE"] = str(scratch)
    os.environ["QIAO_DEMO_PASSWORD"] = "bench-password-1"
    os.environ.pop("DATABASE_URL", None)

    from flask_migrate import upgrade
    from sqlalchemy import event, select

    from app import create_app
    from app.content.importer import import_courses
    from app.content.validate import validate_tree
    from app.demo import seed_demo
    from app.extensions import db
    from app.learn import answers, pages
    from app.models import Course, Lesson, User

    app = create_app({"AUDIO_DIR": str(scratch / "audio"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        import_courses(validate_tree(ROOT / "courses"))
        seed_demo("bench-password-1")
        db.session.commit()
        learner = db.session.scalar(select(User).where(User.email == "learner@lassard.demo"))
        course = db.session.scalar(select(Course).where(Course.slug == "business-chinese-1"))
        lesson = db.session.scalar(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        )
        for view in pages.lesson_page(learner, lesson).exercises:
            _answer(answers, learner, view.exercise)
        db.session.commit()
        pages = {
            "trivial (certificate check form)": "/certificates/verify",
            "dashboard": "/",
            "catalogue": "/courses",
            "course": f"/courses/{course.id}",
            "lesson (25 words, dialogue, 13 exercises)": f"/lessons/{lesson.id}",
            "my statistics": "/me/stats",
        }

    client = app.test_client()
    with app.test_request_context():
        pass
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/auth/login",
        data={"email": "learner@lassard.demo", "password": "bench-password-1", "csrf_token": token},
    )
    counts: dict[str, int] = {}

    with app.app_context():
        engine = db.engine

    def count(*_args, **_kwargs):
        counts["n"] = counts.get("n", 0) + 1

    for url in pages.values():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
    # round-robin over the pages, so that each page meets the same load of a shared machine
    times: dict[str, list[float]] = {name: [] for name in pages}
    queries: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, url in pages.items():
            counts["n"] = 0
            event.listen(engine, "before_cursor_execute", count)
            start = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - start) * 1000)
            event.remove(engine, "before_cursor_execute", count)
            assert response.status_code == 200
            queries[name] = counts["n"]
    results = {}
    for name, taken in times.items():
        taken.sort()
        results[name] = (
            statistics.median(taken),
            taken[int(0.95 * (len(taken) - 1))],
            queries[name],
        )

    base = results["trivial (certificate check form)"][0]
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'SQL':>5} {'× trivial':>10}")
    for name, (median, p95, queries) in results.items():
        print(f"{name:45} {median:10.1f} {p95:8.1f} {queries:5d} {median / base:10.1f}")


if __name__ == "__main__":
    main()
