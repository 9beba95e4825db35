"""Links: absolute ones that leave the site (e-mails, invitations, certificates), and the check
of a `next` target (no open redirects).

They are built from `QIAO_BASE_URL`, the address people use to open Qiao, never from the
request's Host header, which a client chooses: a forged Host would otherwise put an attacker's
address into an invitation e-mail or onto a certificate. Without `QIAO_BASE_URL` (a developer's
machine) the request's own address is used and the app warns at start; `TRUSTED_HOSTS` makes
Flask refuse requests for any other host name.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` for use outside the site."""
    base = (current_app.config.get("QIAO_BASE_URL") or "").rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return default
    return target
