"""HR import of crafted files (M-1, L-4) and probing e-mails of other companies (L-5)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from app.hr.people import import_files as importing
from tests.helpers import csrf_token, sign_in


def _upload(client, data: bytes, name: str):
    return client.post(
        "/hr/import",
        data={"csrf_token": csrf_token(client, "/hr/import"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _dimension_bomb() -> bytes:
    """4-5 KB: a header, one employee and one cell at the last row and column of a sheet."""
    book = Workbook()
    sheet = book.active
    sheet.append(["E-mail", "ФИО"])
    sheet.append(["anna@alpha.example", "Анна"])
    sheet.cell(row=1_048_576, column=16_384, value="x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _swap_part(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The same workbook with one part replaced (compressed as hard as zip allows)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = content if info.filename == name else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def _sheet_of_empty_rows(rows: int) -> bytes:
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>E-mail</t></is></c>'
        + '<c r="B1" t="inlineStr"><is><t>ФИО</t></is></c></row>'.encode()
    )
    return head + b"<row/>" * rows + b"</sheetData></worksheet>"


@pytest.fixture
def hr(client, make_company, make_user):
    """Alpha's HR, signed in; Beta's learner has an account Alpha's HR must learn nothing of."""
    from app.models import Role

    make_user("hr@alpha.example", make_company("alpha", "Альфа"), {Role.HR, Role.LEARNER})
    make_user("learner@beta.example", make_company("beta", "Бета"))
    sign_in(client, "hr@alpha.example")
    return client


def test_a_huge_dimension_is_answered_at_once(hr):
    data = _dimension_bomb()
    assert len(data) < 10_000
    started = time.perf_counter()
    response = _upload(hr, data, "people.xlsx")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 2.0, f"{elapsed:.1f} s"
    assert "В файле больше 10000 строк" in response.get_data(as_text=True)


def test_a_zip_bomb_is_refused_before_it_is_parsed(hr):
    data = _swap_part(
        _dimension_bomb(), "xl/worksheets/sheet1.xml", _sheet_of_empty_rows(8_000_000)
    )
    assert len(data) < 500_000  # ~48 MB of XML inside
    started = time.perf_counter()
    response = _upload(hr, data, "people.xlsx")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 2.0, f"{elapsed:.1f} s"
    assert "Файл слишком велик после распаковки" in response.get_data(as_text=True)


def test_empty_rows_count_towards_the_row_limit(monkeypatch):
    """300,000 empty rows: the reader stops at MAX_LINES, it does not walk them all."""
    book = _swap_part(_dimension_bomb(), "xl/worksheets/sheet1.xml", _sheet_of_empty_rows(300_000))
    monkeypatch.setattr(importing, "READ_SECONDS", 120.0)  # the row limit is under test, not time
    checks = []
    original = importing._Budget.check
    monkeypatch.setattr(importing._Budget, "check", lambda self: checks.append(original(self)))
    table = importing.read_table("people.xlsx", book)
    assert [p.code for p in table.problems] == ["too many rows"]
    # the budget is checked every 256 rows read: the rows read stay within the limit
    assert len(checks) <= importing.MAX_LINES // 256 + 4


def test_reading_stops_at_the_time_budget(monkeypatch):
    monkeypatch.setattr(importing, "READ_SECONDS", 0.0)
    book = Workbook()
    for n in range(50):
        book.active.append([f"p{n}@alpha.example", f"Сотрудник {n}"])
    out = io.BytesIO()
    book.save(out)
    table = importing.read_table("people.xlsx", out.getvalue())
    assert [p.code for p in table.problems] == ["too slow"]
    with pytest.raises(ValueError, match="too slow"):
        importing.read_lines("people.csv", b"E-mail;\xd0\xa4\xd0\x98\xd0\x9e\na@b.c;A\n")


def _patch_central(data: bytes, name: str, offset: int, value: bytes) -> bytes:
    """Overwrite bytes of `name`'s central-directory entry (where readers take flags and CRC)."""
    position = 0
    while True:
        position = data.index(b"PK\x01\x02", position)
        length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + length] == name.encode():
            break
        position += 4
    at = position + offset
    return data[:at] + value + data[at + len(value) :]


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda b: b[:-200], id="truncated"),
        pytest.param(lambda b: _patch_central(b, SHEET, 8, b"\x01\x00"), id="encrypted"),
        pytest.param(lambda b: _patch_central(b, SHEET, 16, b"\x00\x00\x00\x00"), id="bad-crc"),
        pytest.param(lambda b: _patch_central(b, SHEET, 10, b"\x63\x00"), id="unknown-method"),
    ],
)
def test_a_broken_workbook_is_a_message_not_a_500(hr, mutate):
    response = _upload(hr, mutate(_dimension_bomb()), "people.xlsx")
    assert response.status_code == 200
    assert "Файл не читается" in response.get_data(as_text=True)


def test_a_csv_field_over_the_csv_limit_is_a_message_not_a_500(hr):
    data = ("E-mail;ФИО\na@alpha.example;" + "я" * 200_000 + "\n").encode()
    response = _upload(hr, data, "people.csv")
    assert response.status_code == 200
    assert "слишком длинн" in response.get_data(as_text=True)


def test_a_csv_with_an_open_quote_to_the_end_is_a_message(hr):
    data = ('E-mail;ФИО\na@alpha.example;"' + "я" * 140_000).encode()
    response = _upload(hr, data, "people.csv")
    assert response.status_code == 200


# --------------------------------------------------------------------------- L-5


def test_person_form_says_nothing_about_another_companys_account(hr):
    response = hr.post(
        "/hr/people/new",
        data={
            "csrf_token": csrf_token(hr, "/hr/people/new"),
            "full_name": "Проверка",
            "email": "learner@beta.example",
            "department_id": 0,
            "active": "y",
        },
    )
    html = response.get_data(as_text=True)
    assert "Этот адрес здесь использовать нельзя" in html
    assert "другой компании" not in html and "уже существует" not in html


def test_import_says_nothing_about_another_companys_account(hr):
    response = _upload(hr, "E-mail;ФИО\nlearner@beta.example;Проверка\n".encode(), "p.csv")
    html = response.get_data(as_text=True)
    assert "Этот адрес здесь использовать нельзя" in html and "другой компании" not in html


def test_import_previews_are_rate_limited(app, hr, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_PREVIEW_LIMIT", "3 per minute")
    data = "E-mail;ФИО\nanna@alpha.example;Анна\n".encode()
    for _ in range(3):
        assert _upload(hr, data, "p.csv").status_code == 200
    assert _upload(hr, data, "p.csv").status_code == 429


def test_person_form_posts_are_rate_limited(app, hr, monkeypatch):
    monkeypatch.setitem(app.config, "PERSON_FORM_LIMIT", "3 per minute")
    token = csrf_token(hr, "/hr/people/new")
    for n in range(4):
        response = hr.post(
            "/hr/people/new",
            data={"csrf_token": token, "full_name": "П", "email": f"probe{n}@beta.example"},
        )
    assert response.status_code == 429
