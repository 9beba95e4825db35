from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Role, User
from tests.helpers import csrf_token, sign_in


def _form(world, **overrides):
    data = {
        "full_name": "Пётр Сидоров",
        "email": "petr@alpha.example",
        "company_id": world.a.id,
        "department_id": world.a_sales.id,
        "position": "Инженер",
        "roles": [Role.LEARNER],
        "active": "y",
        "password": "initial-password-1",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_can_sign_in(app, client, world):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post("/admin/users/new", data={**_form(world), "csrf_token": token})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "petr@alpha.example"))
    assert user.roles == {Role.LEARNER} and user.department_id == world.a_sales.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.actor_id == world.admin.id and event.company_id == world.a.id
    assert sign_in(app.test_client(), "petr@alpha.example", "initial-password-1").status_code == 302


def test_department_must_belong_to_the_company(client, world):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={**_form(world, department_id=world.b_logistics.id), "csrf_token": token},
    )
    assert response.status_code == 200
    assert "Этот отдел относится к другой компании." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "petr@alpha.example")) is None


def test_duplicate_email_is_refused(client, world):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users/new")
    response = client.post(
        "/admin/users/new",
        data={**_form(world, email="Learner@Alpha.example"), "csrf_token": token},
    )
    assert "Пользователь с такой почтой уже есть." in response.get_data(as_text=True)


def test_admin_sets_roles_and_company(client, world):
    sign_in(client, "admin@zone.example")
    url = f"/admin/users/{world.learner_a.id}"
    token = csrf_token(client, url)
    data = _form(
        world,
        email="learner@alpha.example",
        full_name="Learner",
        company_id=world.b.id,
        department_id=world.b_logistics.id,
        roles=[Role.LEARNER, Role.HR],
        password="",
    )
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, world.learner_a.id)
    assert user.company_id == world.b.id and user.roles == {Role.LEARNER, Role.HR}


def test_admin_cannot_remove_own_admin_role(client, world):
    sign_in(client, "admin@zone.example")
    url = f"/admin/users/{world.admin.id}"
    token = csrf_token(client, url)
    data = _form(
        world,
        email="admin@zone.example",
        company_id=world.zone.id,
        department_id=0,
        roles=[Role.LEARNER],
        password="",
    )
    response = client.post(url, data={**data, "csrf_token": token})
    assert "Нельзя снять роль администратора с самого себя." in response.get_data(as_text=True)
    db.session.expire_all()
    assert Role.ADMIN in db.session.get(User, world.admin.id).roles


def test_deactivate_and_reactivate(client, world):
    sign_in(client, "admin@zone.example")
    token = csrf_token(client, "/admin/users")
    client.post(
        f"/admin/users/{world.learner_a.id}/active", data={"csrf_token": token, "confirm": "1"}
    )
    db.session.expire_all()
    assert not db.session.get(User, world.learner_a.id).active
    client.post(
        f"/admin/users/{world.learner_a.id}/active", data={"csrf_token": token, "confirm": "1"}
    )
    db.session.expire_all()
    assert db.session.get(User, world.learner_a.id).active
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.deactivate", "user.activate"]


def test_moving_someone_to_a_department_gives_its_assignments(client, world):
    from datetime import date, timedelta

    from app.models import Assignment, Enrollment

    db.session.add(
        Assignment(
            company_id=world.b.id,
            course_id=world.content.course.id,
            target="department",
            department_id=world.b_logistics.id,
            due_date=date.today() + timedelta(days=30),
        )
    )
    db.session.commit()
    sign_in(client, "admin@zone.example")
    url = f"/admin/users/{world.learner_a.id}"
    token = csrf_token(client, url)
    data = _form(
        world,
        email="learner@alpha.example",
        full_name="Learner",
        company_id=world.b.id,
        department_id=world.b_logistics.id,
        roles=[Role.LEARNER],
        password="",
    )
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == world.learner_a.id)
    )
    assert enrollment is not None and enrollment.course_id == world.content.course.id
    assert enrollment.due_at is not None
