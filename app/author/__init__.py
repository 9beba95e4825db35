from flask import Blueprint

from app.models import Role
from app.policy import signed_in_with

bp = Blueprint("author", __name__, url_prefix="/author", template_folder="templates")

#: who may use the editor
TRAINERS = (Role.TRAINER, Role.ADMIN)


@bp.before_request
def _trainers_only():
    """Every page and JSON endpoint of the editor is for trainers (and the zone admin): checked
    once for the blueprint, so that no view can forget it."""
    return signed_in_with(*TRAINERS)


from app.author import routes  # noqa: E402,F401
