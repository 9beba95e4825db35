"""Say it aloud in a real browser: Chromium's fake microphone plays a WAV made by espeak-ng
(the right tone, then another), and the learner gets each verdict; without a microphone the
page says so and the exercise can be skipped."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from app.extensions import db
from app.models import Exercise, Item
from tests.browser.conftest import CHROMIUM_FLAGS, _binaries
from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in
from tests.speech_fixtures import padded_wav

#: how long the test speaks into the fake microphone: the syllable and some of the silence
TAKE_SECONDS = 2.0


@pytest.fixture
def mic_browser(tmp_path) -> Iterator[Callable[[str], object]]:
    """A factory: a Chromium whose microphone says `numbered` pinyin (a WAV made at test
    time), with the permission prompt answered yes."""
    binaries = _binaries()
    if binaries is None:
        pytest.skip("NOTICE: browser tests need Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    drivers = []

    def make(numbered: str):
        wav = tmp_path / f"{numbered}.wav"
        wav.write_bytes(padded_wav(numbered))
        options = webdriver.ChromeOptions()
        options.binary_location = binaries[0]
        for flag in (
            *CHROMIUM_FLAGS,
            "--window-size=1280,900",
            "--lang=ru-RU",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}",
            "--autoplay-policy=no-user-gesture-required",
        ):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(binaries[1]), options=options)
        driver.set_page_load_timeout(30)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture
def say_lesson(app, content, tmp_path, monkeypatch):
    """The demo lesson with the word 妈 (its clip made by espeak-ng: the model to compare
    with) and a say exercise on it."""
    from app.audio import audio_dir, build

    monkeypatch.setitem(app.config, "AUDIO_DIR", str(tmp_path / "audio"))
    lesson = content.lesson
    item = Item(lesson=lesson, key="ma", hanzi="妈", pinyin="mā", ru="мама", position=10)
    exercise = Exercise(
        lesson=lesson,
        key=f"say-{uuid.uuid4().hex[:6]}",
        kind="say",
        position=50,
        data={"prompt": "妈", "answer": "mā", "ru": "мама"},
    )
    db.session.add_all([item, exercise])
    db.session.commit()
    build.build(["妈"], mode="espeak", audio_dir=audio_dir(), checkpoint=db.session.commit)
    db.session.commit()
    return content, item, exercise


def _open(driver, live_server, lesson_id):
    browser_sign_in(driver, live_server, "learner@alpha.example")
    driver.get(f"{live_server}/lessons/{lesson_id}")
    driver.find_element(By.CSS_SELECTOR, ".guide-toggle").click()  # the whole lesson at once


def _say(driver, box, wait_for):
    """Press record, let the fake microphone speak, press stop; wait for `wait_for`."""
    record = box.find_element(By.CSS_SELECTOR, ".say-record")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", record)
    record.click()
    WebDriverWait(driver, 10).until(lambda d: "is-recording" in record.get_attribute("class"))
    time.sleep(TAKE_SECONDS)
    record.click()
    return WebDriverWait(driver, 30).until(wait_for)


def test_the_right_tone_gets_the_right_verdict(mic_browser, live_server, say_lesson):
    content, item, exercise = say_lesson
    driver = mic_browser("ma1")
    _open(driver, live_server, content.lesson.id)
    card = driver.find_element(By.ID, f"ex-{exercise.id}")
    box = card.find_element(By.CSS_SELECTOR, "[data-say]")
    verdict = _say(driver, box, lambda d: card.find_element(By.CSS_SELECTOR, ".feedback .verdict"))
    assert "тон 1, верно" in verdict.text, verdict.text
    assert "ok" in verdict.get_attribute("class")
    assert card.find_elements(By.CSS_SELECTOR, ".say-chart polyline.say-you")
    assert card.find_elements(By.CSS_SELECTOR, ".say-chart polyline.say-ref")  # the model
    check_page(driver, "say-exercise")

    # «Сказать» beside the word: a panel under its row, the same reading
    driver.set_window_size(1280, 900)
    say_word = driver.find_element(By.CSS_SELECTOR, f'[data-say-item$="/items/{item.id}/say"]')
    assert say_word.is_displayed() and "Сказать" in say_word.text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", say_word)
    say_word.click()
    panel = WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".say-row .say-panel")
    )
    record = panel.find_element(By.CSS_SELECTOR, ".say-record")
    WebDriverWait(driver, 10).until(lambda d: "is-recording" in record.get_attribute("class"))
    record.click()  # a first take, thrown away: the «keep» box is ticked for the next
    WebDriverWait(driver, 30).until(  # read (or refused as empty): ready to record again
        lambda d: record.is_enabled() and "is-recording" not in record.get_attribute("class")
    )
    panel.find_element(By.CSS_SELECTOR, 'input[name="keep"]').click()
    result = _say(driver, panel, lambda d: panel.find_element(By.CSS_SELECTOR, ".say-privacy a"))
    assert "тон 1, верно" in panel.find_element(By.CSS_SELECTOR, ".say-verdicts").text
    check_page(driver, "say-word")

    # the kept take is on my own list, with its player
    driver.set_window_size(1280, 900)
    result.click()
    WebDriverWait(driver, 10).until(ec.url_contains("/me/recordings"))
    assert driver.find_elements(By.CSS_SELECTOR, ".recording audio")
    check_page(driver, "say-my-recordings")


def test_another_tone_gets_the_other_verdict(mic_browser, live_server, say_lesson):
    content, _item, exercise = say_lesson
    driver = mic_browser("ma4")
    _open(driver, live_server, content.lesson.id)
    card = driver.find_element(By.ID, f"ex-{exercise.id}")
    box = card.find_element(By.CSS_SELECTOR, "[data-say]")
    verdict = _say(driver, box, lambda d: card.find_element(By.CSS_SELECTOR, ".feedback .verdict"))
    assert "прозвучал как тон 4; нужен тон 1" in verdict.text, verdict.text
    assert "bad" in verdict.get_attribute("class")


def test_without_a_microphone_the_page_says_so_and_the_exercise_can_be_skipped(
    browser, live_server, say_lesson
):
    content, _item, exercise = say_lesson
    browser.execute_cdp_cmd(
        "Browser.setPermission",
        {"permission": {"name": "microphone"}, "setting": "denied"},
    )
    try:
        _refused_then_skipped(browser, live_server, content, exercise)
    finally:
        browser.execute_cdp_cmd("Browser.resetPermissions", {})


def _refused_then_skipped(browser, live_server, content, exercise):
    _open(browser, live_server, content.lesson.id)
    card = browser.find_element(By.ID, f"ex-{exercise.id}")
    record = card.find_element(By.CSS_SELECTOR, ".say-record")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", record)
    record.click()
    status = card.find_element(By.CSS_SELECTOR, "[data-say-status]")
    WebDriverWait(browser, 10).until(lambda d: "Микрофон недоступен" in status.text)
    check_page(browser, "say-no-microphone")
    browser.set_window_size(1280, 900)
    skip = card.find_element(By.CSS_SELECTOR, 'button[value="skip"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", skip)
    skip.click()
    verdict = WebDriverWait(browser, 10).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, f"#ex-{exercise.id} .feedback .verdict"))
    )
    assert "без проверки" in verdict.text
