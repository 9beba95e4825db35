"""The demo HR officer in a real browser: import people, assign a course, dashboard, XLSX export."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import screenshot
from tests.helpers import browser_sign_in

PASSWORD = "browser-demo-pass"
PEOPLE_CSV = (
    "ФИО;E-mail;Должность;Отдел;Руководитель;Активен\n"
    "Анна Белова;anna.belova@lassard.demo;Менеджер;Отдел продаж;learner@lassard.demo;да\n"
    "Олег Жуков;oleg.zhukov@lassard.demo;Аналитик;Отдел продаж;anna.belova@lassard.demo;да\n"
    "Вера Ким;vera.kim@lassard.demo;Закупщик;Закупки;;да\n"
)


def _seed(runner, monkeypatch):
    from app.extensions import db
    from app.models import Course, Lesson

    monkeypatch.setenv("QIAO_DEMO_PASSWORD", PASSWORD)
    runner.invoke(args=["seed-demo"])
    course = Course(slug="business-chinese-1", title="Деловой китайский 1", published=True)
    db.session.add_all([course, Lesson(course=course, slug="greetings", title="Приветствия")])
    db.session.commit()


def _find(browser, css: str):
    """The element once the page that has it has loaded (form posts may take a moment)."""
    return WebDriverWait(browser, 15).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _wait_for_download(folder: Path, suffix: str, timeout: float = 15) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob(f"*{suffix}")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded into {folder}")


def test_hr_imports_assigns_watches_and_exports(
    app, app_ctx, runner, browser, live_server, monkeypatch, tmp_path
):
    _seed(runner, monkeypatch)
    browser_sign_in(browser, live_server, "hr@lassard.demo", PASSWORD)

    # 1. import three people from a CSV: preview first, then confirm
    csv_file = tmp_path / "сотрудники.csv"
    csv_file.write_text(PEOPLE_CSV, encoding="utf-8-sig")
    browser.get(live_server + "/hr/import")
    browser.find_element(By.ID, "file").send_keys(str(csv_file))
    browser.find_element(By.ID, "submit").click()
    assert "3 новых" in _find(browser, "p.big").text
    screenshot(browser, "hr-import-preview")
    browser.find_element(By.CSS_SELECTOR, "form[action*='/hr/import/confirm'] #submit").click()
    assert "Импортировано: 3 новых" in _find(browser, ".flash").text
    assert "Олег Жуков" in browser.page_source

    # 2. assign the business course to the sales department, due in three weeks
    browser.get(live_server + "/hr/assignments/new")
    Select(browser.find_element(By.ID, "course_id")).select_by_visible_text("Деловой китайский 1")
    browser.find_element(By.CSS_SELECTOR, "input[name=target][value=department]").click()
    Select(browser.find_element(By.ID, "department_id")).select_by_visible_text("Отдел продаж")
    due = date.today() + timedelta(days=21)
    browser.execute_script(
        "arguments[0].value = arguments[1]",
        browser.find_element(By.ID, "due_date"),
        due.isoformat(),
    )
    browser.find_element(By.ID, "submit").click()
    flash = _find(browser, ".flash").text
    assert "зачислено: 3" in flash  # the demo learner and the two imported sales people

    # 3. the dashboard: charts drawn on the server, the department and its people counted
    browser.get(live_server + "/hr/")
    chart = browser.find_element(By.ID, "chart-departments")
    assert "Отдел продаж" in chart.text
    assert chart.find_element(By.CSS_SELECTOR, "svg rect.seg-not-started")
    assert browser.find_element(By.CSS_SELECTOR, ".kpi .kpi-value").text == "3"
    screenshot(browser, "hr-dashboard")
    browser.set_window_size(390, 844)
    screenshot(browser, "hr-dashboard-phone")
    browser.get(live_server + "/hr/people")
    screenshot(browser, "hr-people-phone")
    browser.set_window_size(1280, 900)

    # 4. export the completion report as XLSX and read it back
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.get(live_server + "/hr/")
    browser.find_element(By.ID, "export-completion-xlsx").click()
    workbook = load_workbook(_wait_for_download(downloads, ".xlsx"), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:6] == ("ФИО", "Эл. почта", "Отдел", "Должность", "Курс", "Статус")
    people = sorted(r[0] for r in rows[1:])
    assert people == ["Анна Белова", "Игорь Петров", "Олег Жуков"]
    assert {r[5] for r in rows[1:]} == {"не начат"}

    # 5. the HR officer of another company sees none of it
    browser.find_element(By.CSS_SELECTOR, ".account button").click()
    browser_sign_in(browser, live_server, "hr@hirana.demo", PASSWORD)
    browser.get(live_server + "/hr/people")
    assert "Олег Жуков" not in browser.page_source
    browser.get(live_server + "/hr/")
    assert browser.find_element(By.CSS_SELECTOR, ".kpi .kpi-value").text == "0"
    assert "Отдел продаж" not in browser.page_source
