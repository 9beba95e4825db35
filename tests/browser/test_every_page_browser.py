"""Every page of the learner and the zone admin (the trainer's and HR's in
test_every_page_staff_browser.py): see tests/browser/every_page.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course, User
from tests.browser.conftest import screenshot
from tests.browser.every_page import COURSES, PASSWORD, ROLES, walk_every_page
from tests.browser.pagecheck import DESKTOP, PHONE
from tests.helpers import browser_sign_in


@pytest.mark.sqlite_pass
@pytest.mark.parametrize("role", ["learner", "admin"])
def test_every_page_of_every_role(role, app, runner, browser, live_server, monkeypatch):
    walk_every_page(role, app, runner, browser, live_server, monkeypatch)


def _main_action(browser) -> tuple[str, float, float]:
    """The dashboard's first primary button: its text, its bottom edge and the window height."""
    return browser.execute_script(
        "const b = document.querySelector('main .button.primary');"
        "return [b.textContent.trim(), b.getBoundingClientRect().bottom, window.innerHeight];"
    )


def test_the_dashboards_main_action_is_above_the_fold_on_a_phone(
    app, runner, browser, live_server, monkeypatch
):
    from datetime import timedelta

    from app.learn.courses import enroll
    from app.models import Card, utcnow

    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    with app.app_context():
        assert runner.invoke(args=["courses", "import", str(COURSES)]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    browser_sign_in(browser, live_server, ROLES["learner"], PASSWORD)
    browser.set_window_size(*PHONE)
    browser.get(live_server + "/")
    text, bottom, height = _main_action(browser)
    screenshot(browser, "dashboard-phone-review")
    assert text == "Повторять" and bottom <= height, (text, bottom, height)

    # nothing due: the lesson or course to go on with is the main action, still in sight
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.email == ROLES["learner"]))
        learner.daily_new_limit = 0
        for card in db.session.scalars(select(Card).where(Card.user_id == learner.id)):
            card.due = utcnow() + timedelta(days=2)
        course = db.session.scalar(select(Course).order_by(Course.id))
        enroll(learner, course.id)
        db.session.commit()
    browser.get(live_server + "/")
    text, bottom, height = _main_action(browser)
    screenshot(browser, "dashboard-phone-continue")
    # a beginner is sent to the recommended path (phonetics first); otherwise «Продолжить»
    assert text.startswith(("Продолжить", "Начать")) and bottom <= height, (text, bottom, height)
    browser.set_window_size(*DESKTOP)
