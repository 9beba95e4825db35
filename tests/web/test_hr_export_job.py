"""An export over EXPORT_JOB_ROWS rows is built by a job into a file; HR follows the job to a
download link that only the starter and HR of the same company may use, until it expires."""

from __future__ import annotations

import csv
import io
import os
import time
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Job, Role, utcnow
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def enrolled(client, people, content, make_user, app, monkeypatch, mailbox):
    """Four people of Alpha's sales department assigned the course; a threshold of 2 rows."""
    for i in range(3):
        make_user(f"sales{i}@alpha.example", people.a, {Role.LEARNER}, department=people.a_sales,
                  full_name="=HYPERLINK(1)" if i == 0 else f"Продавец {i}")  # fmt: skip
    sign_in(client, people.hr_a.email)
    response = client.post(
        "/hr/assignments/new",
        data={
            "csrf_token": csrf_token(client, "/hr/assignments/new"),
            "course_id": content.course.id,
            "target": "department",
            "department_id": people.a_sales.id,
            "due_date": (date.today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 2)
    return client


def _start(client, url: str) -> Job:
    response = client.get(url)
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    return db.session.get(Job, response.headers["Location"].rsplit("/", 1)[1])


def test_a_large_csv_export_becomes_a_download_link(enrolled, people, monkeypatch):
    from app.hr.training import export_jobs

    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 1)  # progress while rows are read
    client = enrolled
    job = _start(client, "/hr/export/completion.csv")
    assert (job.kind, job.status, job.created_by_id) == ("hr.export", "done", people.hr_a.id)
    assert job.result["rows"] >= 4
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Выгрузка отчёта" in page and f'href="/hr/exports/{job.id}"' in page
    assert f"Строк: {job.result['rows']}" in page
    download = client.get(f"/hr/exports/{job.id}")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(download.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "ФИО" and len(rows) == job.result["rows"] + 1
    assert "'=HYPERLINK(1)" in [r[0] for r in rows]  # still formula-safe


def test_a_large_xlsx_export_reads_back(enrolled):
    job = _start(enrolled, "/hr/export/completion.xlsx")
    data = enrolled.get(f"/hr/exports/{job.id}").get_data()
    values = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert values[0][0] == "ФИО" and len(values) == job.result["rows"] + 1
    assert "'=HYPERLINK(1)" in [v[0] for v in values]


def test_a_small_export_is_still_streamed(enrolled, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 1000)
    response = enrolled.get("/hr/export/completion.csv")
    assert response.status_code == 200 and response.is_streamed
    assert db.session.scalar(select(Job).where(Job.kind == "hr.export")) is None


def test_only_the_starter_and_hr_of_the_company_may_download(
    enrolled, people, hr_b, app, make_user
):
    job = _start(enrolled, "/hr/export/completion.csv")
    colleague = make_user("hr2@alpha.example", people.a, {Role.HR})
    for email, status in (
        (colleague.email, 200),
        (people.admin.email, 200),
        (hr_b.email, 404),
        (people.learner_a.email, 403),
    ):
        other = app.test_client()
        sign_in(other, email)
        assert other.get(f"/hr/exports/{job.id}").status_code == status, email


def test_an_expired_export_is_gone_and_its_file_removed(enrolled, people):
    from app.hr.training import export_jobs

    job = _start(enrolled, "/hr/export/completion.csv")
    path = export_jobs.folder() / job.result["file"]
    assert path.is_file()
    job.finished_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    response = enrolled.get(f"/hr/exports/{job.id}")
    assert response.status_code == 410
    assert "Выгрузка больше недоступна" in response.get_data(as_text=True)
    old = time.time() - 25 * 3600
    os.utime(path, (old, old))
    assert export_jobs.prune() == 1 and not path.exists()


def test_a_rerun_of_the_export_job_writes_the_same_file(enrolled):
    from app.hr.training import export_jobs
    from app.jobs.runner import run

    job = _start(enrolled, "/hr/export/completion.csv")
    first = (export_jobs.folder() / job.result["file"]).read_bytes()
    job.status = "queued"
    db.session.commit()
    assert run(job.id) == "done"
    db.session.expire_all()
    assert (export_jobs.folder() / db.session.get(Job, job.id).result["file"]).read_bytes() == first
    assert not list(export_jobs.folder().glob("*.part"))  # no partial file left behind
