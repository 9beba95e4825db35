"""A Qiao cluster on this machine for system tests and load tests: a fresh PostgreSQL database
with the courses and the demo, gunicorn instances and a job worker, started and stopped here."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "two-instances-demo"
REDIS_URL = os.environ.get("QIAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    url: str
    env: dict[str, str]
    tmp: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def base(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start_web(self, name: str) -> None:
        port = self.ports.setdefault(name, free_port())
        env = {**self.env, "QIAO_BIND": f"127.0.0.1:{port}", "QIAO_WORKERS": "2",
               "PROMETHEUS_MULTIPROC_DIR": str(self.tmp / f"metrics-{name}")}  # fmt: skip
        log = (self.tmp / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"),
             "app:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        assert wait(lambda: ok(self.base(name) + "/readyz"), 60), self.log(name)

    def start_worker(self) -> None:
        log = (self.tmp / "worker.log").open("ab")
        self.processes["worker"] = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:  # a graceful stop that hangs is ended hard
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def sql(self, query: str, *args) -> list[tuple]:
        with psycopg.connect(libpq(self.url)) as conn:
            return conn.execute(query, args).fetchall()


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=3).status_code == 200
    except requests.RequestException:
        return False


def wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextmanager
def running_cluster(
    base: str, tmp: Path, webs: tuple[str, ...] = ("a", "b"), *, with_worker: bool = True
) -> Iterator[Cluster]:
    """A fresh database beside the one `base` (a PostgreSQL URL) names, with the courses and
    the demo imported; gunicorn instances named `webs`; a job worker. Dropped afterwards."""
    import redis

    assert base.startswith("postgresql"), "needs a PostgreSQL URL"
    name = f"qiao_sys_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = libpq(str(make_url(base).set(database="postgres")))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = str(make_url(base).set(database=name).render_as_string(hide_password=False))
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "two-instances-" + uuid.uuid4().hex,
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": f"qiao-sys-{uuid.uuid4().hex[:8]}",
        "QIAO_INSTANCE": str(tmp / "instance"),
        "AUDIO_DIR": str(tmp / "audio"),
        "QIAO_DEMO_PASSWORD": PASSWORD,
        "TTS_ENGINE": "espeak",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TEST_DATABASE_URL", None)
    flask(env, "db", "upgrade")
    flask(env, "courses", "import", "courses")
    flask(env, "seed-demo")
    running = Cluster(url, env, tmp)
    try:
        for web in webs:
            running.start_web(web)
        if with_worker:
            running.start_worker()
        yield running
    finally:
        for process_name in list(running.processes):
            running.kill(process_name, signal.SIGTERM)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
