"""The placement test: where on the learning path a learner should start."""

from flask import Blueprint

bp = Blueprint("placement", __name__, template_folder="templates", url_prefix="/placement")

from app.placement import routes  # noqa: E402,F401
