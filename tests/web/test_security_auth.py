"""Sign-in lockout (M-3), sign-out revocation (L-2), password policy and guesses (L-8),
the per-process limiter warning (L-1) and the log of failed sign-ins (Info)."""

from __future__ import annotations

import logging

import pytest

from app.extensions import db
from app.models import User
from tests.helpers import PASSWORD, csrf_token, sign_in


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# --------------------------------------------------------------------------- M-3


def test_an_attacker_cannot_lock_the_owner_out(app, people):
    attacker = _from(app, "203.0.113.7")
    for _ in range(5):
        assert sign_in(attacker, "learner@alpha.example", "wrong-password").status_code == 401
    # the attacker's address is stopped for this account, even with a right password
    assert sign_in(attacker, "learner@alpha.example", "wrong-password").status_code == 429
    assert sign_in(attacker, "learner@alpha.example").status_code == 429
    # the owner, from their own address, signs in with the right password
    owner = _from(app, "198.51.100.20")
    assert sign_in(owner, "learner@alpha.example").status_code == 302


def test_many_addresses_guessing_one_account_are_slowed_not_refused(app, people, monkeypatch):
    from app.auth import routes

    pauses: list[float] = []
    monkeypatch.setattr(routes, "pause", pauses.append)
    for n in range(12):
        guesser = _from(app, f"203.0.113.{n + 1}")
        assert sign_in(guesser, "learner@alpha.example", "wrong-password").status_code == 401
    assert pauses, "failures across addresses slow the account's sign-in down"
    assert max(pauses) <= app.config["LOGIN_SLOWDOWN_MAX_SECONDS"]
    owner = _from(app, "198.51.100.20")
    assert sign_in(owner, "learner@alpha.example").status_code == 302


def test_failed_sign_ins_are_logged_with_account_and_address(app, people, caplog):
    client = _from(app, "203.0.113.9")
    with caplog.at_level(logging.WARNING, logger="qiao.security"):
        sign_in(client, "Learner@Alpha.example", "wrong-password")
    record = next(r for r in caplog.records if r.name == "qiao.security")
    assert record.account == "learner@alpha.example"
    assert record.address == "203.0.113.9"
    assert "learner@alpha.example" in record.getMessage() and "203.0.113.9" in record.getMessage()


# --------------------------------------------------------------------------- L-2


def test_sign_out_makes_the_old_session_and_remember_cookies_useless(app, people):
    client = app.test_client()
    sign_in(client, "learner@alpha.example", remember="y")
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    stolen_session = app.test_client()
    stolen_session.set_cookie("session", session_cookie)
    assert stolen_session.get("/").status_code == 302
    stolen_remember = app.test_client()
    stolen_remember.set_cookie("remember_token", remember_cookie)
    assert stolen_remember.get("/").status_code == 302
    # and the owner signs in again as usual
    assert sign_in(client, "learner@alpha.example").status_code == 302


# --------------------------------------------------------------------------- L-8


@pytest.mark.parametrize(
    "password",
    [
        "1111111111",
        "1234567890",
        "qwertyuiop",
        "йцукенгшщз",
        "abababababab",
        "password2024",
        "Password123!",
        "0987654321",
        "learner-learner",
    ],
)
def test_weak_passwords_are_refused(client, people, password):
    sign_in(client, "learner@alpha.example")
    response = client.post(
        "/auth/password",
        data={
            "csrf_token": csrf_token(client, "/auth/password"),
            "current": PASSWORD,
            "new": password,
            "confirm": password,
        },
    )
    assert response.status_code == 200
    assert "Этот пароль слишком легко угадать" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).session_version == 0


def test_password_policy_is_a_pure_function():
    from app.accounts.passwords import password_problem

    assert password_problem("1111111111") == "guessable"
    assert password_problem("short") == "too short"
    assert password_problem("ivanov-2026", email="ivanov@alpha.example") == "guessable"
    assert password_problem("кедр-маяк-1987") is None
    assert password_problem("correct-horse-battery") is None


def test_guesses_of_the_current_password_are_limited(client, people):
    sign_in(client, "learner@alpha.example")
    token = csrf_token(client, "/auth/password")
    data = {"csrf_token": token, "new": "a-new-password-1", "confirm": "a-new-password-1"}
    for n in range(5):
        response = client.post("/auth/password", data={**data, "current": f"guess-{n}"})
        assert response.status_code == 200
    response = client.post("/auth/password", data={**data, "current": PASSWORD})
    assert response.status_code == 429
    assert "Слишком много" in response.get_data(as_text=True)


def test_invitation_and_admin_forms_use_the_same_policy(client, people):
    from app.hr.invites import make_token

    people.learner_a.password_hash = None
    db.session.commit()
    url = f"/hr/invite/{make_token(people.learner_a)}"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "password": "1111111111",
            "confirm": "1111111111",
        },
    )
    assert response.status_code == 200
    assert "Этот пароль слишком легко угадать" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).password_hash is None


# --------------------------------------------------------------------------- L-1


def test_a_per_process_limiter_with_several_workers_warns_loudly(caplog):
    from app.ratelimits import check_shared_store

    with caplog.at_level(logging.WARNING, logger="qiao.security"):
        assert check_shared_store("memory://", workers=4) is False
    assert any("memory://" in r.getMessage() and "4" in r.getMessage() for r in caplog.records)
    caplog.clear()
    assert check_shared_store("redis://redis:6379/0", workers=4) is True
    assert check_shared_store("memory://", workers=1) is True
    assert not caplog.records


def test_worker_count_is_read_from_the_gunicorn_environment():
    from app.ratelimits import workers_from_environment

    assert workers_from_environment({}) == 1
    assert workers_from_environment({"WEB_CONCURRENCY": "3"}) == 3
    assert workers_from_environment({"QIAO_WORKERS": "2"}) == 2
    assert workers_from_environment({"GUNICORN_CMD_ARGS": "--bind :8000 -w 4"}) == 4
    assert workers_from_environment({"GUNICORN_CMD_ARGS": "--workers=2"}) == 2
