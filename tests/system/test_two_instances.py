"""The production picture on one machine: two gunicorn instances on one PostgreSQL and one Redis,
plus a job worker. Sessions and the login limit are shared, no acknowledged review is lost or
doubled when an instance is killed with `kill -9`, the worker runs the jobs the instances queue,
and a PostgreSQL restart is survived without restarting anything.

Runs in the PostgreSQL pass of `make test` (TEST_DATABASE_URL), on a database of its own."""

from __future__ import annotations

import os
import re
import subprocess
import uuid

import pytest
import requests

from tests.system.cluster import PASSWORD, ok, running_cluster, wait

pytestmark = pytest.mark.postgres_only


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    base = os.environ.get("TEST_DATABASE_URL", "")
    assert base.startswith("postgresql"), "runs in the PostgreSQL pass only"
    with running_cluster(base, tmp_path_factory.mktemp("cluster")) as running:
        yield running


def _csrf(session: requests.Session, url: str) -> str:
    html = session.get(url, timeout=10).text
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]


def _sign_in(session: requests.Session, base: str, email: str, password: str = PASSWORD):
    token = _csrf(session, base + "/auth/login")
    return session.post(base + "/auth/login", data={"csrf_token": token, "email": email,
                        "password": password}, allow_redirects=False, timeout=10)  # fmt: skip


def test_a_session_made_on_one_instance_works_on_the_other(cluster):
    browser = requests.Session()
    assert _sign_in(browser, cluster.base("a"), "learner@lassard.demo").status_code == 302
    page = browser.get(cluster.base("b") + "/", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and "Здравствуйте" in page.text


def test_the_login_limit_is_shared(cluster):
    attacker = requests.Session()
    codes = [
        _sign_in(
            attacker, cluster.base("ab"[i % 2]), "hr@hirana.demo", "wrong-password"
        ).status_code
        for i in range(6)
    ]
    # five wrong passwords per minute for one account from one address, whichever instance
    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_the_worker_runs_jobs_the_instances_queue(cluster):
    trainer = requests.Session()
    assert _sign_in(trainer, cluster.base("b"), "trainer@zone.demo").status_code == 302
    lesson = cluster.base("a") + "/author/c/business-chinese-1/l/greetings"
    html = trainer.get(lesson, timeout=20).text
    version = re.search(r'name="version" value="(\d+)"', html)[1]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]
    response = trainer.post(lesson + "/paste", data={"csrf_token": token, "version": version,
                            "mode": "words", "block": "样品间 — шоурум\n试用期 — испытательный срок"},
                            allow_redirects=False, timeout=30)  # fmt: skip
    assert response.status_code in (302, 303), response.text[:500]

    def audio_job_done() -> bool:
        rows = cluster.sql("SELECT status FROM jobs WHERE kind = 'audio.texts'")
        return bool(rows) and all(status == "done" for (status,) in rows)

    assert wait(audio_job_done, 120), cluster.log("worker")
    made = cluster.sql("SELECT count(*) FROM audio_clips WHERE text IN ('样品间', '试用期')")
    assert made[0][0] >= 2


def test_no_acknowledged_review_is_lost_or_doubled_when_an_instance_dies(cluster):
    learner = requests.Session()
    assert _sign_in(learner, cluster.base("a"), "learner@lassard.demo").status_code == 302
    token = _csrf(learner, cluster.base("a") + "/review/")
    headers = {"X-CSRFToken": token}
    acknowledged: set[str] = set()
    target = "a"
    for answer in range(16):
        if answer == 6:
            cluster.kill("a")  # kill -9 of the whole instance, between two answers
        for _attempt in range(3):
            try:
                card = learner.get(cluster.base(target) + "/api/v1/review/next",
                                   headers=headers, timeout=10).json()  # fmt: skip
                break
            except requests.RequestException:
                target = "b"
        if not card.get("card_id"):
            break
        review_id = str(uuid.uuid4())
        body = {"card_id": card["card_id"], "rating": 3, "review_id": review_id,
                "version": card.get("version")}  # fmt: skip
        if answer == 5:
            # this one is sent to the instance that is about to die, and retried on the other
            learner.post(cluster.base("a") + "/api/v1/review/answer", json=body,
                         headers=headers, timeout=10)  # fmt: skip
        for _attempt in range(3):
            try:
                reply = learner.post(cluster.base(target) + "/api/v1/review/answer",
                                     json=body, headers=headers, timeout=10)  # fmt: skip
            except requests.RequestException:
                target = "b"
                continue
            if reply.status_code == 200:
                acknowledged.add(review_id)
            break
    assert len(acknowledged) >= 10
    stored = cluster.sql("SELECT review_id FROM review_logs")
    stored_ids = [review_id for (review_id,) in stored]
    assert acknowledged <= set(stored_ids), "an acknowledged review was lost"
    assert len(stored_ids) == len(set(stored_ids)), "a review was stored twice"
    cluster.start_web("a")


@pytest.mark.serial
def test_a_postgresql_restart_is_survived(cluster):
    learner = requests.Session()
    assert _sign_in(learner, cluster.base("b"), "learner@hirana.demo").status_code == 302
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                   check=True, timeout=120)  # fmt: skip
    assert wait(lambda: ok(cluster.base("a") + "/readyz") and ok(cluster.base("b") + "/readyz"), 60)
    for name in ("a", "b"):
        page = learner.get(cluster.base(name) + "/", allow_redirects=False, timeout=10)
        assert page.status_code == 200 and "Здравствуйте" in page.text
