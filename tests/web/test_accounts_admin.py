"""The zone admin's companies, the user form's departments, confirmed deactivation, and HR's
bulk invitations."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Company, Department, Enrollment, Job, JobStatus, User
from tests.helpers import csrf_token, sign_in
from tests.mailbox import body, link_in, subject


def test_admin_creates_a_company_with_a_code_made_from_its_name(client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/companies/new")
    response = client.post(
        "/admin/companies/new", data={"csrf_token": token, "name": "  ООО «Балтийский порт» "}
    )
    assert response.status_code == 302
    company = db.session.scalar(select(Company).where(Company.slug == "ooo-baltiyskiy-port"))
    assert company is not None and company.name == "ООО «Балтийский порт»"
    html = client.get("/admin/companies").get_data(as_text=True)
    assert "ООО «Балтийский порт»" in html and "Новая компания" in html
    assert "company.create" in db.session.scalars(select(AuditEvent.action)).all()


def test_company_form_errors_are_russian_and_add_nothing(client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/companies/new")
    before = db.session.scalar(select(db.func.count(Company.id)))
    cases = [
        ({"name": "альфа"}, "Компания с таким названием уже есть."),
        ({"name": "Гамма", "slug": "Гамма!"}, "строчные латинские буквы"),
        ({"name": "Гамма", "slug": "alpha"}, "Этот код уже занят другой компанией."),
    ]
    for data, message in cases:
        response = client.post("/admin/companies/new", data={"csrf_token": token, **data})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Company.id))) == before


def test_admin_renames_a_company_and_its_code_stays(client, people):
    sign_in(client, "admin@zone.example")
    url = f"/admin/companies/{people.a.id}"
    assert 'value="Альфа"' in client.get(url).get_data(as_text=True)
    token = csrf_token(client, url)
    assert client.post(url, data={"csrf_token": token, "name": "Бета"}).status_code == 200
    response = client.post(url, data={"csrf_token": token, "name": "Альфа Групп"})
    assert response.status_code == 302
    db.session.expire_all()
    company = db.session.get(Company, people.a.id)
    assert (company.name, company.slug) == ("Альфа Групп", "alpha")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "company.rename"))
    assert event.details == {"before": "Альфа", "after": "Альфа Групп"}


def test_only_the_admin_manages_companies(client, people):
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, "/")
    assert (
        client.post("/admin/companies/new", data={"csrf_token": token, "name": "X"}).status_code
        == 403
    )
    url = f"/admin/companies/{people.a.id}"
    assert client.post(url, data={"csrf_token": token, "name": "X"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Company, people.a.id).name == "Альфа"


def test_the_user_form_groups_departments_by_company(client, people):
    db.session.add(Department(company=people.a, name="Логистика"))
    db.session.commit()
    sign_in(client, "admin@zone.example")
    html = client.get(f"/admin/users/{people.learner_a.id}").get_data(as_text=True)
    select_html = re.search(r'<select id="department_id".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select_html, re.S)
    assert [label for label, _ in groups] == ["Альфа", "Бета"]
    alpha = dict(groups)["Альфа"]
    assert "Логистика" in alpha and "Продажи" in alpha
    assert f'data-company="{people.a.id}"' in alpha and f'data-company="{people.b.id}"' not in alpha
    assert "Альфа · " not in select_html  # no more «company · department» in one long list
    assert "js/admin-user.js" in html


def test_deactivation_asks_for_confirmation_first(client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users")
    url = f"/admin/users/{people.learner_a.id}/active"
    page = client.post(url, data={"csrf_token": token})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Да, деактивировать" in html
    assert 'name="confirm" value="1"' in html
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).active
    client.post(url, data={"csrf_token": token, "confirm": "1"})
    db.session.expire_all()
    assert not db.session.get(User, people.learner_a.id).active


def test_hr_deactivation_asks_for_confirmation_first(client, people):
    sign_in(client, "hr@alpha.example")
    token = csrf_token(client, f"/hr/people/{people.learner_a.id}")
    page = client.post(f"/hr/people/{people.learner_a.id}/active", data={"csrf_token": token})
    assert "Да, деактивировать" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).active


@pytest.mark.parametrize(
    ("who", "page", "url"),
    [
        ("admin@zone.example", "/admin/users", "/admin/users/{id}/active"),
        ("hr@alpha.example", "/hr/people/{id}", "/hr/people/{id}/active"),
    ],
)
def test_reactivation_re_enrols_alike_from_the_admin_and_hr_pages(
    client, people, content, who, page, url
):
    """One accounts service: whoever brings a person back, the assignments made meanwhile apply."""
    from datetime import date

    from app.hr.training import assignments

    person = people.learner_a
    sign_in(client, who)
    token = csrf_token(client, page.format(id=person.id))
    client.post(url.format(id=person.id), data={"csrf_token": token, "confirm": "1"})
    db.session.expire_all()
    assert not db.session.get(User, person.id).active
    data = assignments.AssignmentData(
        course_id=content.course.id,
        target="department",
        department_id=people.a_sales.id,
        due_date=date(2030, 3, 1),
    )
    assignment, _count = assignments.create_assignment(people.hr_a, people.a, data)
    db.session.commit()
    enrolled = select(Enrollment).where(
        Enrollment.user_id == person.id, Enrollment.course_id == content.course.id
    )
    assert db.session.scalar(enrolled) is None  # deactivated people get no new enrolments
    client.post(url.format(id=person.id), data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, person.id).active
    enrollment = db.session.scalar(enrolled)
    assert enrollment is not None and enrollment.assignment_id == assignment.id
    assert enrollment.due_at == assignments.due_at_for(date(2030, 3, 1))


def test_hr_invites_everyone_never_activated_at_once(app, client, people, make_user, mailbox):
    for email in ("new1@alpha.example", "new2@alpha.example"):
        make_user(email, people.a, password=None)
    gone = make_user("gone@alpha.example", people.a, password=None)
    gone.active = False
    make_user("new@beta.example", people.b, password=None)
    db.session.commit()
    sign_in(client, "hr@alpha.example")
    html = client.get("/hr/invitations").get_data(as_text=True)
    assert "new1@alpha.example" in html and "new2@alpha.example" in html
    assert "gone@alpha.example" not in html and "new@beta.example" not in html
    assert "Отправить 2 приглашения" in html
    response = client.post(
        "/hr/invitations", data={"csrf_token": csrf_token(client, "/hr/invitations")}
    )
    # a background job sends them; HR follows it on its page
    job = db.session.scalar(select(Job))
    assert response.status_code == 302 and response.location == f"/jobs/{job.id}"
    assert (job.kind, job.status, job.result) == (
        "hr.invitations", JobStatus.DONE, {"sent": 2, "failed": 0})  # fmt: skip
    assert "Отправлено приглашений: 2." in client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert sorted(r[0] for r, _m in mailbox.messages) == [
        "new1@alpha.example",
        "new2@alpha.example",
    ]
    message = mailbox.to("new1@alpha.example")[0]
    assert subject(message) == "Приглашение в Цяо — платформу для изучения китайского"
    link = link_in(message, "/hr/invite/")
    path = link[link.index("/hr/invite/") :]
    guest = app.test_client()
    assert guest.get(path).status_code == 200
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("person.invite") == 2


def test_bulk_invitations_need_a_csrf_token(client, people, make_user, mailbox):
    make_user("new1@alpha.example", people.a, password=None)
    sign_in(client, "hr@alpha.example")
    assert client.post("/hr/invitations", data={}).status_code == 400
    assert mailbox.messages == []


def test_a_retried_invitation_job_skips_those_already_invited(app, people, make_user, mailbox):
    from app.hr.people.jobs import LINK_SLOT, send_invitations

    invited = [make_user(f"new{i}@alpha.example", people.a, password=None) for i in (1, 2)]
    payload = {
        "actor_id": people.hr_a.id,
        "company_id": people.a.id,
        "people": [p.id for p in invited],
        "batch": "b1",
        "link": f"https://qiao.example/hr/invite/{LINK_SLOT}",
    }
    mailbox.refuse = True
    assert send_invitations(payload, lambda *a: None) == {"sent": 0, "failed": 2}
    mailbox.refuse = False
    assert send_invitations(payload, lambda *a: None) == {"sent": 2, "failed": 0}
    assert send_invitations(payload, lambda *a: None) == {"sent": 2, "failed": 0}
    assert len(mailbox.messages) == 2
    assert "https://qiao.example/hr/invite/" in body(mailbox.messages[0][1])
    assert LINK_SLOT not in body(mailbox.messages[0][1])
