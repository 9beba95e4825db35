"""Just-in-time accounts: a person signed in by their company's directory becomes an account,
or brings theirs up to date (name, department, roles), through the accounts service."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app import accounts, audit
from app.extensions import db
from app.models import Company, Department, Role, SignInSettings, User, utcnow


@dataclass(frozen=True)
class Identity:
    """Who the directory says signed in (LDAP or OpenID Connect, already verified)."""

    email: str
    full_name: str
    department: str | None
    #: group DNs or names as the role map writes them
    groups: frozenset[str]
    #: "ldap" or "oidc", for the audit line
    source: str
    #: the DN or the subject, for the audit line
    subject: str = ""


class Refusal(enum.Enum):
    INACTIVE = "inactive"  #: HR deactivated the account; the directory does not undo that
    OTHER_COMPANY = "other_company"  #: the e-mail belongs to an account of another company
    NO_GROUP = "no_group"  #: the company maps groups to roles and the person is in none of them


class JitRefused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.value)
        self.refusal = refusal


def roles_for(groups: frozenset[str], role_map: dict[str, str] | None) -> set[str]:
    """The roles the person's groups give (the map's keys as stored). Without a map everyone
    of the directory is a learner; with one, only members of a mapped group may use Qiao
    (an empty set: nobody removed from the group keeps access)."""
    if not role_map:
        return {Role.LEARNER.value}
    return {role for group, role in role_map.items() if group in groups}


def account_for(settings: SignInSettings, identity: Identity, role_map: dict | None) -> User:
    """The account of a person the directory has just signed in: created the first time (with
    the assignments of their company and department), updated later; JitRefused otherwise."""
    company = db.session.get(Company, settings.company_id)
    roles = roles_for(identity.groups, role_map)
    if not roles:
        raise JitRefused(Refusal.NO_GROUP)
    user = accounts.find_user_by_email(identity.email)
    if user is not None and user.company_id != company.id:
        raise JitRefused(Refusal.OTHER_COMPANY)
    if user is not None and not user.active:
        raise JitRefused(Refusal.INACTIVE)
    place = accounts.department_named(company, identity.department)
    if user is None:
        person = accounts.PersonFields(identity.email, identity.full_name)
        user = accounts.create_account(None, person, company=company, roles=roles, department=place)
        audit.record(
            None,
            "user.jit_create",
            user,
            details={
                "source": identity.source,
                "subject": identity.subject,
                "roles": sorted(roles),
            },
        )
    else:
        update(user, identity, place, roles)
    user.last_seen_at = utcnow()
    return user


def update(user: User, identity: Identity, place: Department | None, roles: set[str]) -> bool:
    """Bring the account in line with the directory; an administrator's role is never taken
    away by a company's directory. True if anything changed."""
    changed = False
    if identity.full_name and user.full_name != identity.full_name:
        user.full_name = identity.full_name
        changed = True
    if place is not None and user.department_id != place.id:
        accounts.move(None, user, department=place)
        changed = True
    wanted = set(roles) | (user.roles & {Role.ADMIN.value})
    if wanted != set(user.roles):
        before = sorted(user.roles)
        user.set_roles(wanted)
        audit.record(
            None,
            "user.directory_roles",
            user,
            details={"source": identity.source, "before": before, "after": sorted(wanted)},
        )
        changed = True
    return changed
