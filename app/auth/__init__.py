from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth", template_folder="templates")

from app.auth import oidc_routes, reset_routes, routes  # noqa: E402,F401
