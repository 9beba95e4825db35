"""Signing in with a company's LDAP directory, against a real OpenLDAP slapd (tests/ldap_server.py):
just-in-time accounts, updates from the directory, and every refusal with its message."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.directory import ldap
from app.directory import settings as sign_in_settings
from app.extensions import db
from app.models import (
    Assignment,
    AssignmentTarget,
    AuditEvent,
    Enrollment,
    Role,
    User,
)
from tests import factories
from tests.helpers import sign_in
from tests.ldap_server import ALPHA, alpha_settings, slapd  # noqa: F401 — the session's directory server


@pytest.fixture
def directory(app_ctx, people, slapd):  # noqa: F811
    """Company A signs in with the directory (search), company B with a DN template."""
    sign_in_settings.save(people.admin, people.a, alpha_settings(slapd.url))
    sign_in_settings.save(
        people.admin,
        people.b,
        sign_in_settings.SettingsData(
            method="ldap",
            email_domains="beta.test",
            local_allowed=False,
            ldap_url=slapd.url,
            ldap_user_dn_template="uid={login},ou=people,o=beta,dc=test",
        ),
    )
    db.session.commit()
    return people


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_first_sign_in_creates_the_learner_with_the_company_assignments(client, directory):
    course = factories.make_course()
    db.session.add(
        Assignment(company_id=directory.a.id, course_id=course.id, target=AssignmentTarget.COMPANY)
    )
    db.session.commit()
    response = sign_in(client, "Ivan@Alpha.test", "ivan-pass")
    assert response.status_code == 302
    ivan = _user("ivan@alpha.test")
    assert ivan.company_id == directory.a.id and ivan.full_name == "Иван Петров"
    assert ivan.department.name == "Продажи" and ivan.department_id == directory.a_sales.id
    assert ivan.roles == {Role.LEARNER} and ivan.password_hash is None
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == ivan.id))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.jit_create"))
    assert event.target_id == ivan.id and event.company_id == directory.a.id
    assert event.details["subject"] == f"uid=ivan,ou=people,{ALPHA}"
    assert client.get("/").status_code == 200


def test_group_gives_a_role_and_a_new_department_is_made(client, directory):
    assert sign_in(client, "olga@alpha.test", "olga-pass").status_code == 302
    olga = _user("olga@alpha.test")
    assert olga.roles == {Role.LEARNER, Role.HR}
    assert olga.department.name == "Логистика" and olga.department.company_id == directory.a.id


def test_a_later_sign_in_brings_name_department_and_roles_up_to_date(app, directory, slapd):  # noqa: F811
    assert sign_in(app.test_client(), "anna@alpha.test", "anna-pass").status_code == 302
    dn = f"uid=anna,ou=people,{ALPHA}"
    change = (
        f"dn: {dn}\nchangetype: modify\nreplace: cn\ncn: Анна Соколова\n-\n"
        "replace: departmentNumber\ndepartmentNumber: Логистика\n\n"
        f"dn: cn=hr,ou=groups,{ALPHA}\nchangetype: modify\nadd: member\nmember: {dn}\n"
    )
    undo = (
        f"dn: {dn}\nchangetype: modify\nreplace: cn\ncn: Анна Кузнецова\n-\n"
        "replace: departmentNumber\ndepartmentNumber: Продажи\n\n"
        f"dn: cn=hr,ou=groups,{ALPHA}\nchangetype: modify\ndelete: member\nmember: {dn}\n"
    )
    slapd.ldap("ldapmodify", stdin=change)
    try:
        assert sign_in(app.test_client(), "anna@alpha.test", "anna-pass").status_code == 302
    finally:
        slapd.ldap("ldapmodify", stdin=undo)
    anna = _user("anna@alpha.test")
    assert anna.full_name == "Анна Соколова" and anna.department.name == "Логистика"
    assert anna.roles == {Role.LEARNER, Role.HR}
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.email == "anna@alpha.test")) == 1
    )
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("user.jit_create") == 1 and "user.directory_roles" in actions


def test_a_dn_template_binds_the_person_directly(client, directory):
    assert sign_in(client, "petr@beta.test", "petr-pass").status_code == 302
    petr = _user("petr@beta.test")
    assert petr.company_id == directory.b.id and petr.department.name == "Склад"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ivan@alpha.test", "wrong-pass"),  # wrong password
        ("vera@alpha.test", "vera-pass"),  # disabled in the directory
        ("nobody@alpha.test", "ivan-pass"),  # unknown to the directory
        ("nobody@beta.test", "petr-pass"),  # unknown, DN template
        ("iv*@alpha.test", "ivan-pass"),  # a filter injection: the * is a character
        ("*)(mail=ivan@alpha.test", "ivan-pass"),  # another: no clause is added
        ("ivan,ou=people,o=alpha@beta.test", "ivan-pass"),  # a DN injection through the login
    ],
)
def test_refusals_say_so_and_make_no_account(client, directory, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert "Неверная почта или пароль." in _page(response)
    assert db.session.scalar(select(func.count(User.id))) == 5  # the people fixture's


def test_a_person_outside_the_mapped_groups_gets_no_account(client, directory):
    response = sign_in(client, "boris@alpha.test", "boris-pass")
    assert response.status_code == 401
    assert "не дала вашей учётной записи в каталоге доступа" in _page(response)
    assert _user("boris@alpha.test") is None


def test_an_account_deactivated_by_hr_stays_out(client, directory):
    sign_in(client, "olga@alpha.test", "olga-pass")
    olga = _user("olga@alpha.test")
    olga.active = False
    db.session.commit()
    other = client.application.test_client()
    response = sign_in(other, "olga@alpha.test", "olga-pass")
    assert response.status_code == 401
    assert "Эта учётная запись деактивирована." in _page(response)
    assert _user("olga@alpha.test").active is False


def test_unreachable_directory_says_so_and_the_qiao_password_still_works(client, people, make_user):
    sign_in_settings.save(people.admin, people.a, alpha_settings("ldap://127.0.0.1:9"))
    make_user("kept@alpha.test", people.a, {Role.LEARNER}, password="kept-password-1")
    db.session.commit()
    response = sign_in(client, "ivan@alpha.test", "ivan-pass")
    assert response.status_code == 401
    assert "Каталог вашей компании сейчас недоступен" in _page(response)
    assert "паролем Qiao" in _page(response)
    assert _user("ivan@alpha.test") is None
    # someone of company A with a Qiao password gets in, told why
    response = sign_in(client, "kept@alpha.test", "kept-password-1")
    assert response.status_code == 302
    assert "вошли по паролю Qiao" in _page(client.get("/"))


def test_unreachable_directory_without_local_sign_in(client, people):
    sign_in_settings.save(
        people.admin, people.a, alpha_settings("ldap://127.0.0.1:9", local_allowed=False)
    )
    db.session.commit()
    response = sign_in(client, "learner@alpha.example", "x")  # another domain: unaffected
    assert response.status_code == 401
    response = sign_in(client, "ivan@alpha.test", "ivan-pass")
    assert "Попробуйте через несколько минут" in _page(response)
    assert "паролем Qiao" not in _page(response)


def test_directory_failures_count_towards_the_sign_in_limit(client, directory):
    for _ in range(5):
        assert sign_in(client, "ivan@alpha.test", "wrong-pass").status_code == 401
    response = sign_in(client, "ivan@alpha.test", "ivan-pass")
    assert response.status_code == 429
    assert _user("ivan@alpha.test") is None


def test_no_empty_password_ever_reaches_the_directory(client, directory):
    response = sign_in(client, "ivan@alpha.test", "")
    assert response.status_code == 400 and "Введите пароль." in _page(response)
    config = ldap.LdapConfig(url="ldap://127.0.0.1:9", user_dn_template="uid={login},dc=test")
    with pytest.raises(ldap.DirectoryError) as refused:
        ldap.authenticate(config, "ivan@alpha.test", "")
    assert refused.value.failure is ldap.Failure.REFUSED  # refused before any connection


def test_the_filter_escapes_the_email():
    config = ldap.LdapConfig(url="ldap://x", user_filter="(mail={email})")
    assert ldap.user_filter(config, "a*)(uid=*\\@x.ru") == r"(mail=a\2a\29\28uid=\2a\5c@x.ru)"


def test_starttls_verifies_the_directory_certificate(app, client, people, slapd, monkeypatch):  # noqa: F811
    sign_in_settings.save(people.admin, people.a, alpha_settings(slapd.url, ldap_start_tls=True))
    db.session.commit()
    # a certificate of a CA nobody told Qiao about: refused like an unreachable directory
    response = sign_in(client, "ivan@alpha.test", "ivan-pass")
    assert "Каталог вашей компании сейчас недоступен" in _page(response)
    assert _user("ivan@alpha.test") is None
    monkeypatch.setitem(app.config, "LDAP_CA_FILE", slapd.ca_file)
    assert sign_in(client, "ivan@alpha.test", "ivan-pass").status_code == 302
    assert _user("ivan@alpha.test").active
