"""Images for Markdown: trainers upload them, signed-in users see them at /uploads/<name>."""

from flask import Blueprint

bp = Blueprint("uploads", __name__, url_prefix="/uploads")

from app.uploads import routes  # noqa: E402,F401
