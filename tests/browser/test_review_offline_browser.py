"""Offline review in Chromium: the learner opens the review page, the network goes away (the
browser is switched offline and the server is stopped), the page still opens from the service
worker, the learner answers cards, and back online each answer reaches the server exactly once;
an answer whose card changed meanwhile is shown as not recorded, not lost."""

from __future__ import annotations

import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Card, ReviewLog, User
from app.review import suspension
from tests.audio_fixtures import make_clip
from tests.browser.conftest import screenshot
from tests.browser.pagecheck import (
    DESKTOP,
    PHONE,
    axe_violations,
    check_page,
    horizontal_overflow,
    js_errors,
)
from tests.integration.test_review_services import WORDS, make_lesson

PASSWORD = "browser-demo-pass"
LEARNER = "learner@lassard.demo"


class Server:
    """The app on a fixed port that can be switched off and on again (same origin)."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self.server = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server(app):
    running = Server(app)
    yield running
    running.stop()


def _network(browser, *, online: bool) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def _attr(browser, name: str) -> str | None:
    return browser.find_element(By.ID, "review").get_attribute(name)


def _card(browser) -> str | None:
    """The id of the card on screen, read in one script: the stage is re-rendered after each
    answer, so an element found first and read afterwards may already be gone."""
    return browser.execute_script(
        "const card = document.querySelector('#review-stage .review-card');"
        "return card ? card.getAttribute('data-card-id') : null;"
    )


def _answer_shown_card(browser, rating: str) -> str:
    """Reveal the card on screen, rate it, wait for the next; the answered card's id."""
    card = _card(browser)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(" ")
    WebDriverWait(browser, 5).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".review-ratings").is_displayed()
    )
    body.send_keys(rating)
    WebDriverWait(browser, 10).until(lambda b: _card(b) != card)
    return card


def _reviews(app) -> list[ReviewLog]:
    with app.app_context():
        return list(db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)))


def test_cards_answered_offline_reach_the_server_once(app, runner, browser, server, monkeypatch):
    from app.demo import DEMO_REVIEW_COURSE, DEMO_REVIEW_LESSON

    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    with app.app_context():
        make_lesson(WORDS[:3], course_slug=DEMO_REVIEW_COURSE, lesson_slug=DEMO_REVIEW_LESSON)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        learner = db.session.scalar(select(User).where(User.email == LEARNER))
        learner.daily_new_limit = 4
        db.session.commit()
        learner_id = learner.id
        clip = make_clip(app.config["AUDIO_DIR"], WORDS[0][0]).key

    browser.get(server.url + "/auth/login")
    browser.find_element(By.ID, "email").send_keys(LEARNER)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 10).until(ec.url_to_be(server.url + "/"))
    browser.get(server.url + "/review/")
    # today's queue and its audio are saved, the service worker controls the page
    WebDriverWait(browser, 20).until(lambda b: _attr(b, "data-offline-ready") == "4")
    WebDriverWait(browser, 20).until(
        lambda b: b.execute_script("return !!navigator.serviceWorker.controller")
    )
    assert "сохранено на устройстве" in browser.find_element(By.CSS_SELECTOR, ".review-saved").text

    # the network goes away: the browser is offline and the server is down
    _network(browser, online=False)
    server.stop()
    browser.get(server.url + "/review/")
    status = WebDriverWait(browser, 10).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, ".review-offline"))
    )
    assert status.text.startswith("Нет связи.")
    audio = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/audio/' + arguments[0]).then(r => done(r.status), () => done('failed'));",
        clip,
    )
    assert audio == 200, "the clip of a saved card plays offline"
    screenshot(browser, "review-offline")
    answered = [_answer_shown_card(browser, "3") for _ in range(3)]
    assert len(set(answered)) == 3
    WebDriverWait(browser, 5).until(lambda b: _attr(b, "data-pending") == "3")
    assert (
        "Ответов ждут отправки: 3." in browser.find_element(By.CSS_SELECTOR, ".review-offline").text
    )
    browser.set_window_size(*PHONE)
    screenshot(browser, "review-offline-phone")
    assert horizontal_overflow(browser) <= 0
    browser.set_window_size(*DESKTOP)
    assert axe_violations(browser) == []
    assert _reviews(app) == []

    # meanwhile the second card changed on another device: its offline answer must conflict
    with app.app_context():
        other = db.session.get(User, learner_id)
        suspension.suspend(other, int(answered[1]))
        suspension.resume(other, int(answered[1]))
        db.session.commit()
        hanzi = db.session.get(Card, int(answered[1])).item.hanzi

    # back online: the outbox is sent by itself
    server.start()
    _network(browser, online=True)
    WebDriverWait(browser, 20).until(lambda b: _attr(b, "data-pending") == "0")
    logs = _reviews(app)
    assert sorted(str(log.card_id) for log in logs) == sorted([answered[0], answered[2]])
    assert len({log.review_id for log in logs}) == 2 and all(log.rating == 3 for log in logs)
    sent = browser.find_element(By.CSS_SELECTOR, ".review-sent")
    assert sent.is_displayed() and "отправлены: 2" in sent.text
    conflicts = browser.find_element(By.CSS_SELECTOR, ".review-conflicts")
    assert conflicts.is_displayed() and f"«{hanzi}», «Хорошо»: ответ не записан" in conflicts.text
    assert not browser.find_element(By.CSS_SELECTOR, ".review-offline").is_displayed()
    screenshot(browser, "review-back-online")

    # a response lost on the way: the same answer is sent again and still counts once
    again = browser.execute_async_script(
        "const [log, done] = [arguments[0], arguments[arguments.length - 1]];"
        "const open = indexedDB.open('qiao-review', 1);"
        "open.onsuccess = () => { const tx = open.result.transaction('outbox', 'readwrite');"
        "  tx.objectStore('outbox').put(log); tx.oncomplete = () => {"
        "    window.dispatchEvent(new Event('online')); done('queued'); }; };",
        {"review_id": logs[0].review_id, "user": str(learner_id), "card_id": logs[0].card_id,
         "rating": 3, "version": 0, "duration_ms": 1000, "answered_at": 0, "hanzi": "?"},
    )  # fmt: skip
    assert again == "queued"
    WebDriverWait(browser, 20).until(lambda b: _attr(b, "data-pending") == "0")
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 2
    assert "«?»" not in browser.find_element(By.CSS_SELECTOR, ".review-conflicts").text

    # the conflict is acknowledged; the page is sound online at every width
    conflicts.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 5).until(lambda b: not conflicts.is_displayed())
    js_errors(browser)  # forget what failed while offline (and the 409): a fresh page now
    browser.get(server.url + "/review/")
    check_page(browser, "review-online-after-sync")


def test_a_failed_connection_is_explained_in_russian(app, runner, browser, server, monkeypatch):
    """Bury needs the server: without a connection the learner reads why, in Russian (the
    page's own message, never the browser's «Failed to fetch»)."""
    from app.demo import DEMO_REVIEW_COURSE, DEMO_REVIEW_LESSON

    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    with app.app_context():
        make_lesson(WORDS[:2], course_slug=DEMO_REVIEW_COURSE, lesson_slug=DEMO_REVIEW_LESSON)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    browser.get(server.url + "/auth/login")
    browser.find_element(By.ID, "email").send_keys(LEARNER)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 10).until(ec.url_to_be(server.url + "/"))
    browser.get(server.url + "/review/")
    WebDriverWait(browser, 20).until(lambda b: _attr(b, "data-offline-ready"))
    expected = _attr(browser, "data-error-message")
    _network(browser, online=False)
    try:
        browser.find_element(By.CSS_SELECTOR, ".review-tools button").click()  # bury
        error = WebDriverWait(browser, 10).until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, ".review-error"))
        )
        assert (
            error.text
            == expected
            == "Связь прервалась. Ваш ответ сохранён на странице: попробуйте ещё раз."
        )
        assert "fetch" not in browser.find_element(By.ID, "review").text
    finally:
        _network(browser, online=True)
