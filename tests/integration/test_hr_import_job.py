"""An import of more rows than HR_IMPORT_JOB_ROWS runs as a background job: HR follows its page
to the outcome, and the import happens once however many times its job runs."""

from __future__ import annotations

import io
import os
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.runner import run
from app.models import AuditEvent, Job, User
from tests.conftest import csrf_token, sign_in

ROWS = 40


@pytest.fixture(autouse=True)
def _small_threshold(app, monkeypatch):
    monkeypatch.setitem(app.config, "HR_IMPORT_JOB_ROWS", 10)


def _staff(n: int) -> bytes:
    lines = ["ФИО;E-mail;Должность;Отдел"]
    lines += [f"Сотрудник {i};big{i}@alpha.example;Инженер;Склад" for i in range(n)]
    return "\n".join(lines).encode("utf-8-sig")


def _preview(client, data: bytes) -> str:
    html = client.post(
        "/hr/import",
        data={"csrf_token": csrf_token(client, "/hr/import"), "file": (io.BytesIO(data), "s.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    return re.search(r'name="payload" type="hidden" value="([^"]+)"', html).group(1)


def _confirm(client, payload: str, **extra):
    return client.post(
        "/hr/import/confirm",
        data={"csrf_token": csrf_token(client, "/hr/import"), "payload": payload, **extra},
    )


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    people = db.session.scalar(
        select(func.count(User.id)).where(User.email.like("big%@alpha.example"))
    )
    imports = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "people.import")
    )
    return people, imports


def test_a_large_import_runs_as_a_job_and_happens_once(client, people):
    sign_in(client, people.hr_a.email)
    payload = _preview(client, _staff(ROWS))
    assert _counts() == (0, 0)
    response = _confirm(client, payload)
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Импорт сотрудников" in page and "готово" in page
    assert f"Создано: {ROWS}" in page and "Не удалось: 0" in page
    assert 'href="/hr/people' in page  # the way back
    assert _counts() == (ROWS, 1)
    job = db.session.get(Job, job_id)
    assert job.created_by_id == people.hr_a.id and job.result["created"] == ROWS
    assert all(u.company_id == people.a.id for u in db.session.scalars(
        select(User).where(User.email.like("big%@alpha.example"))))  # fmt: skip

    # the same job run again (as after a worker killed between commit and acknowledgement)
    job.status = "queued"
    db.session.commit()
    assert run(job_id) == "done"
    assert _counts() == (ROWS, 1)
    db.session.expire_all()
    assert db.session.get(Job, job_id).result["created"] == ROWS  # the same outcome reported

    # the same preview confirmed again: a second job, and still one import
    again = _confirm(client, payload)
    second_id = again.headers["Location"].rsplit("/", 1)[1]
    assert second_id != job_id and _counts() == (ROWS, 1)
    assert db.session.get(Job, second_id).result["created"] == ROWS


def test_a_small_import_stays_in_the_request(client, people):
    sign_in(client, people.hr_a.email)
    response = _confirm(client, _preview(client, _staff(5)))
    assert response.headers["Location"].endswith("/hr/people")
    assert _counts() == (5, 1) and db.session.scalar(select(func.count(Job.id))) == 0


def test_a_large_import_with_invitations_hands_them_to_their_own_job(client, people, mailbox):
    sign_in(client, people.hr_a.email)
    response = _confirm(client, _preview(client, _staff(12)), send_invitations="y")
    job = db.session.get(Job, response.headers["Location"].rsplit("/", 1)[1])
    invitations = db.session.get(Job, job.result["invitations_job"])
    assert invitations.kind == "hr.invitations" and invitations.status == "done"
    assert invitations.result == {"sent": 12, "failed": 0}
    assert sorted(r[0] for r, _m in mailbox.messages) == sorted(
        f"big{i}@alpha.example" for i in range(12)
    )
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'href="/jobs/{invitations.id}"' in page


def test_an_expired_file_fails_the_job_with_a_reason(client, people, monkeypatch):
    from app.hr.people import import_store

    sign_in(client, people.hr_a.email)
    payload = _preview(client, _staff(ROWS))
    real_store = import_store.store

    def store_then_expire(table):
        digest = real_store(table)
        os.remove(import_store.folder() / f"{digest}.json")
        return digest

    monkeypatch.setattr(import_store, "store", store_then_expire)
    response = _confirm(client, payload)
    job = db.session.get(Job, response.headers["Location"].rsplit("/", 1)[1])
    assert (job.status, job.attempts) == ("failed", 1)  # an expected failure: not retried
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Загруженный файл больше не хранится" in page
    assert _counts() == (0, 0)


def test_an_import_job_of_someone_no_longer_hr_fails_with_a_reason(people):
    from app.hr.people.jobs import import_people
    from app.jobs import JobError

    payload = {"actor_id": people.learner_a.id, "company_id": people.a.id, "key": "k", "file": "0"}
    with pytest.raises(JobError, match="больше не может"):
        import_people(payload, lambda *args: None)
