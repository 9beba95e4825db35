"""A learner takes the placement test in a real browser: the clock runs, the answers place
them on the path, the lessons before the start are marked known; a sitting whose time runs
out sends itself."""

from __future__ import annotations

from datetime import timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from app.extensions import db
from app.models import PlacementAttempt, utcnow
from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in as _sign_in
from tests.web.test_placement import courses_dir  # noqa: F401  (the fixture)


def _choose(browser, key: str, value: str) -> None:
    for radio in browser.find_elements(By.CSS_SELECTOR, f'input[name="q-{key}"]'):
        if radio.get_attribute("value") == value:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
            radio.click()
            return
    raise AssertionError(f"no option {value!r} for {key}")


def test_placement_test_end_to_end(browser, live_server, content, courses_dir):  # noqa: F811
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.get(live_server + "/courses")
    browser.find_element(By.LINK_TEXT, "Пройдите тест на уровень").click()
    WebDriverWait(browser, 30).until(
        ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Тест на уровень")
    )
    check_page(browser, "placement-intro")

    browser.find_element(By.CSS_SELECTOR, ".placement-start button").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/placement/test"))
    clock = browser.find_element(By.CSS_SELECTOR, ".placement-clock")
    first = clock.text
    assert first in ("10:00", "9:59", "9:58")
    WebDriverWait(browser, 5).until(lambda d: clock.text != first)  # the clock runs
    check_page(browser, "placement-test")

    for question in courses_dir["questions"]:
        _choose(browser, question["key"], question["answer"])
    browser.find_element(By.CSS_SELECTOR, ".placement-form [type=submit]").click()
    WebDriverWait(browser, 10).until(ec.url_to_be(live_server + "/placement"))
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "Ваш результат" in body and "Начните с урока «Урок 2» курса «Курс»." in body
    check_page(browser, "placement-result")

    browser.find_element(By.CSS_SELECTOR, "form[action$='/placement/known'] [type=submit]").click()
    WebDriverWait(browser, 10).until(ec.url_contains(f"/courses/{content.course.id}"))
    assert "Отмечено как знакомые уроков: 1" in browser.find_element(By.TAG_NAME, "main").text
    rows = browser.find_elements(By.CSS_SELECTOR, ".lesson-row")
    assert "state-done" in rows[0].get_attribute("class")
    assert "is-next" in rows[1].get_attribute("class")


def test_the_page_sends_the_answers_when_the_time_is_up(
    browser,
    live_server,
    content,
    courses_dir,  # noqa: F811
):
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.get(live_server + "/placement")
    browser.find_element(By.CSS_SELECTOR, ".placement-start button").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/placement/test"))
    attempt = db.session.scalar(select(PlacementAttempt))
    attempt.deadline = utcnow() + timedelta(seconds=6)
    db.session.commit()
    browser.refresh()
    _choose(browser, "h1-xiexie", "спасибо")
    WebDriverWait(browser, 30).until(ec.url_to_be(live_server + "/placement"))
    db.session.expire_all()
    attempt = db.session.get(PlacementAttempt, attempt.id)
    assert attempt.finished_at is not None and not attempt.expired
    assert attempt.answers == {"h1-xiexie": "спасибо"} and attempt.start == "demo/one"
