from flask import Blueprint

bp = Blueprint("learn", __name__, template_folder="templates")

from app.learn import goal_routes, routes, say_routes, study_routes, word_routes  # noqa: E402,F401
