from flask import render_template

from app.author import bp, services
from app.models import Role
from app.policy import roles_required


@bp.route("/")
@roles_required(Role.TRAINER, Role.ADMIN)
def courses():
    """All courses, published or not, for trainers."""
    return render_template("author/courses.html", rows=services.course_overview())
