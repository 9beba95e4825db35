"""gunicorn settings for Qiao: `gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'`.

Without REDIS_URL, several workers keep their own rate-limit counters; the start says so.

Workers share their Prometheus samples through PROMETHEUS_MULTIPROC_DIR, so /metrics on any
worker reports the whole instance.

The app is loaded once in the master (`preload_app`, QIAO_PRELOAD=0 turns it off), with the
read-only language data (lexicon, jieba, pinyin tables, CC-CEDICT, g2pM's weights) loaded before
the fork and frozen out of the garbage collector's reach, so that the workers share those pages
instead of each holding a copy (`bench/memory.py` measures it)."""

import gc
import os
import shutil
import tempfile

bind = os.environ.get("QIAO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QIAO_WORKERS", "2"))
timeout = 60
accesslog = None  # Qiao logs one line per request itself, with its request id
preload_app = os.environ.get("QIAO_PRELOAD", "1") != "0"

os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"qiao-metrics-{os.getpid()}")
)


def on_starting(server):
    """Start every run with an empty metrics folder (old workers' files would be summed in)."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    # several workers with per-process rate-limit counters multiply every limit: say so loudly
    from app.ratelimits import check_shared_store

    check_shared_store(os.environ.get("REDIS_URL") or "memory://", workers=server.cfg.workers)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    """In the master, before the first fork: load the language data the workers will share."""
    if not server.cfg.preload_app:
        return
    from app.chinese.warm import preload

    preload()
    # objects made so far live for good: keep the collector from touching (and so copying)
    # their pages in every worker
    gc.freeze()


def post_fork(server, worker):
    """A worker never uses a database connection opened by the master before the fork."""
    if not server.cfg.preload_app:
        return
    from app.extensions import db

    for engines in getattr(db, "_app_engines", {}).values():
        for engine in engines.values():
            engine.dispose(close=False)
