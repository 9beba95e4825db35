"""A trainer plays clips in a real browser by keyboard and mouse; missing and broken ones say so."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from app.audio import cache
from tests.audio_fixtures import make_clip, make_course, mp3_bytes, wav_bytes
from tests.browser.conftest import screenshot
from tests.helpers import browser_sign_in


def _has_class(element, name):
    return name in (element.get_attribute("class") or "").split()


def test_trainer_plays_clips_and_sees_missing_and_broken_ones(
    app, people, browser, live_server, audio_dir
):
    make_course()
    make_clip(audio_dir, "你好", speed="normal", data=mp3_bytes(2.0))
    make_clip(audio_dir, "你好", speed="slow", data=mp3_bytes(2.0))
    broken = make_clip(audio_dir, "谢谢", speed="normal")
    cache.clip_path(audio_dir, broken.key).unlink()  # the row says it exists; the file is gone

    browser_sign_in(browser, live_server, "trainer@zone.example")
    browser.get(live_server + "/audio/course/audio-course")
    wait = WebDriverWait(browser, 10, poll_frequency=0.1)

    play = browser.find_element(By.CSS_SELECTOR, 'a[aria-label="Слушать: 你好"]')
    assert play.get_attribute("role") == "button"  # enhanced by audio.js
    play.send_keys(Keys.ENTER)  # keyboard, no mouse
    wait.until(lambda d: _has_class(play, "is-playing"))
    assert play.get_attribute("aria-pressed") == "true"
    screenshot(browser, "audio-course-playing")

    slow = browser.find_element(By.CSS_SELECTOR, 'a[aria-label="Медленно: 你好"]')
    slow.send_keys(" ")  # Space works like on a button
    wait.until(lambda d: _has_class(slow, "is-playing"))
    assert not _has_class(play, "is-playing")  # one clip at a time

    bad = browser.find_element(By.CSS_SELECTOR, 'a[aria-label="Слушать: 谢谢"]')
    bad.click()
    wait.until(lambda d: _has_class(bad, "is-error"))
    status = bad.find_element(By.XPATH, "./ancestor::*[@data-audio][1]//*[@role='status']")
    assert status.text == "Не удалось воспроизвести аудио."

    line = browser.find_element(By.ID, "item-" + _item_id("您好！我是李明。"))
    missing = line.find_element(By.CSS_SELECTOR, ".audio-btn.is-missing")
    assert "Нет аудио" in missing.text
    screenshot(browser, "audio-course")
    browser.set_window_size(390, 844)
    screenshot(browser, "audio-course-phone")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out sideways on a phone


def _item_id(hanzi: str) -> str:
    """The id of the item of the test course (another course may have a 你好 too)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Course, Item, Lesson

    return str(
        db.session.scalar(
            select(Item.id)
            .join(Lesson, Item.lesson_id == Lesson.id)
            .join(Course, Lesson.course_id == Course.id)
            .where(Item.hanzi == hanzi, Course.slug == "audio-course")
        )
    )


def test_trainer_uploads_a_recording_that_then_plays(app, people, browser, live_server, audio_dir):
    make_course()
    item_id = _item_id("你好")
    recording = audio_dir.parent / "nihao.wav"
    recording.write_bytes(wav_bytes(2.0))

    browser_sign_in(browser, live_server, "trainer@zone.example")
    browser.get(live_server + "/audio/course/audio-course")
    row = browser.find_element(By.ID, f"item-{item_id}")
    row.find_element(By.TAG_NAME, "summary").click()
    row.find_element(By.ID, f"file-{item_id}").send_keys(str(recording))
    screenshot(browser, "audio-upload-form")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    flash = WebDriverWait(browser, 10).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".flash-success"))
    )
    assert flash.text == "Запись «你好» сохранена."
    row = browser.find_element(By.ID, f"item-{item_id}")
    assert "обычно: запись" in row.text
    play = row.find_element(By.CSS_SELECTOR, 'a[aria-label="Слушать: 你好"]')
    play.click()
    WebDriverWait(browser, 10, poll_frequency=0.1).until(lambda d: _has_class(play, "is-playing"))


def test_trainer_uploads_a_lessons_recordings_as_a_zip(
    app, people, browser, live_server, audio_dir
):
    """From the course's audio page to the lesson's batch page, a zip in, a report out; the
    page is sound at desktop and phone width (no JS errors, no overflow, no axe violations)."""
    import zipfile

    from tests.browser.pagecheck import check_page, js_errors

    make_course()
    archive = audio_dir.parent / "recordings.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("你好.mp3", mp3_bytes(1.0))
        zipped.writestr("你好.slow.wav", wav_bytes(1.5))
        zipped.writestr("未知.mp3", mp3_bytes(0.5))

    browser_sign_in(browser, live_server, "trainer@zone.example")
    js_errors(browser)  # the shared browser's log may still hold an earlier test's 404s
    browser.get(live_server + "/audio/course/audio-course")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Загрузить записи урока").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "archive")))
    check_page(browser, "audio-batch-empty")
    browser.find_element(By.ID, "archive").send_keys(str(archive))
    browser.find_element(By.CSS_SELECTOR, ".batch-upload button[type=submit]").click()
    status = WebDriverWait(browser, 10).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".batch-report [role=status]"))
    )
    assert status.text == "Сохранено: 2. Не загружено: 1."
    skipped = browser.find_element(By.CSS_SELECTOR, ".batch-skipped").text
    assert "未知.mp3" in skipped and "В уроке нет слова или реплики" in skipped
    row = browser.find_element(By.XPATH, "//table[contains(@class,'batch-items')]//tr[td='你好']")
    assert "обычно, медленно" in row.text
    check_page(browser, "audio-batch-report")
