"""What every page must be for a person: no JS errors, nothing wider than the screen, no axe-core
violations, at desktop and phone width. `check_page` asserts all three and saves screenshots."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from tests.browser.conftest import screenshot

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1280, 900)
PHONE = (390, 844)
#: WCAG 2.1 A and AA plus best practices, as the issue's walkthrough measured.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def js_errors(driver) -> list[str]:
    """Errors logged since the last call: uncaught exceptions, console errors, and scripts or
    style sheets that failed to load. (A missing audio clip is a 404 the page shows as «нет
    аудио»; that is a state, not an error.)"""
    errors = []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        source, message = entry.get("source", ""), entry["message"]
        if source == "network":
            url = message.split(" ", 1)[0]
            if not url.split("?", 1)[0].endswith((".js", ".css")):
                continue
        errors.append(message)
    return errors


def horizontal_overflow(driver) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(driver) -> list[dict]:
    """axe-core's violations on the current page, each with its rule, impact and targets."""
    if not AXE.exists():
        pytest.skip(f"NOTICE: axe-core is missing ({AXE}); run `make frontend` (needs npm)")
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(_axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]));",
        AXE_TAGS,
    )
    return result


def check_page(driver, name: str, *, sizes=(DESKTOP, PHONE)) -> None:
    """Assert the current page is sound at each size; screenshots go to .artifacts/NAME-WIDTH.png."""
    problems = []
    errors = js_errors(driver)
    if errors:
        problems.append(f"JS errors: {errors}")
    for width, height in sizes:
        driver.set_window_size(width, height)
        screenshot(driver, f"{name}-{width}")
        overflow = horizontal_overflow(driver)
        if overflow > 0:
            problems.append(f"{width}px: page is {overflow}px wider than the window")
        violations = axe_violations(driver)
        if violations:
            problems.append(f"{width}px axe: {json.dumps(violations, ensure_ascii=False)}")
    errors = js_errors(driver)
    if errors:
        problems.append(f"JS errors: {errors}")
    driver.set_window_size(*DESKTOP)
    assert not problems, f"{name} ({driver.current_url}):\n" + "\n".join(problems)
