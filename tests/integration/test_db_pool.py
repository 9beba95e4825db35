"""Pooled connections are checked on their socket, not with a query per request (app.db_pool)."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.db_pool import readable
from app.extensions import db


def test_a_socket_is_readable_once_its_peer_has_spoken_or_gone():
    ours, theirs = socket.socketpair()
    try:
        assert not readable(ours.fileno())
        theirs.sendall(b"bye")
        assert readable(ours.fileno())
    finally:
        ours.close()
        theirs.close()
    ours, theirs = socket.socketpair()
    theirs.close()
    try:
        assert readable(ours.fileno())
    finally:
        ours.close()


@pytest.mark.postgres_only
def test_a_connection_the_server_closed_is_replaced_without_an_error(app_ctx):
    with db.engine.connect() as conn:
        before = conn.scalar(text("SELECT pg_backend_pid()"))
    other = create_engine(db.engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with other.connect() as killer:
        killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
    other.dispose()
    time.sleep(0.2)  # the server's farewell reaches the pooled connection's socket
    with db.engine.connect() as conn:
        after = conn.scalar(text("SELECT pg_backend_pid()"))
    assert after != before


@pytest.mark.postgres_only
def test_the_next_card_statement_is_parsed_once_not_at_every_card(people, monkeypatch):
    """psycopg caches the parsed form of statements up to 4,096 characters unless told more;
    the next-card statement is longer, and must not be parsed again at every card."""
    from psycopg import _queries

    from app.models import utcnow
    from app.review import daily_queue, deck
    from tests.integration.test_review_services import WORDS, make_lesson

    _lesson, items = make_lesson(WORDS[:2])
    deck.ensure_cards(people.learner_a, items)
    db.session.commit()
    statement = daily_queue._statement(("day+due", "postgresql"))
    assert len(str(statement.compile(dialect=db.engine.dialect))) > 4096
    daily_queue.next_card(people.learner_a, utcnow())
    parsed = []
    uncached = _queries._query2pg_nocache  # what psycopg calls for a statement it does not cache

    def parse(query, *args, **kwargs):
        parsed.append(len(query))
        return uncached(query, *args, **kwargs)

    monkeypatch.setattr(_queries, "_query2pg_nocache", parse)
    daily_queue.next_card(people.learner_a, utcnow())
    assert parsed == []
