"""Gunicorn settings read from the working directory: warn when rate limits are not shared."""

import os


def on_starting(server):
    from app.ratelimits import check_shared_store

    storage = os.environ.get("REDIS_URL") or "memory://"
    check_shared_store(storage, workers=server.cfg.workers)
