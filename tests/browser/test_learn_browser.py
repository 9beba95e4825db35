"""A learner takes a lesson in a real browser: pinyin, audio, every exercise, progress, certificate."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from app.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_guided_lesson_browser import _answer
from tests.helpers import browser_sign_in

WRONG_THEN_RIGHT = {
    "choose_meaning": ("спасибо", "здравствуйте"),
    "choose_hanzi": ("你好", "谢谢"),
    "type_pinyin": ("xie4 xie4", "xie4xie"),
    "identify_tone": ("2", "3"),
    "listening": ("спасибо", "банк"),
    "word_order": (["我", "王", "是", "经理"], ["我", "是", "王", "经理"]),
    "fill_blank": ("在", "是"),
    "matching": (
        {"你好": "спасибо", "谢谢": "здравствуйте", "银行": "банк"},
        {"你好": "здравствуйте", "谢谢": "спасибо", "银行": "банк"},
    ),
    "scenario": ("Взять одной рукой", "Взять двумя руками"),
}


@pytest.fixture
def lesson_with_audio(app, content, tmp_path, monkeypatch):
    from app.audio import audio_dir, build

    monkeypatch.setitem(app.config, "AUDIO_DIR", str(tmp_path / "audio"))
    # the listening exercises (买, 银行) are offered only with a clip that passed its check
    build.build(
        ["你好", "买", "银行"], mode="espeak", audio_dir=audio_dir(), checkpoint=db.session.commit
    )
    db.session.commit()
    return content


def test_take_a_lesson_end_to_end(browser, live_server, lesson_with_audio):
    content = lesson_with_audio
    browser_sign_in(browser, live_server, "learner@alpha.example")
    browser.get(f"{live_server}/lessons/{content.lesson.id}")
    screenshot(browser, "lesson-desktop")
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()  # the whole lesson at once

    # pinyin over the hanzi, in tone colours; switched off at once, and remembered
    rt = browser.find_element(By.CSS_SELECTOR, ".vocab ruby.tone3 rt")
    assert rt.text == "nǐ" and rt.is_displayed()
    Select(browser.find_element(By.ID, "pinyin_mode")).select_by_value("off")
    WebDriverWait(browser, 5).until(lambda d: not rt.is_displayed())
    WebDriverWait(browser, 10).until(  # the choice is saved before we reload
        lambda d: d.execute_script(
            "return performance.getEntriesByType('resource')"
            ".some(e => e.name.includes('/settings/display') && e.responseEnd > 0)"
        )
    )
    browser.refresh()
    browser.find_element(By.CSS_SELECTOR, ".guide-toggle").click()
    assert (
        Select(browser.find_element(By.ID, "pinyin_mode")).first_selected_option.get_attribute(
            "value"
        )
        == "off"
    )
    assert not browser.find_element(By.CSS_SELECTOR, ".vocab ruby.tone3 rt").is_displayed()
    Select(browser.find_element(By.ID, "pinyin_mode")).select_by_value("on")

    # audio: the play button loads the clip; a missing clip says so
    button = browser.find_element(By.CSS_SELECTOR, ".vocab a.audio-normal")
    button.click()
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script(
            "return performance.getEntriesByType('resource').some(e => e.name.includes('/audio/'))"
        )
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".vocab .audio-btn.is-missing")

    # every exercise kind, wrong then right, without reloading the page
    for kind, (wrong, right) in WRONG_THEN_RIGHT.items():
        exercise = content.exercises[kind]
        card = browser.find_element(By.ID, f"ex-{exercise.id}")
        browser.execute_script("arguments[0].scrollIntoView()", card)
        _answer(browser, card, kind, wrong)
        WebDriverWait(browser, 10).until(
            lambda d, c=card: c.find_elements(By.CSS_SELECTOR, ".verdict.bad, .verdict.partial"),
            message=f"{kind}: no feedback on a wrong answer",
        )
        if kind == "type_pinyin":
            assert "тон неверный" in card.text
        _answer(browser, card, kind, right)
        WebDriverWait(browser, 10).until(
            lambda d, c=card: c.find_elements(By.CSS_SELECTOR, ".verdict.ok"),
            message=f"{kind}: no feedback on the right answer",
        )

    # the lesson is complete: the page says so, the course page shows it done
    assert "урок пройден" in browser.find_element(By.ID, "lesson-score").text
    assert "Урок пройден!" in browser.find_element(By.CSS_SELECTOR, ".lesson-done").text
    browser.get(f"{live_server}/courses/{content.course.id}")
    rows = browser.find_elements(By.CSS_SELECTOR, ".lesson-row")
    assert "пройден" in rows[0].text and "100%" in rows[0].text
    assert "следующий" in rows[1].text
    screenshot(browser, "course-progress")

    # the second lesson is a reading: reading it completes the course, the certificate is there
    rows[1].find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 10).until(ec.url_contains(f"/lessons/{content.lesson2.id}"))
    browser.find_element(By.CSS_SELECTOR, "[data-step-next]").click()  # guided: the last step
    browser.find_element(By.CSS_SELECTOR, "form[action$='/read'] button").click()
    WebDriverWait(browser, 10).until(ec.url_contains(f"/courses/{content.course.id}"))
    browser.get(f"{live_server}/certificates")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "Скачать PDF")
    head = browser.execute_async_script(
        "const done = arguments[1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status,"
        " r.headers.get('content-type'), String.fromCharCode(...new Uint8Array(b.slice(0, 4)))])))",
        link.get_attribute("href"),
    )
    assert head == [200, "application/pdf", "%PDF"]
    screenshot(browser, "certificates")


def test_lesson_on_a_phone(browser, live_server, content):
    browser_sign_in(browser, live_server, "learner@alpha.example")
    browser.set_window_size(390, 844)
    browser.get(f"{live_server}/lessons/{content.lesson.id}")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, "the lesson page must not scroll sideways on a phone"
    screenshot(browser, "lesson-phone")
