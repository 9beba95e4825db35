"""HR pages through the test client: they render, act, export, and keep to the own company."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Enrollment, EnrollmentStatus, User
from tests.conftest import csrf_token, sign_in


def _assign(client, people, content, **extra):
    data = {
        "csrf_token": csrf_token(client, "/hr/assignments/new"),
        "course_id": content.course.id,
        "target": "department",
        "department_id": people.a_sales.id,
        "due_date": (date.today() + timedelta(days=30)).isoformat(),
        **extra,
    }
    return client.post("/hr/assignments/new", data=data)


def test_hr_pages_render_in_russian(client, people, content):
    sign_in(client, "hr@alpha.example")
    assert _assign(client, people, content).status_code == 302
    enrollment = db.session.scalar(select(Enrollment))
    pages = {
        "/hr/": "Отчёты по обучению",
        "/hr/people": "Сотрудники",
        "/hr/people/new": "Новый сотрудник",
        f"/hr/people/{people.learner_a.id}": "Пройдено уроков: 0 из 2",
        f"/hr/people/{people.learner_a.id}/edit": "Эл. почта руководителя",
        "/hr/departments": "Продажи",
        f"/hr/departments/{people.a_sales.id}": "Название отдела",
        "/hr/import": "Импорт сотрудников",
        "/hr/assignments": "Продажи",
        "/hr/assignments/new": "Кому назначить",
        f"/hr/assignments/{enrollment.assignment_id}": "Learner",
        "/hr/audit": "Назначен курс",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.get_data(as_text=True), url


def test_dashboard_draws_svg_charts_and_lists_overdue_first(client, people, content):
    from app.hr.training.assignments import due_at_for

    db.session.add(
        Enrollment(
            user_id=people.learner_a.id,
            course_id=content.course.id,
            due_at=due_at_for(date.today() - timedelta(days=3)),
        )
    )
    db.session.commit()
    sign_in(client, "hr@alpha.example")
    html = client.get("/hr/").get_data(as_text=True)
    overdue = html.index("Просрочено")
    assert overdue < html.index("Прохождение по отделам")
    assert re.search(r'<svg class="bar"[^>]*role="img"', html)
    assert 'class="seg-overdue"' in html
    assert "Learner" in html[overdue : html.index("Прохождение по отделам")]


def test_import_upload_preview_and_confirm(client, people):
    sign_in(client, "hr@alpha.example")
    data = "ФИО;E-mail;Отдел\nАнна Белова;anna@alpha.example;Продажи\n".encode("utf-8-sig")
    response = client.post(
        "/hr/import",
        data={"csrf_token": csrf_token(client, "/hr/import"), "file": (io.BytesIO(data), "s.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 новых, 0 обновится" in html
    assert db.session.scalar(select(User).where(User.email == "anna@alpha.example")) is None
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', html).group(1)
    # a tampered payload is refused
    response = client.post(
        "/hr/import/confirm",
        data={"csrf_token": csrf_token(client, "/hr/import"), "payload": payload[:-3] + "xyz"},
        follow_redirects=True,
    )
    assert "Предпросмотр устарел" in response.get_data(as_text=True)
    response = client.post(
        "/hr/import/confirm",
        data={"csrf_token": csrf_token(client, "/hr/import"), "payload": payload},
        follow_redirects=True,
    )
    assert "Импортировано: 1 новых" in response.get_data(as_text=True)
    anna = db.session.scalar(select(User).where(User.email == "anna@alpha.example"))
    assert anna.company_id == people.a.id and anna.department_id == people.a_sales.id


def test_import_with_errors_shows_them_and_offers_no_import(client, people):
    sign_in(client, "hr@alpha.example")
    data = "ФИО;E-mail\n;bad\n".encode()
    html = client.post(
        "/hr/import",
        data={"csrf_token": csrf_token(client, "/hr/import"), "file": (io.BytesIO(data), "s.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "2 ошибки: ничего не будет импортировано" in html
    assert "«bad» — неверный адрес электронной почты." in html
    assert 'name="payload"' not in html


def test_another_hrs_import_preview_cannot_be_confirmed(app, client, people, hr_b):
    sign_in(client, "hr@alpha.example")
    data = "ФИО;E-mail\nАнна;anna@alpha.example\n".encode()
    html = client.post(
        "/hr/import",
        data={"csrf_token": csrf_token(client, "/hr/import"), "file": (io.BytesIO(data), "s.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', html).group(1)
    other = app.test_client()
    sign_in(other, hr_b.email)
    response = other.post(
        "/hr/import/confirm",
        data={"csrf_token": csrf_token(other, "/hr/import"), "payload": payload},
    )
    assert response.status_code == 404
    assert db.session.scalar(select(User).where(User.email == "anna@alpha.example")) is None


def _export(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.is_streamed
    return response


def test_exports_are_csv_with_bom_and_xlsx_with_russian_headers(client, people, content):
    sign_in(client, "hr@alpha.example")
    _assign(client, people, content)
    people.learner_a.full_name = "=cmd|' /C calc'!A0"
    db.session.commit()
    response = _export(client, "/hr/export/completion.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["ФИО", "Эл. почта", "Отдел", "Должность", "Курс", "Статус"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][5] == "не начат"

    response = _export(client, "/hr/export/completion.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "ФИО" and values[1][0].startswith("'=")
    assert values[1][1] == "learner@alpha.example"

    _export(client, "/hr/export/overdue.xlsx")
    actions = db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == "report.export")
    ).all()
    assert [(d["report"], d["format"]) for d in actions] == [
        ("completion", "csv"),
        ("completion", "xlsx"),
        ("overdue", "xlsx"),
    ]


def test_export_of_company_b_has_none_of_company_a(app, people, content, hr_b):
    from app.hr.training.assignments import due_at_for

    for person in (people.learner_a, people.learner_b):
        db.session.add(
            Enrollment(
                user_id=person.id,
                course_id=content.course.id,
                due_at=due_at_for(date.today() - timedelta(days=2)),
            )
        )
    db.session.commit()
    client = app.test_client()
    sign_in(client, hr_b.email)
    text = _export(client, "/hr/export/overdue.csv").get_data().decode("utf-8-sig")
    assert "learner@beta.example" in text and "alpha" not in text


def test_override_from_the_person_page(client, people, content):
    sign_in(client, "hr@alpha.example")
    _assign(client, people, content)
    enrollment = db.session.scalar(select(Enrollment))
    token = csrf_token(client, f"/hr/people/{people.learner_a.id}")
    response = client.post(
        f"/hr/enrollments/{enrollment.id}/override", data={"csrf_token": token, "confirm": "1"}
    )
    assert response.status_code == 302
    db.session.refresh(enrollment)
    assert enrollment.status != EnrollmentStatus.COMPLETED  # no reason, no override
    client.post(
        f"/hr/enrollments/{enrollment.id}/override",
        data={"csrf_token": token, "reason": "Сдал экзамен HSK 3"},
    )
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.COMPLETED
    html = client.get(f"/hr/people/{people.learner_a.id}").get_data(as_text=True)
    assert "Сдал экзамен HSK 3" in html


def test_invitation_link_works_once(app, client, people):
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, "/hr/people/new")
    client.post(
        "/hr/people/new",
        data={
            "csrf_token": token,
            "full_name": "Новая Сотрудница",
            "email": "new@alpha.example",
            "department_id": 0,
            "active": "y",
        },
    )
    person = db.session.scalar(select(User).where(User.email == "new@alpha.example"))
    assert person.password_hash is None
    html = client.post(
        f"/hr/people/{person.id}/invite", data={"csrf_token": token, "send": "show"}
    ).get_data(as_text=True)
    link = re.search(r'id="invite-link" value="http://localhost(/hr/invite/[^"]+)"', html).group(1)

    guest = app.test_client()
    assert "Придумайте пароль" in guest.get(link).get_data(as_text=True)
    response = guest.post(
        link,
        data={
            "csrf_token": csrf_token(guest, link),
            "password": "a-new-long-password",
            "confirm": "a-new-long-password",
        },
    )
    # signed in right away, on the home page
    assert response.status_code == 302 and response.location == "/"
    assert "Новая Сотрудница" in guest.get("/").get_data(as_text=True)
    fresh = app.test_client()
    assert sign_in(fresh, "new@alpha.example", "a-new-long-password").status_code == 302
    # used: the link is dead, and HR cannot make another for an account with a password
    assert app.test_client().get(link).status_code == 404
    response = client.post(
        f"/hr/people/{person.id}/invite", data={"csrf_token": token}, follow_redirects=True
    )
    assert "уже задал(а) пароль" in response.get_data(as_text=True)
    # the audit log knows about the invitation but not the link
    details = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.invite"))
    assert all(link.rsplit("/", 1)[1] not in str(e.details) for e in details)


def test_deactivation_keeps_history_and_ends_sign_in(app, client, people, content):
    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=content.course.id))
    db.session.commit()
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, f"/hr/people/{people.learner_a.id}")
    client.post(
        f"/hr/people/{people.learner_a.id}/active", data={"csrf_token": token, "confirm": "1"}
    )
    db.session.expire_all()
    assert not db.session.get(User, people.learner_a.id).active
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1
    assert sign_in(app.test_client(), "learner@alpha.example").status_code == 401
    # HR cannot deactivate themselves
    client.post(f"/hr/people/{people.hr_a.id}/active", data={"csrf_token": token, "confirm": "1"})
    assert db.session.get(User, people.hr_a.id).active


def test_audit_log_is_read_only_and_scoped(client, people):
    from app.audit import AuditLogIsAppendOnly, record

    record(people.admin, "user.update", company_id=people.b.id, details={"x": 1})
    record(people.hr_a, "person.update", company_id=people.a.id, details={"y": 2}, ip="10.1.1.1")
    db.session.commit()
    sign_in(client, "hr@alpha.example")
    html = client.get("/hr/audit").get_data(as_text=True)
    assert "Изменены данные сотрудника" in html and "10.1.1.1" in html
    assert "Изменена учётная запись" not in html and "person.update" not in html
    assert client.post("/hr/audit").status_code == 405
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.update"))
    event.action = "forged"
    try:
        db.session.flush()
        raise AssertionError("an audit event was changed")
    except AuditLogIsAppendOnly:
        db.session.rollback()
    db.session.delete(db.session.scalar(select(AuditEvent)))
    try:
        db.session.flush()
        raise AssertionError("an audit event was deleted")
    except AuditLogIsAppendOnly:
        db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 2
    if db.engine.dialect.name == "postgresql":
        # below the application, PostgreSQL itself refuses (a trigger from the migration)
        from sqlalchemy import text
        from sqlalchemy.exc import DatabaseError

        for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
            try:
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
                raise AssertionError(statement)
            except DatabaseError as exc:
                assert "append-only" in str(exc)


def test_admin_sees_companies_side_by_side_and_may_open_either(client, people):
    sign_in(client, "admin@zone.example")
    html = client.get("/hr/zone").get_data(as_text=True)
    assert "Альфа" in html and "Бета" in html
    assert "Выберите компанию" in client.get("/hr/people/new").get_data(as_text=True)
    assert client.get(f"/hr/?company={people.b.id}").status_code == 200
