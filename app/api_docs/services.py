"""Who may read the API's description, and the description itself (built once per app)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.exceptions import Unauthorized

from app import policy
from app.models import User
from app.openapi import describe


def description(actor: User, app: Flask) -> dict[str, Any]:
    """The OpenAPI document, for any signed-in person: a client needs it to call the API, and
    it tells nothing the pages' own scripts do not already show."""
    if not actor.is_authenticated:
        raise Unauthorized()
    if "qiao.openapi" not in app.extensions:
        app.extensions["qiao.openapi"] = describe(app)
    return app.extensions["qiao.openapi"]


def check_docs_reader(actor: User) -> None:
    """The documentation page is for the staff who build on the API (403 for a learner)."""
    policy.require_role(actor, *policy.API_DOCS_ROLES)


def docs_ui_installed(static_folder: str | None) -> bool:
    """Whether `make frontend` put Swagger UI into static/vendor (it needs npm)."""
    from pathlib import Path

    return (Path(static_folder or "") / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").exists()
