"""A pooled PostgreSQL connection is checked without a round trip before each use.

`pool_pre_ping` sent `SELECT 1` to the server for every request: one round trip more per
request, a tenth of a review API request's cost. A connection the server closed (restart,
`pg_terminate_backend`, idle timeout) says so on its socket: the server's farewell or the end
of the stream makes it readable while no query is running. So at checkout a readable socket, or
a connection libpq already knows is broken, is thrown away and the pool opens a fresh one
(`DisconnectionError`, which the pool retries). What the socket cannot show (a peer gone
without a word, behind a firewall that drops idle connections) `pool_recycle` bounds by age.
"""

from __future__ import annotations

import select

from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

#: connections older than this are replaced at checkout (below common firewall idle timeouts)
RECYCLE_SECONDS = 1800


def readable(fd: int) -> bool:
    """True when the socket has something to read (or is closed) right now."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


@event.listens_for(Pool, "checkout")
def _check_alive(dbapi_connection, _record, _proxy) -> None:
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:  # not psycopg (SQLite): nothing to check
        return
    from psycopg import pq

    if (
        dbapi_connection.closed
        or pgconn.status != pq.ConnStatus.OK
        or pgconn.transaction_status != pq.TransactionStatus.IDLE
        or readable(pgconn.socket)
    ):
        raise exc.DisconnectionError("the server closed this pooled connection")
