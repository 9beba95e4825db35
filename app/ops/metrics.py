"""Prometheus metrics. With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (see
deploy/gunicorn.conf.py): every worker writes its samples there and a scrape sums them all."""

from __future__ import annotations

import ipaddress
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "qiao_http_requests_total", "HTTP requests answered", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "qiao_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REVIEW_ANSWERS = Counter("qiao_review_answers_total", "Review answers recorded", ["rating"])
JOB_OUTCOMES = Counter(
    "qiao_job_runs_total", "Job runs by outcome (done, retry, failed)", ["kind", "outcome"]
)


def job_counts_text(counts: dict[str, int]) -> bytes:
    """Jobs by status from the database (the same for every worker, so not per process)."""
    lines = ["# HELP qiao_jobs Jobs in the database by status", "# TYPE qiao_jobs gauge"]
    lines += [f'qiao_jobs{{status="{status}"}} {counts.get(status, 0)}'
              for status in ("queued", "running", "done", "failed")]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def observe_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    name = endpoint or "unmatched"
    REQUESTS.labels(name, method, str(status)).inc()
    LATENCY.labels(name).observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The metrics of every worker of this instance, in Prometheus text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def address_allowed(address: str | None, allowed: str) -> bool:
    """Whether `address` lies in one of the comma-separated networks of `allowed`."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in filter(None, (part.strip() for part in allowed.split(","))):
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False
