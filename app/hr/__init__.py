"""HR: people (employees, departments, import, invitations) and training (assignments,
reports, exports, reminders), one blueprint whose views live in the two sub-packages."""

from flask import Blueprint

bp = Blueprint("hr", __name__, url_prefix="/hr", template_folder="templates")

from app.hr import context  # noqa: E402,F401
from app.hr.people import import_routes, invitations, routes  # noqa: E402,F401
from app.hr.training import routes as training_routes  # noqa: E402,F401
