from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/author", template_folder="templates")

from app.author import routes  # noqa: E402,F401
