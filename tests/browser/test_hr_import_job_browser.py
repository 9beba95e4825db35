"""HR imports a large staff file: the confirmed import becomes a background job whose page
fills in its outcome by itself (created, updated, failed) with a link back to the staff list."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pagecheck import check_page
from tests.browser.test_hr_browser import PASSWORD, _find, _seed
from tests.helpers import browser_sign_in

ROWS = 30


def test_hr_follows_a_large_import_to_its_outcome(
    app, app_ctx, runner, browser, live_server, monkeypatch, tmp_path
):
    _seed(runner, monkeypatch)
    from app.jobs import dispatch
    from app.jobs.runner import run

    monkeypatch.setitem(app.config, "HR_IMPORT_JOB_ROWS", 10)
    # no runner yet: the page meets the job waiting, and the test plays the worker
    monkeypatch.setattr(dispatch, "dispatch", lambda app, job_id: None)
    browser_sign_in(browser, live_server, "hr@lassard.demo", PASSWORD)
    lines = ["ФИО;E-mail;Должность;Отдел"]
    lines += [f"Сотрудник Номер {i};staff{i}@lassard.demo;Инженер;Склад" for i in range(ROWS)]
    csv_file = tmp_path / "штат.csv"
    csv_file.write_text("\n".join(lines), encoding="utf-8-sig")

    browser.get(live_server + "/hr/import")
    browser.find_element(By.ID, "file").send_keys(str(csv_file))
    browser.find_element(By.ID, "submit").click()
    assert f"{ROWS} новых" in _find(browser, "p.big").text
    browser.find_element(By.CSS_SELECTOR, "form[action*='/hr/import/confirm'] #submit").click()

    WebDriverWait(browser, 15).until(ec.url_contains("/jobs/"))
    assert "Импорт идёт в фоне" in _find(browser, ".flash").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "Импорт сотрудников"
    assert browser.find_element(By.CSS_SELECTOR, ".job-status").text == "ждёт в очереди"
    assert not browser.find_element(By.CSS_SELECTOR, ".job-outcome").is_displayed()
    check_page(browser, "hr-import-job-queued")
    assert run(browser.current_url.rsplit("/", 1)[1]) == "done"
    WebDriverWait(browser, 30).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".job-status"), "готово")
    )
    outcome = _find(browser, ".job-outcome").text
    assert f"Создано: {ROWS}" in outcome and "Не удалось: 0" in outcome
    assert browser.find_element(By.ID, "job-progress").get_attribute("value") == "100"
    assert browser.find_element(By.CSS_SELECTOR, ".job-message").text == ""
    check_page(browser, "hr-import-job-done")

    browser.find_element(By.LINK_TEXT, "Вернуться к списку сотрудников").click()
    WebDriverWait(browser, 15).until(ec.url_contains("/hr/people"))
    assert "Сотрудник Номер 7" in browser.page_source
