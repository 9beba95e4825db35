import pytest

from app.extensions import db
from tests.helpers import PASSWORD, csrf_token, sign_in


def test_sign_in_page_is_in_russian(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "Вход в Цяо" in html and "Пароль" in html


def test_sign_in_and_out(client, people):
    response = sign_in(client, "learner@alpha.example")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Здравствуйте, Learner!" in home
    token = csrf_token(client, "/")
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out: back to the sign-in page


def test_email_is_case_insensitive(client, people):
    assert sign_in(client, "  Learner@Alpha.EXAMPLE ").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, people):
    response = sign_in(client, "learner@alpha.example", "wrong-password")
    assert response.status_code == 401
    assert "Неверная почта или пароль." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_email_gets_the_same_message(client, people):
    response = sign_in(client, "nobody@alpha.example", "whatever-password")
    assert response.status_code == 401
    assert "Неверная почта или пароль." in response.get_data(as_text=True)


def test_sixth_quick_wrong_password_for_one_account_is_refused(client, people):
    for _ in range(5):
        assert sign_in(client, "learner@alpha.example", "wrong-password").status_code == 401
    response = sign_in(client, "learner@alpha.example", PASSWORD)  # even the right one, for now
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа" in response.get_data(as_text=True)
    # Another account from the same address is not locked by this one's failures.
    assert sign_in(client, "hr@alpha.example").status_code == 302


def test_failures_are_limited_per_address_too(app, client, people):
    emails = [f"user{i}@alpha.example" for i in range(20)]
    for email in emails:
        assert sign_in(client, email, "wrong-password").status_code == 401
    response = sign_in(client, "learner@alpha.example", PASSWORD)
    assert response.status_code == 429


def test_successful_sign_ins_are_not_limited(client, people):
    for _ in range(8):
        assert sign_in(client, "learner@alpha.example").status_code == 302
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})


def test_post_without_csrf_token_is_refused(client, people):
    response = client.post(
        "/auth/login", data={"email": "learner@alpha.example", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_without_csrf_token_keeps_the_session(client, people):
    sign_in(client, "learner@alpha.example")
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example/path",
        "/\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
    ],
)
def test_next_never_leaves_the_site(client, people, target):
    client.get("/auth/login?next=" + target)
    response = sign_in(client, "learner@alpha.example", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_inside_the_site_is_followed(client, people):
    response = sign_in(client, "hr@alpha.example", next="/hr/people?department=1")
    assert response.headers["Location"] == "/hr/people?department=1"


def test_deactivated_user_cannot_sign_in(client, people):
    from app.admin import services

    services.set_active(people.admin, people.learner_a, False)
    db.session.commit()
    response = sign_in(client, "learner@alpha.example")
    assert response.status_code == 401
    assert "учётная запись деактивирована" in response.get_data(as_text=True)


def test_deactivation_ends_an_open_session(client, people):
    from app.admin import services

    sign_in(client, "learner@alpha.example")
    assert client.get("/").status_code == 200
    services.set_active(people.admin, db.session.merge(people.learner_a), False)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_change_password(client, people):
    sign_in(client, "learner@alpha.example")
    token = csrf_token(client, "/auth/password")
    response = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current": "wrong",
            "new": "a-new-password-1",
            "confirm": "a-new-password-1",
        },
    )
    assert "Текущий пароль указан неверно." in response.get_data(as_text=True)
    response = client.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "new": "a-new-password-1",
            "confirm": "a-new-password-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert sign_in(client, "learner@alpha.example").status_code == 401
    assert sign_in(client, "learner@alpha.example", "a-new-password-1").status_code == 302


def test_password_change_ends_other_sessions(app, people):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "learner@alpha.example")
    sign_in(second, "learner@alpha.example")
    token = csrf_token(first, "/auth/password")
    first.post(
        "/auth/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "new": "another-password",
            "confirm": "another-password",
        },
    )
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_session_cookies_are_httponly_and_samesite(client, people):
    response = sign_in(client, "learner@alpha.example", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain HTTP here


def test_cookies_are_secure_over_https(client, people):
    token = csrf_token(client)
    response = client.post(
        "/auth/login",
        data={
            "email": "learner@alpha.example",
            "password": PASSWORD,
            "csrf_token": token,
            "remember": "y",
        },
        base_url="https://localhost",
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c for c in cookies)


def test_remember_me_keeps_the_user_signed_in(app, people):
    client = app.test_client()
    sign_in(client, "learner@alpha.example", remember="y")
    remember = client.get_cookie("remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/").status_code == 200


def test_language_switch_per_user(client, people):
    sign_in(client, "learner@alpha.example")
    token = csrf_token(client, "/")
    client.post("/auth/language", data={"csrf_token": token, "locale": "en", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Hello, Learner!" in html
    db.session.expire_all()
    assert people.learner_a.locale == "en"


def test_error_pages_are_in_russian(client, people):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)
