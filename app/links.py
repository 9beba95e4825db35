"""Absolute links for e-mails, built from the configured public address.

`QIAO_BASE_URL` (e.g. https://qiao.example.ru) is what learners open; a link in an e-mail is
never built from the request's Host header when it is set. Without it (development), the
request's own address is used; set `TRUSTED_HOSTS` then if the server is reachable under
other names.
"""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` as learners reach it."""
    base = (current_app.config.get("QIAO_BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, _external=False, **values)
    return url_for(endpoint, _external=True, **values)
