"""The demo learner reviews the first lesson's cards in a real browser, with the keyboard."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from app.extensions import db
from app.models import Card, ReviewLog, User
from tests.browser.conftest import screenshot
from tests.helpers import browser_sign_in
from tests.integration.test_review_services import WORDS, make_lesson

PASSWORD = "browser-demo-pass"


def _sign_in(browser, live_server, email):
    browser_sign_in(browser, live_server, email, PASSWORD)


def _card_id(browser) -> str | None:
    cards = browser.find_elements(By.CSS_SELECTOR, "#review-stage .review-card")
    return cards[0].get_attribute("data-card-id") if cards else None


def _shown(browser) -> tuple[str | None, str | None]:
    """The card on screen and its version (a card in learning steps may come straight back).

    The page swaps the card in place; one read in the middle of a swap is simply retried.
    """
    for _ in range(20):
        try:
            cards = browser.find_elements(By.CSS_SELECTOR, "#review-stage .review-card")
            if not cards:
                return None, None
            return cards[0].get_attribute("data-card-id"), cards[0].get_attribute("data-version")
        except StaleElementReferenceException:
            continue
    raise AssertionError("the review card never settled")


def _press(browser, key):
    browser.find_element(By.TAG_NAME, "body").send_keys(key)


def _wait_for_other_card(browser, old):
    WebDriverWait(browser, 10).until(lambda b: _card_id(b) != old)


def test_demo_learner_reviews_with_the_keyboard(app, runner, browser, live_server, monkeypatch):
    from app.demo import DEMO_REVIEW_COURSE, DEMO_REVIEW_LESSON

    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    with app.app_context():
        make_lesson(WORDS[:3], course_slug=DEMO_REVIEW_COURSE, lesson_slug=DEMO_REVIEW_LESSON)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.email == "learner@lassard.demo"))
        learner.daily_new_limit = 2
        db.session.commit()
        learner_id = learner.id
        pinyin_card = db.session.scalar(
            select(Card.id).where(Card.user_id == learner_id, Card.direction == "pinyin")
        )

    _sign_in(browser, live_server, "learner@lassard.demo")
    assert "Повторение" in browser.find_element(By.CSS_SELECTOR, "nav.mainnav").text
    browser.get(live_server + "/review/")
    first = _card_id(browser)
    assert first and not browser.find_element(By.CSS_SELECTOR, ".review-back").is_displayed()
    screenshot(browser, "review-front")
    _press(browser, Keys.SPACE)
    WebDriverWait(browser, 5).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".review-back").is_displayed()
    )
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".rate-name")]
    assert labels == ["Снова", "Трудно", "Хорошо", "Легко"]
    screenshot(browser, "review-back")
    _press(browser, "4")  # Easy
    _wait_for_other_card(browser, first)
    second = _card_id(browser)
    # the answer brought the next card: one request from card to card
    asked = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('/api/v1/review/next') || n.includes('/api/v1/review/answer'))"
    )
    assert [url.rsplit("/", 1)[-1] for url in asked] == ["answer"], asked
    _press(browser, Keys.SPACE)
    _press(browser, "4")
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".review-done"))
    summary = browser.find_element(By.CSS_SELECTOR, ".review-done").text
    assert "На сейчас всё!" in summary and "2" in summary
    screenshot(browser, "review-done")

    # undo with U: the last card comes back, as it was
    _press(browser, "u")
    WebDriverWait(browser, 10).until(lambda b: _card_id(b) == second)
    _press(browser, Keys.SPACE)
    _press(browser, "4")
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".review-done"))

    # a typed pinyin card: checked, the suggested rating answered with the space bar
    browser.get(live_server + f"/review/?card={pinyin_card}")
    answer = browser.find_element(By.ID, "review-answer")
    assert browser.switch_to.active_element == answer
    answer.send_keys("ni3 hao4" if WORDS[0][0] in browser.page_source else "xx")
    answer.send_keys(Keys.ENTER)
    verdict = WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".review-verdict").text
    )
    assert verdict.startswith("Слоги верные") or verdict.startswith("Не совсем")
    assert browser.find_element(By.CSS_SELECTOR, ".rate.is-suggested").is_displayed()
    screenshot(browser, "review-typed")
    browser.set_window_size(390, 844)
    screenshot(browser, "review-typed-phone")
    shown = _shown(browser)
    browser.switch_to.active_element.send_keys(Keys.SPACE)
    WebDriverWait(browser, 10).until(lambda b: _shown(b) != shown)

    with app.app_context():
        logs = db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == learner_id)).all()
        assert len([log for log in logs if not log.undone]) == 3
        assert sum(log.undone for log in logs) == 1

    browser.get(live_server + "/review/stats")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.heatmap rect.hm-l4")
    assert "3" in browser.find_element(By.ID, "st-today").find_element(By.XPATH, "..").text
    screenshot(browser, "review-stats-phone")
    browser.set_window_size(1280, 900)
    screenshot(browser, "review-stats")
