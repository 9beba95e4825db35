"""The zone admin's sign-in settings of a company: stored, secrets encrypted, audited, admin only."""

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from app.directory import secrets
from app.directory import settings as sign_in_settings
from app.extensions import db
from app.models import AuditEvent, SignInSettings
from tests.helpers import csrf_token, sign_in


def _ldap_form(**overrides):
    data = {
        "method": "ldap",
        "email_domains": "Alpha.example, alpha-corp.example",
        "local_allowed": "y",
        "ldap_url": "ldaps://dc.alpha.example:636",
        "ldap_bind_dn": "cn=qiao,ou=services,dc=alpha,dc=example",
        "ldap_bind_password": "service-secret-42",
        "ldap_base_dn": "ou=people,dc=alpha,dc=example",
        "ldap_user_filter": "(&(objectClass=person)(mail={email}))",
        "ldap_attr_email": "mail",
        "ldap_attr_name": "cn",
        "ldap_attr_department": "departmentNumber",
        "ldap_attr_groups": "memberOf",
        "ldap_group_roles": "cn=HR,ou=groups,dc=alpha,dc=example = hr",
        "ldap_timeout": "5",
        "oidc_scopes": "openid email profile",
    }
    data.update(overrides)
    return data


def _post(client, company_id, data):
    url = f"/admin/companies/{company_id}/sign-in"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_admin_saves_ldap_settings_with_the_password_encrypted(client, people):
    sign_in(client, "admin@zone.example")
    page = client.get(f"/admin/companies/{people.a.id}/sign-in").get_data(as_text=True)
    assert "Способ входа" in page
    response = _post(client, people.a.id, _ldap_form())
    assert response.status_code == 302
    stored = db.session.scalar(select(SignInSettings))
    assert stored.method == "ldap" and stored.domains == ["alpha-corp.example", "alpha.example"]
    assert stored.ldap_group_roles == {"cn=hr,ou=groups,dc=alpha,dc=example": "hr"}
    assert "service-secret-42" not in stored.ldap_bind_password_enc
    assert secrets.decrypt(stored.ldap_bind_password_enc) == "service-secret-42"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "company.sign_in"))
    assert event.actor_id == people.admin.id and event.company_id == people.a.id
    assert event.details["changes"]["ldap_bind_password"] == {"changed": True}
    assert "service-secret-42" not in str(event.details)
    assert sign_in_settings.for_email("Someone@ALPHA.example").company_id == people.a.id
    assert sign_in_settings.for_email("someone@beta.example") is None


def test_an_empty_secret_keeps_the_stored_one_and_each_change_is_audited(client, people):
    sign_in(client, "admin@zone.example")
    _post(client, people.a.id, _ldap_form())
    page = client.get(f"/admin/companies/{people.a.id}/sign-in").get_data(as_text=True)
    assert "service-secret-42" not in page
    assert _post(client, people.a.id, _ldap_form(ldap_bind_password="", ldap_timeout="9"))
    stored = db.session.scalar(select(SignInSettings))
    assert stored.ldap_timeout == 9
    assert secrets.decrypt(stored.ldap_bind_password_enc) == "service-secret-42"
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "company.sign_in").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 2
    assert events[1].details["changes"] == {"ldap_timeout": {"before": 5, "after": 9}}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ldap_url": "http://dc.alpha.example"},
            "Адрес сервера начинается с ldap:// или ldaps://.",
        ),
        ({"email_domains": "not a domain!"}, "Домены пишутся так: example.ru"),
        ({"ldap_user_filter": "(mail=*)"}, "В фильтре должно быть {email}."),
        ({"ldap_group_roles": "cn=x,dc=y = admin"}, "Одна группа в строке"),
    ],
)
def test_bad_settings_are_refused_with_a_message(client, people, overrides, message):
    sign_in(client, "admin@zone.example")
    response = _post(client, people.a.id, _ldap_form(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(SignInSettings)) is None


def test_a_domain_belongs_to_one_company(client, people):
    sign_in(client, "admin@zone.example")
    _post(client, people.a.id, _ldap_form())
    response = _post(client, people.b.id, _ldap_form(email_domains="alpha.example"))
    assert "Этот домен уже у другой компании." in response.get_data(as_text=True)


def test_only_the_zone_admin_may_change_sign_in(app_ctx, client, people):
    sign_in(client, "hr@alpha.example")
    assert client.get(f"/admin/companies/{people.a.id}/sign-in").status_code == 403
    with pytest.raises(Forbidden):
        sign_in_settings.save(people.hr_a, people.a, sign_in_settings.SettingsData())


def test_without_a_key_no_secret_is_saved(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "DIRECTORY_SECRET_KEY", "")
    sign_in(client, "admin@zone.example")
    response = _post(client, people.a.id, _ldap_form())
    assert "DIRECTORY_SECRET_KEY" in response.get_data(as_text=True)
    assert db.session.scalar(select(SignInSettings)) is None
