"""Headless Chromium (Debian's chromium + chromium-driver) against the app on a local port."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.support import wait as selenium_wait
from werkzeug.serving import make_server

# Every wait polls its condition again when the element it read was re-rendered or navigated
# away between finding and reading it (a stale element means "the page changed: look again",
# the very thing a wait is for), as it already does for an element not there yet.
selenium_wait.IGNORED_EXCEPTIONS = (NoSuchElementException, StaleElementReferenceException)

ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def _binaries() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def _driver_session() -> Iterator[object]:
    binaries = _binaries()
    if binaries is None:
        pytest.skip(
            "NOTICE: browser tests need Debian's chromium and chromium-driver "
            "(make test installs them when run as root)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binaries[0]
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,900")
    options.add_argument("--lang=ru-RU")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(binaries[1]), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def browser(_driver_session, live_server):
    """A clean browser: no cookies, desktop size."""
    driver = _driver_session
    # a test that took the network away (offline review) must not leave it away
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    driver.get(live_server + "/auth/login")
    driver.delete_all_cookies()
    driver.set_window_size(1280, 900)
    driver.get_log("browser")  # what earlier tests' pages logged is theirs, not this test's
    return driver


def screenshot(driver, name: str) -> Path:
    """Save a screenshot under .artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


os.environ.setdefault("SE_AVOID_STATS", "true")
