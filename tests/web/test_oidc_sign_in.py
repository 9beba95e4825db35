"""Signing in with a company's OpenID Connect provider (a real one on loopback, built with
Authlib's server classes: tests/oidc_provider.py): just-in-time accounts, groups → roles, and
refused answers (forged, expired, wrong audience, replayed state, a foreign e-mail)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Role, User
from tests.helpers import csrf_token, sign_in
from tests.oidc_provider import (  # noqa: F401
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    oidc_provider,
    provider_company,
)


@pytest.fixture
def gamma(people, oidc_provider):  # noqa: F811
    """Company Gamma signs in with its provider only."""
    return provider_company(people.admin, oidc_provider, "staff = learner\npeople-team = hr")


@pytest.fixture
def honest(oidc_provider) -> Iterator[Provider]:  # noqa: F811
    """The provider, behaving again after the test."""
    yield oidc_provider
    oidc_provider.misbehave = None


def _to_provider(client, email: str) -> str:
    """Ask Qiao to sign in with the e-mail only; the provider's authorization URL."""
    response = sign_in(client, email, "")
    assert response.status_code == 200
    target = re.search(r'id="company-sign-in" href="([^"]+)"', response.get_data(as_text=True))
    assert "/auth/oidc/" in target.group(1)
    response = client.get(html.unescape(target.group(1)))
    assert response.status_code == 302
    return response.location


def _provider_login(url: str, login: str, password: str) -> str:
    """Sign in on the provider's page; the callback URL (path and query) it sends us back to."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "Gamma ID" in page.text
    answer = requests.post(
        url, data={"username": login, "password": password}, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_first_sign_in_creates_the_learner(client, gamma, honest):
    url = _to_provider(client, "mila@gamma.test")
    query = dict(p.split("=", 1) for p in urlsplit(url).query.split("&"))
    assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
    response = client.get(_provider_login(url, "mila", "mila-pass"))
    assert response.status_code == 302 and response.location.endswith("/")
    mila = _user("mila@gamma.test")
    assert mila.company_id == gamma.id and mila.full_name == "Мила Орлова"
    assert mila.department.name == "Финансы" and mila.roles == {Role.LEARNER}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.jit_create"))
    assert event.target_id == mila.id and event.details["source"] == "oidc"
    assert client.get("/").status_code == 200


def test_groups_give_roles(client, gamma, honest):
    url = _to_provider(client, "gleb@gamma.test")
    assert client.get(_provider_login(url, "gleb", "gleb-pass")).status_code == 302
    assert _user("gleb@gamma.test").roles == {Role.LEARNER, Role.HR}


@pytest.mark.parametrize("misbehave", ["forged", "expired", "audience"])
def test_a_bad_id_token_is_refused(client, gamma, honest, misbehave):
    url = _to_provider(client, "mila@gamma.test")
    honest.misbehave = misbehave
    response = client.get(_provider_login(url, "mila", "mila-pass"))
    assert response.status_code == 401
    assert "Вход через учётную запись компании не удался" in response.get_data(as_text=True)
    assert _user("mila@gamma.test") is None


def test_a_state_works_once(app, client, gamma, honest):
    callback = _provider_login(_to_provider(client, "mila@gamma.test"), "mila", "mila-pass")
    assert client.get(callback).status_code == 302
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    again = client.get(callback)
    assert again.status_code == 401
    elsewhere = app.test_client().get(callback)
    assert elsewhere.status_code == 401
    assert db.session.scalar(select(func.count(User.id)).where(User.email.like("%gamma%"))) == 1


def test_a_provider_speaks_only_for_its_company_domains(client, gamma, honest, people):
    url = _to_provider(client, "mila@gamma.test")
    response = client.get(_provider_login(url, "intruder", "intruder-pass"))
    assert response.status_code == 401
    assert _user("learner@alpha.example").company_id == people.a.id


def test_no_qiao_password_where_the_company_disabled_it(client, gamma, make_user):
    make_user("mila@gamma.test", gamma, {Role.LEARNER}, password="old-password-1")
    db.session.commit()
    response = sign_in(client, "mila@gamma.test", "old-password-1")
    assert response.status_code == 200 and "/auth/oidc/" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
