"""The life of an account: created, moved, deactivated and brought back.

One service for the zone admin's pages, HR's pages, HR's import and the demo, so that every
path behaves alike: a new or moved member gets the assignments of their company and department,
a reactivated one gets them back, a deactivated one keeps their history and loses their
sessions. Who may act is checked here through `app.policy` (`actor` None is the system: the
command line). Functions flush and never commit; audit lines are the caller's (each area words
its own).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select

from app import policy
from app.accounts.credentials import find_user_by_email, hash_password, normalize_email
from app.enrolments import CHUNK, enrol_members
from app.extensions import db
from app.field_errors import FieldError
from app.models import Company, Department, User, UserRole, utcnow


class AccountError(FieldError):
    """A change refused for a reason the person can fix: `field` of the form, `code` of it."""


@contextmanager
def errors_as(error_class: type[FieldError]) -> Iterator[None]:
    """Run calls into the accounts service for another service: an AccountError comes out
    as that service's own `error_class`, with the same field and code."""
    try:
        yield
    except AccountError as exc:
        raise error_class(exc.field, exc.code) from exc


@dataclass(frozen=True)
class PersonFields:
    """What both the admin's user form and HR's person form say of a person: the part of an
    account `create_account` sets and `update_account` changes (each form's data class adds
    its own fields)."""

    email: str
    full_name: str
    position: str | None = None
    department_id: int | None = None
    active: bool = True


def _check_place(company: Company, department: Department | None) -> None:
    if department is not None and department.company_id != company.id:
        raise AccountError("department_id", "department of another company")


def new_account(
    fields: PersonFields,
    *,
    company: Company,
    roles: Iterable[str],
    department: Department | None = None,
    password: str | None = None,
) -> User:
    """Build an account as `fields` say and add it to the session (no look-up, no flush).

    The caller has checked that the e-mail is free; `create_account` does it for one person.
    """
    _check_place(company, department)
    user = User(
        email=normalize_email(fields.email),
        full_name=fields.full_name.strip(),
        company=company,
        department=department,
        position=fields.position or None,
        password_hash=hash_password(password) if password else None,
    )
    user.set_roles(set(roles))
    if not fields.active:
        user.active = False
        user.deactivated_at = utcnow()
    db.session.add(user)
    return user


def create_accounts(
    company: Company,
    roles: Iterable[str],
    rows: list[tuple[PersonFields, Department | None]],
) -> list[User]:
    """Add many accounts to a company in a few statements whatever their number (an import),
    without passwords (each person sets theirs through an invitation): each row is a person's
    fields and their looked-up department. The caller has checked the e-mails are free and
    unique and who may act; the accounts come back in `rows` order, not yet enrolled (`enrol`
    them once with the people who changed)."""
    if not rows:
        return []
    for _fields, department in rows:
        _check_place(company, department)
    now = utcnow()
    emails = [normalize_email(fields.email) for fields, _department in rows]
    # render_nulls: rows with and without a department stay one batch
    db.session.execute(
        insert(User).execution_options(render_nulls=True),
        [
            {
                "email": email,
                "full_name": fields.full_name.strip(),
                "company_id": company.id,
                "department_id": department.id if department is not None else None,
                "position": fields.position or None,
                "active": fields.active,
                "deactivated_at": None if fields.active else now,
            }
            for email, (fields, department) in zip(emails, rows, strict=True)
        ],
    )
    ids: dict[str, int] = {}
    for start in range(0, len(emails), CHUNK):
        chunk = emails[start : start + CHUNK]
        ids.update(
            (email, user_id)
            for user_id, email in db.session.execute(
                select(User.id, User.email).where(
                    User.company_id == company.id, User.email.in_(chunk)
                )
            )
        )
    db.session.execute(
        insert(UserRole),
        [{"user_id": ids[e], "role": role} for e in emails for role in sorted(set(roles))],
    )
    users: dict[int, User] = {}
    id_list = sorted(ids.values())
    for start in range(0, len(id_list), CHUNK):
        chunk_ids = id_list[start : start + CHUNK]
        users.update(
            (u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(chunk_ids)))
        )
    return [users[ids[e]] for e in emails]


def department_named(company: Company, name: str | None) -> Department | None:
    """The company's department of that name (white space folded, at most 200 characters),
    made if it is new: a directory or the demo names it. None for an empty name."""
    name = " ".join((name or "").split())[:200]
    if not name:
        return None
    found = db.session.scalar(
        select(Department).where(Department.company_id == company.id, Department.name == name)
    )
    if found is None:
        found = Department(company=company, name=name)
        db.session.add(found)
        db.session.flush()
    return found


def create_account(
    actor: User | None,
    fields: PersonFields,
    *,
    company: Company,
    roles: Iterable[str],
    department: Department | None = None,
    manager: User | None = None,
    password: str | None = None,
) -> User:
    """Add an account to a company as `fields` say (e-mails are unique, case-insensitively;
    `department` is the looked-up `fields.department_id`, as for `update_account`); an active
    one gets the company's and department's assignments at once. Without a password the
    person sets one through an invitation."""
    if actor is not None:
        policy.check_company(actor, company.id)
    if find_user_by_email(fields.email) is not None:
        raise AccountError("email", "email taken")
    user = new_account(
        fields, company=company, roles=roles, department=department, password=password
    )
    user.manager = manager
    db.session.flush()
    enrol_members([user])
    return user


def set_active(actor: User | None, user: User, active: bool, *, enrol: bool = True) -> bool:
    """Deactivate (history kept, sessions ended) or reactivate an account; True if it changed.

    A reactivated account gets its assignments again (unless `enrol` is False because the
    caller changes more and enrols once at the end)."""
    if actor is not None:
        policy.check_person(actor, user)
    if user.active == active:
        return False
    if actor is not None and user.id == actor.id and not active:
        raise AccountError("active", "cannot deactivate yourself")
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        user.session_version += 1
    if active and enrol:
        enrol_members([user])
    return True


def move(
    actor: User | None,
    user: User,
    *,
    company: Company | None = None,
    department: Department | None,
    enrol: bool = True,
) -> bool:
    """Put an account into another company and/or department (None: no department); True if
    it changed. The assignments of the new place apply (unless `enrol` is False)."""
    company = company or user.company
    if actor is not None:
        policy.check_person(actor, user)
        policy.check_company(actor, company.id)
    _check_place(company, department)
    new_department_id = department.id if department is not None else None
    if user.company_id == company.id and user.department_id == new_department_id:
        return False
    user.company = company
    user.department = department
    if enrol:
        enrol_members([user])
    return True


def update_account(
    actor: User | None,
    user: User,
    fields: PersonFields,
    *,
    department: Department | None,
    company: Company | None = None,
) -> bool:
    """Change an account's details, place and status as `fields` say (`department` is the
    looked-up `fields.department_id`), enrolling once at the end if its place or status
    changed (True then). The caller has checked the e-mail is free."""
    user.email = normalize_email(fields.email)
    user.full_name = fields.full_name.strip()
    user.position = fields.position or None
    moved = move(actor, user, company=company, department=department, enrol=False)
    changed = set_active(actor, user, fields.active, enrol=False)
    if moved or changed:
        enrol_members([user])  # the assignments of the new company or department apply
    return moved or changed


def active_counts(group_by: Any, *criteria: Any) -> dict[Any, int]:
    """The number of active accounts per value of `group_by` (a User column: company_id,
    department_id), among those matching `criteria`; values without any are absent."""
    return dict(
        db.session.execute(
            select(group_by, func.count(User.id))
            .where(User.active.is_(True), *criteria)
            .group_by(group_by)
        ).all()
    )


def enrol(users: Iterable[User]) -> int:
    """Give accounts the assignments of where they are now (after several changes at once)."""
    return enrol_members(users)
