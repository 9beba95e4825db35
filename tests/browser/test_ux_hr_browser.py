"""HR's honest scores, the certificate check and the trainer's Russian messages in a real browser,
at desktop and phone width: no JS errors, no horizontal overflow, no axe-core violations."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pagecheck import check_page, js_errors
from tests.helpers import browser_sign_in


def _sign_in(browser, live_server, email):
    browser_sign_in(browser, live_server, email)
    js_errors(browser)  # what earlier tests' pages logged is not this page's business


def _text(browser) -> str:
    return browser.find_element(By.TAG_NAME, "main").text


@pytest.fixture
def studied(people, content):
    """learner_a enrolled, 9 exercises answered (4 right at once), 1.5 h of study, HSK 1 words."""
    from app import enrolment_progress
    from app.extensions import db
    from app.models import (
        Attempt,
        Card,
        Enrollment,
        EnrollmentStatus,
        Item,
        StudyTime,
        utcnow,
    )

    now = utcnow()
    db.session.add(
        Enrollment(
            user_id=people.learner_a.id,
            course_id=content.course.id,
            status=EnrollmentStatus.IN_PROGRESS,
            started_at=now - timedelta(days=3),
            due_at=now + timedelta(days=10),
        )
    )
    for i, exercise in enumerate(content.exercises.values()):
        for correct in [True] if i >= 5 else [False, True]:
            db.session.add(
                Attempt(
                    submission_id=str(uuid.uuid4()),
                    user_id=people.learner_a.id,
                    exercise_id=exercise.id,
                    answer="x",
                    correct=correct,
                    score=1.0 if correct else 0.0,
                )
            )
    db.session.add(
        StudyTime(
            user_id=people.learner_a.id,
            course_id=content.course.id,
            day=now.date(),
            seconds=5400,
            last_beat_at=now,
        )
    )
    for item in db.session.query(Item).filter(Item.lesson_id == content.lesson.id):
        item.hsk = 1
        db.session.add(
            Card(
                user_id=people.learner_a.id,
                item_id=item.id,
                direction="recognition",
                stability=30.0,
                last_review=now - timedelta(days=1),
                state=2,
            )
        )
    # rows written here, not through the answer service: summarised as the migration does
    enrolment_progress.refresh_all()
    db.session.commit()
    return people


def test_hr_sees_first_try_time_and_readiness(app_ctx, studied, browser, live_server):
    _sign_in(browser, live_server, "hr@alpha.example")
    browser.get(live_server + "/hr/")
    text = _text(browser)
    assert "верно с первой попытки" in text and "44%" in text
    assert "знает 1 % слов HSK 1" in text  # 3 words of the 300 of HSK 1
    assert "владеет" not in text
    check_page(browser, "ux-hr-dashboard")

    browser.get(live_server + f"/hr/people/{studied.learner_a.id}")
    text = _text(browser)
    assert "Верно с первой попытки" in text and "44% из 9 упражнений" in text
    assert "время занятий: 1,5 ч" in text
    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    check_page(browser, "ux-hr-person")

    browser.get(live_server + "/hr/audit")
    check_page(browser, "ux-hr-audit")


def test_certificate_check_page(app_ctx, content, browser, live_server):
    browser.get(live_server + "/certificates/verify/abcd-efgh-jklm")
    assert "подлинный" in _text(browser)
    check_page(browser, "ux-hr-certificate-check")


def test_trainer_reads_russian_messages_when_editing_items(app_ctx, content, browser, live_server):
    from app.extensions import db

    content.course.audience = "Сотрудники"
    content.course.description = "Курс."
    db.session.commit()
    _sign_in(browser, live_server, "trainer@zone.example")
    browser.get(live_server + "/author/c/demo/l/one/items/v0")
    select = browser.find_element(By.ID, "pos")
    assert select.find_element(By.CSS_SELECTOR, "option:checked").text == "выражение"
    check_page(browser, "ux-hr-item-editor")

    browser.get(live_server + "/author/c/demo/l/one/exercises/new/choose_meaning")
    browser.find_element(By.ID, "key").send_keys("homoglyph")
    browser.find_element(By.ID, "prompt").send_keys("你好")
    browser.find_element(By.ID, "options").send_keys("здравствуйте\nспасибо")
    browser.find_element(By.ID, "answer").send_keys("здрaвствуйте")  # a Latin «a»
    browser.find_element(By.CSS_SELECTOR, "form.author-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda d: (
            "Ответа «здрaвствуйте» нет среди вариантов" in d.find_element(By.TAG_NAME, "main").text
        )
    )
    assert "латинская «a» среди кириллических букв" in _text(browser)
    # the refused form comes back with 422, which Chromium logs; nothing else may be there
    assert all("422" in message for message in js_errors(browser))
    check_page(browser, "ux-hr-exercise-homoglyph")


def test_reading_a_lesson_counts_as_study_time(app_ctx, people, content, browser, live_server):
    """The heartbeat counts visible seconds on a page with no answer given, and sends them
    when the page is left, to the lesson's course."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Enrollment, StudyTime

    db.session.add(Enrollment(user_id=people.learner_a.id, course_id=content.course.id))
    db.session.commit()
    _sign_in(browser, live_server, "learner@alpha.example")
    browser.get(live_server + f"/lessons/{content.lesson.id}")
    WebDriverWait(browser, 20, poll_frequency=1).until(
        lambda d: d.execute_script("return performance.now()") > 11_000
    )
    browser.execute_script("window.dispatchEvent(new Event('beforeunload'))")

    def recorded(_driver):
        db.session.expire_all()
        return db.session.scalar(
            select(func.sum(StudyTime.seconds)).where(
                StudyTime.user_id == people.learner_a.id,
                StudyTime.course_id == content.course.id,
            )
        )

    seconds = WebDriverWait(browser, 10).until(recorded)
    assert 5 <= seconds <= 15
    assert js_errors(browser) == []
