"""HR's people and structure, always scoped to the actor's company by app.policy.

Every function takes the acting user first; HR acts on its own company, the zone admin on any.
Functions flush and never commit: the route or the CLI commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from app import accounts, audit, policy
from app.accounts import find_user_by_email, normalize_email
from app.extensions import db
from app.field_errors import FieldError
from app.models import AuditEvent, Company, CompanyKind, Department, Role, User


class HRDataError(FieldError):
    """A problem with submitted data: `field` names the form field, `code` the message."""


# --------------------------------------------------------------------------- company context


def resolve_company(actor: User, company_id: int | None) -> Company | None:
    """The company an HR page works on: HR's own (404 for any other id), or the admin's choice.

    For the zone admin without a choice the answer is None: "all companies" on read-only pages.
    """
    scope = policy.company_scope(actor)
    if scope is not None:
        if company_id is not None and company_id != scope:
            raise NotFound()
        return db.session.get(Company, scope)
    if company_id is None:
        return None
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound()
    return company


def resident_companies(actor: User) -> list[Company]:
    """Companies the actor may work on, for the admin's company chooser."""
    stmt = select(Company).order_by(Company.name)
    scope = policy.company_scope(actor)
    if scope is not None:
        stmt = stmt.where(Company.id == scope)
    else:
        stmt = stmt.where(Company.kind == CompanyKind.RESIDENT)
    return list(db.session.scalars(stmt))


# --------------------------------------------------------------------------- people


def list_people(
    actor: User,
    *,
    company_id: int | None = None,
    department_id: int | None = None,
    query: str = "",
    limit: int = 500,
) -> list[User]:
    """People of the actor's company (all companies for the zone admin), by name."""
    stmt = policy.scope_people(
        actor,
        select(User).options(selectinload(User.department), selectinload(User.company)),
    )
    if company_id:
        stmt = stmt.where(User.company_id == company_id)
    if department_id:
        stmt = stmt.where(User.department_id == department_id)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(User.full_name.ilike(like), User.email.ilike(like)))
    return list(db.session.scalars(stmt.order_by(User.full_name).limit(limit)))


def get_person(actor: User, user_id: int) -> User:
    """A person the actor may see; 404 for an unknown id or one of another company."""
    return policy.check_person(actor, db.session.get(User, user_id))


@dataclass(frozen=True)
class PersonData(accounts.PersonFields):
    """Validated fields of the person form: the person's, and their manager."""

    manager_email: str | None = None


def _department_of(actor: User, company: Company, department_id: int | None) -> Department | None:
    if not department_id:
        return None
    department = db.session.get(Department, department_id)
    if department is None or department.company_id != company.id:
        raise HRDataError("department_id", "unknown department")
    policy.check_company(actor, department.company_id)
    return department


def _manager_of(company: Company, email: str | None, person: User | None) -> User | None:
    if not email:
        return None
    manager = find_user_by_email(email)
    if manager is None or manager.company_id != company.id:
        raise HRDataError("manager_email", "unknown manager")
    if person is not None and manager.id == person.id:
        raise HRDataError("manager_email", "own manager")
    return manager


def _check_email_free(actor: User, email: str, person: User | None) -> None:
    """Refuse an e-mail in use: plainly for someone the actor manages, neutrally otherwise (an
    account of another company, or a trainer's or admin's, is none of HR's business)."""
    other = find_user_by_email(email)
    if other is None or (person is not None and other.id == person.id):
        return
    if policy.may_manage(actor, other):
        raise HRDataError("email", "email taken")
    raise HRDataError("email", "email unavailable")


def create_person(
    actor: User, company: Company, data: PersonData, *, ip: str | None = None
) -> User:
    """Add an employee (a learner without a password: they get an invitation link)."""
    policy.check_company(actor, company.id)
    department = _department_of(actor, company, data.department_id)
    manager = _manager_of(company, data.manager_email, None)
    _check_email_free(actor, data.email, None)
    person = accounts.create_account(
        actor, data, company=company, roles={Role.LEARNER}, department=department, manager=manager
    )
    audit.record(
        actor,
        "person.create",
        person,
        details={"email": person.email, "department": department.name if department else None},
        ip=ip,
    )
    return person


def update_person(actor: User, person: User, data: PersonData, *, ip: str | None = None) -> User:
    """Change an employee's details; a new department brings its assignments with it."""
    policy.check_person(actor, person)
    company = person.company
    department = _department_of(actor, company, data.department_id)
    manager = _manager_of(company, data.manager_email, person)
    email = normalize_email(data.email)
    _check_email_free(actor, email, person)
    before = _snapshot(person)
    person.manager = manager
    with accounts.errors_as(HRDataError):
        accounts.update_account(actor, person, data, department=department)
    db.session.flush()
    after = _snapshot(person)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit.record(actor, "person.update", person, details=changes, ip=ip)
    return person


def _snapshot(person: User) -> dict:
    return {
        "email": person.email,
        "full_name": person.full_name,
        "position": person.position,
        "department": person.department.name if person.department else None,
        "manager": person.manager.email if person.manager else None,
        "active": person.active,
    }


def set_active(actor: User, person: User, active: bool, *, ip: str | None = None) -> None:
    """Deactivate (history kept, sessions ended) or reactivate an employee (assignments back)."""
    policy.check_person(actor, person)
    with accounts.errors_as(HRDataError):
        if not accounts.set_active(actor, person, active):
            return
    audit.record(actor, "person.activate" if active else "person.deactivate", person, ip=ip)


# --------------------------------------------------------------------------- departments


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    people: int


def departments(actor: User, company_id: int | None = None) -> list[Department]:
    """Departments the actor may see (of one company when given), by name."""
    scope = policy.company_scope(actor)
    stmt = select(Department).options(selectinload(Department.company)).order_by(Department.name)
    if scope is not None:
        stmt = stmt.where(Department.company_id == scope)
    if company_id is not None:
        stmt = stmt.where(Department.company_id == company_id)
    return list(db.session.scalars(stmt))


def department_rows(actor: User, company: Company) -> list[DepartmentRow]:
    """A company's departments with their number of active people (one aggregate query)."""
    policy.check_company(actor, company.id)
    counts = accounts.active_counts(User.department_id, User.company_id == company.id)
    return [DepartmentRow(d, counts.get(d.id, 0)) for d in departments(actor, company.id)]


def get_department(actor: User, department_id: int) -> Department:
    """A department the actor may manage; 404 for a missing or foreign one."""
    return policy.check_owned(actor, db.session.get(Department, department_id))


def _name_taken(company_id: int, name: str, exclude: int | None = None) -> bool:
    stmt = select(Department.id).where(
        Department.company_id == company_id, func.lower(Department.name) == name.lower()
    )
    if exclude is not None:
        stmt = stmt.where(Department.id != exclude)
    return db.session.scalar(stmt) is not None


def create_department(
    actor: User, company: Company, name: str, *, ip: str | None = None
) -> Department:
    """Add a department to a company."""
    policy.check_company(actor, company.id)
    name = name.strip()
    if _name_taken(company.id, name):
        raise HRDataError("name", "department exists")
    department = Department(company=company, name=name)
    db.session.add(department)
    db.session.flush()
    audit.record(actor, "department.create", department, details={"name": name}, ip=ip)
    return department


def rename_department(
    actor: User, department: Department, name: str, *, ip: str | None = None
) -> Department:
    """Rename a department."""
    policy.check_company(actor, department.company_id)
    name = name.strip()
    if _name_taken(department.company_id, name, exclude=department.id):
        raise HRDataError("name", "department exists")
    before = department.name
    department.name = name
    db.session.flush()
    if before != name:
        audit.record(
            actor, "department.rename", department, details={"before": before, "after": name}, ip=ip
        )
    return department


# --------------------------------------------------------------------------- audit log


@dataclass(frozen=True)
class AuditPage:
    events: list[tuple[AuditEvent, str | None, str | None]]
    page: int
    has_next: bool


def audit_events(
    actor: User,
    *,
    company_id: int | None = None,
    action: str = "",
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """The audit log, newest first: HR reads its own company's events, the admin everybody's."""
    scope = policy.company_scope(actor)
    actor_alias = User
    stmt = (
        select(AuditEvent, actor_alias.full_name, Company.name)
        .outerjoin(actor_alias, actor_alias.id == AuditEvent.actor_id)
        .outerjoin(Company, Company.id == AuditEvent.company_id)
    )
    if scope is not None:
        stmt = stmt.where(AuditEvent.company_id == scope)
    elif company_id:
        stmt = stmt.where(AuditEvent.company_id == company_id)
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    page = max(page, 1)
    rows = db.session.execute(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return AuditPage(
        events=[(e, name, company) for e, name, company in rows[:per_page]],
        page=page,
        has_next=len(rows) > per_page,
    )
