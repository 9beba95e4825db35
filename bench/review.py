"""Review queue and answer cost: 10,000 cards against 1,000,000 cards (2,000 learners).

    .venv/bin/python bench/review.py                       # SQLite in a temporary folder
    .venv/bin/python bench/review.py --postgres            # a scratch PostgreSQL database
    .venv/bin/python bench/review.py --learners 200        # a quicker run (100,000 cards)

It builds a fresh database, seeds 20 learners × 500 cards (10,000 cards), times fetching the next
card and answering it for those learners, then seeds up to `--learners` × 500 cards plus one
heavy learner with 20,000 cards, and times the same operations for learners of the same shape
that have not been touched yet, and for the heavy learner. Figures are medians and 95th
percentiles in milliseconds, with the number of SQL statements, and the ratio of the big run
to the baseline measured in this same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PER_LEARNER = 500
BASE_LEARNERS = 20
HEAVY = 20_000


def measure(db, users, samples: int) -> dict:
    """Time next_card and answer (commit included) over `samples` rounds across `users`."""
    from sqlalchemy import event

    from app.models import utcnow
    from app.review import answers, daily_queue

    statements = {"n": 0}

    def count(*_a, **_k):
        statements["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    nxt, ans, q_next, q_answer = [], [], [], []
    try:
        for i in range(samples):
            user = users[i % len(users)]
            now = utcnow()
            statements["n"] = 0
            t0 = time.perf_counter()
            shown, _counts = daily_queue.next_card(user, now)
            t1 = time.perf_counter()
            q_next.append(statements["n"])
            if shown is None:
                continue
            statements["n"] = 0
            t2 = time.perf_counter()
            answers.answer(
                user, card_id=shown.card.id, rating=1 + i % 4, review_id=str(uuid.uuid4()),
                duration_ms=3000, now=now, version=shown.card.version,
            )  # fmt: skip
            db.session.commit()
            t3 = time.perf_counter()
            q_answer.append(statements["n"])
            nxt.append((t1 - t0) * 1000)
            ans.append((t3 - t2) * 1000)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    def p95(values):
        return sorted(values)[int(len(values) * 0.95) - 1]

    return {
        "next": (statistics.median(nxt), p95(nxt), max(q_next)),
        "answer": (statistics.median(ans), p95(ans), max(q_answer)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL printed)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="qiao-bench-review-"))
    pg_name = f"qiao_bench_review_{os.getpid()}"
    if args.postgres:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        f"CREATE DATABASE {pg_name}"], check=True)  # fmt: skip
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}"
    else:
        url = f"sqlite:///{folder / 'bench.db'}"
    os.environ["QIAO_INSTANCE"] = str(folder)

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Card, User
    from app.review.cli import seed_synthetic

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    try:
        with app.app_context():
            upgrade()

            def learners(first: int, count: int) -> list:
                emails = [f"synth-{n}@synthetic.example" for n in range(first, first + count)]
                return list(db.session.scalars(select(User).where(User.email.in_(emails))))

            seed_synthetic(learners=BASE_LEARNERS, cards_per_learner=PER_LEARNER)
            small_cards = db.session.scalar(select(func.count(Card.id)))
            measure(db, learners(0, 2), 20)  # warm up caches and the scheduler
            small = measure(db, learners(0, BASE_LEARNERS), args.samples)

            started = time.perf_counter()
            seed_synthetic(learners=args.learners, cards_per_learner=PER_LEARNER, heavy_cards=HEAVY)
            seeded = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.exec_driver_sql("ANALYZE")
                    conn.commit()
            big_cards = db.session.scalar(select(func.count(Card.id)))
            dialect = db.engine.dialect.name
            big = measure(db, learners(BASE_LEARNERS, BASE_LEARNERS), args.samples)
            heavy = measure(
                db,
                list(db.session.scalars(select(User).where(User.email.like("synth-heavy@%")))),
                args.samples // 2,
            )  # fmt: skip

        print(f"database: {dialect}; seeded {big_cards - small_cards:,} cards "
              f"in {seeded:.0f} s")  # fmt: skip
        print(f"{'operation':<22}{'baseline':>22}{'platform':>24}{'ratio':>8}")
        print(f"{'':<22}{f'{small_cards:,} cards':>22}{f'{big_cards:,} cards':>24}")
        for op in ("next", "answer"):
            (m0, p0, q0), (m1, p1, q1) = small[op], big[op]
            print(f"{op + ' card (median)':<22}{m0:>15.2f} ms q={q0:<3}{m1:>17.2f} ms q={q1:<3}"
                  f"{m1 / m0:>8.2f}")  # fmt: skip
            print(f"{op + ' card (p95)':<22}{p0:>15.2f} ms{'':6}{p1:>17.2f} ms{'':6}"
                  f"{p1 / p0:>8.2f}")  # fmt: skip
        for op in ("next", "answer"):
            (m0, _p0, _q0), (mh, ph, qh) = small[op], heavy[op]
            print(f"heavy learner ({HEAVY:,} cards) {op}: median {mh:.2f} ms, p95 {ph:.2f} ms, "
                  f"q={qh}; ratio to baseline {mh / m0:.2f}")  # fmt: skip
        if args.keep:
            print(f"kept: {url}")
    finally:
        if args.postgres and not args.keep:
            with app.app_context():
                db.engine.dispose()
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {pg_name}"], check=False)  # fmt: skip


if __name__ == "__main__":
    main()
