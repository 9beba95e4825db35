from flask import render_template, request
from flask_login import current_user

from app.hr import bp, services
from app.models import Role
from app.policy import roles_required


@bp.route("/people")
@roles_required(Role.HR, Role.ADMIN)
def people():
    """Employees of my company, filterable by department and name."""
    department_id = request.args.get("department", type=int)
    query = request.args.get("q", "")[:100]
    return render_template(
        "hr/people.html",
        people=services.list_people(current_user, department_id=department_id, query=query),
        departments=services.departments(current_user),
        department_id=department_id,
        query=query,
    )


@bp.route("/people/<int:user_id>")
@roles_required(Role.HR, Role.ADMIN)
def person(user_id: int):
    """One employee's profile and courses."""
    person = services.get_person(current_user, user_id)
    return render_template(
        "hr/person.html",
        person=person,
        enrollments=services.person_enrollments(current_user, person),
    )
