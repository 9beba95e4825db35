"""Handwriting through HTTP: the `write` exercise's answer endpoint (shape, limits, access) and
the review's opt-in writing cards (settings, queue, answers stored once)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attempt, Card, ReviewLog
from app.review import deck
from tests import factories
from tests.helpers import csrf_token, sign_in
from tests.integration.test_review_services import WORDS, make_lesson

WRITE = {"answer": "你好", "ru": "здравствуйте"}


@pytest.fixture
def exercise(content):
    return factories.make_exercise(content.lesson, "write", WRITE, position=50, key="write-ni-hao")


def _answer(client, exercise, answer, token=None):
    token = token or csrf_token(client, f"/lessons/{exercise.lesson_id}")
    return client.post(
        f"/api/v1/exercises/{exercise.id}/answer",
        json={"answer": answer, "submission_id": str(uuid.uuid4())},
        headers={"X-CSRFToken": token},
    )


def _attempts() -> int:
    return db.session.scalar(select(func.count(Attempt.id)))


def test_the_lesson_shows_the_drawing_pad_without_the_characters(client, people, exercise):
    sign_in(client, "learner@alpha.example")
    html = client.get(f"/lessons/{exercise.lesson_id}").get_data(as_text=True)
    card = html[html.index(f'id="ex-{exercise.id}"') :]
    card = card[: card.index("</section>")]
    assert 'data-write="exercise"' in card and 'name="answer"' in card
    assert 'data-write-char="你"' in card and 'data-src="/strokes/%E4%BD%A0.json"' in card
    assert "здравствуйте" in card and "Обведите иероглиф" in card  # the pad's Russian texts
    assert ">你<" not in card and ">你好<" not in card  # never written out before the answer
    assert "js/kinds/write.js" in html


def test_the_server_judges_the_mistakes_per_character(client, people, exercise):
    sign_in(client, "learner@alpha.example")
    right = _answer(client, exercise, "0 1")
    assert right.status_code == 200 and right.get_json()["correct"] is True
    wrong = _answer(client, exercise, "5 0")
    body = wrong.get_json()
    assert body["correct"] is False and body["score"] == 0.5
    assert "5 ошибок" in body["html"] and "допустимо не больше 2" in body["html"]
    assert [a.answer for a in db.session.scalars(select(Attempt).order_by(Attempt.id))] == [
        "0 1",
        "5 0",
    ]


@pytest.mark.parametrize(
    "answer",
    ["", "0", "0 0 0", "abc", "-1 0", "1.5 0", ["0", "0"], {"correct": True}, True, "0 " * 40],
)
def test_a_malformed_or_oversized_answer_is_refused_and_nothing_is_stored(
    client, people, exercise, answer
):
    sign_in(client, "learner@alpha.example")
    response = _answer(client, exercise, answer)
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "Ответ" in message or "ответ" in message
    assert _attempts() == 0


def test_a_client_correct_flag_counts_for_nothing(client, people, exercise):
    sign_in(client, "learner@alpha.example")
    token = csrf_token(client, f"/lessons/{exercise.lesson_id}")
    response = client.post(
        f"/api/v1/exercises/{exercise.id}/answer",
        json={"answer": "9 9", "correct": True, "score": 1, "submission_id": str(uuid.uuid4())},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.get_json()["correct"] is False


def test_only_a_learner_who_may_see_the_lesson_answers(client, people, content):
    hidden = factories.make_exercise(content.private_lesson, "write", WRITE, key="w-hidden")
    token = None
    response = client.post(
        f"/api/v1/exercises/{hidden.id}/answer",
        json={"answer": "0 0", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code in (302, 400, 401)  # signed out (or without a token)
    sign_in(client, "learner@alpha.example")
    token = csrf_token(client, f"/lessons/{content.lesson.id}")
    assert _answer(client, hidden, "0 0", token).status_code == 404  # company B's course
    assert _attempts() == 0


# --------------------------------------------------------------------------- review


@pytest.fixture
def learner(client, people):
    _lesson, items = make_lesson(WORDS[:2])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    sign_in(client, people.learner_a.email)
    return people.learner_a


def _writing_cards(user) -> list[Card]:
    return list(
        db.session.scalars(select(Card).where(Card.user_id == user.id, Card.direction == "writing"))
    )


def _settings(client, writing: bool):
    data = {
        "csrf_token": csrf_token(client, "/review/settings"),
        "desired_retention": "90",
        "daily_new_limit": "100",
    }
    if writing:
        data["review_writing"] = "y"
    return client.post("/review/settings", data=data)


def test_writing_is_off_by_default_and_switched_on_in_the_settings(client, learner):
    assert _writing_cards(learner) == []
    page = client.get("/review/settings").get_data(as_text=True)
    assert "Писать иероглифы от руки" in page and 'name="review_writing"' in page
    assert _settings(client, True).status_code == 302
    db.session.expire_all()
    assert learner.review_writing is True
    assert sorted(c.item.hanzi for c in _writing_cards(learner)) == ["你好", "谢谢"]
    # idempotent: saving again makes no second card
    _settings(client, True)
    assert len(_writing_cards(learner)) == 2


def _next(client) -> dict:
    return client.get(
        "/api/v1/review/next", headers={"X-CSRFToken": csrf_token(client, "/")}
    ).get_json()


def _queue_directions(client) -> set[str]:
    cards = client.get(
        "/api/v1/review/queue", headers={"X-CSRFToken": csrf_token(client, "/")}
    ).get_json()["cards"]
    return {c["html"].split('data-direction="')[1].split('"')[0] for c in cards}


def test_a_writing_card_is_shown_answered_once_and_hidden_when_switched_off(client, learner):
    _settings(client, True)
    cards = client.get(
        "/api/v1/review/queue", headers={"X-CSRFToken": csrf_token(client, "/")}
    ).get_json()["cards"]
    writing = [c for c in cards if 'data-direction="writing"' in c["html"]]
    assert len(writing) == 2
    assert writing[0]["strokes"] and writing[0]["strokes"][0].startswith("/strokes/")
    assert 'data-write="review"' in writing[0]["html"]
    body = {
        "card_id": writing[0]["card_id"],
        "rating": 2,
        "review_id": str(uuid.uuid4()),
        "duration_ms": 9000,
    }
    token = csrf_token(client, "/")
    first = client.post("/api/v1/review/answer", json=body, headers={"X-CSRFToken": token})
    again = client.post("/api/v1/review/answer", json=body, headers={"X-CSRFToken": token})
    assert first.get_json()["status"] == "recorded" and again.get_json()["status"] == "duplicate"
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1
    _settings(client, False)
    assert "writing" not in _queue_directions(client)
    assert len(_writing_cards(learner)) == 2  # kept, with their history
    assert _next(client)["direction"] != "writing"


def test_without_javascript_a_writing_card_turns_and_is_rated_by_hand(client, learner):
    _settings(client, True)
    card = _writing_cards(learner)[0]
    front = client.get(f"/review/?card={card.id}").get_data(as_text=True)
    assert "Напишите иероглифы от руки" in front and 'data-write="review"' in front
    assert "reveal=1" in front  # «Показать ответ» is a plain link
    back = client.get(f"/review/?card={card.id}&reveal=1").get_data(as_text=True)
    assert 'data-write="review"' not in back and card.item.hanzi in back
    assert 'name="rating" value="3"' in back
