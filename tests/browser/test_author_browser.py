"""A trainer builds a lesson in the browser and the demo learner studies it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from app.author import clips
from app.extensions import db
from app.models import Item, Lesson
from tests.browser.conftest import screenshot
from tests.helpers import browser_sign_in

WORDS = """银行 — банк
你好 — здравствуйте
谢谢 — спасибо
经理 — менеджер
公司 — компания
行长 — директор банка
会议 — совещание
名片 — визитная карточка
朋友 — друг
再见 — до свидания"""


def _fill(browser, field_id, text):
    field = browser.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


@pytest.fixture(autouse=True)
def no_audio_build(monkeypatch):
    monkeypatch.setattr(clips, "start_audio_build", lambda actor, texts: None)


def test_trainer_builds_publishes_and_learner_studies(browser, live_server, people):
    wait = WebDriverWait(browser, 15)
    browser_sign_in(browser, live_server, "trainer@zone.example")
    browser.get(live_server + "/author/new")
    _fill(browser, "slug", "meeting-partners")
    _fill(browser, "title", "Встреча с партнёрами")
    _fill(browser, "level", "HSK 1")
    _fill(browser, "audience", "Менеджеры")
    _fill(browser, "description", "Как **встретить** партнёров.")
    wait.until(ec.visibility_of_element_located((By.ID, "course-desc-preview")))
    assert "встретить" in browser.find_element(By.ID, "course-desc-preview").text
    screenshot(browser, "author-new-course")
    browser.find_element(By.CSS_SELECTOR, "form.author-form button[type=submit]").click()
    wait.until(ec.url_contains("/author/c/meeting-partners"))

    _fill(browser, "title", "Знакомство")  # the add-lesson form is open on an empty course
    browser.find_element(By.ID, "goals").send_keys("Поздороваться и представиться")
    browser.find_element(By.XPATH, "//button[contains(., 'урок') or contains(., 'lesson')]").click()
    wait.until(ec.url_contains("/l/lesson-1"))

    browser.find_element(By.ID, "block").send_keys(WORDS)
    browser.find_element(By.CSS_SELECTOR, "#paste button[type=submit]").click()
    wait.until(ec.presence_of_element_located((By.ID, "item-v9")))
    assert "yínháng" in browser.find_element(By.ID, "item-v0").text
    screenshot(browser, "author-lesson-desktop")
    browser.set_window_size(390, 844)
    screenshot(browser, "author-lesson-phone")
    browser.set_window_size(1280, 900)

    # fix a polyphone: 行 of 行长 read another way; the chosen reading is locked
    browser.get(live_server + "/author/c/meeting-partners/l/lesson-1/items/v5")
    pinyin = browser.find_element(By.ID, "pinyin")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-polyphones] select")))
    reading = Select(browser.find_element(By.CSS_SELECTOR, "[data-polyphones] select"))
    before = pinyin.get_attribute("value")
    reading.select_by_value("xing2")
    wait.until(lambda d: pinyin.get_attribute("value") != before)
    assert pinyin.get_attribute("value") == "xíngzhǎng"
    assert browser.find_element(By.ID, "pinyin_locked").is_selected()
    screenshot(browser, "author-polyphone")
    reading = Select(browser.find_element(By.CSS_SELECTOR, "[data-polyphones] select"))
    reading.select_by_value("hang2")
    wait.until(lambda d: pinyin.get_attribute("value") == "hángzhǎng")
    browser.find_element(By.CSS_SELECTOR, "form.author-form button[type=submit]").click()
    wait.until(ec.presence_of_element_located((By.ID, "item-v5")))
    # the lock is an inline SVG icon (an emoji shows as a box without an emoji font)
    assert browser.find_element(By.ID, "item-v5").find_elements(By.CSS_SELECTOR, "svg.icon")

    # an exercise with its live preview
    browser.get(live_server + "/author/c/meeting-partners/l/lesson-1/exercises/new/choose_meaning")
    _fill(browser, "prompt", "银行")
    _fill(browser, "options", "банк\nспасибо\nдруг")
    _fill(browser, "answer", "банк")
    wait.until(lambda d: "спасибо" in d.find_element(By.CSS_SELECTOR, "[data-preview]").text)
    screenshot(browser, "author-exercise")
    browser.set_window_size(390, 844)
    screenshot(browser, "author-exercise-phone")
    browser.set_window_size(1280, 900)
    browser.find_element(By.CSS_SELECTOR, "form.exercise-editor button[type=submit]").click()
    wait.until(lambda d: "/exercises/" not in d.current_url)  # back on the lesson: saved

    browser.get(live_server + "/author/c/meeting-partners")
    wait.until(ec.element_to_be_clickable((By.ID, "publish-button"))).click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".flash-success")))
    screenshot(browser, "author-published")

    db.session.expire_all()
    lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "lesson-1"))
    boss = db.session.scalar(select(Item).where(Item.hanzi == "行长"))
    assert boss.pinyin == "hángzhǎng" and boss.pinyin_locked

    browser.delete_all_cookies()
    browser_sign_in(browser, live_server, "learner@alpha.example")
    browser.get(live_server + "/courses")
    assert "Встреча с партнёрами" in browser.page_source
    browser.get(f"{live_server}/lessons/{lesson.id}")
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()  # the whole lesson at once
    page = browser.find_element(By.ID, "main").text
    assert "Знакомство" in page and "банк" in page and "визитная карточка" in page
    assert "háng" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, ".exercise.kind-choose_meaning")
    screenshot(browser, "author-learner-sees-lesson")
