"""Bulk import of employees: read the file, check every row, preview, then apply.

A pipeline whose steps are named and tested apart:

1. `read_table` (app.hr.people.import_files): bytes in, rows out; pure.
2. `check_rows`: every row against the file alone (lengths, e-mails, duplicates, the active
   column); pure, no database.
3. `lookup`: the people and departments the file names, in one query each (per 900 e-mails).
4. `diff`: what would change for each row, and the problems only the database shows.
5. `apply_import`: when nothing is wrong, departments, accounts and managers in a few
   statements, then the assignments of everyone new or moved applied set-based
   (`app.accounts.enrol`), all in the caller's one transaction.

`describe()` turns a problem into a sentence in the interface language (Russian first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import accounts, audit, policy
from app.accounts import normalize_email
from app.extensions import db
from app.hr.people.import_files import (
    DISPLAY_NAMES,
    MAX_LENGTH,
    MAX_ROWS,
    Problem,
    Row,
    Table,
    dump_table,
    load_table,
    read_lines,
    read_table,
)
from app.models import Company, Department, Role, User

__all__ = [
    "Plan",
    "PlannedPerson",
    "apply_import",
    "check_rows",
    "describe",
    "diff",
    "dump_table",
    "load_table",
    "lookup",
    "plan_import",
    "read_lines",
    "read_table",
]

TRUE_WORDS = {"да", "yes", "true", "1", "активен", "y", "д", "+"}
FALSE_WORDS = {"нет", "no", "false", "0", "неактивен", "уволен", "n", "н", "-"}
#: e-mails per IN (...) list
CHUNK = 900


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlannedPerson:
    line: int
    email: str
    full_name: str
    position: str | None
    department: str | None
    manager: str | None
    active: bool
    #: None: a new person; else the id of the person to update
    existing_id: int | None
    #: for an update: field -> (before, after), only what changes
    changes: dict[str, tuple[Any, Any]]

    @property
    def action(self) -> str:
        if self.existing_id is None:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class Existing:
    """What the database already holds of what the file names (step 3)."""

    #: people by lower-case e-mail (the file's people and managers), departments and manager
    #: loaded with them
    people: dict[str, User] = field(default_factory=dict)
    #: the company's departments by lower-case name
    departments: dict[str, Department] = field(default_factory=dict)


@dataclass
class Plan:
    people: list[PlannedPerson] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: the look-up the plan was made from (applying reuses it)
    existing: Existing = field(default_factory=Existing, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for p in self.people if p.action == action)


def _column(table: Table, name: str) -> str:
    return table.headers.get(name, DISPLAY_NAMES[name])


# --------------------------------------------------------------------------- 2. row checks


@dataclass(frozen=True)
class CheckedRow:
    """A row after the file-only checks: its normalised e-mail ("" when missing or invalid),
    active flag (None when not understood) and manager's e-mail ("" for none)."""

    row: Row
    email: str
    active: bool | None
    manager: str


def _parse_active(text: str) -> bool | None:
    if not text:
        return True
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _too_long(table: Table, row: Row) -> list[Problem]:
    return [
        Problem(row.line, _column(table, name), "too long")
        for name, limit in MAX_LENGTH.items()
        if len(row.values.get(name, "")) > limit
    ]


def _checked_email(table: Table, row: Row) -> tuple[str, Problem | None]:
    raw = row.values.get("email", "")
    if not raw:
        return "", Problem(row.line, _column(table, "email"), "required")
    try:
        email = validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        return "", Problem(row.line, _column(table, "email"), "bad email", raw)
    return normalize_email(email), None


def check_rows(table: Table) -> tuple[list[CheckedRow], list[Problem]]:
    """Every row against the file alone (no database): lengths, required values, e-mails and
    their duplicates, the active column."""
    checked: list[CheckedRow] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        problems.extend(_too_long(table, row))
        email, problem = _checked_email(table, row)
        if problem is not None:
            problems.append(problem)
        if email in first_line:
            problems.append(
                Problem(
                    row.line, _column(table, "email"), "duplicate email", str(first_line[email])
                )
            )
        elif email:
            first_line[email] = row.line
        if not row.values.get("full_name"):
            problems.append(Problem(row.line, _column(table, "full_name"), "required"))
        active = _parse_active(row.values.get("active", ""))
        if active is None:
            problems.append(
                Problem(row.line, _column(table, "active"), "bad active", row.values["active"])
            )
        manager = normalize_email(row.values.get("manager", ""))
        checked.append(CheckedRow(row, email, active, manager))
    return checked, problems


# --------------------------------------------------------------------------- 3. look-up


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def lookup(company: Company, checked: list[CheckedRow]) -> Existing:
    """The people the file names (as employees or managers) and the company's departments."""
    wanted = sorted({c.email for c in checked if c.email} | {c.manager for c in checked})
    existing = Existing()
    for chunk in _chunks([e for e in wanted if e]):
        for user in db.session.scalars(
            select(User)
            .where(func.lower(User.email).in_(chunk))
            .options(selectinload(User.department), selectinload(User.manager))
        ):
            existing.people[user.email.lower()] = user
    existing.departments = {
        d.name.lower(): d
        for d in db.session.scalars(select(Department).where(Department.company_id == company.id))
    }
    return existing


# --------------------------------------------------------------------------- 4. diff


def _manager_problem(
    table: Table, c: CheckedRow, in_file: set[str], existing: Existing, company: Company
) -> Problem | None:
    if not c.manager:
        return None
    if c.manager == c.email:
        return Problem(c.row.line, _column(table, "manager"), "own manager")
    manager = existing.people.get(c.manager)
    if c.manager not in in_file and (manager is None or manager.company_id != company.id):
        return Problem(c.row.line, _column(table, "manager"), "unknown manager", c.manager)
    return None


def _before(person: User) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "position": person.position,
        "department": person.department.name if person.department else None,
        "manager": person.manager.email if person.manager else None,
        "active": person.active,
    }


def _changes(table: Table, person: User, after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What changes for an existing person; `after` takes the person's values for the columns
    the file does not have (they stay as they are) and their spelling of a department."""
    before = _before(person)
    changes: dict[str, tuple[Any, Any]] = {}
    for key in after:
        if key != "full_name" and key not in table.headers:
            after[key] = before[key]
        old, new = before[key], after[key]
        if key == "department" and old and new and old.lower() == new.lower():
            after[key] = old
            continue
        if old != new:
            changes[key] = (old, new)
    return changes


def _planned(table: Table, c: CheckedRow, person: User | None) -> PlannedPerson:
    after = {
        "full_name": c.row.values.get("full_name", ""),
        "position": c.row.values.get("position") or None,
        "department": c.row.values.get("department") or None,
        "manager": c.manager or None,
        "active": bool(c.active),
    }
    changes = _changes(table, person, after) if person is not None else {}
    return PlannedPerson(
        line=c.row.line,
        email=c.email,
        full_name=after["full_name"],
        position=after["position"],
        department=after["department"],
        manager=after["manager"],
        active=after["active"],
        existing_id=person.id if person is not None else None,
        changes=changes,
    )


def diff(
    actor: User, company: Company, table: Table, checked: list[CheckedRow], existing: Existing
) -> Plan:
    """What applying would do to each row with an e-mail, and the problems only the database
    shows (accounts HR may not touch, unknown managers, deactivating oneself)."""
    plan = Plan(existing=existing)
    in_file = {c.email for c in checked if c.email}
    new_departments: dict[str, str] = {}
    for c in checked:
        if not c.email:
            continue
        person = existing.people.get(c.email)
        if person is not None and (
            person.company_id != company.id or not policy.may_manage(actor, person)
        ):
            # one neutral answer: HR learns nothing about accounts it may not manage
            plan.problems.append(
                Problem(c.row.line, _column(table, "email"), "email unavailable", c.email)
            )
            continue
        problem = _manager_problem(table, c, in_file, existing, company)
        if problem is not None:
            plan.problems.append(problem)
        department = c.row.values.get("department") or None
        if department and department.lower() not in existing.departments:
            new_departments.setdefault(department.lower(), department)
        if person is not None and person.id == actor.id and c.active is False:
            plan.problems.append(Problem(c.row.line, _column(table, "active"), "deactivate self"))
        plan.people.append(_planned(table, c, person))
    plan.new_departments = sorted(new_departments.values(), key=str.lower)
    return plan


def plan_import(actor: User, company: Company, table: Table) -> Plan:
    """Check every row against the file and the database; describe what applying would do."""
    policy.check_company(actor, company.id)
    if table.problems:  # the file itself is wrong: rows cannot be read meaningfully
        return Plan(problems=list(table.problems))
    checked, row_problems = check_rows(table)
    plan = diff(actor, company, table, checked, lookup(company, checked))
    plan.problems = sorted([*row_problems, *plan.problems], key=lambda p: (p.line, p.column))
    return plan


# --------------------------------------------------------------------------- 5. apply


@dataclass(frozen=True)
class ImportResult:
    created: list[User]
    updated: int
    departments: int


def _create_departments(company: Company, plan: Plan) -> dict[str, Department]:
    departments = dict(plan.existing.departments)
    for name in plan.new_departments:
        department = Department(company=company, name=name)
        db.session.add(department)
        departments[name.lower()] = department
    db.session.flush()
    return departments


def _update(actor: User, user: User, planned: PlannedPerson, department: Department | None) -> bool:
    """Apply one planned update; True if the person's assignments may change (moved, back)."""
    user.full_name = planned.full_name
    user.position = planned.position
    moved = "department" in planned.changes and accounts.move(
        actor, user, department=department, enrol=False
    )
    back = "active" in planned.changes and accounts.set_active(
        actor, user, planned.active, enrol=False
    )
    return bool(moved or back)


def _apply_people(
    actor: User, company: Company, plan: Plan, departments: dict[str, Department]
) -> tuple[dict[str, User], list[User], list[User]]:
    """Create everyone new in a few statements and update the others (one flush); returns
    people by e-mail, the created and the changed (moved or back)."""
    people: dict[str, User] = {}
    changed: list[User] = []
    new_rows: list[tuple[accounts.PersonFields, Department | None]] = []
    for planned in plan.people:
        department = departments.get((planned.department or "").lower())
        if planned.existing_id is None:
            fields = accounts.PersonFields(
                planned.email, planned.full_name, planned.position, active=planned.active
            )
            new_rows.append((fields, department))
            continue
        user = people[planned.email] = plan.existing.people[planned.email]
        if planned.changes and _update(actor, user, planned, department):
            changed.append(user)
    db.session.flush()
    created = accounts.create_accounts(company, {Role.LEARNER}, new_rows)
    people.update((user.email, user) for user in created)
    return people, created, changed


def _apply_managers(company: Company, plan: Plan, people: dict[str, User]) -> None:
    """Managers once everyone exists (a manager may be a row of the same file)."""
    known = {
        email: user for email, user in plan.existing.people.items() if user.company_id == company.id
    }
    known.update(people)
    for planned in plan.people:
        if "manager" in planned.changes or (planned.existing_id is None and planned.manager):
            people[planned.email].manager = known.get(planned.manager) if planned.manager else None
    db.session.flush()


def apply_import(
    actor: User,
    company: Company,
    table: Table,
    *,
    filename: str = "",
    ip: str | None = None,
    key: str | None = None,
) -> tuple[Plan, ImportResult | None]:
    """Check again, then create and update everyone in one go; nothing happens on any problem.

    `key` (a background import's) goes into the audit event written in the same transaction,
    which is how a second run of the job knows the import is already applied."""
    plan = plan_import(actor, company, table)
    if not plan.ok:
        return plan, None
    departments = _create_departments(company, plan)
    people, created, changed = _apply_people(actor, company, plan, departments)
    _apply_managers(company, plan, people)
    accounts.enrol([*created, *changed])
    audit.record(
        actor,
        "people.import",
        company_id=company.id,
        details={
            "file": filename[:200],
            "created": [u.email for u in created],
            "updated": [p.email for p in plan.people if p.action == "update"],
            "departments_created": plan.new_departments,
            "rows": len(plan.people),
            **({"key": key} if key else {}),
        },
        ip=ip,
    )
    updated = sum(1 for p in plan.people if p.changes and p.existing_id is not None)
    return plan, ImportResult(created, updated, len(plan.new_departments))


# --------------------------------------------------------------------------- messages


def describe(problem: Problem) -> str:
    """The problem as a sentence for HR (translated; Russian by default)."""
    messages = {
        "file format": lambda: _("Upload a CSV or XLSX file."),
        "unreadable file": lambda: _("The file cannot be read; save it again as CSV or XLSX."),
        "too many rows": lambda: _(
            "The file has more than %(n)d rows; split it into several files.", n=MAX_ROWS
        ),
        "empty file": lambda: _("The file is empty."),
        "too large": lambda: _(
            "The file is too large once unpacked; save only the table of employees as a new "
            "XLSX or CSV file."
        ),
        "too slow": lambda: _(
            "The file takes too long to read; save only the table of employees as a CSV file."
        ),
        "cell too long": lambda: _(
            "A cell of the file is too long (perhaps a quotation mark is not closed); check the "
            "file and save it again."
        ),
        "no rows": lambda: _("The file has headers but no employees."),
        "missing column": lambda: _("The required column is missing."),
        "duplicate column": lambda: _("This column appears twice."),
        "required": lambda: _("The value is required."),
        "too long": lambda: _("The value is too long."),
        "bad email": lambda: _("“%(value)s” is not a valid e-mail address.", value=problem.value),
        "duplicate email": lambda: _(
            "The same e-mail is already on line %(line)s.", line=problem.value
        ),
        "email unavailable": lambda: _(
            "This e-mail cannot be used here. If this is a mistake, contact the zone administrator."
        ),
        "unknown manager": lambda: _(
            "No employee of the company has the e-mail %(value)s.", value=problem.value
        ),
        "own manager": lambda: _("A person cannot be their own manager."),
        "bad active": lambda: _(
            "“%(value)s” is not understood: write «да» or «нет».", value=problem.value
        ),
        "deactivate self": lambda: _("You cannot deactivate yourself."),
    }
    return messages[problem.code]()
