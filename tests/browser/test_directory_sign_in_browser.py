"""Company accounts in a real browser: the e-mail alone takes a Gamma employee to Gamma's OpenID
Connect provider (tests/oidc_provider.py) and back signed in; an Alpha employee signs in with
the directory password (a real slapd, tests/ldap_server.py)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from app.directory import settings as sign_in_settings
from app.extensions import db
from app.models import User
from tests.browser.conftest import screenshot
from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in
from tests.ldap_server import alpha_settings, slapd  # noqa: F401
from tests.oidc_provider import oidc_provider, provider_company  # noqa: F401


def _heading_starts(text: str):
    return lambda driver: driver.find_element(By.TAG_NAME, "h1").text.startswith(text)


def test_email_first_goes_through_the_company_provider(
    app_ctx,
    people,
    browser,
    live_server,
    oidc_provider,  # noqa: F811
):
    gamma = provider_company(people.admin, oidc_provider)
    browser.get(live_server + "/auth/login")
    check_page(browser, "login-email-first")
    browser.find_element(By.ID, "email").send_keys("mila@gamma.test")
    browser.find_element(By.ID, "submit").click()
    wait = WebDriverWait(browser, 20)
    wait.until(ec.url_contains(oidc_provider.url + "/authorize"))
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Gamma ID"))
    screenshot(browser, "oidc-provider-login")
    browser.find_element(By.ID, "username").send_keys("mila")
    browser.find_element(By.ID, "password").send_keys("mila-pass")
    browser.find_element(By.ID, "provider-submit").click()
    wait.until(ec.url_to_be(live_server + "/"))
    wait.until(_heading_starts("Здравствуйте"))
    check_page(browser, "dashboard-oidc")
    db.session.expire_all()
    mila = db.session.scalar(select(User).where(User.email == "mila@gamma.test"))
    assert mila.company_id == gamma.id and mila.full_name == "Мила Орлова"


def test_directory_password_signs_in(app_ctx, people, browser, live_server, slapd):  # noqa: F811
    sign_in_settings.save(people.admin, people.a, alpha_settings(slapd.url))
    db.session.commit()
    browser.get(live_server + "/auth/login")
    browser.find_element(By.ID, "email").send_keys("ivan@alpha.test")
    browser.find_element(By.ID, "password").send_keys("ivan-pass")
    browser.find_element(By.ID, "submit").click()
    wait = WebDriverWait(browser, 20)
    wait.until(ec.url_to_be(live_server + "/"))
    wait.until(_heading_starts("Здравствуйте"))
    check_page(browser, "dashboard-ldap")
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "ivan@alpha.test")).active


def test_admin_sign_in_settings_page(app_ctx, people, browser, live_server):
    browser_sign_in(browser, live_server, "admin@zone.example")
    browser.get(f"{live_server}/admin/companies/{people.a.id}/sign-in")
    WebDriverWait(browser, 20).until(_heading_starts("Вход в компании"))
    check_page(browser, "admin-sign-in")
