"""The page checker itself can fail: a broken page shows all three kinds of problem."""

from tests.browser.pagecheck import axe_violations, horizontal_overflow, js_errors

BROKEN_PAGE = (
    "data:text/html,<html><body><img src='x.png'>"
    "<div style='width:3000px'>x</div><script>undefinedFn()</script></body></html>"
)


def test_checker_reports_missing_alt_overflow_and_js_error(browser, live_server):
    browser.get(BROKEN_PAGE)
    assert "image-alt" in {v["id"] for v in axe_violations(browser)}
    assert horizontal_overflow(browser) > 1000
    assert any("undefinedFn" in message for message in js_errors(browser))
