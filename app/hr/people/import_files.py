"""Reading the staff file of an import (CSV or XLSX): pure, bytes in, a Table of rows out.

Bounded whatever the file claims (lines, columns, decompressed size, reading time). A problem
carries a line, a column (as written in the file) and a code; `app.hr.people.importing` checks
the rows and turns problems into sentences.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

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
