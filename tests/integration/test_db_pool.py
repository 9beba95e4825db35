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
