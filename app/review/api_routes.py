"""The JSON endpoints of the review session: next card, today's queue (to study offline),
answer, check, undo, suspend, bury.

All need a signed-in learner and the CSRF token in the X-CSRFToken header (GET included, as
the API contract says). Errors come back as JSON: {"error": code, "message": text}.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from pydantic import BaseModel
from wtforms import ValidationError

from app.extensions import db
from app.models import Role, utcnow
from app.openapi import Access, ApiError, documented
from app.ops.metrics import REVIEW_ANSWERS
from app.review import answers, api, daily_queue, suspension
from app.review import api_schemas as s
from app.review.deck import ReviewError
from app.review.rendering import (
    MESSAGES,
    RATING_NAMES,
    VERDICTS,
    interval_label,
    interval_labels,
    render_offline_queue,
    render_stage,
)
from app.security import MAX_ID, parse_id

STATUS = {"bad_request": 400, "not_found": 404, "stale": 409, "not_reviewable": 409,
          "reused": 409}  # fmt: skip


def _error(code: str, status: int | None = None):
    return jsonify(error=code, message=str(MESSAGES.get(code, code))), status or STATUS[code]


def learner_api(view: Callable) -> Callable:
    """401 for a guest, 403 without the learner role, then the CSRF check (every method)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _error("unauthorized", 401)
        if not current_user.has_role(Role.LEARNER):
            return _error("forbidden", 403)
        if request.method == "GET":  # CSRFProtect checks the other methods itself
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except ValidationError as exc:
                raise CSRFError(exc.args[0]) from None
        return view(*args, **kwargs)

    return wrapped


def autocommit(view: Callable) -> Callable:
    """On PostgreSQL, run the view's statements without a transaction around them.

    For views whose every write is one atomic statement (`answers.answer`) and whose reads need
    no common snapshot: each statement commits by itself, so the request saves the round trips
    of BEGIN and of COMMIT or ROLLBACK. Only when the request's session has not begun yet (a
    test holding the app context may have); afterwards the connection goes back to the pool,
    which restores its transactional mode."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        session = db.session()
        if session.in_transaction() or db.engine.dialect.name != "postgresql":
            return view(*args, **kwargs)
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        try:
            return view(*args, **kwargs)
        finally:
            session.commit()  # nothing to commit: ends the session's use of the connection

    return wrapped


def _documented(answer: type[BaseModel], *refusals: int, **options: Any) -> Callable:
    """`documented` for a review endpoint: a learner's, answering `answer` (200) or an
    `ApiError` with one of the statuses `refusals` (`options`: the body or query)."""
    return documented(
        "review", Access.LEARNER, {200: answer} | dict.fromkeys(refusals, ApiError), **options
    )


def _card_change(card_id: int, status: str, change: Callable[[], object]):
    """Make a change to one card: committed and answered with the card's new `status`, or
    rolled back and refused (a ReviewError)."""
    try:
        change()
    except ReviewError as exc:
        db.session.rollback()
        return _error(exc.code)
    db.session.commit()
    return jsonify(status=status, card_id=card_id)


#: integers past JSON's safe range are refused: no card, version or time needs them, and the
#: database refuses integers past 64 bits (a 500 before this check)
MAX_INT = 2**53


def _int(data: dict, name: str, *, required: bool = True) -> int | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT:
        raise ReviewError("bad_request")
    return value


def _card_id(data: dict) -> int:
    """The body's `card_id`: an id a row can have (PostgreSQL refuses a larger one in the
    query: «integer out of range», a 500 before, found by the fuzzer on PostgreSQL)."""
    card_id = _int(data, "card_id")
    if card_id is None or not 0 <= card_id <= MAX_ID:
        raise ReviewError("bad_request")
    return card_id


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ReviewError("bad_request")
    return data


def _counts(counts: daily_queue.Counts) -> dict:
    return {
        "learning": counts.learning,
        "review": counts.review,
        "new": counts.new,
        "total": counts.total,
        "backlog": counts.backlog,
    }


@api.route("/next")
@_documented(s.NextCard, 404, 409, query=s.NextQuery)
@autocommit
@learner_api
def next_card():
    """The next card (or `?card_id=` one given card); `card_id` is null when nothing is due."""
    try:
        return jsonify(_next_payload(request.args.get("card_id", type=parse_id)))
    except ReviewError as exc:
        return _error(exc.code)


def _next_payload(card_id: int | None = None) -> dict:
    """What `next` answers: the card (`card_id` one, or the next due) with its stage's HTML."""
    now = utcnow()
    shown, counts = daily_queue.card_or_next(current_user, card_id, now)
    payload: dict = {"card_id": None, "counts": _counts(counts)}
    labels = None
    if shown is not None:
        labels = interval_labels(shown)
        card, item = shown.card, shown.item
        payload.update(
            card_id=card.id,
            version=card.version,
            direction=card.direction,
            typed=shown.typed,
            leech=card.leech,
            is_new=card.is_new,
            hanzi=item.hanzi,
            pinyin=item.pinyin,
            meaning=item.ru,
            intervals={
                str(r): {"seconds": int(delta.total_seconds()), "label": labels[r]}
                for r, delta in shown.intervals.items()
            },
        )
    payload["html"] = render_stage(shown, counts, now, labels=labels)
    return payload


@api.route("/queue")
@_documented(s.Queue)
@learner_api
def queue():
    """Today's queue to take offline: every card once, with its HTML, version and audio."""
    now = utcnow()
    cards = render_offline_queue(daily_queue.offline_queue(current_user, now), now)
    return jsonify(cards=cards, counts=_counts(daily_queue.counts(current_user, now)))


def _answered_at(data: dict) -> datetime | None:
    """`answered_at` (ms since the epoch), sent with answers recorded offline."""
    value = _int(data, "answered_at", required=False)
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise ReviewError("bad_request") from None


@api.route("/answer", methods=["POST"])
@_documented(s.Answered, 400, 404, 409, body=s.AnswerIn)
@autocommit
@learner_api
def answer():
    """Record `{card_id, rating, review_id, duration_ms[, version, answered_at, next]}` exactly
    once.

    An answer recorded offline carries `answered_at` and counts at that time (when plausible).
    With `"next": true` the response brings the next card too (what `next` answers), so that a
    session goes from card to card in one request instead of two.
    """
    try:
        data = _body()
        card_id = _card_id(data)
        chained = data.get("next", False)
        if not isinstance(chained, bool):
            raise ReviewError("bad_request")
        result = answers.answer(
            current_user,
            card_id=card_id,
            rating=_int(data, "rating"),
            review_id=data.get("review_id"),
            duration_ms=_int(data, "duration_ms", required=False),
            now=answers.answered_at(_answered_at(data), utcnow()),
            version=_int(data, "version", required=False),
        )
    except ReviewError as exc:
        db.session.rollback()
        return _error(exc.code)
    log = result.log
    rating = log.rating
    response = {
        "status": "duplicate" if result.duplicate else "recorded",
        "review_id": log.review_id,
        "card_id": log.card_id,
        "rating": rating,
        "due": log.due_after.isoformat() if log.due_after else None,
        "interval": interval_label(log.due_after - log.reviewed_at) if log.due_after else None,
    }
    if chained:
        # read after the answer's write, in the same transaction where there is one
        response["next"] = _next_payload()
    db.session.commit()
    if not result.duplicate:
        REVIEW_ANSWERS.labels(str(rating)).inc()
    return jsonify(response)


@api.route("/check", methods=["POST"])
@_documented(s.Checked, 400, 404, 409, body=s.CheckIn)
@learner_api
def check():
    """Check a typed answer `{card_id, answer}`: the verdict and the suggested rating."""
    try:
        data = _body()
        shown = daily_queue.show_card(current_user, _card_id(data), utcnow())
    except ReviewError as exc:
        return _error(exc.code)
    given = str(data.get("answer") or "")[:200]
    grade = shown.grade(given)
    return jsonify(
        verdict=str(grade.verdict),
        message=str(VERDICTS[grade.verdict]),
        rating=grade.rating,
        rating_name=str(RATING_NAMES[grade.rating]),
        given=given,
    )


@api.route("/undo", methods=["POST"])
@_documented(s.Undone, 400, 404, 409, body=s.UndoIn)
@learner_api
def undo():
    """Take back the answer `{review_id}`; the card comes back as it was before it."""
    try:
        card = answers.undo(current_user, _body().get("review_id"))
    except ReviewError as exc:
        db.session.rollback()
        return _error(exc.code)
    db.session.commit()
    return jsonify(status="undone", card_id=card.id)


@api.route("/cards/<int:card_id>/suspend", methods=["POST"])
@_documented(s.CardStatus, 404)
@learner_api
def suspend(card_id: int):
    """Suspend a card."""
    return _card_change(card_id, "suspended", lambda: suspension.suspend(current_user, card_id))


@api.route("/cards/<int:card_id>/bury", methods=["POST"])
@_documented(s.CardStatus, 404, 409)
@learner_api
def bury(card_id: int):
    """Bury a card until the next study day."""
    return _card_change(card_id, "buried", lambda: suspension.bury(current_user, card_id, utcnow()))
