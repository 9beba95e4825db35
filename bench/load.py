"""Load test: the locust journeys (bench/locustfile.py) against one, then two gunicorn instances.

Usage: ``python bench/load.py [--users 30] [--seconds 60] [--database postgresql+psycopg://…]``
from the repository root (PostgreSQL and Redis on this machine; a database of its own is made
and dropped). Prints p50/p95 per request type, failures and requests/s for both runs; the
figures are only comparable within one run (the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.system.cluster import PASSWORD, running_cluster  # noqa: E402


def run_locust(hosts: list[str], users: int, seconds: int, prefix: Path) -> list[dict]:
    env = {"QIAO_HOSTS": ",".join(hosts), "QIAO_DEMO_PASSWORD": PASSWORD}
    import os

    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/locustfile.py"), "--headless",
         "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", hosts[0],
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        check=False, env={**os.environ, **env}, cwd=ROOT,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def report(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(f"{'request':<22}{'count':>7}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>8}")
    for row in rows:
        print(f"{row['Name'][:21]:<22}{row['Request Count']:>7}{row['Failure Count']:>6}"
              f"{row['50%']:>8}{row['95%']:>8}{float(row['Requests/s']):>8.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    totals = {}
    for webs in (("a",), ("a", "b")):
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_cluster(args.database, Path(tmp), webs) as cluster,
        ):
            rows = run_locust([cluster.base(w) for w in webs], args.users, args.seconds,
                              Path(tmp) / "locust")  # fmt: skip
        label = (
            f"{len(webs)} instance(s) × 2 gunicorn workers, {args.users} users, {args.seconds} s"
        )
        report(label, rows)
        totals[len(webs)] = next(r for r in rows if r["Name"] == "Aggregated")
    one, two = totals[1], totals[2]
    print(
        f"\naggregated: one instance {float(one['Requests/s']):.1f} req/s (p95 {one['95%']} ms), "
        f"two instances {float(two['Requests/s']):.1f} req/s (p95 {two['95%']} ms): "
        f"{float(two['Requests/s']) / max(float(one['Requests/s']), 0.001):.2f}×"
    )


if __name__ == "__main__":
    main()
