"""The API's description: `/api/v1/openapi.json` for clients, `/docs/api` for staff."""

from flask import Blueprint

bp = Blueprint("api_docs", __name__, template_folder="templates")

from app.api_docs import routes  # noqa: E402,F401
