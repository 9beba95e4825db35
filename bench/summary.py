"""Every benchmark in a short mode, and one table of the ratios they print (`make bench`).

    .venv/bin/python bench/summary.py [--only review_http,pages]

Each ratio is measured within its own benchmark's run against that run's baseline (a trivial
request, a small data set, a known address), so a slower product shows as a bigger ratio even
on a busy shared machine; absolute times are not compared. PostgreSQL is used where a
benchmark can when `psql` reaches 127.0.0.1; SQLite otherwise. The full-size runs are the
benchmarks themselves (see each script's docstring).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")


def _postgres() -> bool:
    if not shutil.which("psql"):
        return False
    probe = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "select 1"]
    return subprocess.run(probe, capture_output=True, timeout=10).returncode == 0


_COLUMNS = re.compile(r"\s{2,}")


def _floats(line: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", line.replace(",", ""))]


def review_http(out: str) -> list[tuple[str, str, str]]:
    match = re.search(r"answers to trivial requests: ([\d.]+)", out)
    return [("answers per trivial request (higher is better)", match.group(1), "≥ 0.150")]


def pages(out: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in out.splitlines()[1:]:
        numbers = _floats(line)
        name = _COLUMNS.split(line.strip())[0]
        if len(numbers) >= 4 and not name.startswith("trivial"):
            rows.append((f"{name}: × trivial page (SQL {int(numbers[-2])})", f"{numbers[-1]:.1f}",
                         "≤ 4.0"))  # fmt: skip
    return rows


def review(out: str) -> list[tuple[str, str, str]]:
    return [(f"{line.split(' card')[0]} card, platform / baseline median", line.split()[-1], "≈ 1")
            for line in out.splitlines() if "card (median)" in line]  # fmt: skip


def hr_dashboard(out: str) -> list[tuple[str, str, str]]:
    rows, table = [], False
    for line in out.splitlines():
        if line.startswith("figure"):
            table = True
            continue
        if table and line.strip():
            figure = _COLUMNS.split(line.strip())[0]
            rows.append((f"{figure}: large / baseline", line.split()[-1], ""))
    return rows


def forgot_password(out: str) -> list[tuple[str, str, str]]:
    medians = {line.split()[0]: _floats(line)[0] for line in out.splitlines() if "median" in line}
    if len(medians) < 2:
        return []
    known, unknown = list(medians.values())[:2]
    return [("unknown / known address, median", f"{unknown / known:.2f}", "≈ 1")]


def memory(out: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in out.splitlines():
        if line.startswith(("--preload", "no preload")):
            mode = "--preload" if line.startswith("--") else "no preload"
            rows.append((f"USS per worker MB, {mode}", f"{_floats(line)[-2]:.0f}", "≤ 120"))
        if line.startswith("growth over"):
            growth = re.search(r"([+-][\d.]+) MB per 1,000", line).group(1)
            rows.append(("worker USS growth, MB per 1,000 requests", growth, "≈ 0"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    args = parser.parse_args()
    pg = ["--postgres"] if _postgres() else []
    runs = {
        "review_http": (["--clients", "4", "--seconds", "5", *pg], review_http),
        "pages": (["--repeat", "8"], pages),
        "review": (["--learners", "40", "--samples", "60", *pg], review),
        "hr_dashboard": (["--people", "500", "--courses", "5"], hr_dashboard),
        "forgot_password": (["--requests", "100"], forgot_password),
        "memory": (["--workers", "2", "--requests", "400"], memory),
    }
    wanted = [n for n in args.only.split(",") if n] or list(runs)
    table = []
    for name in wanted:
        extra, parse = runs[name]
        started = time.perf_counter()
        done = subprocess.run([PYTHON, f"bench/{name}.py", *extra], cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        seconds = time.perf_counter() - started
        try:
            rows = parse(done.stdout) if done.returncode == 0 else []
        except (AttributeError, IndexError, ValueError):
            rows = []
        if not rows:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            rows = [("FAILED: " + tail[0][:70], "-", "")]
        table += [(name, *row, f"{seconds:.0f}") for row in rows]
        print(f"{name}: {seconds:.0f} s", file=sys.stderr)
    width = max(len(row[1]) for row in table)
    print(f"{'benchmark':<16} {'figure':<{width}} {'ratio':>8} {'aim':>8} {'s':>4}")
    for name, figure, value, aim, seconds in table:
        print(f"{name:<16} {figure:<{width}} {value:>8} {aim:>8} {seconds:>4}")


if __name__ == "__main__":
    main()
