"""Helpers shared by test modules: the test password, CSRF tokens, signing in (test client and
browser), clips that passed verification and counting SQL statements."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from flask.testing import FlaskClient

#: the password of every user the fixtures make
PASSWORD = "correct-horse-battery"


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page with a form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **extra):
    token = csrf_token(client)
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": token, **extra},
    )


def browser_sign_in(
    browser, live_server: str, email: str, password: str = PASSWORD, timeout: float = 10
) -> None:
    """Sign in through the real form and wait for the dashboard."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server + "/auth/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, timeout).until(ec.url_to_be(live_server + "/"))


def pass_listening_clips(audio_dir, exercises) -> None:
    """Clips of both speeds for the tone and listening exercises, passed by verification (a
    listening exercise is offered only with such a clip)."""
    from tests.audio_fixtures import make_clip

    for kind in ("identify_tone", "listening"):
        prompt = exercises[kind].data["prompt"]
        for speed in ("normal", "slow"):
            make_clip(audio_dir, prompt, speed=speed, verdict="passed")


@contextlib.contextmanager
def sql_statements() -> Iterator[list[str]]:
    """The SQL statements sent inside the block (for query-count tests)."""
    from sqlalchemy import event

    from app.extensions import db

    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
