"""Tenant isolation on every HR route: HR of company A gets 404 for anything of company B.

`HR_MATRIX` joins the access matrix of tests/web/test_access.py (GET of every URL by every
role); the tests below send forms with ids of the other company and check nothing changed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, AuditEvent, Department, Enrollment, User
from tests.conftest import csrf_token, sign_in

HR_OK = {"learner": 403, "trainer": 403, "hr": 200, "admin": 200}
HR_FOREIGN = {"learner": 403, "trainer": 403, "hr": 404, "admin": 200}
MISSING = {"learner": 403, "trainer": 403, "hr": 404, "admin": 404}
ANYONE = {"anonymous": 200, "learner": 200, "trainer": 200, "hr": 200, "admin": 200}
POST_ONLY = dict.fromkeys(("anonymous", "learner", "trainer", "hr", "admin"), 405)


def _hr_b() -> User:
    """Company B's HR, made by the hr_b fixture that the matrix tests take."""
    return db.session.scalar(select(User).where(User.email == "hr@beta.example"))


def _export_of_b(p, c) -> str:
    """A finished export job of company B, started by B's HR, with its file (made once)."""
    cache = p.__dict__.setdefault("_hr_export", [])
    if not cache:
        import uuid

        from app.hr.training import export_jobs
        from app.models import Job, utcnow

        job_id = str(uuid.uuid4())
        export_jobs.folder().mkdir(parents=True, exist_ok=True)
        (export_jobs.folder() / f"{job_id}.csv").write_bytes(b"\xef\xbb\xbf1;2\r\n")
        db.session.add(
            Job(id=job_id, kind="hr.export", payload={"company_id": p.b.id}, status="done",
                progress=100, created_by_id=_hr_b().id, finished_at=utcnow(),
                result={"rows": 1, "file": f"{job_id}.csv", "filename": "b.csv"})
        )  # fmt: skip
        db.session.commit()
        cache.append(job_id)
    return cache[0]


def _assignment(p, c, company) -> int:
    """An assignment of `company` (made once per test)."""
    cache = p.__dict__.setdefault("_hr_assignments", {})
    if company.id not in cache:
        department = p.a_sales if company is p.a else p.b_logistics
        assignment = Assignment(
            company_id=company.id,
            course_id=c.course.id,
            target="department",
            department_id=department.id,
            due_date=date.today() + timedelta(days=10),
        )
        db.session.add(assignment)
        db.session.commit()
        cache[company.id] = assignment.id
    return cache[company.id]


def _enrollment(p, c, person) -> int:
    cache = p.__dict__.setdefault("_hr_enrollments", {})
    if person.id not in cache:
        enrollment = db.session.scalar(
            select(Enrollment).where(
                Enrollment.user_id == person.id, Enrollment.course_id == c.course.id
            )
        )  # the matrix may have opened a lesson (and so enrolled) already
        if enrollment is None:
            enrollment = Enrollment(user_id=person.id, course_id=c.course.id)
            db.session.add(enrollment)
            db.session.commit()
        cache[person.id] = enrollment.id
    return cache[person.id]


def _token(p, c) -> str:
    from app.hr.invites import make_token

    return make_token(p.learner_a)


HR_MATRIX = {
    "hr.dashboard": [
        (lambda p, c: "/hr/", HR_OK),
        (lambda p, c: f"/hr/?company={p.b.id}", HR_FOREIGN),
        (lambda p, c: f"/hr/?department={p.b_logistics.id}", HR_FOREIGN),
        (lambda p, c: f"/hr/?department={p.a_sales.id}&status=overdue", HR_OK),
    ],
    "hr.zone": [
        (lambda p, c: "/hr/zone", {"learner": 403, "trainer": 403, "hr": 403, "admin": 200})
    ],
    "hr.export": [
        (lambda p, c: "/hr/export/completion.csv", HR_OK),
        (lambda p, c: "/hr/export/overdue.xlsx", HR_OK),
        (lambda p, c: f"/hr/export/completion.xlsx?company={p.b.id}", HR_FOREIGN),
        (lambda p, c: f"/hr/export/overdue.csv?department={p.b_logistics.id}", HR_FOREIGN),
    ],
    # a large export of company B built by a job: its HR and admins download it, nobody else
    "hr.export_download": [
        (lambda p, c: f"/hr/exports/{_export_of_b(p, c)}", HR_FOREIGN),
        (lambda p, c: "/hr/exports/no-such-job", MISSING),
    ],
    "hr.people": [
        (lambda p, c: f"/hr/people?company={p.b.id}", HR_FOREIGN),
        (lambda p, c: f"/hr/people?department={p.b_logistics.id}", HR_FOREIGN),
    ],
    "hr.new_person": [
        (lambda p, c: "/hr/people/new", HR_OK),
        (lambda p, c: f"/hr/people/new?company={p.b.id}", HR_FOREIGN),
    ],
    "hr.edit_person": [
        (lambda p, c: f"/hr/people/{p.learner_a.id}/edit", HR_OK),
        (lambda p, c: f"/hr/people/{p.learner_b.id}/edit", HR_FOREIGN),
        (lambda p, c: "/hr/people/999999/edit", MISSING),
    ],
    "hr.departments": [
        (lambda p, c: "/hr/departments", HR_OK),
        (lambda p, c: f"/hr/departments?company={p.b.id}", HR_FOREIGN),
    ],
    "hr.edit_department": [
        (lambda p, c: f"/hr/departments/{p.a_sales.id}", HR_OK),
        (lambda p, c: f"/hr/departments/{p.b_logistics.id}", HR_FOREIGN),
        (lambda p, c: "/hr/departments/999999", MISSING),
    ],
    "hr.import_people": [
        (lambda p, c: "/hr/import", HR_OK),
        (lambda p, c: f"/hr/import?company={p.b.id}", HR_FOREIGN),
    ],
    "hr.assignments_list": [
        (lambda p, c: "/hr/assignments", HR_OK),
        (lambda p, c: f"/hr/assignments?company={p.b.id}", HR_FOREIGN),
    ],
    "hr.new_assignment": [
        (lambda p, c: "/hr/assignments/new", HR_OK),
        (lambda p, c: f"/hr/assignments/new?company={p.b.id}", HR_FOREIGN),
        (lambda p, c: f"/hr/assignments/new?department={p.b_logistics.id}", HR_FOREIGN),
    ],
    "hr.assignment": [
        (lambda p, c: f"/hr/assignments/{_assignment(p, c, p.a)}", HR_OK),
        (lambda p, c: f"/hr/assignments/{_assignment(p, c, p.b)}", HR_FOREIGN),
        (lambda p, c: "/hr/assignments/999999", MISSING),
    ],
    "hr.invite_pending": [
        (lambda p, c: "/hr/invitations", HR_OK),
        (lambda p, c: f"/hr/invitations?company={p.b.id}", HR_FOREIGN),
    ],
    "hr.audit_log": [
        (lambda p, c: "/hr/audit", HR_OK),
        (lambda p, c: f"/hr/audit?company={p.b.id}", HR_FOREIGN),
    ],
    # the employee's side of an invitation: open to anyone holding a valid link
    "hr.accept_invitation": [
        (lambda p, c: f"/hr/invite/{_token(p, c)}", ANYONE),
        (lambda p, c: "/hr/invite/not-a-token", dict.fromkeys(ANYONE, 404)),
    ],
    # POST-only: a GET is not allowed; their POSTs are tested below
    "hr.toggle_active": [(lambda p, c: f"/hr/people/{p.learner_a.id}/active", POST_ONLY)],
    "hr.invite": [(lambda p, c: f"/hr/people/{p.learner_a.id}/invite", POST_ONLY)],
    "hr.override": [
        (lambda p, c: f"/hr/enrollments/{_enrollment(p, c, p.learner_a)}/override", POST_ONLY)
    ],
    "hr.import_confirm": [(lambda p, c: "/hr/import/confirm", POST_ONLY)],
    "hr.cancel_assignment": [
        (lambda p, c: f"/hr/assignments/{_assignment(p, c, p.a)}/cancel", POST_ONLY)
    ],
}


# --------------------------------------------------------------------------- POSTs with B's ids


@pytest.fixture
def hr_a(client, people):
    sign_in(client, "hr@alpha.example")
    return client


def _post(client, url, data=None, page="/hr/people"):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **(data or {})})


def test_posts_with_another_companys_ids_are_404(hr_a, people, content):
    b_enrollment = _enrollment(people, content, people.learner_b)
    b_assignment = _assignment(people, content, people.b)
    for url, data in [
        (f"/hr/people/{people.learner_b.id}/active", {}),
        (f"/hr/people/{people.learner_b.id}/invite", {"send": "show"}),
        (f"/hr/people/{people.learner_b.id}/edit", {"full_name": "X", "email": "x@beta.example"}),
        (f"/hr/enrollments/{b_enrollment}/override", {"reason": "because"}),
        (f"/hr/assignments/{b_assignment}/cancel", {}),
        (f"/hr/departments/{people.b_logistics.id}", {"name": "Захват"}),
        (f"/hr/people/new?company={people.b.id}", {"full_name": "X", "email": "x@x.example"}),
        (f"/hr/import/confirm?company={people.b.id}", {"payload": "x"}),
        (f"/hr/invitations?company={people.b.id}", {}),
    ]:
        assert _post(hr_a, url, data).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(User, people.learner_b.id).active
    assert db.session.get(Enrollment, b_enrollment).override_reason is None
    assert db.session.get(Assignment, b_assignment).active
    assert db.session.get(Department, people.b_logistics.id).name == "Логистика"
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_form_fields_with_another_companys_ids_change_nothing(hr_a, people, content):
    # a department of B in the person form
    response = _post(
        hr_a,
        "/hr/people/new",
        {
            "full_name": "Пётр",
            "email": "petr@alpha.example",
            "department_id": people.b_logistics.id,
        },
    )
    assert response.status_code == 200 and 'class="error"' in response.get_data(True)
    assert db.session.scalar(select(User).where(User.email == "petr@alpha.example")) is None
    # B's learner as the manager
    response = _post(
        hr_a,
        "/hr/people/new",
        {
            "full_name": "Пётр",
            "email": "petr@alpha.example",
            "manager_email": "learner@beta.example",
            "department_id": 0,
            "active": "y",
        },
    )
    assert "В компании нет сотрудника с таким адресом." in response.get_data(True)
    assert db.session.scalar(select(User).where(User.email == "petr@alpha.example")) is None
    due = (date.today() + timedelta(days=9)).isoformat()
    # a department of B, a person of B, a course only B may see: no assignment is made
    for data in (
        {
            "target": "department",
            "department_id": people.b_logistics.id,
            "course_id": content.course.id,
        },
        {
            "target": "user",
            "user_email": "learner@beta.example",
            "course_id": content.course.id,
            "department_id": 0,
        },
        {"target": "company", "course_id": content.private_course.id, "department_id": 0},
    ):
        response = _post(hr_a, "/hr/assignments/new", {**data, "due_date": due})
        html = response.get_data(True)
        assert response.status_code == 200 and 'class="error"' in html, data
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0
