"""The calibration chart, the workload table and the Anki export buttons in a real browser."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from selenium.webdriver.common.by import By
from sqlalchemy import insert, select

from app.extensions import db
from app.models import Card, ReviewLog, utcnow
from app.review import deck
from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in
from tests.integration.test_review_services import WORDS, make_lesson

FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.arrayBuffer().then(b => {
  const head = Array.from(new Uint8Array(b.slice(0, 2))).map(c => String.fromCharCode(c)).join("");
  done([r.status, b.byteLength, head]);
}));
"""


def _history(user, items) -> None:
    """200 reviews of cards in review, with the stability each card had, over 60 days."""
    deck.ensure_cards(user, items)
    db.session.commit()
    cards = list(db.session.scalars(select(Card).where(Card.user_id == user.id)))
    rng, now = random.Random(3), utcnow()
    rows = []
    for i in range(200):
        stability, days = rng.uniform(1, 30), rng.randint(1, 40)
        recall = (1 + 0.2346 * days / stability) ** -0.5  # fsrs-6's curve, roughly
        rows.append({"review_id": str(uuid.uuid4()), "card_id": rng.choice(cards).id,
                     "user_id": user.id, "rating": 3 if rng.random() < recall else 1,
                     "reviewed_at": now - timedelta(days=60) + timedelta(hours=7 * i),
                     "state_before": 2, "was_new": False, "elapsed_days": float(days),
                     "card_before": {"stability": stability}, "undone": False})  # fmt: skip
    db.session.execute(insert(ReviewLog), rows)
    db.session.commit()


def test_learner_sees_calibration_and_exports(app_ctx, people, browser, live_server):
    _lesson, items = make_lesson(WORDS[:4])
    _history(people.learner_a, items)
    browser_sign_in(browser, live_server, people.learner_a.email)

    browser.get(live_server + "/review/stats")
    chart = browser.find_element(By.CSS_SELECTOR, "svg.calibration")
    assert chart.is_displayed()
    assert len(chart.find_elements(By.CSS_SELECTOR, "circle.calibration-dot")) >= 3
    assert "Предсказанная и фактическая" in chart.find_element(By.TAG_NAME, "title").get_attribute(
        "textContent"
    )
    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    assert browser.find_element(By.CSS_SELECTOR, "table.calibration-table").is_displayed()
    export = browser.find_element(By.LINK_TEXT, "Выгрузить в Anki")
    assert export.is_displayed()
    status, size, head = browser.execute_async_script(FETCH, export.get_attribute("href"))
    assert (status, head) == (200, "PK") and size > 1000
    check_page(browser, "review-stats-calibration")

    browser.get(live_server + "/review/settings")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.workload-table tbody tr")
    assert [r.find_element(By.TAG_NAME, "th").text[:4] for r in rows] == [
        "80 %", "85 %", "90 %", "95 %"
    ]  # fmt: skip
    check_page(browser, "review-settings-workload")


def test_trainer_exports_a_course(app_ctx, people, browser, live_server):
    lesson, _items = make_lesson(WORDS[:3])
    browser_sign_in(browser, live_server, people.trainer.email)
    browser.get(f"{live_server}/author/c/{lesson.course.slug}/analytics")
    link = browser.find_element(By.LINK_TEXT, "Anki (.apkg)")
    status, size, head = browser.execute_async_script(FETCH, link.get_attribute("href"))
    assert (status, head) == (200, "PK") and size > 1000
    check_page(browser, "author-analytics-anki")
