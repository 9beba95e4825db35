"""Review: the daily flashcard session, its JSON API, statistics and the learner's settings."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")
#: the small JSON endpoints the session page calls (CSRF token in X-CSRFToken)
api = Blueprint("review_api", __name__, url_prefix="/api/v1/review")

from app.review import api_routes, routes  # noqa: E402,F401
