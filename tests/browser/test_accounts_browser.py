"""Accounts in a real browser, desktop and 390 px: forgot password → e-mail link → new password →
signed in; the learner's goal and reminder; the admin's companies; the new hire's dashboard."""

from __future__ import annotations

import re
import time

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from app.extensions import db
from app.models import Company, Course, Lesson, User
from tests.browser.pagecheck import check_page, js_errors
from tests.helpers import browser_sign_in
from tests.mailbox import body

NEW_PASSWORD = "browser-new-password"


def _wait(browser, condition, timeout=30):
    """Wait for `condition`, polling again while a navigation swaps the document under it
    (Chromium then says a node «does not belong to the document»: seen in a parallel CI run)."""
    return WebDriverWait(browser, timeout, ignored_exceptions=(WebDriverException,)).until(
        condition
    )


@pytest.fixture
def base_url(app, live_server):
    app.config["QIAO_BASE_URL"] = live_server
    yield live_server
    app.config["QIAO_BASE_URL"] = ""


def test_forgot_password_mail_link_new_password_signed_in(
    app, people, browser, live_server, mailbox, base_url
):
    browser.get(live_server + "/auth/login")
    browser.find_element(By.LINK_TEXT, "Забыли пароль?").click()
    _wait(browser, ec.url_to_be(live_server + "/auth/forgot"))
    check_page(browser, "accounts-forgot")
    browser.find_element(By.ID, "email").send_keys("learner@alpha.example")
    browser.find_element(By.ID, "submit").click()
    # the form page has an h1 too: wait for the new page's heading, not any heading
    _wait(browser, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Проверьте почту"))
    check_page(browser, "accounts-forgot-sent")
    deadline = time.monotonic() + 30
    while not mailbox.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    (message,) = mailbox.to("learner@alpha.example")
    link = re.search(r"http://\S+/auth/reset/\S+", body(message)).group(0)
    assert link.startswith(live_server)

    browser.get(link)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Выберите новый пароль"
    check_page(browser, "accounts-reset")
    browser.find_element(By.ID, "new").send_keys(NEW_PASSWORD)
    browser.find_element(By.ID, "confirm").send_keys(NEW_PASSWORD)
    browser.find_element(By.ID, "submit").click()
    _wait(browser, ec.url_to_be(live_server + "/"))
    assert "Новый пароль сохранён" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Здравствуйте")
    check_page(browser, "accounts-after-reset")
    # the link is spent
    browser.get(link)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ссылка не работает"
    # the page is a deliberate 404, which Chromium logs as a failed resource: not a JS error
    assert all("404" in message for message in js_errors(browser))
    check_page(browser, "accounts-reset-invalid")


@pytest.mark.usefixtures("content")  # the HSK 1 course that phonetics comes before
def test_new_hire_dashboard_and_goal_settings(app, people, browser, live_server):
    phonetics = Course(slug="phonetics", title="Фонетика: пиньинь и тоны", level="С нуля",
                       published=True)  # fmt: skip
    db.session.add_all([phonetics, Lesson(course=phonetics, slug="t", title="Четыре тона")])
    db.session.commit()
    browser_sign_in(browser, live_server, "learner@alpha.example", timeout=30)
    page = browser.find_element(By.ID, "main").text
    assert "Отличная работа" not in page and "Продолжить" not in page
    assert "Слова для повторения появятся здесь после первого урока." in page
    assert "Начать с курса «Фонетика: пиньинь и тоны»" in page
    assert "Рекомендуемый путь" in page
    check_page(browser, "accounts-dashboard-new-hire")

    browser.find_element(By.LINK_TEXT, "Цель и напоминание").click()
    _wait(browser, ec.url_to_be(live_server + "/settings/goal"))
    check_page(browser, "accounts-goal-settings")
    Select(browser.find_element(By.ID, "goal")).select_by_visible_text("20 мин в день")
    browser.find_element(By.ID, "reminder").click()
    Select(browser.find_element(By.ID, "hour")).select_by_visible_text("19:00")
    Select(browser.find_element(By.ID, "timezone")).select_by_visible_text("Новосибирск (UTC+7)")
    browser.find_element(By.ID, "submit").click()
    _wait(browser, ec.url_to_be(live_server + "/"))
    assert "напомним по почте в 19:00" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert "0 / 20" in browser.find_element(By.CSS_SELECTOR, ".goal .big").text
    check_page(browser, "accounts-dashboard-goal")
    db.session.expire_all()
    user = db.session.get(User, people.learner_a.id)
    assert (user.daily_goal_minutes, user.review_reminder, user.reminder_hour, user.timezone) == (
        20, True, 19, "Asia/Novosibirsk")  # fmt: skip


def test_admin_creates_and_renames_a_company(app, people, browser, live_server):
    browser_sign_in(browser, live_server, "admin@zone.example", timeout=30)
    browser.get(live_server + "/admin/companies")
    browser.find_element(By.LINK_TEXT, "Новая компания").click()
    _wait(browser, ec.url_to_be(live_server + "/admin/companies/new"))
    check_page(browser, "accounts-company-new")
    browser.find_element(By.ID, "name").send_keys("Балтийский порт")
    browser.find_element(By.ID, "submit").click()
    _wait(browser, ec.url_to_be(live_server + "/admin/companies"))
    assert "Компания «Балтийский порт» добавлена." in browser.find_element(By.ID, "main").text
    check_page(browser, "accounts-companies")
    company = db.session.scalar(db.select(Company).where(Company.slug == "baltiyskiy-port"))
    browser.find_element(By.CSS_SELECTOR, f"a[href='/admin/companies/{company.id}']").click()
    _wait(browser, ec.url_to_be(live_server + f"/admin/companies/{company.id}"))
    check_page(browser, "accounts-company-rename")
    field = browser.find_element(By.ID, "name")
    field.clear()
    field.send_keys("Порт «Балтика»")
    browser.find_element(By.ID, "submit").click()
    _wait(browser, ec.url_to_be(live_server + "/admin/companies"))
    assert "Компания переименована в «Порт «Балтика»»." in browser.find_element(By.ID, "main").text

    # the user form offers only the chosen company's departments
    browser.get(live_server + f"/admin/users/{people.learner_a.id}")
    department = browser.find_element(By.ID, "department_id")

    def visible_options():
        return [o.text for o in department.find_elements(By.TAG_NAME, "option")
                if o.is_enabled() and not o.get_attribute("hidden")]  # fmt: skip

    assert visible_options() == ["—", "Продажи"]
    Select(browser.find_element(By.ID, "company_id")).select_by_visible_text("Бета")
    assert visible_options() == ["—", "Логистика"]
    assert Select(department).first_selected_option.text == "—"
    check_page(browser, "accounts-user-form")

    # deactivation asks first
    browser.get(live_server + "/admin/users")
    row = browser.find_element(By.XPATH, "//tr[.//span[text()='learner@alpha.example']]")
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Деактивировать"))
    check_page(browser, "accounts-confirm-deactivate")
    db.session.expire_all()
    assert db.session.get(User, people.learner_a.id).active


def test_hr_invites_people_never_signed_in(app, people, make_user, browser, live_server, mailbox):
    make_user("new1@alpha.example", people.a, password=None, full_name="Новый Сотрудник")
    browser_sign_in(browser, live_server, "hr@alpha.example", timeout=30)
    browser.get(live_server + "/hr/people")
    browser.find_element(By.LINK_TEXT, "Пригласить тех, кто не входил").click()
    _wait(browser, ec.url_to_be(live_server + "/hr/invitations"))
    check_page(browser, "accounts-invite-pending")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # the job page follows the background job to its end
    _wait(browser, ec.text_to_be_present_in_element((By.ID, "main"), "Отправлено приглашений: 1"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Приглашения по почте"
    assert mailbox.to("new1@alpha.example")
    check_page(browser, "accounts-invitations-job")
