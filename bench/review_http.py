"""Reviews answered per second through the JSON API under gunicorn, next to a trivial endpoint.

    .venv/bin/python bench/review_http.py [--clients 8] [--seconds 15] [--workers 2] [--postgres]
                                          [--pair]

It makes a fresh database with 40 synthetic learners × 500 cards, starts gunicorn on it, signs
each client in as its own learners (the 40 shared out) and, for `--seconds`, answers cards the
way the review page does: POST /api/v1/review/answer with `"next": true` (CSRF header, a fresh
review id each), whose response brings the next card; GET /api/v1/review/next only for a
learner's first card (or every card with `--pair`, or when the server does not bring it). It
goes on with its next learner when one has nothing left today (a learner's day holds a few
hundred answers: a fast server would otherwise measure empty queues); for as long again the same
clients hit a trivial endpoint of the same app (GET /static/favicon.svg). The two alternate in
slices of 2.5 s, all clients switching together, so that both meet the same load of a shared
machine. Printed: answers per second, requests per second of both, and their ratio.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A keep-alive HTTP client with a cookie jar of one session cookie."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data


def _sign_in(client: Client, email: str) -> str:
    _status, page = client.request("GET", "/auth/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token.decode()})
    status, _ = client.request(
        "POST", "/auth/login", form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 302, status
    _status, page = client.request("GET", "/review/")
    return re.search(rb'data-csrf="([^"]+)"', page).group(1).decode()


def _signed_in(args) -> tuple[str, str]:
    port, email = args
    client = Client(port)
    csrf = _sign_in(client, email)
    return client.cookie, csrf


#: synthetic learners, shared out among the clients
LEARNERS = 40

#: the two loads alternate in slices of this many seconds, so both meet the same machine load
SLICE = 2.5


def _review_once(client: Client, headers: dict, card: dict | None, chained: bool):
    """Answer one card: (answers, requests, errors, the next card if the answer brought it).

    The card comes from GET next unless the previous answer brought it (`chained`: the answer
    asks for the next card, as the review page does; a server that does not bring it is asked
    with GET next, so the same client measures an older server too)."""
    requests = 0
    if card is None:
        status, data = client.request("GET", "/api/v1/review/next", headers=headers)
        requests += 1
        card = json.loads(data) if status == 200 else {}
        if not card.get("card_id"):
            return 0, requests, int(status != 200), None
    answer = {"card_id": card["card_id"], "rating": 3, "version": card["version"],
              "review_id": str(uuid.uuid4()), "duration_ms": 1500}  # fmt: skip
    if chained:
        answer["next"] = True
    status, data = client.request(
        "POST", "/api/v1/review/answer", json.dumps(answer).encode(), headers
    )
    following = json.loads(data).get("next") if status == 200 and chained else None
    if following is not None and not following.get("card_id"):
        following = None
    return int(status == 200), requests + 1, int(status != 200), following


def _worker(args) -> tuple[int, int, int, int, float, float]:
    """Alternate review and trivial slices; every client waits for all the others between
    slices, so no review request is still running while the trivial endpoint is timed."""
    port, learners, seconds, barrier, chained = args
    client = Client(port)
    turn = 0

    def learner(n: int) -> dict:
        cookie, csrf = learners[n % len(learners)]
        client.cookie = cookie
        return {"X-CSRFToken": csrf, "Content-Type": "application/json"}

    headers = learner(turn)
    card = None
    answers = requests = errors = trivial = 0
    review_time = trivial_time = 0.0
    for phase in range(2 * max(1, round(seconds / SLICE))):
        barrier.wait()
        started = time.perf_counter()
        while time.perf_counter() - started < SLICE:
            if phase % 2:
                status, _ = client.request("GET", "/static/favicon.svg")
                trivial += status in (200, 304)
            else:
                done = _review_once(client, headers, card, chained)
                answers, requests, errors = (answers + done[0], requests + done[1],
                                             errors + done[2])  # fmt: skip
                card = done[3]
                if not done[0] and not done[2]:  # nothing left today: the next learner
                    turn += 1
                    headers = learner(turn)
        if phase % 2:
            trivial_time += time.perf_counter() - started
        else:
            review_time += time.perf_counter() - started
    return answers, requests, errors, trivial, review_time, trivial_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--pair", action="store_true",
        help="GET next then POST answer for every card, instead of answers that bring the next",
    )  # fmt: skip
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="qiao-bench-http-"))
    pg_name = f"qiao_bench_http_{os.getpid()}"
    if args.postgres:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        f"CREATE DATABASE {pg_name}"], check=True)  # fmt: skip
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}"
    else:
        url = f"sqlite:///{folder / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": url, "QIAO_INSTANCE": str(folder),
           "SECRET_KEY": "bench-secret", "FLASK_APP": "wsgi.py"}  # fmt: skip
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import update

    from app import create_app
    from app.accounts import hash_password
    from app.extensions import db
    from app.models import User
    from app.review.cli import seed_synthetic

    app = create_app()
    with app.app_context():
        upgrade()
        seed_synthetic(learners=LEARNERS, cards_per_learner=500)
        db.session.execute(update(User).values(password_hash=hash_password(PASSWORD)))
        db.session.commit()
        if args.postgres:  # fresh statistics, as autovacuum would have them after a bulk load
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()

    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        with multiprocessing.Pool(args.clients) as pool:
            # everyone signs in first (slow password hashing), then all start together
            sessions = pool.map(
                _signed_in, [(port, f"synth-{n}@synthetic.example") for n in range(LEARNERS)]
            )
            barrier = multiprocessing.Manager().Barrier(args.clients)
            jobs = [(port, sessions[c :: args.clients], args.seconds, barrier, not args.pair)
                    for c in range(args.clients)]  # fmt: skip
            results = pool.map(_worker, jobs)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        if args.postgres:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {pg_name}"], check=False)  # fmt: skip

    review_time = sum(r[4] for r in results) / len(results)
    trivial_time = sum(r[5] for r in results) / len(results)
    answers = sum(r[0] for r in results) / review_time
    requests = sum(r[1] for r in results) / review_time
    errors = sum(r[2] for r in results)
    trivial = sum(r[3] for r in results) / trivial_time
    name = "postgresql" if args.postgres else "sqlite"
    print(f"gunicorn {args.workers} workers, {args.clients} clients, {args.seconds:.0f} s each, "
          f"{name}")  # fmt: skip
    loop = "GET next + POST answer" if args.pair else "POST answer bringing the next card"
    print(f"reviews answered ({loop}): {answers:8.1f} /s "
          f"({requests:.1f} requests/s, {errors} errors)")  # fmt: skip
    print(f"trivial endpoint (GET /static/favicon.svg): {trivial:8.1f} requests/s")
    print(f"ratio, review API requests to trivial requests: {requests / trivial:.3f}; "
          f"answers to trivial requests: {answers / trivial:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
