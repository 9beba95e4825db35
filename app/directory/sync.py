"""Directory sync for HR: the company's people and departments brought in line with its LDAP.

`plan` reads the directory and the database and writes nothing (the preview); `apply` makes
the plan's changes through the accounts service: new people are created with their company's
and department's assignments, changed ones updated, people gone from the directory (or from
every group mapped to a role) deactivated with their history kept. Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app import accounts, audit
from app.directory import jit
from app.directory.ldap import DirectoryPerson, people
from app.directory.signin import ldap_config
from app.extensions import db
from app.models import Company, Department, Role, SignInMethod, SignInSettings, User


class SyncError(Exception):
    """The company cannot be synced (no LDAP, no service account): the message says why."""


@dataclass(frozen=True)
class Change:
    email: str
    full_name: str
    #: field -> (before, after)
    changes: dict[str, tuple]


@dataclass
class Plan:
    company: Company
    new: list[DirectoryPerson] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    deactivate: list[str] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: people of the directory left out: no access group, or an account of another company
    skipped: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The preview / report as lines of text (the CLI prints it)."""
        lines = [
            f"{self.company.slug}: {len(self.new)} new, {len(self.changed)} changed, "
            f"{len(self.deactivate)} to deactivate, {self.unchanged} unchanged, "
            f"{len(self.new_departments)} new departments, {len(self.skipped)} skipped"
        ]
        lines += [f"  + {p.email}\t{p.full_name}\t{p.department or '-'}" for p in self.new]
        for change in self.changed:
            what = ", ".join(f"{k}: {b!s} → {a!s}" for k, (b, a) in change.changes.items())
            lines.append(f"  ~ {change.email}\t{what}")
        lines += [f"  - {email}" for email in self.deactivate]
        lines += [f"  ! {email}" for email in self.skipped]
        lines += [f"  department {name}" for name in self.new_departments]
        return "\n".join(lines)


def _settings(company: Company) -> SignInSettings:
    settings = db.session.scalar(
        select(SignInSettings).where(SignInSettings.company_id == company.id)
    )
    if settings is None or settings.method != SignInMethod.LDAP:
        raise SyncError(f"{company.slug} does not sign in with LDAP")
    if not settings.ldap_bind_dn or not settings.ldap_base_dn:
        raise SyncError(f"{company.slug}: a sync needs a service account and a base DN")
    return settings


def _in_domains(email: str, settings: SignInSettings) -> bool:
    return email.rpartition("@")[2] in settings.domains


def _changes(user: User, person: DirectoryPerson, roles: set[str]) -> dict[str, tuple]:
    changes: dict[str, tuple] = {}
    if person.full_name and user.full_name != person.full_name:
        changes["full_name"] = (user.full_name, person.full_name)
    current = user.department.name if user.department is not None else None
    if person.department and current != person.department:
        changes["department"] = (current, person.department)
    wanted = set(roles) | (user.roles & {Role.ADMIN.value})
    if wanted != set(user.roles):
        changes["roles"] = (sorted(user.roles), sorted(wanted))
    if not user.active:
        changes["active"] = (False, True)
    return changes


def plan(company: Company) -> Plan:
    """What a sync would change (nothing is written)."""
    settings = _settings(company)
    config = ldap_config(settings)
    found = list(people(config, config.user_filter.replace("{email}", "*")))
    result = Plan(company=company)
    members = {
        u.email: u for u in db.session.scalars(select(User).where(User.company_id == company.id))
    }
    departments = {
        d.name
        for d in db.session.scalars(select(Department).where(Department.company_id == company.id))
    }
    seen: set[str] = set()
    for person in sorted(found, key=lambda p: p.email):
        roles = jit.roles_for(person.groups, settings.ldap_group_roles)
        if not _in_domains(person.email, settings) or not roles:
            continue
        seen.add(person.email)
        user = members.get(person.email)
        if user is None and accounts.find_user_by_email(person.email) is not None:
            result.skipped.append(person.email)
            continue
        if person.department and person.department not in departments:
            departments.add(person.department)
            result.new_departments.append(person.department)
        if user is None:
            result.new.append(person)
        elif changes := _changes(user, person, roles):
            result.changed.append(Change(person.email, person.full_name, changes))
        else:
            result.unchanged += 1
    result.deactivate = sorted(
        email
        for email, user in members.items()
        if user.active
        and email not in seen
        and _in_domains(email, settings)
        and not user.has_role(Role.ADMIN)
    )
    return result


def apply(company: Company) -> Plan:
    """Make a fresh plan and carry it out; the caller commits. Returns the plan applied.

    Someone HR deactivated comes back when the directory still lists them: the directory is
    the list of who works there."""
    settings = _settings(company)
    result = plan(company)
    config = ldap_config(settings)
    by_email = {p.email: p for p in people(config, config.user_filter.replace("{email}", "*"))}
    for person in result.new:
        _account(settings, person)
    for change in result.changed:
        user = accounts.find_user_by_email(change.email)
        if not user.active:
            accounts.set_active(None, user, True)
        _account(settings, by_email[change.email])
    for email in result.deactivate:
        accounts.set_active(None, accounts.find_user_by_email(email), False)
    audit.record(
        None,
        "directory.sync",
        company,
        details={
            "new": [p.email for p in result.new],
            "changed": [c.email for c in result.changed],
            "deactivated": result.deactivate,
            "departments": result.new_departments,
        },
    )
    db.session.flush()
    return result


def _account(settings: SignInSettings, person: DirectoryPerson) -> User:
    identity = jit.Identity(
        email=person.email,
        full_name=person.full_name,
        department=person.department,
        groups=person.groups,
        source="ldap-sync",
        subject=person.dn,
    )
    return jit.account_for(settings, identity, settings.ldap_group_roles)
