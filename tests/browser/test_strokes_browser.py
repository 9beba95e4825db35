"""A learner opens a word from the lesson's word list and watches its stroke order."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import screenshot
from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in as _sign_in


def test_watch_the_stroke_order_of_a_word(browser, live_server, content):
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.get(f"{live_server}/lessons/{content.lesson.id}")
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()  # the whole lesson at once
    browser.set_window_size(390, 844)
    screenshot(browser, "lesson-word-links-390")
    browser.set_window_size(1280, 900)
    browser.find_element(By.CSS_SELECTOR, ".vocab .word-link").click()  # 你好's «Черты»
    wait = WebDriverWait(browser, 15)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".strokes.strokes-ready")))
    assert browser.find_element(By.TAG_NAME, "h1").text.replace("\n", "").find("你") >= 0
    first = browser.find_elements(By.CSS_SELECTOR, "[data-strokes]")[0]
    assert first.get_attribute("data-char") == "你"

    first.find_element(By.CSS_SELECTOR, "[data-strokes-play]").click()
    WebDriverWait(browser, 30).until(lambda d: "strokes-done" in first.get_attribute("class"))
    # hanzi-writer drew the character stroke by stroke into an SVG: 你 has seven strokes, each
    # a clipped path drawn in full once the animation is over
    drawn = browser.execute_script(
        """
        const svg = arguments[0].querySelector('.strokes-target svg');
        const paths = Array.from(svg.querySelectorAll('path[stroke-dasharray]'));
        return paths.filter(p => parseFloat(getComputedStyle(p).strokeDashoffset || '0') < 1
                                 && p.getAttribute('stroke') !== 'none').length;
        """,
        first,
    )
    assert drawn >= 7
    screenshot(browser, "word-strokes-done")
    text = browser.find_element(By.CSS_SELECTOR, ".word-page").text
    assert "Число черт" in text and "Ключ" in text and "Состав" in text
    check_page(browser, "word-strokes")


def _network(browser, *, online: bool) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def test_a_word_seen_once_animates_offline(browser, live_server, content):
    """The service worker keeps the word's page, its stroke data and the scripts."""
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.get(f"{live_server}/lessons/{content.lesson.id}")
    url = browser.find_element(By.CSS_SELECTOR, ".vocab .word-link").get_attribute("href")
    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return !!navigator.serviceWorker.controller")
    )
    browser.get(url)  # now through the service worker, which keeps what the page used
    WebDriverWait(browser, 15).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".strokes.strokes-ready"))
    )
    _network(browser, online=False)
    try:
        browser.get(url)
        WebDriverWait(browser, 15).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, ".strokes.strokes-ready"))
        )
        assert len(browser.find_elements(By.CSS_SELECTOR, ".strokes-ready")) == 2
        screenshot(browser, "word-strokes-offline")
    finally:
        _network(browser, online=True)
