"""Absolute links that leave the site (e-mails, invitations, certificates).

They are built from `QIAO_BASE_URL`, the address people use to open Qiao, never from the
request's Host header, which a client chooses: a forged Host would otherwise put an attacker's
address into an invitation e-mail or onto a certificate. Without `QIAO_BASE_URL` (a developer's
machine) the request's own address is used and the app warns at start; `TRUSTED_HOSTS` makes
Flask refuse requests for any other host name.
"""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` for use outside the site."""
    base = (current_app.config.get("QIAO_BASE_URL") or "").rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)
