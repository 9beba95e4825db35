from flask import Blueprint

from app.models import Role
from app.policy import signed_in_with

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
def _zone_admins_only():
    """Every page here is the zone admin's: checked once for the blueprint, so that no view
    can forget it."""
    return signed_in_with(Role.ADMIN)


from app.admin import company_routes, routes, sign_in_routes  # noqa: E402,F401
