from flask import Blueprint

bp = Blueprint("hr", __name__, url_prefix="/hr", template_folder="templates")

from app.hr import invite_routes, report_routes, routes  # noqa: E402,F401
