"""Exercise answers: size and shape (M-2, L-4), rate (M-2) and lesson order (L-3)."""

from __future__ import annotations

import time
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, Certificate, Exercise, LessonProgress
from tests.helpers import csrf_token, sign_in


@pytest.fixture
def learner(client, people, content):
    """A's learner, signed in, with the forms' token; `.content` is the course they study."""
    sign_in(client, "learner@alpha.example")
    client.token = csrf_token(client, f"/lessons/{content.lesson.id}")
    return SimpleNamespace(learner_a=people.learner_a, content=content)


def _json(client, exercise, answer):
    return client.post(
        f"/api/v1/exercises/{exercise.id}/answer",
        json={"answer": answer, "submission_id": str(uuid.uuid4())},
        headers={"X-CSRFToken": client.token},
    )


def _attempts() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


# --------------------------------------------------------------------------- M-2 size


def test_a_megabyte_answer_is_refused_before_it_is_read(client, learner):
    exercise = learner.content.exercises["type_pinyin"]
    started = time.perf_counter()
    response = _json(client, exercise, "xie" * 400_000)
    assert response.status_code == 413
    assert time.perf_counter() - started < 1.0
    assert _attempts() == 0


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("type_pinyin", "xie4 " * 2000),
        ("choose_meaning", "з" * 600),
        ("identify_tone", "3" * 500),
        ("matching", ["здравствуйте" * 20, "спасибо", "банк"]),
    ],
)
def test_an_answer_longer_than_its_kind_allows_is_a_400_with_a_message(
    client, learner, kind, answer
):
    response = _json(client, learner.content.exercises[kind], answer)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Ответ слишком длинный."
    assert _attempts() == 0


# --------------------------------------------------------------------------- L-4 shape


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("word_order", [1, 2, 3, 4]),
        ("word_order", [None, "是"]),
        ("matching", [{"a": 1}, "спасибо", "банк"]),
        ("matching", [["здравствуйте"], "спасибо", "банк"]),
        ("word_order", ["我"] * 50),
        ("choose_meaning", ["здравствуйте"]),
        ("choose_meaning", {"answer": "здравствуйте"}),
        ("identify_tone", True),
        ("type_pinyin", 3.5),
    ],
)
def test_an_answer_of_the_wrong_shape_is_a_400_with_a_message(client, learner, kind, answer):
    response = _json(client, learner.content.exercises[kind], answer)
    assert response.status_code == 400
    assert "Ответ не удалось разобрать" in response.get_json()["error"]
    assert _attempts() == 0


def test_a_form_answer_of_the_wrong_size_is_a_400_page_in_russian(client, learner):
    exercise = learner.content.exercises["type_pinyin"]
    response = client.post(
        f"/exercises/{exercise.id}/answer",
        data={
            "csrf_token": client.token,
            "submission_id": str(uuid.uuid4()),
            "answer": "xie4 " * 2000,
        },
    )
    assert response.status_code == 400
    assert "Ответ слишком длинный." in response.get_data(as_text=True)


def test_kinds_check_junk_without_crashing():
    """The pure checks never raise on stored junk (answers stored before the limits)."""
    from app.exercises import REGISTRY
    from tests.factories import EXERCISES

    for name, data in EXERCISES.items():
        for junk in (None, 5, [1, None, {}], {"a": 1}, ["x"] * 20, 3.5):
            verdict = REGISTRY[name].check(data, junk)
            assert verdict.correct is False


# --------------------------------------------------------------------------- M-2 rate


def test_answers_are_rate_limited_per_learner(app, client, learner, monkeypatch):
    monkeypatch.setitem(app.config, "ANSWER_LIMIT", "3 per minute")
    exercise = learner.content.exercises["scenario"]
    for _ in range(3):
        assert _json(client, exercise, "Взять одной рукой").status_code == 200
    response = _json(client, exercise, "Взять двумя руками")
    assert response.status_code == 429
    assert _attempts() == 3


# --------------------------------------------------------------------------- L-3 order


@pytest.fixture
def later_exercise(learner):
    exercise = Exercise(
        lesson_id=learner.content.lesson2.id,
        key="later",
        kind="choose_hanzi",
        position=0,
        data={"prompt": "спасибо", "options": ["谢谢", "你好"], "answer": "谢谢"},
    )
    db.session.add(exercise)
    db.session.commit()
    return exercise


def test_a_locked_lessons_exercise_cannot_be_answered(client, learner, later_exercise):
    response = _json(client, later_exercise, "谢谢")
    assert response.status_code == 403
    assert response.get_json()["error"] == "Сначала завершите предыдущий урок."
    response = client.post(
        f"/exercises/{later_exercise.id}/answer",
        data={"csrf_token": client.token, "submission_id": str(uuid.uuid4()), "answer": "谢谢"},
    )
    assert response.status_code == 403
    assert _attempts() == 0
    lesson2 = learner.content.lesson2.id
    assert (
        db.session.scalar(select(LessonProgress).where(LessonProgress.lesson_id == lesson2)) is None
    )


def test_a_locked_lesson_cannot_be_read_or_studied(client, learner):
    lesson2 = learner.content.lesson2
    for action in ("read", "study"):
        response = client.post(f"/lessons/{lesson2.id}/{action}", data={"csrf_token": client.token})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/courses/{lesson2.course_id}")
    progress = db.session.scalar(
        select(LessonProgress).where(LessonProgress.lesson_id == lesson2.id)
    )
    assert progress is None


def test_a_course_cannot_be_completed_out_of_order(client, learner):
    from tests.web.test_learn import RIGHT

    content = learner.content
    client.post(f"/lessons/{content.lesson2.id}/read", data={"csrf_token": client.token})
    for kind, exercise in content.exercises.items():
        assert _json(client, exercise, RIGHT[kind]).status_code == 200
    # lesson 1 is done now; lesson 2 was never legitimately read: no certificate yet
    assert db.session.scalar(select(func.count(Certificate.id))) == 1  # B's, from the fixture
    client.post(f"/lessons/{content.lesson2.id}/read", data={"csrf_token": client.token})
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_an_oversized_answer_stored_before_the_limits_is_not_checked_again(client, learner):
    """Attempts stored before the limits existed are shown by their recorded result."""
    from app.learn import lessons, pages

    exercise = learner.content.exercises["type_pinyin"]
    db.session.add(
        Attempt(
            submission_id=str(uuid.uuid4()),
            user_id=learner.learner_a.id,
            exercise_id=exercise.id,
            answer="xie4 " * 200_000,
            correct=False,
            score=0.0,
        )
    )
    db.session.commit()
    started = time.perf_counter()
    lesson = lessons.open_lesson(learner.learner_a, learner.content.lesson.id)
    page = pages.lesson_page(learner.learner_a, lesson)
    assert time.perf_counter() - started < 1.0
    view = next(v for v in page.exercises if v.exercise.id == exercise.id)
    assert view.verdict.correct is False and view.verdict.right_answer == "xièxie"
