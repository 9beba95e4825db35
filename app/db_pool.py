"""PostgreSQL connections: a pooled one is checked without a round trip before each use, and
psycopg keeps the parsed form of the long statements of the review's hot path.

`pool_pre_ping` sent `SELECT 1` to the server for every request: one round trip more per
request, a tenth of a review API request's cost. A connection the server closed (restart,
`pg_terminate_backend`, idle timeout) says so on its socket: the server's farewell or the end
of the stream makes it readable while no query is running. So at checkout a readable socket, or
a connection libpq already knows is broken, is thrown away and the pool opens a fresh one
(`DisconnectionError`, which the pool retries). What the socket cannot show (a peer gone
without a word, behind a firewall that drops idle connections) `pool_recycle` bounds by age.

psycopg turns each statement's `%(name)s` placeholders into PostgreSQL's `$n` before sending it,
and caches the result only for statements up to 4,096 characters. The next-card statement (the
day's counts beside the due candidates and their clips) is about 5,000: parsed again at every
card, a sixth of its cost in the web process. `cache_long_statements` raises that limit; the
statements are built once, so the cache holds a bounded set of them.
"""

from __future__ import annotations

import select

from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

#: connections older than this are replaced at checkout (below common firewall idle timeouts)
RECYCLE_SECONDS = 1800

#: the longest statement whose parsed form psycopg keeps (its own default: 4,096 characters)
CACHED_STATEMENT_LENGTH = 16_384


def cache_long_statements() -> None:
    """Let psycopg cache the parsed form of statements up to `CACHED_STATEMENT_LENGTH`
    characters. A psycopg without that limit is left as it is:
    `test_the_next_card_statement_is_parsed_once_not_at_every_card` then fails."""
    try:
        from psycopg import _queries
    except ImportError:  # no psycopg: SQLite only
        return
    limit = getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None)
    if limit is not None:
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(limit, CACHED_STATEMENT_LENGTH)


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
