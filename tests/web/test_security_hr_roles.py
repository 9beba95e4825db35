"""H-1: HR manages only accounts whose roles are within {learner, hr} of its own company.

An admin gave `admin` (or `trainer`) to an employee HR imported; HR must not be able to open,
edit, deactivate, invite, override or re-import that account, and an invitation made before the
grant must stop working.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Enrollment, Role, User
from tests.helpers import csrf_token, sign_in


@pytest.fixture
def promoted(people, small_course, make_user):
    """An employee of company A, imported without a password, who now holds a higher role."""

    def make(role: str) -> User:
        user = make_user(f"{role}-a@alpha.example", people.a, {Role.LEARNER, role}, password="")
        user.password_hash = None
        enrollment = Enrollment(user_id=user.id, course_id=small_course.course.id)
        db.session.add(enrollment)
        db.session.commit()
        user.enrollment_id = enrollment.id
        return user

    return make


def _post(client, url, data=None):
    return client.post(url, data={"csrf_token": csrf_token(client, "/hr/people"), **(data or {})})


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TRAINER])
def test_hr_cannot_touch_an_account_with_a_higher_role(client, people, promoted, role):
    person = promoted(role)
    sign_in(client, "hr@alpha.example")
    assert client.get(f"/hr/people/{person.id}").status_code == 404
    assert client.get(f"/hr/people/{person.id}/edit").status_code == 404
    for url, data in [
        (f"/hr/people/{person.id}/invite", {"send": "show"}),
        (f"/hr/people/{person.id}/active", {}),
        (f"/hr/people/{person.id}/edit", {"full_name": "X", "email": person.email}),
        (f"/hr/enrollments/{person.enrollment_id}/override", {"reason": "потому что"}),
    ]:
        assert _post(client, url, data).status_code == 404, url
    db.session.expire_all()
    fresh = db.session.get(User, person.id)
    assert fresh.active and fresh.password_hash is None and fresh.full_name != "X"
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
    # not listed among the people HR manages either
    assert person.email not in client.get("/hr/people").get_data(as_text=True)


def test_the_zone_admin_still_manages_every_account(client, people, promoted):
    person = promoted(Role.TRAINER)
    sign_in(client, "admin@zone.example")
    assert client.get(f"/hr/people/{person.id}").status_code == 200
    response = _post(client, f"/hr/people/{person.id}/invite", {"send": "show"})
    assert response.status_code == 200 and "invite-link" in response.get_data(as_text=True)


def test_hr_still_manages_learners_and_other_hr_of_its_company(client, people, make_user):
    colleague = make_user("hr2@alpha.example", people.a, {Role.HR, Role.LEARNER})
    sign_in(client, "hr@alpha.example")
    assert client.get(f"/hr/people/{colleague.id}").status_code == 200
    assert client.get(f"/hr/people/{people.learner_a.id}").status_code == 200


def test_an_invitation_stops_working_when_a_higher_role_is_granted(app, client, people, promoted):
    from app.admin import services as admin_services
    from app.hr import invites

    person = promoted(Role.LEARNER)
    token = invites.create_invitation(people.hr_a, person)
    db.session.commit()
    assert invites.user_for_token(token) is not None
    version = person.session_version
    admin_services.update(
        people.admin,
        person,
        admin_services.UserData(
            email=person.email,
            full_name=person.full_name,
            company_id=people.a.id,
            department_id=None,
            position=None,
            roles={Role.LEARNER, Role.ADMIN},
        ),
    )
    db.session.commit()
    assert person.session_version == version + 1
    assert invites.user_for_token(token) is None
    assert client.get(f"/hr/invite/{token}").status_code == 404


def test_the_invitation_fingerprint_includes_the_roles(people, promoted):
    from app.hr import invites

    person = promoted(Role.LEARNER)
    token = invites.make_token(person)
    person.set_roles({Role.LEARNER, Role.TRAINER})  # even without a version bump
    db.session.flush()
    assert invites.user_for_token(token) is None


def test_import_does_not_update_an_account_with_a_higher_role(client, people, promoted):
    person = promoted(Role.ADMIN)
    sign_in(client, "hr@alpha.example")
    csv = f"E-mail;ФИО;Активен\n{person.email};Новое Имя;нет\n".encode()
    from io import BytesIO

    response = client.post(
        "/hr/import",
        data={"csrf_token": csrf_token(client, "/hr/import"), "file": (BytesIO(csv), "p.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert not re.search(r'name="payload"', html), "an import touching an admin must not be offered"
    db.session.expire_all()
    assert db.session.get(User, person.id).active
