"""A trainer reads the API's documentation: Swagger UI, served by the app, renders the
description; the page passes the checks every page passes."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pagecheck import check_page
from tests.helpers import browser_sign_in


def test_a_trainer_reads_the_api_docs(browser, live_server, people):
    browser_sign_in(browser, live_server, people.trainer.email)
    browser.get(live_server + "/docs/api")
    WebDriverWait(browser, 30).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#swagger-ui .opblock"))
    )
    paths = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")]
    assert "/api/v1/review/answer" in paths and "/author/api/pinyin" in paths
    check_page(browser, "api-docs")

    # an operation opened: its parameters, body and responses with their schemas
    answer = browser.find_element(By.ID, "operations-review-review_api_answer")
    answer.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    WebDriverWait(browser, 15).until(
        ec.presence_of_element_located(
            (By.CSS_SELECTOR, "#operations-review-review_api_answer .responses-table")
        )
    )
    text = answer.text
    assert "409" in text and "review_id" in text
    check_page(browser, "api-docs-operation")
