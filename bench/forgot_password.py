"""Does «forgot password» answer as fast for an unknown address as for a known one?

Usage: ``python bench/forgot_password.py [--requests N]`` from the repository root.

In a scratch instance (temporary SQLite database) it posts the form N times, alternating a known
and an unknown address, through the test client, and prints the median and 90th percentile of
each. The look-up, the token and the e-mail happen after the response (the test client never
closes it, so that work is not in the figures: it is not in what the asker waits for either).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="qiao-bench-")
    os.environ["QIAO_INSTANCE"] = folder
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts import create_account
    from app.extensions import db
    from app.models import Company, Role

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        company = Company(slug="bench", name="Bench")
        db.session.add(company)
        db.session.flush()
        create_account(None, email="known@bench.example", full_name="Known", company=company,
                    roles={Role.LEARNER}, password="known-password-1")  # fmt: skip
        db.session.commit()
    client = app.test_client()
    html = client.get("/auth/forgot").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for i in range(args.requests):
        who = "known" if i % 2 else "unknown"
        start = time.perf_counter()
        client.post("/auth/forgot", data={"csrf_token": token, "email": f"{who}@bench.example"})
        times[who].append((time.perf_counter() - start) * 1000)
    for who, values in times.items():
        values = values[10:]  # warm-up
        print(f"{who:8} median {statistics.median(values):6.2f} ms   "
              f"p90 {statistics.quantiles(values, n=10)[8]:6.2f} ms   n={len(values)}")  # fmt: skip


if __name__ == "__main__":
    main()
