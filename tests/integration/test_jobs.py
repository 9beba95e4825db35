"""Background jobs: dispatched after commit, retried with their error kept, visible to whoever
started them, and a job whose worker is killed is run again with its effects happening once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import enqueue
from app.jobs.runner import reap
from app.models import AuditEvent, Job, utcnow
from tests import jobs_fixtures
from tests.helpers import sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _test_kinds(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODULES", "tests.jobs_fixtures")
    jobs_fixtures.CALLS.clear()


def markers(marker: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == marker))


def fresh(job_id: str) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def test_a_job_runs_after_its_transaction_commits(app_ctx, people):
    job = enqueue("test.record", {"marker": "m1"}, user=people.learner_a)
    assert fresh(job.id).status == "queued" and not jobs_fixtures.CALLS
    db.session.commit()
    done = fresh(job.id)
    assert (done.status, done.progress, done.result, done.attempts) == (
        "done",
        100,
        {"marker": "m1"},
        1,
    )
    assert markers("m1") == 1


def test_a_rolled_back_job_never_runs(app_ctx, people):
    job_id = enqueue("test.record", {"marker": "m2"}, user=people.learner_a).id
    db.session.rollback()
    db.session.commit()
    assert db.session.get(Job, job_id) is None and not jobs_fixtures.CALLS


def test_failures_are_retried_then_reported(app_ctx, people):
    flaky = enqueue("test.record", {"marker": "m3", "fail_times": 2}, user=people.learner_a)
    db.session.commit()
    assert (fresh(flaky.id).status, fresh(flaky.id).attempts) == ("done", 3)
    assert markers("m3") == 1

    broken = enqueue("test.record", {"marker": "m4", "fail_times": 5}, user=people.learner_a)
    db.session.commit()
    failed = fresh(broken.id)
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert "temporary failure" in failed.error and markers("m4") == 0

    refused = enqueue("test.record", {"marker": "m5", "refuse": True}, user=people.learner_a)
    db.session.commit()
    # an expected failure is not retried, and its Russian message is what the person sees
    assert (fresh(refused.id).status, fresh(refused.id).attempts) == ("failed", 1)
    assert fresh(refused.id).error == "Файл повреждён: строка 3."


def test_the_same_key_gives_the_same_job(app_ctx, people, app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_BACKEND", "rq-not-reached")
    first = enqueue("test.record", {"marker": "m6"}, user=people.learner_a, key="lesson:7")
    second = enqueue("test.record", {"marker": "m6"}, user=people.learner_a, key="lesson:7")
    assert first.id == second.id
    db.session.rollback()


def test_the_sweeper_runs_again_what_a_dead_worker_left(app_ctx, people, app):
    job = Job(id=str(uuid.uuid4()), kind="test.record", payload={"marker": "m7"},
              status="running", attempts=1, max_attempts=3, progress=40,
              heartbeat_at=utcnow() - timedelta(minutes=10), created_by_id=people.learner_a.id)  # fmt: skip
    gone = Job(id=str(uuid.uuid4()), kind="test.record", payload={"marker": "m8"},
               status="running", attempts=3, max_attempts=3, progress=40,
               heartbeat_at=utcnow() - timedelta(minutes=10))  # fmt: skip
    alive = Job(id=str(uuid.uuid4()), kind="test.record", payload={"marker": "m9"},
                status="running", attempts=1, max_attempts=3, heartbeat_at=utcnow())  # fmt: skip
    db.session.add_all([job, gone, alive])
    db.session.commit()
    assert reap() == [job.id]
    assert (fresh(job.id).status, fresh(job.id).attempts, markers("m7")) == ("done", 2, 1)
    assert fresh(gone.id).status == "failed" and "worker lost" in fresh(gone.id).error
    assert fresh(alive.id).status == "running"


def test_only_the_starter_and_admins_see_a_job(client, people, app_ctx):
    job = enqueue("test.record", {"marker": "m10"}, user=people.learner_a)
    db.session.commit()
    sign_in(client, people.learner_a.email)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Запись события" in page and "готово" in page and 'value="100"' in page
    assert client.get(f"/api/v1/jobs/{job.id}").get_json()["status"] == "done"
    assert "Запись события" in client.get("/jobs/").get_data(as_text=True)
    other = client.application.test_client()
    sign_in(other, people.hr_a.email)
    assert other.get(f"/jobs/{job.id}").status_code == 404
    assert other.get(f"/api/v1/jobs/{job.id}").status_code == 404
    admin = client.application.test_client()
    sign_in(admin, people.admin.email)
    assert admin.get(f"/jobs/{job.id}").status_code == 200


# --------------------------------------------------------------------------- RQ on Redis


def _redis_url() -> str:
    url = os.environ.get("QIAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        pytest.skip(f"NOTICE: Redis is not reachable at {url}; the RQ worker tests need it")
    return url


def _worker(app, redis_url: str, queue: str, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "QIAO_INSTANCE": app.instance_path,
        "SECRET_KEY": "test-secret",
        "REDIS_URL": redis_url,
        "JOBS_QUEUE": queue,
        "JOBS_MODULES": "tests.jobs_fixtures",
        "JOBS_LEASE_SECONDS": "3",
        "PYTHONPATH": str(ROOT),
    }
    # the worker's log goes to a file: a pipe nobody reads fills up and blocks the worker
    log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process; read by _output)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    process.log = log  # type: ignore[attr-defined]
    return process


def _output(process: subprocess.Popen) -> str:
    """What a worker has printed so far."""
    process.log.seek(0)  # type: ignore[attr-defined]
    return process.log.read().decode(errors="replace")  # type: ignore[attr-defined]


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def rq_setup(app, monkeypatch):
    redis_url = _redis_url()
    queue = f"qiao-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "JOBS_BACKEND", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", queue)
    return redis_url, queue


def test_an_rq_worker_runs_the_job(app, app_ctx, people, rq_setup, tmp_path):
    redis_url, queue = rq_setup
    job = enqueue("test.slow", {"marker": "rq1", "steps": 2, "pause": 0.1,
                               "progress_file": str(tmp_path / "p")}, user=people.learner_a)  # fmt: skip
    db.session.commit()
    assert fresh(job.id).status == "queued"
    worker = _worker(app, redis_url, queue, "--burst")
    worker.wait(timeout=120)
    assert worker.returncode == 0, _output(worker)
    assert fresh(job.id).status == "done" and markers("rq1") == 1


def test_a_job_survives_its_worker_being_killed(app, app_ctx, people, rq_setup, tmp_path):
    redis_url, queue = rq_setup
    progress_file = tmp_path / "progress"
    job = enqueue("test.slow", {"marker": "rq2", "steps": 8, "pause": 0.5,
                               "progress_file": str(progress_file)}, user=people.learner_a)  # fmt: skip
    db.session.commit()
    first = _worker(app, redis_url, queue)
    try:
        assert _wait(lambda: progress_file.exists() and progress_file.read_text() >= "2", 60)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # kill -9, mid-job
        first.wait()
    assert fresh(job.id).status == "running" and markers("rq2") == 0
    second = _worker(app, redis_url, queue)
    try:
        assert _wait(lambda: fresh(job.id).status == "done", 90), fresh(job.id).error
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
            pytest.fail(f"the worker did not stop on SIGTERM:\n{_output(second)[-3000:]}")
    finished = fresh(job.id)
    assert finished.attempts == 2 and finished.progress == 100
    assert markers("rq2") == 1  # the killed attempt left nothing; the retry wrote once
