"""Who may do what, and to which company's data.

Every scoping rule lives here, and routes and services both call it, so that "HR sees its own
company only" is enforced in one place. Functions raise `Forbidden` (403) for a role that may
not act at all and `NotFound` (404) for an object outside the actor's company, so that a guessed
id tells nothing about another company.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask_login import current_user
from sqlalchemy import Select, exists, select
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from app.models import Role, User, UserRole

F = TypeVar("F", bound=Callable)
#: a row a company owns (its `company_id`)
Owned = TypeVar("Owned")

#: the only roles an account may hold for HR to manage it; trainers and admins are the zone's
HR_MANAGED_ROLES = frozenset({Role.LEARNER, Role.HR})
#: who may read the API's documentation page (docs/api.md): the staff who build on the API;
#: a learner's client reads /api/v1/openapi.json, open to every signed-in person
API_DOCS_ROLES = (Role.TRAINER, Role.HR, Role.ADMIN)


def is_zone_admin(actor: User) -> bool:
    return actor.has_role(Role.ADMIN)


def require_role(actor: User, *roles: str) -> None:
    """Refuse (403) an actor who holds none of `roles`."""
    if not actor.is_authenticated:
        raise Unauthorized()
    if not actor.has_role(*roles):
        raise Forbidden()


def company_scope(actor: User) -> int | None:
    """The one company whose people `actor` may manage, or None for the zone admin (all)."""
    if is_zone_admin(actor):
        return None
    if actor.has_role(Role.HR):
        return actor.company_id
    raise Forbidden()


def scope_people(actor: User, stmt: Select) -> Select:
    """Restrict a query over `User` to the people `actor` may manage (see `check_person`)."""
    company_id = company_scope(actor)
    if company_id is None:
        return stmt
    higher_role = exists(
        select(UserRole.user_id).where(
            UserRole.user_id == User.id, UserRole.role.not_in(sorted(HR_MANAGED_ROLES))
        )
    )
    return stmt.where(User.company_id == company_id, ~higher_role)


def hr_may_manage(person: User) -> bool:
    """True if HR of the person's company may manage them: learner and HR roles only."""
    return person.roles <= HR_MANAGED_ROLES


def check_company(actor: User, company_id: int | None) -> None:
    """404 unless `actor` may manage data of `company_id`."""
    scope = company_scope(actor)
    if scope is not None and scope != company_id:
        raise NotFound()


def check_owned(actor: User, row: Owned | None) -> Owned:
    """Return `row` (a department, an assignment: anything with a `company_id`) if `actor` may
    manage data of its company; 404 for a missing row or another company's."""
    if row is None:
        raise NotFound()
    check_company(actor, row.company_id)
    return row


def check_person(actor: User, person: User | None) -> User:
    """Return `person` if `actor` may manage them; 404 for a missing or foreign person.

    HR manages only the people of its company whose roles are within {learner, hr}: an account
    that also trains or administers the zone is the zone admin's alone (else HR could set its
    password through an invitation and sign in with the higher role).
    """
    if person is None:
        raise NotFound()
    check_company(actor, person.company_id)
    if not is_zone_admin(actor) and not hr_may_manage(person):
        raise NotFound()
    return person


def check_own_recording(actor: User, owner_id: int | None) -> None:
    """404 unless the recording is the actor's own: a learner's kept takes of saying words aloud
    are theirs alone, whatever the actor's roles (no HR, trainer or admin sees them)."""
    if owner_id is None or owner_id != actor.id:
        raise NotFound()


def may_manage(actor: User, person: User) -> bool:
    """`check_person` as a yes/no answer, for lists and checks that must not raise."""
    try:
        check_person(actor, person)
    except (NotFound, Forbidden):
        return False
    return True


def signed_in_with(*roles: str):
    """None if the current user is signed in and holds one of `roles`; the sign-in answer if
    nobody is signed in (Forbidden is raised for a missing role). A blueprint whose every page
    needs the same roles runs it `before_request`; single views use `roles_required`."""
    from app.extensions import login_manager

    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_role(current_user, *roles)
    return None


def roles_required(*roles: str) -> Callable[[F], F]:
    """Route decorator: sign-in required, and one of `roles` held."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            refused = signed_in_with(*roles)
            return refused if refused is not None else view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
