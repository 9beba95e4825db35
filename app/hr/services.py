"""HR's view of people, always scoped to the actor's company by app.policy."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.extensions import db
from app.models import Department, Enrollment, User


def list_people(actor: User, *, department_id: int | None = None, query: str = "") -> list[User]:
    """People of the actor's company (all companies for the zone admin), by name."""
    stmt = policy.scope_people(
        actor,
        select(User).options(selectinload(User.department), selectinload(User.company)),
    )
    if department_id:
        stmt = stmt.where(User.department_id == department_id)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(User.full_name.ilike(like), User.email.ilike(like)))
    return list(db.session.scalars(stmt.order_by(User.full_name).limit(500)))


def departments(actor: User) -> list[Department]:
    company_id = policy.company_scope(actor)
    stmt = select(Department).order_by(Department.name)
    if company_id is not None:
        stmt = stmt.where(Department.company_id == company_id)
    return list(db.session.scalars(stmt))


def get_person(actor: User, user_id: int) -> User:
    """A person the actor may see; 404 for an unknown id or one of another company."""
    return policy.check_person(actor, db.session.get(User, user_id))


def person_enrollments(actor: User, person: User) -> list[Enrollment]:
    policy.check_person(actor, person)
    return list(
        db.session.scalars(
            select(Enrollment)
            .options(selectinload(Enrollment.course))
            .where(Enrollment.user_id == person.id)
        )
    )
