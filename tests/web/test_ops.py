"""Probes, metrics and request logs, as a load balancer, Prometheus and an operator see them."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import uuid

from app import create_app
from app.ops import readiness
from app.ops.logs import JsonFormatter, request_id_from
from tests.web.test_review_web import api_get, api_post, learner  # noqa: F401 - fixture

ALL = dict.fromkeys(("anonymous", "learner", "trainer", "hr", "admin"), 200)
SIGNED_IN = ("learner", "trainer", "hr", "admin")
UNKNOWN_JOB = "0b6f3c1e-0000-4000-8000-000000000000"
#: Part of the access matrix (tests/web/test_access.py): the probes answer everyone; /metrics
#: answers the test client's 127.0.0.1 (an allowed address by default).
OPS_MATRIX = {
    "ops.healthz": [(lambda p, c: "/healthz", ALL)],
    "ops.readyz": [(lambda p, c: "/readyz", ALL)],
    "ops.metrics": [(lambda p, c: "/metrics", ALL)],
    # a job is seen by whoever started it (tests/integration/test_jobs.py); nobody else
    "jobs.my_jobs": [(lambda p, c: "/jobs/", dict.fromkeys(SIGNED_IN, 200))],
    "jobs.job_page": [(lambda p, c: f"/jobs/{UNKNOWN_JOB}", dict.fromkeys(SIGNED_IN, 404))],
    "jobs.job_json": [
        (
            lambda p, c: f"/api/v1/jobs/{UNKNOWN_JOB}",
            {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404)},
        )
    ],
}


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one Prometheus sample (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(r"^(\w+)\{(.*)\} (\S+)$", line)
        if match and match[1] == name:
            got = ",".join(sorted(match[2].split(",")))
            if got == wanted:
                return float(match[3])
    return 0.0


def test_healthz_answers_without_a_database(tmp_path, monkeypatch):
    monkeypatch.setenv("QIAO_INSTANCE", str(tmp_path))
    broken = create_app(
        {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/no/such/dir/q.db"}
    )
    client = broken.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert [f["check"] for f in ready.get_json()["failed"]] == ["database"]


def test_readyz_checks_database_migrations_and_redis(app, client, monkeypatch):
    assert client.get("/readyz").get_json() == {"status": "ok"}

    monkeypatch.setattr(readiness, "migration_heads", lambda directory: {"future_revision"})
    behind = client.get("/readyz")
    assert behind.status_code == 503
    assert behind.get_json()["failed"][0]["check"] == "migrations"
    assert "future_revision" in behind.get_json()["failed"][0]["error"]
    monkeypatch.undo()

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    no_redis = client.get("/readyz")
    assert no_redis.status_code == 503
    assert [f["check"] for f in no_redis.get_json()["failed"]] == ["redis"]


def test_metrics_count_requests_and_review_answers(client, learner):  # noqa: F811
    before = client.get("/metrics").get_data(as_text=True)
    card = api_get(client).get_json()
    body = {"card_id": card["card_id"], "rating": 3, "review_id": str(uuid.uuid4())}
    assert api_post(client, "/api/v1/review/answer", body).status_code == 200
    assert api_post(client, "/api/v1/review/answer", body).get_json()["status"] == "duplicate"
    after = client.get("/metrics")
    assert after.status_code == 200 and after.mimetype == "text/plain"
    text = after.get_data(as_text=True)
    labels = {"endpoint": "review_api.answer", "method": "POST", "status": "200"}
    assert sample(text, "qiao_http_requests_total", **labels) == (
        sample(before, "qiao_http_requests_total", **labels) + 2
    )
    # the retried answer is one answer
    assert sample(text, "qiao_review_answers_total", rating="3") == (
        sample(before, "qiao_review_answers_total", rating="3") + 1
    )
    assert sample(text, "qiao_http_request_duration_seconds_count", endpoint="review_api.answer")


def test_metrics_only_for_allowed_addresses_or_the_token(app, client, monkeypatch):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 403
    monkeypatch.setitem(app.config, "METRICS_ALLOW_FROM", "203.0.113.0/24")
    assert client.get("/metrics", environ_base=outside).status_code == 200
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-scrape-token")
    assert client.get("/metrics", environ_base=outside).status_code == 403
    authorised = {"Authorization": "Bearer s3cret-scrape-token"}
    assert client.get("/metrics", headers=authorised, environ_base=outside).status_code == 200


def test_metrics_add_up_over_several_workers(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR two worker processes' requests are summed in one scrape."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    worker = (
        "from app.ops.metrics import observe_request\n"
        "observe_request('learn.dashboard', 'GET', 200, 0.02)\n"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], env=env, check=True)
    scrape = subprocess.run(
        [sys.executable, "-c", "from app.ops.metrics import exposition; "
         "print(exposition()[0].decode())"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    labels = {"endpoint": "learn.dashboard", "method": "GET", "status": "200"}
    assert sample(scrape, "qiao_http_requests_total", **labels) == 2


def test_each_request_logs_one_line_with_its_id(client, make_company, make_user, caplog):
    from tests.helpers import sign_in

    person = make_user("learner@alpha.example", make_company("alpha", "Альфа"))
    sign_in(client, person.email)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="qiao.request"):
        response = client.get("/", headers={"X-Request-ID": "lb-7f3a9c21"})
    assert response.headers["X-Request-ID"] == "lb-7f3a9c21"
    (record,) = [r for r in caplog.records if r.name == "qiao.request"]
    assert record.request_id == "lb-7f3a9c21"
    assert (record.method, record.path, record.status) == ("GET", "/", 200)
    assert record.user_id == person.id
    assert record.company_id == person.company_id
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "lb-7f3a9c21" and line["status"] == 200

    fresh = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["X-Request-ID"])


def test_request_ids_are_tokens():
    assert request_id_from("abc") != "abc"  # too short to be a proxy's id
    assert request_id_from("a" * 65) != "a" * 65
    assert request_id_from("req-1234.abcd_EF") == "req-1234.abcd_EF"
