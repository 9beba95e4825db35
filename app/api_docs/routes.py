"""The description as JSON and the documentation page that renders it."""

from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_login import current_user, login_required

from app.api_docs import bp, services
from app.openapi import Access, documented

#: the OpenAPI document itself (described loosely: its own schema is the OpenAPI standard's)
DOCUMENT = {"type": "object", "required": ["openapi", "info", "paths"]}


@bp.get("/api/v1/openapi.json")
@documented("documentation", Access.SIGNED_IN, {200: DOCUMENT})
@login_required
def openapi_json():
    """This API's OpenAPI 3.1 description."""
    return jsonify(services.description(current_user, current_app))


@bp.get("/docs/api")
@login_required
def docs():
    """The API's documentation, rendered by Swagger UI served from this app."""
    services.check_docs_reader(current_user)
    return render_template(
        "api_docs/docs.html", installed=services.docs_ui_installed(current_app.static_folder)
    )
