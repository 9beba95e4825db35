"""Memory of gunicorn workers: unique memory per worker with and without `--preload`, and its
growth over many requests.

    .venv/bin/python bench/memory.py [--workers 3] [--requests 10000]

Builds a scratch instance (SQLite, the three courses, the demo), then for each mode starts
gunicorn with deploy/gunicorn.conf.py (QIAO_PRELOAD=1, then 0), signs in as the demo learner and
opens a lesson page and the other pages on every worker, so that each has used the language
data and compiled its templates. Read from
/proc/<pid>/smaps_rollup: USS (private clean + private dirty: what a worker costs beyond what
it shares) and PSS. Then, with preload, `--requests` more requests (a lesson page every
eighth, then dashboard, catalogue, review page) and the workers' USS half-way and at the end:
the growth over the second half, per 1,000 requests, is the steady one.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rollup(pid: int) -> dict[str, int]:
    """smaps_rollup of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        values[name] = int(value.split()[0])
    return values


def _uss_mb(pid: int) -> float:
    r = _rollup(pid)
    return (r["Private_Clean"] + r["Private_Dirty"]) / 1024


def _pss_mb(pid: int) -> float:
    return _rollup(pid)["Pss"] / 1024


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


class Client:
    """One keep-alive-less client with the session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def get(self, path: str, body: bytes | None = None, method: str = "GET") -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, data


def _sign_in(client: Client) -> None:
    _status, page = client.get("/auth/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"email": "learner@lassard.demo", "password": PASSWORD, "csrf_token": token.decode()}
    status, _ = client.get("/auth/login", urlencode(form).encode(), "POST")
    assert status == 302, status


def _serve(env: dict, workers: int, preload: bool) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**env, "QIAO_BIND": f"127.0.0.1:{port}", "QIAO_WORKERS": str(workers),
           "QIAO_PRELOAD": "1" if preload else "0"}  # fmt: skip
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(600):
        if len(_children(server.pid)) >= workers:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                return server, port
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="qiao-bench-mem-"))
    env = {**os.environ, "QIAO_INSTANCE": str(scratch), "SECRET_KEY": "bench-secret",
           "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}", "RATELIMIT_ENABLED": "0",
           "PROMETHEUS_MULTIPROC_DIR": str(scratch / "metrics")}  # fmt: skip
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.content.importer import import_courses
    from app.content.validate import validate_tree
    from app.demo import seed_demo
    from app.extensions import db
    from app.models import Course, Lesson

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        import_courses(validate_tree(ROOT / "courses"))
        seed_demo(PASSWORD)
        db.session.commit()
        course = db.session.scalar(select(Course).where(Course.slug == "business-chinese-1"))
        lesson = db.session.scalar(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        )
        lesson_url = f"/lessons/{lesson.id}"
        db.engine.dispose()

    rows = []
    for preload in (True, False):
        server, port = _serve(env, args.workers, preload)
        try:
            client = Client(port)
            _sign_in(client)
            urls = [lesson_url, "/", "/courses", "/review/", "/", "/courses", "/review/", "/"]
            for number in range(8 * args.workers):  # new connection each: every worker gets some
                status, _ = client.get(urls[number % len(urls)])
                assert status == 200, (urls[number % len(urls)], status)
            workers = _children(server.pid)
            uss = [_uss_mb(pid) for pid in workers]
            rows.append((preload, _uss_mb(server.pid), uss, [_pss_mb(pid) for pid in workers]))
            if preload and args.requests:
                started = time.perf_counter()
                for number in range(args.requests):
                    status, _ = client.get(urls[number % len(urls)])
                    assert status == 200, status
                    if number + 1 == args.requests // 2:
                        half = [_uss_mb(pid) for pid in workers]
                taken = time.perf_counter() - started
                after = [_uss_mb(pid) for pid in workers]
        finally:
            _stop(server)
    print(f"gunicorn {args.workers} workers (deploy/gunicorn.conf.py), after a lesson page each")
    print(f"{'mode':12} {'master USS':>11} {'USS per worker (MB)':>28} {'mean':>7} {'PSS mean':>9}")
    for preload, master, uss, pss in rows:
        mode = "--preload" if preload else "no preload"
        listed = " ".join(f"{u:.0f}" for u in uss)
        print(f"{mode:12} {master:11.0f} {listed:>28} {sum(uss) / len(uss):7.0f} "
              f"{sum(pss) / len(pss):9.0f}")  # fmt: skip
    if args.requests:
        before = rows[0][2]
        print(f"{args.requests} more requests ({args.requests / taken:.0f}/s; lesson, dashboard, "
              f"catalogue, review page): worker USS after warm-up "
              f"{' '.join(f'{a:.0f}' for a in before)}, half-way "
              f"{' '.join(f'{a:.0f}' for a in half)}, at the end "
              f"{' '.join(f'{a:.0f}' for a in after)} MB")  # fmt: skip
        # the second half, when every cache has met its pages: the steady growth
        growth = [(a - b) for a, b in zip(after, half, strict=True)]
        print(f"growth over the second half: {' '.join(f'{g:+.1f}' for g in growth)} MB, "
              f"{1000 * sum(growth) / len(growth) / (args.requests - args.requests // 2):+.2f} "
              f"MB per 1,000 requests per worker")  # fmt: skip


if __name__ == "__main__":
    main()
