from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from app.admin import company_routes, routes, sign_in_routes  # noqa: E402,F401
