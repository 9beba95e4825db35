"""Every page of the trainer and of HR: see tests/browser/every_page.py."""

from __future__ import annotations

import pytest

from tests.browser.every_page import walk_every_page


@pytest.mark.sqlite_pass
@pytest.mark.parametrize("role", ["trainer", "hr"])
def test_every_page_of_every_role(role, app, runner, browser, live_server, monkeypatch):
    walk_every_page(role, app, runner, browser, live_server, monkeypatch)
