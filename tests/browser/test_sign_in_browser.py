"""The demo learner signs in in a real browser and sees the dashboard."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import screenshot
from tests.browser.pagecheck import check_page


def _sign_in(browser, live_server, email, password):
    browser.get(live_server + "/auth/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "submit").click()


def test_demo_learner_signs_in_and_sees_dashboard(app, runner, browser, live_server, monkeypatch):
    monkeypatch.setenv("QIAO_DEMO_PASSWORD", "browser-demo-pass")
    result = runner.invoke(args=["seed-demo"])
    learner = next(
        line.split("\t")[2] for line in result.output.splitlines() if line.startswith("learner\t")
    )
    browser.get(live_server + "/")
    assert "Вход в Цяо" in browser.find_element(By.TAG_NAME, "h1").text
    check_page(browser, "login")
    _sign_in(browser, live_server, learner, "browser-demo-pass")
    WebDriverWait(browser, 10).until(ec.url_to_be(live_server + "/"))
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("Здравствуйте")
    nav = browser.find_element(By.CSS_SELECTOR, "nav.mainnav").text
    assert "Главная" in nav and "Сотрудники" not in nav and "Пользователи" not in nav
    check_page(browser, "dashboard-learner")


def test_wrong_password_shows_message_in_browser(app, runner, browser, live_server, monkeypatch):
    monkeypatch.setenv("QIAO_DEMO_PASSWORD", "browser-demo-pass")
    runner.invoke(args=["seed-demo"])
    _sign_in(browser, live_server, "learner@lassard.demo", "not-the-password")
    alert = (
        WebDriverWait(browser, 10)
        .until(ec.presence_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
        .text
    )
    assert alert == "Неверная почта или пароль."


def test_admin_sees_admin_navigation(app, runner, browser, live_server, monkeypatch):
    monkeypatch.setenv("QIAO_DEMO_PASSWORD", "browser-demo-pass")
    runner.invoke(args=["seed-demo"])
    _sign_in(browser, live_server, "admin@zone.demo", "browser-demo-pass")
    WebDriverWait(browser, 10).until(ec.url_to_be(live_server + "/"))  # signed in before we go on
    browser.get(live_server + "/admin/users")
    nav = browser.find_element(By.CSS_SELECTOR, "nav.mainnav").text
    assert all(
        label in nav for label in ("Главная", "Редактор курсов", "Сотрудники", "Пользователи")
    )
    assert "learner@lassard.demo" in browser.page_source
    screenshot(browser, "admin-users")
