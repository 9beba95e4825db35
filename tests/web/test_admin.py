from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Role, User
from tests.helpers import csrf_token, sign_in


def _form(people, **overrides):
    data = {
        "full_name": "Пётр Сидоров",
        "email": "petr@alpha.example",
        "company_id": people.a.id,
        "department_id": people.a_sales.id,
        "position": "Инженер",
        "roles": [Role.LEARNER],
        "active": "y",
        "password": "initial-password-1",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_can_sign_in(app, client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post("/admin/users/new", data={**_form(people), "csrf_token": token})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "petr@alpha.example"))
    assert user.roles == {Role.LEARNER} and user.department_id == people.a_sales.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.actor_id == people.admin.id and event.company_id == people.a.id
    assert sign_in(app.test_client(), "petr@alpha.example", "initial-password-1").status_code == 302


def test_an_account_created_inactive_stays_inactive(app, client, people):
    """The form's «Активен» box counts on creation too: unticked, the person cannot sign in
    and gets no assignments until someone activates the account."""
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    data = {**_form(people), "csrf_token": token}
    del data["active"]
    assert client.post("/admin/users/new", data=data).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "petr@alpha.example"))
    assert not user.active and user.deactivated_at is not None
    assert sign_in(app.test_client(), "petr@alpha.example", "initial-password-1").status_code != 302


def test_department_must_belong_to_the_company(client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={**_form(people, department_id=people.b_logistics.id), "csrf_token": token},
    )
    assert response.status_code == 200
    assert "Этот отдел относится к другой компании." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "petr@alpha.example")) is None


def test_duplicate_email_is_refused(client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={**_form(people, email="Learner@Alpha.example"), "csrf_token": token},
    )
    assert "Пользователь с такой почтой уже есть." in response.get_data(as_text=True)


def test_admin_sets_roles_and_company(client, people):
    sign_in(client, "admin@zone.example")
    url = f"/admin/users/{people.learner_a.id}"
    token = csrf_token(client, url)
    data = _form(
        people,
        email="learner@alpha.example",
        full_name="Learner",
        company_id=people.b.id,
        department_id=people.b_logistics.id,
        roles=[Role.LEARNER, Role.HR],
        password="",
    )
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, people.learner_a.id)
    assert user.company_id == people.b.id and user.roles == {Role.LEARNER, Role.HR}


def test_admin_cannot_remove_own_admin_role(client, people):
    sign_in(client, "admin@zone.example")
    url = f"/admin/users/{people.admin.id}"
    token = csrf_token(client, url)
    data = _form(
        people,
        email="admin@zone.example",
        company_id=people.zone.id,
        department_id=0,
        roles=[Role.LEARNER],
        password="",
    )
    response = client.post(url, data={**data, "csrf_token": token})
    assert "Нельзя снять роль администратора с самого себя." in response.get_data(as_text=True)
    db.session.expire_all()
    assert Role.ADMIN in db.session.get(User, people.admin.id).roles


def test_deactivate_and_reactivate(client, people):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users")
    client.post(
        f"/admin/users/{people.learner_a.id}/active", data={"csrf_token": token, "confirm": "1"}
    )
    db.session.expire_all()
    assert not db.session.get(User, people.learner_a.id).active
    client.post(
        f"/admin/users/{people.learner_a.id}/active", data={"csrf_token": token, "confirm": "1"}
    )
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).active
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.deactivate", "user.activate"]


def test_moving_someone_to_a_department_gives_its_assignments(client, people, small_course):
    from datetime import date, timedelta

    from app.models import Assignment, Enrollment

    db.session.add(
        Assignment(
            company_id=people.b.id,
            course_id=small_course.course.id,
            target="department",
            department_id=people.b_logistics.id,
            due_date=date.today() + timedelta(days=30),
        )
    )
    db.session.commit()
    sign_in(client, "admin@zone.example")
    url = f"/admin/users/{people.learner_a.id}"
    token = csrf_token(client, url)
    data = _form(
        people,
        email="learner@alpha.example",
        full_name="Learner",
        company_id=people.b.id,
        department_id=people.b_logistics.id,
        roles=[Role.LEARNER],
        password="",
    )
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == people.learner_a.id)
    )
    assert enrollment is not None and enrollment.course_id == small_course.course.id
    assert enrollment.due_at is not None
