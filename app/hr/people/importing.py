"""Bulk import of employees from CSV or XLSX: read, check every row, preview, then apply.

Reading is pure (bytes in, rows and problems out). Checking needs the database (existing
people, departments, managers); applying happens only when no row has a problem, all in the
caller's one transaction. Problems carry a line, a column (as written in the file) and a code;
`describe()` turns them into sentences in the interface language (Russian first).
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import accounts, audit, policy
from app.accounts import normalize_email
from app.extensions import db
from app.models import Company, Department, Role, User, utcnow

MAX_ROWS = 10_000
#: lines read at most, empty ones included (a sheet may claim a million empty rows)
MAX_LINES = 2 * MAX_ROWS
#: columns read at most (a sheet may claim 16,384)
MAX_COLUMNS = 64
#: the largest decompressed parts of an XLSX, and all parts together (checked before parsing):
#: worksheets are read row by row within the time budget; the shared strings and the other
#: XML parts are parsed whole when the workbook opens, so their caps keep that under a second
XLSX_MAX_SHEET_BYTES = 10 * 1024 * 1024
XLSX_MAX_STRINGS_BYTES = 4 * 1024 * 1024
XLSX_MAX_OTHER_BYTES = 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 24 * 1024 * 1024
#: the longest a CSV cell may be (csv's own limit is 131,072 and raises past it)
MAX_CELL_CHARS = 10_000
#: seconds a file may take to read; past it, HR is asked for a simpler file
READ_SECONDS = 2.0
FIELDS = ("email", "full_name", "position", "department", "manager", "active")
REQUIRED = ("email", "full_name")
#: accepted spellings of each column's header, compared lower-cased with ё as е
HEADER_ALIASES = {
    "email": ("e-mail", "email", "эл. почта", "эл.почта", "почта", "электронная почта"),
    "full_name": ("фио", "ф.и.о.", "сотрудник", "имя", "full name", "name", "full_name"),
    "position": ("должность", "position"),
    "department": ("отдел", "подразделение", "department"),
    "manager": (
        "руководитель",
        "e-mail руководителя",
        "почта руководителя",
        "manager",
        "manager e-mail",
        "manager_email",
    ),
    "active": ("активен", "активный", "active"),
}
TRUE_WORDS = {"да", "yes", "true", "1", "активен", "y", "д", "+"}
FALSE_WORDS = {"нет", "no", "false", "0", "неактивен", "уволен", "n", "н", "-"}
#: how a missing column is named in problems (the template's headers)
DISPLAY_NAMES = {
    "email": "E-mail",
    "full_name": "ФИО",
    "position": "Должность",
    "department": "Отдел",
    "manager": "Руководитель",
    "active": "Активен",
}
MAX_LENGTH = {"email": 254, "full_name": 200, "position": 200, "department": 200, "manager": 254}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    code: str
    value: str = ""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    """The rows of a file by canonical field, with the headers as the file wrote them."""

    headers: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _normal_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("ё", "е"))


_ALIAS_TO_FIELD = {
    _normal_header(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("encoding")


class _Budget:
    """The reading time budget: `check()` raises ValueError("too slow") once it is spent."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + READ_SECONDS

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ValueError("too slow")


def _part_cap(name: str) -> int:
    if name.startswith("xl/worksheets/"):
        return XLSX_MAX_SHEET_BYTES
    if name == "xl/sharedStrings.xml":
        return XLSX_MAX_STRINGS_BYTES
    if name.startswith("xl/media/"):  # pictures are not read
        return XLSX_MAX_TOTAL_BYTES
    return XLSX_MAX_OTHER_BYTES


def _check_xlsx_parts(data: bytes) -> None:
    """Refuse a workbook whose parts would decompress too large, before anything is parsed.

    Readers stop at each part's declared size (and fail its CRC if more is there), so the
    declared sizes are a safe bound. Encrypted parts and unknown methods are refused too.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValueError("unreadable") from exc
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise ValueError("unreadable")
        total += info.file_size
        if info.file_size > _part_cap(info.filename) or total > XLSX_MAX_TOTAL_BYTES:
            raise ValueError("too large")


_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData[\s/>]")
_DIMENSION = re.compile(rb"<(\w+:)?dimension[\s/>]")


def _with_dimensions(data: bytes) -> bytes:
    """The workbook with a `<dimension>` in every worksheet that lacks one.

    Without it openpyxl scans a whole sheet to look for one before the first row is read, which
    no time budget can interrupt; the value itself is ignored (`reset_dimensions`).
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    changed: dict[str, bytes] = {}
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as part:
            head = part.read(64 * 1024)
        sheet_data = _SHEET_DATA.search(head)
        if sheet_data is None:
            raise ValueError("unreadable")
        if _DIMENSION.search(head, 0, sheet_data.start()):
            continue
        prefix = sheet_data.group(1) or b""
        content = archive.read(name)
        at = sheet_data.start()
        changed[name] = content[:at] + b"<" + prefix + b'dimension ref="A1"/>' + content[at:]
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        for info in archive.infolist():
            rebuilt.writestr(info.filename, changed.get(info.filename) or archive.read(info))
    return out.getvalue()


def _read_xlsx(data: bytes, budget: _Budget) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_xlsx_parts(data)
    try:
        data = _with_dimensions(data)
        budget.check()
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # the stated dimension may be huge (A1:XFD1048576): read the rows that are there,
        # every line counted, within fixed bounds
        sheet.reset_dimensions()
        lines = []
        number = 0
        for number, values in enumerate(
            sheet.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True), 1
        ):
            if number > MAX_LINES:
                raise ValueError("too many rows")
            if number % 256 == 1:
                budget.check()
            cells = [_cell_text(v) for v in values]
            if any(cells):
                lines.append((number, cells))
            if len(lines) > MAX_ROWS + 1:
                raise ValueError("too many rows")
        workbook.close()
    except ValueError as exc:
        if str(exc) in ("too many rows", "too slow"):
            raise
        raise ValueError("unreadable") from exc
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook is the same answer
        raise ValueError("unreadable") from exc
    return lines


def _read_csv(data: bytes, budget: _Budget) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    sample = text[:4096]
    delimiter = max((";", ",", "\t"), key=sample.count) if sample else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for cells in reader:
            if reader.line_num % 256 == 1:
                budget.check()
            if reader.line_num > MAX_LINES:
                raise ValueError("too many rows")
            if any(len(c) > MAX_CELL_CHARS for c in cells):
                raise ValueError("cell too long")
            stripped = [c.strip() for c in cells[:MAX_COLUMNS]]
            if any(stripped):
                lines.append((reader.line_num, stripped))
            if len(lines) > MAX_ROWS + 1:
                raise ValueError("too many rows")
    except csv.Error as exc:
        # a field over csv's own limit (an unclosed quote swallows the rest of the file)
        raise ValueError(
            "cell too long" if "larger than field limit" in str(exc) else "unreadable"
        ) from exc
    return lines


def read_lines(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty lines of a CSV or XLSX file as (line number, cells). Raises ValueError.

    Bounded whatever the file claims: lines (empty ones counted), columns, decompressed size
    and reading time; the error says which bound was hit.
    """
    name = filename.lower()
    budget = _Budget()
    if name.endswith(".xlsx"):
        return _read_xlsx(data, budget)
    if name.endswith((".csv", ".txt")):
        return _read_csv(data, budget)
    raise ValueError("format")


def read_table(filename: str, data: bytes) -> Table:
    """Read a file into a Table; a file-level problem is reported on line 1."""
    table = Table()
    try:
        lines = read_lines(filename, data)
    except ValueError as exc:
        code = {
            "format": "file format",
            "too many rows": "too many rows",
            "too large": "too large",
            "too slow": "too slow",
            "cell too long": "cell too long",
        }.get(str(exc), "unreadable file")
        table.problems.append(Problem(1, "", code))
        return table
    if not lines:
        table.problems.append(Problem(1, "", "empty file"))
        return table
    header_line, header_cells = lines[0]
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        name = _ALIAS_TO_FIELD.get(_normal_header(cell))
        if name is None:
            continue
        if name in positions:
            table.problems.append(Problem(header_line, cell, "duplicate column"))
            continue
        positions[name] = index
        table.headers[name] = cell
    for name in REQUIRED:
        if name not in positions:
            table.problems.append(Problem(header_line, DISPLAY_NAMES[name], "missing column"))
    for line, cells in lines[1:]:
        values = {
            name: (cells[index] if index < len(cells) else "") for name, index in positions.items()
        }
        table.rows.append(Row(line, values))
    if not table.rows and not table.problems:
        table.problems.append(Problem(header_line, "", "no rows"))
    return table


# --------------------------------------------------------------------------- checking


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
class Plan:
    people: list[PlannedPerson] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for p in self.people if p.action == action)


def _column(table: Table, name: str) -> str:
    return table.headers.get(name, DISPLAY_NAMES[name])


def _parse_active(text: str) -> bool | None:
    if not text:
        return True
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def plan_import(actor: User, company: Company, table: Table) -> Plan:
    """Check every row against the file and the database; describe what applying would do."""
    policy.check_company(actor, company.id)
    plan = Plan(problems=list(table.problems))
    if table.problems:  # the file itself is wrong: rows cannot be read meaningfully
        return plan
    emails: dict[str, int] = {}
    parsed: list[tuple[Row, str, bool | None]] = []
    for row in table.rows:
        for name, limit in MAX_LENGTH.items():
            if len(row.values.get(name, "")) > limit:
                plan.problems.append(Problem(row.line, _column(table, name), "too long"))
        raw_email = row.values.get("email", "")
        email = ""
        if not raw_email:
            plan.problems.append(Problem(row.line, _column(table, "email"), "required"))
        else:
            try:
                email = normalize_email(
                    validate_email(raw_email, check_deliverability=False).normalized
                )
            except EmailNotValidError:
                plan.problems.append(
                    Problem(row.line, _column(table, "email"), "bad email", raw_email)
                )
        if email:
            if email in emails:
                plan.problems.append(
                    Problem(
                        row.line, _column(table, "email"), "duplicate email", str(emails[email])
                    )
                )
            else:
                emails[email] = row.line
        if not row.values.get("full_name"):
            plan.problems.append(Problem(row.line, _column(table, "full_name"), "required"))
        active = _parse_active(row.values.get("active", ""))
        if active is None:
            plan.problems.append(
                Problem(row.line, _column(table, "active"), "bad active", row.values["active"])
            )
        parsed.append((row, email, active))

    wanted = set(emails)
    managers = {normalize_email(r.values["manager"]) for r in table.rows if r.values.get("manager")}
    known: dict[str, User] = {}
    lookup = sorted(wanted | managers)
    for chunk_start in range(0, len(lookup), 900):
        chunk = lookup[chunk_start : chunk_start + 900]
        for user in db.session.scalars(select(User).where(func.lower(User.email).in_(chunk))):
            known[user.email.lower()] = user
    departments = {
        d.name.lower(): d
        for d in db.session.scalars(select(Department).where(Department.company_id == company.id))
    }
    new_departments: dict[str, str] = {}
    for row, email, active in parsed:
        if not email:
            continue
        existing = known.get(email)
        if existing is not None and (
            existing.company_id != company.id or not policy.may_manage(actor, existing)
        ):
            # one neutral answer: HR learns nothing about accounts it may not manage
            plan.problems.append(
                Problem(row.line, _column(table, "email"), "email unavailable", email)
            )
            continue
        manager_email = normalize_email(row.values.get("manager", ""))
        if manager_email:
            manager = known.get(manager_email)
            if manager_email == email:
                plan.problems.append(Problem(row.line, _column(table, "manager"), "own manager"))
            elif manager_email not in emails and (
                manager is None or manager.company_id != company.id
            ):
                plan.problems.append(
                    Problem(row.line, _column(table, "manager"), "unknown manager", manager_email)
                )
        department = row.values.get("department") or None
        if department and department.lower() not in departments:
            new_departments.setdefault(department.lower(), department)
        if existing is not None and existing.id == actor.id and active is False:
            plan.problems.append(Problem(row.line, _column(table, "active"), "deactivate self"))
        full_name = row.values.get("full_name", "")
        position = row.values.get("position") or None
        after = {
            "full_name": full_name,
            "position": position,
            "department": department,
            "manager": manager_email or None,
            "active": bool(active),
        }
        changes: dict[str, tuple[Any, Any]] = {}
        if existing is not None:
            before = {
                "full_name": existing.full_name,
                "position": existing.position,
                "department": existing.department.name if existing.department else None,
                "manager": existing.manager.email if existing.manager else None,
                "active": existing.active,
            }
            for key in after:
                # a column the file does not have leaves that field as it is
                if key != "full_name" and key not in table.headers:
                    after[key] = before[key]
                old, new = before[key], after[key]
                if key == "department" and old and new and old.lower() == new.lower():
                    after[key] = old
                    continue
                if old != new:
                    changes[key] = (old, new)
        plan.people.append(
            PlannedPerson(
                line=row.line,
                email=email,
                full_name=after["full_name"],
                position=after["position"],
                department=after["department"],
                manager=after["manager"],
                active=after["active"],
                existing_id=existing.id if existing else None,
                changes=changes,
            )
        )
    plan.new_departments = sorted(new_departments.values(), key=str.lower)
    plan.problems.sort(key=lambda p: (p.line, p.column))
    return plan


@dataclass(frozen=True)
class ImportResult:
    created: list[User]
    updated: int
    departments: int


def apply_import(
    actor: User, company: Company, table: Table, *, filename: str = "", ip: str | None = None
) -> tuple[Plan, ImportResult | None]:
    """Check again, then create and update everyone in one go; nothing happens on any problem."""
    plan = plan_import(actor, company, table)
    if not plan.ok:
        return plan, None
    departments = {
        d.name.lower(): d
        for d in db.session.scalars(select(Department).where(Department.company_id == company.id))
    }
    for name in plan.new_departments:
        department = Department(company=company, name=name)
        db.session.add(department)
        departments[name.lower()] = department
    db.session.flush()
    people: dict[str, User] = {}
    created: list[User] = []
    moved: list[User] = []
    updated = 0
    existing_ids = [p.existing_id for p in plan.people if p.existing_id is not None]
    existing = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(existing_ids)))}
    now = utcnow()
    for planned in plan.people:
        department = departments.get((planned.department or "").lower())
        if planned.existing_id is None:
            user = accounts.new_account(
                email=planned.email,
                full_name=planned.full_name,
                company=company,
                roles={Role.LEARNER},
                department=department,
                position=planned.position,
                active=planned.active,
            )
            created.append(user)
        else:
            user = existing[planned.existing_id]
            if planned.changes:
                updated += 1
                user.full_name = planned.full_name
                user.position = planned.position
                if "department" in planned.changes:
                    user.department = department
                    moved.append(user)
                if "active" in planned.changes:
                    user.active = planned.active
                    user.deactivated_at = None if planned.active else now
                    if not planned.active:
                        user.session_version += 1
                    moved.append(user)
        people[planned.email] = user
    db.session.flush()
    managers_needed = {p.manager for p in plan.people if p.manager} - set(people)
    if managers_needed:
        for user in db.session.scalars(
            select(User).where(
                User.company_id == company.id, func.lower(User.email).in_(managers_needed)
            )
        ):
            people[user.email.lower()] = user
    for planned in plan.people:
        if "manager" in planned.changes or (planned.existing_id is None and planned.manager):
            people[planned.email].manager = people.get(planned.manager) if planned.manager else None
    db.session.flush()
    accounts.enrol([*created, *moved])
    audit.record(
        actor,
        "people.import",
        company_id=company.id,
        details={
            "file": filename[:200],
            "created": [u.email for u in created],
            "updated": [p.email for p in plan.people if p.action == "update"],
            "departments_created": plan.new_departments,
        },
        ip=ip,
    )
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


# --------------------------------------------------------------------------- between steps


def dump_table(table: Table) -> dict:
    return {
        "headers": table.headers,
        "rows": [[r.line, r.values] for r in table.rows],
    }


def load_table(data: dict) -> Table:
    return Table(
        headers={str(k): str(v) for k, v in data["headers"].items()},
        rows=[
            Row(int(line), {str(k): str(v) for k, v in values.items() if k in FIELDS})
            for line, values in data["rows"]
        ],
    )
