"""A trainer follows a background job: the progress bar moves by itself until it is done."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import update

from app.extensions import db
from app.models import Job, User, utcnow
from tests.browser.pagecheck import check_page

PASSWORD = "browser-demo-pass"


def test_trainer_watches_a_job_finish(app, app_ctx, runner, browser, live_server, monkeypatch):
    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    runner.invoke(args=["seed-demo"])
    trainer = db.session.query(User).filter_by(email="trainer@zone.demo").one()
    job_id = str(uuid.uuid4())
    db.session.add(
        Job(
            id=job_id,
            kind="audio.texts",
            payload={"texts": ["你好"]},
            status="running",
            progress=30,
            message="Готово записей: 3 из 10",
            attempts=1,
            max_attempts=3,
            created_by_id=trainer.id,
            heartbeat_at=utcnow(),
        )  # fmt: skip
    )
    db.session.commit()
    browser.get(live_server + "/auth/login")
    browser.find_element(By.ID, "email").send_keys("trainer@zone.demo")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 10).until(ec.url_to_be(live_server + "/"))

    browser.get(f"{live_server}/jobs/{job_id}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Озвучка урока"
    assert browser.find_element(By.CSS_SELECTOR, ".job-status").text == "выполняется"
    assert browser.find_element(By.ID, "job-progress").get_attribute("value") == "30"
    check_page(browser, "job-running")

    db.session.execute(
        update(Job).where(Job.id == job_id).values(status="done", progress=100, message="")
    )
    db.session.commit()
    WebDriverWait(browser, 15).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".job-status"), "готово")
    )
    assert browser.find_element(By.ID, "job-progress").get_attribute("value") == "100"
    check_page(browser, "job-done")

    browser.get(f"{live_server}/jobs/")
    assert "Озвучка урока" in browser.find_element(By.TAG_NAME, "main").text
    check_page(browser, "jobs-list")
