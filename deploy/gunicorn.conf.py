"""gunicorn settings for Qiao: `gunicorn -c deploy/gunicorn.conf.py 'app:create_app()'`.

Workers share their Prometheus samples through PROMETHEUS_MULTIPROC_DIR, so /metrics on any
worker reports the whole instance."""

import os
import shutil
import tempfile

bind = os.environ.get("QIAO_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QIAO_WORKERS", "2"))
timeout = 60
accesslog = None  # Qiao logs one line per request itself, with its request id

os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"qiao-metrics-{os.getpid()}")
)


def on_starting(server):
    """Start every run with an empty metrics folder (old workers' files would be summed in)."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
