"""Exactly once under concurrency: the same answer sent by many requests at the same moment.

Each request runs in its own thread with its own app context, session and connection. A barrier
inside the scheduling step makes every request read the card before any of them writes, so the
race is real: on PostgreSQL the conditional UPDATE waits on the row lock and then finds the
version changed; on SQLite the database lock serialises the writers.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

import app.srs as srs_package
from app.extensions import db
from app.models import Card, ReviewLog
from app.review import deck
from tests.helpers import csrf_token, sign_in
from tests.integration.test_review_services import WORDS, make_lesson

REQUESTS = 6


@pytest.fixture
def racing(app, make_company, make_user, monkeypatch):
    """Signed-in clients of one learner, a fresh card, and a barrier before every write."""
    learner = make_user("learner@alpha.example", make_company("alpha", "Альфа"))
    _lesson, items = make_lesson(WORDS[:1])
    deck.ensure_cards(learner, items)
    db.session.commit()
    card = db.session.scalars(select(Card).where(Card.user_id == learner.id)).first()
    clients = []
    for _ in range(REQUESTS):
        client = app.test_client()
        assert sign_in(client, learner.email).status_code == 302
        clients.append((client, csrf_token(client, "/")))
    barrier = threading.Barrier(REQUESTS, timeout=20)
    original = srs_package.review

    def review_after_everyone_has_read(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(srs_package, "review", review_after_everyone_has_read)
    return card, clients


def _send_all(clients, bodies):
    def send(pair):
        (client, token), body = pair
        response = client.post("/api/v1/review/answer", json=body, headers={"X-CSRFToken": token})
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(send, zip(clients, bodies, strict=True)))


def _stored(card_id):
    db.session.expire_all()
    logs = db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.card_id == card_id))
    return logs, db.session.get(Card, card_id)


def test_the_same_answer_sent_concurrently_is_recorded_once(racing):
    card, clients = racing
    shown_version = card.version
    body = {"card_id": card.id, "rating": 3, "review_id": str(uuid.uuid4()), "duration_ms": 900,
            "version": shown_version}  # fmt: skip
    results = _send_all(clients, [body] * REQUESTS)
    assert all(status == 200 for status, _ in results), results
    statuses = sorted(data["status"] for _, data in results)
    assert statuses == ["duplicate"] * (REQUESTS - 1) + ["recorded"]
    assert len({data["due"] for _, data in results}) == 1
    logs, stored = _stored(card.id)
    assert logs == 1 and stored.reps == 1 and stored.version == shown_version + 1


def test_different_answers_for_one_shown_card_let_exactly_one_win(racing):
    card, clients = racing
    bodies = [
        {"card_id": card.id, "rating": 1 + i % 4, "review_id": str(uuid.uuid4()),
         "duration_ms": 500, "version": card.version}
        for i in range(REQUESTS)
    ]  # fmt: skip
    results = _send_all(clients, bodies)
    assert sorted(status for status, _ in results) == [200] + [409] * (REQUESTS - 1), results
    assert {data["error"] for status, data in results if status == 409} == {"stale"}
    logs, stored = _stored(card.id)
    assert logs == 1 and stored.reps == 1
