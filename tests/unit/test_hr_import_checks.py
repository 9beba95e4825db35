"""The import's row checks are pure: they need the file only, no application or database."""

from __future__ import annotations

from app.hr.people.import_files import Row, Table
from app.hr.people.importing import check_rows


def _table(*rows: dict[str, str]) -> Table:
    headers = {"email": "E-mail", "full_name": "ФИО", "active": "Активен", "manager": "Рук."}
    return Table(headers=headers, rows=[Row(n + 2, values) for n, values in enumerate(rows)])


def test_row_checks_need_no_database():
    table = _table(
        {"email": "Anna@Alpha.example", "full_name": "Анна", "active": "да", "manager": ""},
        {"email": "anna@alpha.example", "full_name": "Анна 2", "active": "", "manager": ""},
        {"email": "not an e-mail", "full_name": "", "active": "может быть", "manager": ""},
        {"email": "oleg@alpha.example", "full_name": "Олег", "active": "нет",
         "manager": " ANNA@alpha.example "},
    )  # fmt: skip
    checked, problems = check_rows(table)
    assert [(p.line, p.column, p.code, p.value) for p in problems] == [
        (3, "E-mail", "duplicate email", "2"),
        (4, "E-mail", "bad email", "not an e-mail"),
        (4, "ФИО", "required", ""),
        (4, "Активен", "bad active", "может быть"),
    ]
    assert [(c.email, c.active, c.manager) for c in checked] == [
        ("anna@alpha.example", True, ""),
        ("anna@alpha.example", True, ""),
        ("", None, ""),
        ("oleg@alpha.example", False, "anna@alpha.example"),
    ]


def test_too_long_values_are_reported_per_column():
    checked, problems = check_rows(
        _table({"email": "a@alpha.example", "full_name": "Я" * 201, "active": "", "manager": ""})
    )
    assert [(p.column, p.code) for p in problems] == [("ФИО", "too long")]
    assert checked[0].email == "a@alpha.example"
