"""Rate limits beyond Flask-Limiter's decorators, and the check that the limit store is shared.

Flask-Limiter keeps its counters in `RATELIMIT_STORAGE_URI`: Redis when `REDIS_URL` is set,
otherwise `memory://`, which is private to one process. With several gunicorn workers each
worker then counts on its own and every limit is multiplied by the number of workers; the app
says so loudly at start (`check_shared_store`).
"""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Callable, Mapping

from limits import parse

log = logging.getLogger("qiao.security")


def _limiter():
    """The limiter's strategy, or None when rate limits are switched off (RATELIMIT_ENABLED)."""
    from app.extensions import limiter

    return limiter.limiter if limiter.enabled else None


def hit(limit: str, *keys: str) -> bool:
    """Count one event against `limit` for `keys`; False once the limit is exceeded."""
    strategy = _limiter()
    return strategy is None or strategy.hit(parse(limit), "qiao", *keys)


def exceeded(limit: str, *keys: str) -> bool:
    """True if the events counted for `keys` have used up `limit` (nothing is counted)."""
    strategy = _limiter()
    return strategy is not None and not strategy.test(parse(limit), "qiao", *keys)


def configured(name: str) -> Callable[[], str]:
    """A limit read from the configuration at request time (tests and deployments tune it)."""

    def value() -> str:
        from flask import current_app

        return current_app.config[name]

    return value


def posts_limited(
    setting: str, *, key_func: Callable[[], str] | None = None, deduct_when=None
) -> Callable:
    """Flask-Limiter's decorator for a form page: its POSTs (never its GETs) limited to the
    configured rate `setting`, per `key_func` (the limiter's default: the client address) and,
    with `deduct_when`, counting only the requests it says failed."""
    from app.extensions import limiter

    return limiter.limit(
        configured(setting), key_func=key_func, methods=["POST"], deduct_when=deduct_when
    )


def user_or_address_key() -> str:
    """Limit key: the signed-in user (whatever address they use), else the client address."""
    from flask import request
    from flask_login import current_user

    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"


def workers_from_environment(environ: Mapping[str, str]) -> int:
    """How many worker processes gunicorn was told to start (`QIAO_WORKERS` of
    deploy/gunicorn.conf.py, `WEB_CONCURRENCY`, `-w N`)."""
    count = 1
    for name in ("QIAO_WORKERS", "WEB_CONCURRENCY"):
        value = environ.get(name, "").strip()
        if value.isdigit():
            count = max(count, int(value))
    try:
        args = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    except ValueError:
        args = []
    for index, arg in enumerate(args):
        if arg in ("-w", "--workers") and index + 1 < len(args) and args[index + 1].isdigit():
            count = int(args[index + 1])
        elif match := re.fullmatch(r"(?:--workers=|-w)(\d+)", arg):
            count = int(match.group(1))
    return count


def check_shared_store(storage_uri: str, *, workers: int) -> bool:
    """Warn loudly when several processes would each keep their own limit counters.

    Returns True when the limits hold as configured.
    """
    if workers <= 1 or not storage_uri.startswith("memory://"):
        return True
    log.warning(
        "RATE LIMITS ARE NOT SHARED: %d workers each count in their own memory:// store, so every "
        "limit (sign-in, answers, previews) is %d times looser. Set REDIS_URL so that all "
        "workers share one store, or run a single worker.",
        workers,
        workers,
    )
    return False
