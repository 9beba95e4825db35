"""Handwriting in a real browser: the pointer draws each stroke along the stroke data's medians
(Make Me a Hanzi, scaled to the drawing box the way hanzi-writer places the character), in the
`write` exercise and on a writing review card. The right order gives no mistakes; a wrong order
or a stroke drawn backwards gives mistakes, and the server's verdict follows the counts."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from app.chinese import strokes
from app.extensions import db
from app.models import Attempt, Card, ReviewLog
from app.review import deck
from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.pagecheck import check_page
from tests.browser.test_review_offline_browser import Server, _attr, _network
from tests.helpers import browser_sign_in
from tests.integration.test_review_services import make_lesson

#: hanzi-writer's padding in js/kinds/write.js
PADDING = 8
#: the characters drawn from their medians: simple and compound, 1 to 9 strokes
CHARACTERS = "一人口大中你好是国"

pytestmark = pytest.mark.skipif(not strokes.available(), reason="NOTICE: `make frontend` first")


def _wait(browser, seconds: float) -> WebDriverWait:
    """A wait that reads again when the pad or card was re-rendered under it (a stale element
    is not a failure), with room for a loaded machine."""
    return WebDriverWait(browser, seconds, ignored_exceptions=(StaleElementReferenceException,))


def _points(char: str, index: int, size: float) -> list[tuple[float, float]]:
    """Stroke `index` of `char`: its median in the box's pixels (hanzi-writer's Positioner: a
    1024-unit square from y = -124 to 900, y upwards, centred within the padding)."""
    scale = (size - 2 * PADDING) / 1024
    median = strokes.stroke_data(char)["medians"][index]
    return [(PADDING + x * scale, size - (PADDING + 124 * scale) - y * scale) for x, y in median]


def _box(pad):
    return pad.find_element(By.CSS_SELECTOR, ".write-box svg")


def _draw(browser, pad, char: str, index: int, *, backwards: bool = False) -> None:
    """Press, move along the median, release: one stroke with the pointer."""
    svg = _box(pad)
    size = svg.size["width"]
    points = _points(char, index, size)
    if backwards:
        points.reverse()
    # more points than the median's few: a pen's movement, not jumps
    dense = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        dense += [(x0 + (x1 - x0) * t / 4, y0 + (y1 - y0) * t / 4) for t in range(1, 5)]
    actions = ActionChains(browser, duration=5)
    x, y = dense[0]
    actions.move_to_element_with_offset(svg, x - size / 2, y - size / 2).click_and_hold()
    for nx, ny in dense[1:]:
        actions.move_by_offset(round(nx - x), round(ny - y))
        x, y = x + round(nx - x), y + round(ny - y)
    actions.release().perform()


def _stage(pad) -> str:
    return pad.find_element(By.CSS_SELECTOR, ".write-stage").text


def _write(browser, pad, char: str, *, order: list[int] | None = None, backwards=()) -> None:
    """Draw `char` in the box: its strokes in `order` (default: the right one; the draws at the
    positions in `backwards` go from the end to the start), until the box moves on."""
    wait = _wait(browser, 20)
    wait.until(lambda b: pad.find_elements(By.CSS_SELECTOR, ".write-box svg"))
    before = _stage(pad)
    count = len(strokes.stroke_data(char)["medians"])
    for position, index in enumerate(order if order is not None else range(count)):
        _draw(browser, pad, char, index, backwards=position in backwards)
        browser.execute_script("return new Promise(r => setTimeout(r, 60))")
    try:
        wait.until(lambda b: _stage(pad) != before)
    except Exception:
        screenshot(browser, f"write-stuck-{char}")
        raise


def _open_pad(browser, card_selector: str):
    card = browser.find_element(By.CSS_SELECTOR, card_selector)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    pad = card.find_element(By.CSS_SELECTOR, "[data-write]")
    _wait(browser, 20).until(lambda b: pad.is_displayed() and _stage(pad))
    return card, pad


def _latest_answer(app, exercise_id: int) -> str | None:
    with app.app_context():
        attempt = db.session.scalar(
            select(Attempt).where(Attempt.exercise_id == exercise_id).order_by(Attempt.id.desc())
        )
        return None if attempt is None else attempt.answer


def _attempts(app, exercise_id: int) -> int:
    with app.app_context():
        return len(
            db.session.scalars(select(Attempt.id).where(Attempt.exercise_id == exercise_id)).all()
        )


def test_a_write_exercise_traced_then_written_from_memory(app, browser, live_server, content):
    exercise = factories.make_exercise(
        content.lesson, "write", {"answer": "你好", "ru": "здравствуйте"}, 90, "w"
    )
    exercise_id, lesson_id = exercise.id, exercise.lesson_id
    browser_sign_in(browser, live_server, "learner@alpha.example")
    browser.get(f"{live_server}/lessons/{lesson_id}")
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()  # the whole lesson at once
    card, pad = _open_pad(browser, f"#ex-{exercise_id}")
    assert _stage(pad) == "Обведите иероглиф 1 из 2 по контуру"
    assert not card.find_element(By.CSS_SELECTOR, 'button[type="submit"]').is_displayed()
    screenshot(browser, "write-trace")
    browser.set_window_size(390, 844)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", pad)
    screenshot(browser, "write-trace-390")
    browser.set_window_size(1280, 900)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    _write(browser, pad, "你")
    _write(browser, pad, "好")
    assert _stage(pad) == "Напишите иероглиф 1 из 2 по памяти"
    _write(browser, pad, "你")
    _write(browser, pad, "好")
    feedback = card.find_element(By.CSS_SELECTOR, ".feedback")
    _wait(browser, 20).until(lambda b: "Верно" in feedback.text)
    assert _latest_answer(app, exercise_id) == "0 0"
    screenshot(browser, "write-right")
    check_page(browser, "write-exercise")

    # again, straight from memory, 你 with its first two strokes swapped, 好's first backwards
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    pad.find_element(By.CSS_SELECTOR, "[data-write-restart]").click()
    pad.find_element(By.CSS_SELECTOR, "[data-write-skip]").click()
    _wait(browser, 20).until(lambda b: "по памяти" in _stage(pad))
    _write(browser, pad, "你", order=[1, 1, 1, 0, 1, 2, 3, 4, 5, 6])
    _write(browser, pad, "好", order=[0, 0, 1, 2, 3, 4, 5], backwards={0})
    _wait(browser, 20).until(lambda b: "Не совсем" in feedback.text)
    mistakes = _latest_answer(app, exercise_id).split()
    assert int(mistakes[0]) >= 3 and int(mistakes[1]) >= 1
    assert "допустимо не больше 2" in feedback.text
    screenshot(browser, "write-wrong")


def test_a_set_of_characters_drawn_from_their_medians(app, browser, live_server, content):
    """Each character of CHARACTERS: the right order → 0 mistakes; the strokes reversed (or a
    one-stroke character drawn backwards) → mistakes."""
    ids = [
        factories.make_exercise(
            content.lesson, "write", {"answer": c, "ru": "знак"}, 100 + i, f"set-{i}"
        ).id
        for i, c in enumerate(CHARACTERS)
    ]
    browser_sign_in(browser, live_server, "learner@alpha.example")
    browser.get(f"{live_server}/lessons/{content.lesson.id}")
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()
    results = {}
    for char, exercise_id in zip(CHARACTERS, ids, strict=True):
        for wrong in (False, True):
            card, pad = _open_pad(browser, f"#ex-{exercise_id}")
            if wrong:
                pad.find_element(By.CSS_SELECTOR, "[data-write-restart]").click()
            pad.find_element(By.CSS_SELECTOR, "[data-write-skip]").click()
            _wait(browser, 20).until(lambda b, p=pad: "по памяти" in _stage(p))
            count = len(strokes.stroke_data(char)["medians"])
            if not wrong:
                _write(browser, pad, char)
            elif count == 1:
                _write(browser, pad, char, order=[0, 0], backwards={0})
            else:
                _write(browser, pad, char, order=[count - 1, *range(count)])
            answers = 2 if wrong else 1
            _wait(browser, 20).until(lambda b, n=answers, e=exercise_id: _attempts(app, e) == n)
            results.setdefault(char, []).append(int(_latest_answer(app, exercise_id)))
    assert {c: r[0] for c, r in results.items()} == dict.fromkeys(CHARACTERS, 0)
    assert all(r[1] >= 1 for r in results.values()), results


def _ratings(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)))


def test_a_writing_review_card_suggests_a_rating_the_learner_may_change(
    app, browser, live_server, people
):
    learner = people.learner_a
    learner.review_writing = True
    _lesson, items = make_lesson((("人", "rén", "человек"), ("大", "dà", "большой")))
    deck.ensure_cards(learner, items)
    for card in db.session.scalars(select(Card).where(Card.user_id == learner.id)):
        card.suspended = card.direction != "writing"
    db.session.commit()
    browser_sign_in(browser, live_server, "learner@alpha.example")
    browser.get(live_server + "/review/")
    card, pad = _open_pad(browser, "#review-stage .review-card")
    assert card.get_attribute("data-direction") == "writing"
    assert _stage(pad) == "Напишите иероглиф 1 из 1 по памяти"
    first_char = card.get_attribute("data-hanzi")
    screenshot(browser, "write-review-front")
    check_page(browser, "write-review-front")
    _write(browser, pad, first_char)
    _wait(browser, 20).until(lambda b: "is-revealed" in card.get_attribute("class"))
    assert (
        card.find_element(By.CSS_SELECTOR, ".rate-3")
        .get_attribute("class")
        .endswith("is-suggested")
    )
    assert "Без ошибок" in card.find_element(By.CSS_SELECTOR, ".review-verdict").text
    screenshot(browser, "write-review-good")
    check_page(browser, "write-review-back")
    card.find_element(By.CSS_SELECTOR, ".rate-3").click()

    # the other word, its strokes out of order: Again suggested; the learner says Hard instead
    _wait(browser, 20).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#review-stage .review-card").get_attribute(
                "data-hanzi"
            )
            != first_char
        )
    )
    card, pad = _open_pad(browser, "#review-stage .review-card")
    char = card.get_attribute("data-hanzi")
    last = len(strokes.stroke_data(char)["medians"]) - 1
    _write(browser, pad, char, order=[last, last, last, *range(last + 1)])
    _wait(browser, 20).until(lambda b: "is-revealed" in card.get_attribute("class"))
    assert card.get_attribute("data-suggested") == "1"
    card.find_element(By.CSS_SELECTOR, ".rate-2").click()
    _wait(browser, 20).until(lambda b: len(_ratings(app)) == 2)
    assert _ratings(app) == [3, 2]  # the suggestion, then the learner's own choice
    browser.get(live_server + "/review/settings")
    assert browser.find_element(By.ID, "review_writing").is_selected()
    check_page(browser, "write-review-settings")


@pytest.fixture
def server(app):
    """The app on a port of its own that the test can switch off and on."""
    running = Server(app)
    yield running
    running.stop()


def test_a_writing_card_works_offline_and_its_answer_arrives_once(app, browser, server, people):
    """The queue saved for offline use carries the writing card's stroke data: without a
    connection (browser offline, server down) the learner still draws it, and the answer waits
    in the outbox until it is sent, once."""
    learner = people.learner_a
    learner.review_writing = True
    _lesson, items = make_lesson((("人", "rén", "человек"),))
    deck.ensure_cards(learner, items)
    for card in db.session.scalars(select(Card).where(Card.user_id == learner.id)):
        card.suspended = card.direction != "writing"
    db.session.commit()
    browser_sign_in(browser, server.url, "learner@alpha.example")
    browser.get(server.url + "/review/")
    _wait(browser, 40).until(
        lambda b: b.execute_script("return !!navigator.serviceWorker.controller")
    )
    browser.get(server.url + "/review/")  # through the service worker: it keeps the scripts
    _wait(browser, 40).until(lambda b: _attr(b, "data-offline-ready") == "1")
    saved = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "caches.open('qiao-strokes').then(c => c.keys())"
        ".then(keys => done(keys.map(k => new URL(k.url).pathname)));"
    )
    assert "/strokes/%E4%BA%BA.json" in saved and "/static/js/kinds/write.js" in saved

    _network(browser, online=False)
    server.stop()
    try:
        browser.get(server.url + "/review/")
        _wait(browser, 20).until(
            lambda b: b.find_element(By.CSS_SELECTOR, ".review-offline").is_displayed()
        )
        card, pad = _open_pad(browser, "#review-stage .review-card")
        _write(browser, pad, "人")
        _wait(browser, 20).until(lambda b: "is-revealed" in card.get_attribute("class"))
        assert card.get_attribute("data-suggested") == "3"
        screenshot(browser, "write-review-offline")
        card.find_element(By.CSS_SELECTOR, ".rate-3").click()
        _wait(browser, 20).until(lambda b: _attr(b, "data-pending") == "1")
        assert _ratings(app) == []
    finally:
        server.start()
        _network(browser, online=True)
    _wait(browser, 60).until(lambda b: _attr(b, "data-pending") == "0")
    assert _ratings(app) == [3]
