"""Malformed requests to the JSON API are refused with a 4xx, never a 500: each case here was
a 500 found while fuzzing the API (tests/web/test_api_fuzz.py, docs/api.md)."""

from __future__ import annotations

import uuid

import pytest

from app.extensions import db
from app.review import deck
from tests.helpers import csrf_token, sign_in

BIG = 10**20  # past 64 bits: SQLite and psycopg refuse to bind it


@pytest.fixture
def learner(client, people, content):
    deck.ensure_cards(people.learner_b, list(content.lesson.items))
    db.session.commit()
    sign_in(client, people.learner_b.email)
    return {"X-CSRFToken": csrf_token(client, "/")}


def test_a_multipart_part_without_a_name_is_ignored(client, learner, content):
    """Werkzeug files such a part under the key None, on which the CSRF check crashed."""
    exercise = content.exercises["scenario"]
    body = (
        b"--b\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n"
        b'--b\r\nContent-Disposition: form-data; name="submission_id"\r\n\r\nx\r\n--b--\r\n'
    )
    response = client.post(
        f"/api/v1/exercises/{exercise.id}/say",
        data=body,
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 400 and response.get_json()["code"] == "csrf"
    with_token = client.post(
        f"/api/v1/exercises/{exercise.id}/say",
        data=body,
        content_type="multipart/form-data; boundary=b",
        headers=learner,
    )
    assert with_token.status_code == 404  # not a say exercise: the view ran and refused


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/api/v1/review/cards/{BIG}/bury"),
        ("post", f"/api/v1/review/cards/{BIG}/suspend"),
        ("post", f"/api/v1/review/cards/{2**40}/suspend"),
        ("post", f"/api/v1/exercises/{BIG}/answer"),
        ("post", f"/api/v1/items/{BIG}/say"),
        ("get", f"/words/{BIG}"),
    ],
)
def test_an_id_past_any_row_is_no_route(client, learner, method, path):
    response = getattr(client, method)(path, headers=learner, json={})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"card_id": BIG, "rating": 3, "review_id": "00000000-0000-4000-8000-000000000000"},
        # past PostgreSQL's `integer`, within 64 bits: «integer out of range» there
        {"card_id": 2**40, "rating": 3, "review_id": str(uuid.uuid4())},
        {"card_id": 1, "rating": 3, "review_id": str(uuid.uuid4()), "version": BIG},
        {"card_id": 1, "rating": 3, "review_id": str(uuid.uuid4()), "duration_ms": -BIG},
    ],
)
def test_a_review_answer_with_a_huge_number_is_bad_request(client, learner, body):
    response = client.post("/api/v1/review/answer", json=body, headers=learner)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"
    for card_id in (BIG, 2**40):
        checked = client.post("/api/v1/review/check", json={"card_id": card_id}, headers=learner)
        assert checked.status_code == 400 and checked.get_json()["error"] == "bad_request"


def test_a_huge_card_id_in_the_query_shows_the_next_card(client, learner):
    response = client.get(f"/api/v1/review/next?card_id={BIG}", headers=learner)
    assert response.status_code == 200 and response.get_json()["card_id"] is not None


def test_a_heartbeat_for_a_huge_course_id_counts_without_a_course(client, learner):
    response = client.post(
        "/api/v1/study/heartbeat", data={"seconds": "30", "course": str(BIG)}, headers=learner
    )
    assert response.status_code == 200 and response.get_json()["added"] == 30


@pytest.mark.parametrize(
    "choices", [["hang2"], {"²": "hang2"}, {"1" * 5000: "hang2"}, {"0": 5}, "hang2"]
)
def test_live_pinyin_ignores_malformed_choices(client, people, choices):
    sign_in(client, people.trainer.email)
    response = client.post(
        "/author/api/pinyin",
        json={"hanzi": "银行", "choices": choices},
        headers={"X-CSRFToken": csrf_token(client, "/")},
    )
    assert response.status_code == 200 and response.get_json()["pinyin"] == "yínháng"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/author/api/audio?t=a%00b", 400),
        ("/api/v1/review/next?x=%00", 400),
        ("/api/v1/jobs/a%00b", 404),
    ],
)
def test_a_nul_character_in_the_url_is_refused(client, people, path, status):
    """PostgreSQL refuses NUL in a text parameter: it was a 500 there."""
    sign_in(client, people.trainer.email)
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.get_json()["code"] == ("bad_request" if status == 400 else "not_found")
