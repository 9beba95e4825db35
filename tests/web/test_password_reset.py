"""«Forgot password»: the same answer for every address, a one-time hashed token, rate limits."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, PasswordResetToken, User, utcnow
from tests.helpers import csrf_token, sign_in
from tests.mailbox import body, link_in, subject

NEW = "a-brand-new-password"


def _ask(client, email: str, **kw):
    """POST the form and close the response, as a server does after sending it."""
    response = client.post(
        "/auth/forgot",
        data={"csrf_token": csrf_token(client, "/auth/forgot"), "email": email},
        **kw,
    )
    html = response.get_data(as_text=True)
    response.close()
    return response, html


def _without_token(html: str) -> str:
    return re.sub(r'value="[^"]+" name="csrf_token"|name="csrf_token" type="hidden" value="[^"]+"',
                  "", html)  # fmt: skip


@pytest.fixture
def base_url(app):
    app.config["QIAO_BASE_URL"] = "https://qiao.example.ru"
    yield "https://qiao.example.ru"
    app.config["QIAO_BASE_URL"] = ""


def test_the_sign_in_page_links_to_forgot_password(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/forgot"' in html and "Забыли пароль?" in html


def test_known_and_unknown_addresses_get_the_same_answer_and_only_known_get_mail(
    app, people, mailbox, base_url
):
    known, known_html = _ask(app.test_client(), "Learner@Alpha.example")
    unknown, unknown_html = _ask(app.test_client(), "nobody@alpha.example")
    assert known.status_code == unknown.status_code == 200
    assert _without_token(known_html) == _without_token(unknown_html)
    assert "Проверьте почту" in known_html
    assert len(mailbox.messages) == 1
    (message,) = mailbox.to("learner@alpha.example")
    assert subject(message) == "Qiao: выберите новый пароль"
    assert "работает один раз" in body(message)


def test_the_mail_goes_out_after_the_response(app, people, mailbox):
    client = app.test_client()
    response = client.post(
        "/auth/forgot",
        data={"csrf_token": csrf_token(client, "/auth/forgot"), "email": "learner@alpha.example"},
    )
    assert response.status_code == 200
    assert mailbox.messages == []  # not while the page is being answered
    response.close()
    assert len(mailbox.messages) == 1


def test_the_link_uses_the_configured_address_not_the_host_header(app, people, mailbox, base_url):
    client = app.test_client()
    html = client.get("/auth/forgot", base_url="http://evil.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    client.post(
        "/auth/forgot",
        base_url="http://evil.example",
        data={"csrf_token": token, "email": "learner@alpha.example"},
    ).close()
    link = link_in(mailbox.to("learner@alpha.example")[0], "/auth/reset/")
    assert link.startswith("https://qiao.example.ru/auth/reset/")
    assert "evil" not in body(mailbox.messages[0][1])


def test_reset_sets_the_password_signs_in_and_the_link_works_once(app, people, mailbox):
    old_session = app.test_client()
    sign_in(old_session, "learner@alpha.example")
    _ask(app.test_client(), "learner@alpha.example")
    link = link_in(mailbox.messages[0][1], "/auth/reset/")
    path = link[link.index("/auth/reset/") :]
    token = path.rsplit("/", 1)[1]
    # only the hash is stored
    stored = db.session.scalars(select(PasswordResetToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    response = guest.post(
        path, data={"csrf_token": csrf_token(guest, path), "new": NEW, "confirm": NEW}
    )
    assert response.status_code == 302 and response.location == "/"
    assert "Learner" in guest.get("/").get_data(as_text=True)  # signed in right away
    assert sign_in(app.test_client(), "learner@alpha.example", NEW).status_code == 302
    assert old_session.get("/").status_code == 302  # other sessions ended
    # used: the link is dead
    dead = app.test_client().get(path)
    assert dead.status_code == 404 and "уже использована" in dead.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "user.password_reset" in actions


def test_a_second_link_dies_when_the_first_is_used(app, people, mailbox):
    _ask(app.test_client(), "learner@alpha.example")
    _ask(app.test_client(), "learner@alpha.example")
    paths = [re.search(r"/auth/reset/\S+", link_in(m, "/auth/reset/")).group(0)
             for _r, m in mailbox.messages]  # fmt: skip
    guest = app.test_client()
    guest.post(
        paths[0], data={"csrf_token": csrf_token(guest, paths[0]), "new": NEW, "confirm": NEW}
    )
    assert app.test_client().get(paths[1]).status_code == 404


def test_expired_and_forged_tokens_are_refused(app, people, mailbox):
    _ask(app.test_client(), "learner@alpha.example")
    path = re.search(r"/auth/reset/\S+", link_in(mailbox.messages[0][1], "/auth/reset/")).group(0)
    row = db.session.scalar(select(PasswordResetToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(path).status_code == 404
    assert client.get("/auth/reset/not-a-token").status_code == 404
    assert client.get("/auth/reset/" + "x" * 500).status_code == 404


def test_weak_or_mismatched_passwords_change_nothing(app, people, mailbox):
    _ask(app.test_client(), "learner@alpha.example")
    path = re.search(r"/auth/reset/\S+", link_in(mailbox.messages[0][1], "/auth/reset/")).group(0)
    guest = app.test_client()
    before = db.session.get(User, people.learner_a.id).password_hash
    for new, confirm in (("short", "short"), (NEW, NEW + "x")):
        response = guest.post(
            path, data={"csrf_token": csrf_token(guest, path), "new": new, "confirm": confirm}
        )
        assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).password_hash == before
    assert guest.get(path).status_code == 200  # still usable


def test_deactivated_accounts_get_no_mail(app, people, mailbox):
    people.learner_a.active = False
    db.session.commit()
    response, _html = _ask(app.test_client(), "learner@alpha.example")
    assert response.status_code == 200 and mailbox.messages == []


def test_a_never_activated_account_may_choose_its_first_password(app, people, mailbox):
    people.learner_a.password_hash = None
    db.session.commit()
    _ask(app.test_client(), "learner@alpha.example")
    assert len(mailbox.messages) == 1


def test_requests_are_limited_per_e_mail_and_per_address(app, people, mailbox):
    client = app.test_client()
    codes = [_ask(client, "learner@alpha.example")[0].status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert len(mailbox.messages) == 3
    limited = _ask(client, "learner@alpha.example")[1]
    assert "Слишком много запросов" in limited
    # other addresses from the same client: up to the per-address limit (10 requests an hour)
    codes = [_ask(client, f"x{i}@alpha.example")[0].status_code for i in range(6)]
    assert codes == [200] * 5 + [429]
    assert db.session.scalar(select(func.count(PasswordResetToken.id))) == 3
