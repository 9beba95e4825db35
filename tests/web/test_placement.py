"""The placement test: a timed sitting with a server-side deadline, the result and the start
it recommends on the path, and marking the lessons before it as known (review cards)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.models import Card, LessonProgress, PlacementAttempt, User, utcnow
from tests.conftest import csrf_token, sign_in

SHIPPED = Path(__file__).resolve().parents[2] / "courses" / "placement.yaml"
LEARNER = "learner@alpha.example"


@pytest.fixture
def courses_dir(app, tmp_path, monkeypatch):
    """The shipped questions, placed on the content fixture's course «demo» (lessons one, two)."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for band in data["bands"]:
        band["start"] = "demo/one" if band["key"] == "hsk1" else "demo/two"
    data["beyond"] = "demo/two"
    (tmp_path / "placement.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    (tmp_path / "grammar.yaml").write_text(
        "path: [demo]\nconstructions:\n  - {id: shi, ru: Связка, patterns: [是]}\n", "utf-8"
    )
    monkeypatch.setitem(app.config, "COURSES_DIR", str(tmp_path))
    return data


def _start(client) -> PlacementAttempt:
    token = csrf_token(client, "/placement")
    response = client.post("/placement/start", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/placement/test")
    return db.session.scalar(select(PlacementAttempt).order_by(PlacementAttempt.id.desc()))


def _submit(client, attempt, answers: dict[str, str]):
    html = client.get("/placement/test").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    token = token.group(1) if token else csrf_token(client, "/placement")
    data = {"csrf_token": token, "attempt": str(attempt.id)}
    data |= {f"q-{key}": value for key, value in answers.items()}
    return client.post("/placement/submit", data=data)


def test_the_test_page_shows_every_question_and_the_time_left(client, content, courses_dir):
    sign_in(client, LEARNER)
    intro = client.get("/placement").get_data(as_text=True)
    assert "Тест на уровень" in intro and "Вопросов в тесте: 32, время — 10 мин." in intro
    before = utcnow()
    attempt = _start(client)
    assert (
        timedelta(minutes=9, seconds=58)
        < attempt.deadline - before
        <= timedelta(minutes=10, seconds=2)
    )
    html = client.get("/placement/test").get_data(as_text=True)
    assert html.count('type="radio"') == sum(len(q["options"]) for q in courses_dir["questions"])
    seconds = int(re.search(r'data-seconds="(\d+)"', html).group(1))
    assert 595 <= seconds <= 600
    assert "Осталось:" in html and "js/placement.js" in html
    # starting again goes on with the same sitting and the same deadline
    assert _start(client).id == attempt.id


def test_right_answers_place_the_learner_further_and_lessons_can_be_marked_known(
    client, content, courses_dir
):
    sign_in(client, LEARNER)
    attempt = _start(client)
    right = {q["key"]: q["answer"] for q in courses_dir["questions"]}
    response = _submit(client, attempt, right)
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.start == "demo/two" and not attempt.expired
    assert attempt.bands["hsk1"] == [10, 10] and attempt.bands["business"] == [6, 6]
    html = client.get("/placement").get_data(as_text=True)
    assert "Начните с урока «Урок 2» курса «Курс»." in html
    assert "Отметить эти уроки как знакомые" in html

    token = csrf_token(client, "/placement")
    response = client.post("/placement/known", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{content.course.id}")
    learner = db.session.scalar(select(User).where(User.email == LEARNER))
    progress = db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == learner.id,
            LessonProgress.lesson_id == content.lesson.id,
        )
    )
    assert progress.completed_at is not None and progress.placed_at is not None
    cards = db.session.scalars(select(Card).where(Card.user_id == learner.id)).all()
    assert cards  # the known lesson's words are review cards now
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Отмечено как знакомые уроков: 1; новых карточек для повторения:" in page
    # the course page opens the next lesson; marking again changes nothing
    token = csrf_token(client, "/placement")
    client.post("/placement/known", data={"csrf_token": token})
    assert len(db.session.scalars(select(Card).where(Card.user_id == learner.id)).all()) == len(
        cards
    )


def test_failing_hsk1_starts_at_the_beginning_with_nothing_to_mark(client, content, courses_dir):
    sign_in(client, LEARNER)
    attempt = _start(client)
    wrong = {
        q["key"]: next(o for o in q["options"] if o != q["answer"])
        for q in courses_dir["questions"]
    }
    _submit(client, attempt, wrong | {"not-a-question": "x"})
    db.session.refresh(attempt)
    assert attempt.start == "demo/one" and attempt.bands["hsk1"] == [0, 10]
    assert "not-a-question" not in attempt.answers
    html = client.get("/placement").get_data(as_text=True)
    assert "Начните с урока «Урок 1»" in html and "Отметить эти уроки" not in html


def test_answers_after_the_deadline_do_not_count(client, content, courses_dir):
    sign_in(client, LEARNER)
    attempt = _start(client)
    token = csrf_token(client, "/placement")
    attempt.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    right = {f"q-{q['key']}": q["answer"] for q in courses_dir["questions"]}
    response = client.post(
        "/placement/submit", data={"csrf_token": token, "attempt": str(attempt.id), **right}
    )
    assert response.status_code == 302
    db.session.refresh(attempt)
    assert attempt.expired and attempt.start is None and attempt.bands == {}
    html = client.get("/placement").get_data(as_text=True)
    assert "Время вышло" in html and "Ваш результат" not in html
    # the page of an expired sitting sends the learner back to the introduction
    assert client.get("/placement/test").status_code == 302


def test_another_learners_sitting_is_refused(client, people, content, courses_dir):
    other = PlacementAttempt(
        user_id=people.learner_b.id, deadline=utcnow() + timedelta(minutes=10), answers={}, bands={}
    )
    db.session.add(other)
    db.session.commit()
    sign_in(client, LEARNER)
    token = csrf_token(client, "/placement")
    response = client.post(
        "/placement/submit", data={"csrf_token": token, "attempt": str(other.id)}
    )
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.finished_at is None


def test_posts_need_the_csrf_token(client, content, courses_dir):
    sign_in(client, LEARNER)
    assert client.post("/placement/start", data={}).status_code == 400
    assert db.session.scalar(select(PlacementAttempt)) is None


def test_no_placement_file_no_test(client, people, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "COURSES_DIR", str(tmp_path / "none"))
    sign_in(client, LEARNER)
    assert client.get("/placement").status_code == 404


def test_a_review_unit_opens_as_a_lesson_of_exercises(client, people, tmp_path):
    from app.content.importer import import_courses
    from app.content.validate import validate_tree
    from app.models import Lesson
    from tests.content_fixtures import COURSE_YAML, write_course
    from tests.integration.test_content_import import REVIEW_YAML

    folder = write_course(
        tmp_path, course=COURSE_YAML.replace("  - hello\n", "  - again\n  - hello\n")
    )
    (folder / "again.yaml").write_text(REVIEW_YAML, encoding="utf-8")
    import_courses(validate_tree(tmp_path))
    db.session.commit()
    review = db.session.scalar(select(Lesson).where(Lesson.slug == "again"))
    sign_in(client, LEARNER)
    response = client.get(f"/lessons/{review.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Повторение" in html and "你好" in html
