"""The zone administration: users, roles and companies across the zone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from app import accounts, audit, policy
from app.accounts import find_user_by_email, normalize_email
from app.admin.slugs import is_valid_slug, slug_from_name
from app.extensions import db
from app.field_errors import FieldError
from app.models import Company, Department, Role, User


@dataclass(frozen=True, kw_only=True)
class UserData(accounts.PersonFields):
    """Validated fields of the user form: the person's, and what only the admin sets."""

    company_id: int
    roles: set[str]
    password: str | None = None


class UserDataError(FieldError):
    """A problem with the submitted data: `field` names the form field it belongs to."""


def list_users(actor: User, *, company_id: int | None = None) -> list[User]:
    policy.require_role(actor, Role.ADMIN)
    stmt = select(User).options(selectinload(User.company), selectinload(User.department))
    if company_id:
        stmt = stmt.where(User.company_id == company_id)
    return list(db.session.scalars(stmt.order_by(User.full_name)))


def list_companies(actor: User) -> list[tuple[Company, int]]:
    """Companies with their number of active users."""
    policy.require_role(actor, Role.ADMIN)
    counts = accounts.active_counts(User.company_id)
    companies = db.session.scalars(
        select(Company).options(selectinload(Company.departments)).order_by(Company.name)
    )
    return [(c, counts.get(c.id, 0)) for c in companies]


def all_departments(actor: User) -> list[Department]:
    policy.require_role(actor, Role.ADMIN)
    return list(
        db.session.scalars(
            select(Department)
            .join(Company, Company.id == Department.company_id)
            .options(selectinload(Department.company))
            .order_by(Company.name, Department.name)
        )
    )


def _resolve(data: UserData) -> tuple[Company, Department | None]:
    company = db.session.get(Company, data.company_id)
    if company is None:
        raise UserDataError("company_id", "unknown company")
    department = None
    if data.department_id:
        department = db.session.get(Department, data.department_id)
        if department is None or department.company_id != company.id:
            raise UserDataError("department_id", "department of another company")
    return company, department


def create(actor: User, data: UserData, *, ip: str | None = None) -> User:
    """Create a user; the caller commits."""
    policy.require_role(actor, Role.ADMIN)
    company, department = _resolve(data)
    with accounts.errors_as(UserDataError):
        user = accounts.create_account(
            actor,
            data,
            company=company,
            roles=data.roles,
            department=department,
            password=data.password,
        )
    audit.record(
        actor,
        "user.create",
        user,
        details={"email": user.email, "roles": sorted(data.roles)},
        ip=ip,
    )
    return user


def update(actor: User, user: User, data: UserData, *, ip: str | None = None) -> User:
    """Change a user's details, roles, company and status; the caller commits."""
    policy.require_role(actor, Role.ADMIN)
    company, department = _resolve(data)
    email = normalize_email(data.email)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise UserDataError("email", "email taken")
    if user.id == actor.id and (Role.ADMIN not in data.roles or not data.active):
        raise UserDataError("roles", "cannot remove own admin role")
    before = {"roles": sorted(user.roles), "company_id": user.company_id, "active": user.active}
    granted = set(data.roles) - set(user.roles)
    user.set_roles(data.roles)
    if granted - policy.HR_MANAGED_ROLES:
        # a higher role: pending invitations (made by HR) and open sessions end
        user.session_version += 1
    if data.password:
        accounts.set_password(user, data.password)
    with accounts.errors_as(UserDataError):
        accounts.update_account(actor, user, data, company=company, department=department)
    after = {"roles": sorted(data.roles), "company_id": company.id, "active": data.active}
    audit.record(
        actor,
        "user.update",
        user,
        company_id=company.id,  # the user's new company: not flushed yet
        details={"before": before, "after": after, "password_reset": bool(data.password)},
        ip=ip,
    )
    return user


def set_active(actor: User, user: User, active: bool, *, ip: str | None = None) -> bool:
    """Deactivate or reactivate a user (the accounts service: history kept, sessions end on
    deactivation, assignments return on reactivation); True if it changed."""
    policy.require_role(actor, Role.ADMIN)
    with accounts.errors_as(UserDataError):
        changed = accounts.set_active(actor, user, active)
    if changed:
        audit.record(actor, "user.activate" if active else "user.deactivate", user, ip=ip)
    return changed


# --------------------------------------------------------------------------- companies


class CompanyDataError(FieldError):
    """A problem with the company form: `field` names the form field it belongs to."""


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CompanyDataError("name", "name required")
    return name


def _free_name(name: str, *, other_than: int | None = None) -> str:
    """The name cleaned, refused when empty or when another company has it.

    Compared case-insensitively in Python: SQLite's lower() knows only ASCII letters, and the
    zone has tens of companies, not thousands."""
    name = _clean_name(name)
    wanted = name.casefold()
    if any(
        other.casefold() == wanted
        for company_id, other in db.session.execute(select(Company.id, Company.name))
        if company_id != other_than
    ):
        raise CompanyDataError("name", "company name taken")
    return name


def get_company(actor: User, company_id: int) -> Company:
    policy.require_role(actor, Role.ADMIN)
    company = db.session.get(Company, company_id)
    if company is None:
        raise NotFound()
    return company


def create_company(
    actor: User, name: str, slug: str | None = None, *, ip: str | None = None
) -> Company:
    """Add a resident company; its code (for course files) comes from the name if not given."""
    policy.require_role(actor, Role.ADMIN)
    name = _free_name(name)
    slug = (slug or "").strip().lower() or slug_from_name(name)
    if not is_valid_slug(slug):
        raise CompanyDataError("slug", "bad slug")
    if db.session.scalar(select(Company.id).where(Company.slug == slug)) is not None:
        raise CompanyDataError("slug", "slug taken")
    company = Company(name=name, slug=slug)
    db.session.add(company)
    db.session.flush()
    audit.record(actor, "company.create", company, details={"name": name, "slug": slug}, ip=ip)
    return company


def rename_company(actor: User, company: Company, name: str, *, ip: str | None = None) -> None:
    """Give a company a new name; its code stays (course files refer to it)."""
    policy.require_role(actor, Role.ADMIN)
    name = _free_name(name, other_than=company.id)
    if name == company.name:
        return
    before = company.name
    company.name = name
    audit.record(actor, "company.rename", company, details={"before": before, "after": name}, ip=ip)
    db.session.flush()
