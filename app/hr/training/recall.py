"""Predicted recall (FSRS retrievability) as an SQL expression, for aggregates in the database.

FSRS (the `fsrs` package the review scheduler uses) predicts the probability of recalling a
card `t` whole days after its last review, with stability `S`, as

    R = (1 + FACTOR · t / S) ^ DECAY,   DECAY = −w20,   FACTOR = 0.9 ^ (1 / DECAY) − 1

(`fsrs.Scheduler.get_card_retrievability`). Written in SQL, HR's reports average it over
thousands of cards without loading one of them into Python. A learner whose parameters were
fitted (app/review/fitting.py) has their own w20, kept in `users.fsrs_decay`: `learner_decay()`
reads it in a query that joins `User` (the published default for a learner without one).
"""

from __future__ import annotations

import math
from datetime import datetime

from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import Float, Integer, case, cast, event, func, literal
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from app.models import Card, User

DECAY = -DEFAULT_PARAMETERS[20]
FACTOR = 0.9 ** (1 / DECAY) - 1
SECONDS_PER_DAY = 86400.0


def retrievability(stability: float | None, elapsed_days: int) -> float:
    """The same formula in Python (for tests and one-off values)."""
    if not stability:
        return 0.0
    return (1 + FACTOR * max(0, elapsed_days) / stability) ** DECAY


class epoch_seconds(FunctionElement):
    """Seconds since 1970 of a timestamp column, in each dialect's own words."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    # SQLite keeps UTC timestamps as ISO text (see app.models.base.UTCDateTime)
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds)
def _epoch_default(element, compiler, **kw):
    # EXTRACT gives numeric on PostgreSQL 14+: slow arithmetic, slower power(); use a double
    column = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(EPOCH FROM {column}) AS DOUBLE PRECISION)"


def learner_decay() -> ColumnElement[float]:
    """SQL: the decay of the learner of the row (the query must join `User`)."""
    return func.coalesce(User.fsrs_decay, DECAY)


def card_recall(
    now: datetime, decay: float | ColumnElement[float] | None = None
) -> ColumnElement[float]:
    """SQL: the predicted recall of a `Card` row at `now` (0 for a card never reviewed).

    `decay`: the learner's (a number, or `learner_decay()`); None for the published default."""
    elapsed = (literal(now.timestamp()) - epoch_seconds(Card.last_review)) / SECONDS_PER_DAY
    # whole days, as fsrs counts them (timedelta.days); never negative
    days = case((elapsed < 0, 0), else_=cast(func.floor(elapsed), Integer))
    if decay is None or isinstance(decay, float | int):
        exponent = float(decay) if decay is not None else DECAY
        factor = 0.9 ** (1 / exponent) - 1
        value = func.power(1.0 + factor * days / Card.stability, exponent)
    else:
        factor = func.power(0.9, 1.0 / decay) - 1.0
        value = func.power(1.0 + factor * days / Card.stability, decay)
    return case(
        (Card.last_review.is_(None), 0.0),
        (Card.stability.is_(None), 0.0),
        (Card.stability <= 0, 0.0),
        else_=value,
    )


@event.listens_for(Engine, "connect")
def _sqlite_math(dbapi_connection, connection_record) -> None:
    """Give SQLite builds without the math extension `power` and `floor`."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    try:
        dbapi_connection.execute("SELECT power(2, 2), floor(1.5)").fetchall()
    except Exception:  # noqa: BLE001 — "no such function" is the only expected answer
        dbapi_connection.create_function("power", 2, math.pow, deterministic=True)
        dbapi_connection.create_function("floor", 1, math.floor, deterministic=True)
