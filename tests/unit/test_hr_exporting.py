"""Spreadsheet writers and chart geometry: pure functions, no app."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from app.hr.training import charts, exporting

DANGEROUS = ['=HYPERLINK("http://evil")', "+7 999", "-1+2", "@SUM(A1)", "\tx", "\rx"]


def test_cells_that_could_start_a_formula_are_neutralised():
    assert [exporting.neutralise(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert exporting.neutralise("Иван = босс") == "Иван = босс"
    assert exporting.neutralise(-5) == -5  # numbers stay numbers


def test_csv_has_a_bom_semicolons_and_safe_cells():
    rows = [["Анна", v, datetime(2030, 1, 2, 3, 4, tzinfo=UTC), None, 7] for v in DANGEROUS]
    data = b"".join(exporting.csv_stream(["ФИО", "Поле", "Когда", "Пусто", "Число"], rows))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed[0] == ["ФИО", "Поле", "Когда", "Пусто", "Число"]
    assert [r[1] for r in parsed[1:]] == ["'" + v for v in DANGEROUS]
    assert parsed[1][2:] == ["2030-01-02 03:04", "", "7"]


def test_csv_is_streamed_in_chunks():
    rows = ([f"Сотрудник {i}", i] for i in range(exporting.CSV_CHUNK_ROWS * 3))
    chunks = list(exporting.csv_stream(["ФИО", "№"], rows))
    assert len(chunks) >= 3


def test_xlsx_reads_back_with_headers_types_and_safe_cells():
    when = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    rows = [[v, 3, when] for v in DANGEROUS]
    data = b"".join(exporting.xlsx_stream(["Поле", "Число", "Когда"], rows, sheet_title="Отчёт"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Отчёт"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Поле", "Число", "Когда")
    # (XML turns a carriage return into a line feed; it stays behind the apostrophe)
    assert [r[0] for r in values[1:]] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert values[1][1] == 3 and values[1][2] == datetime(2030, 1, 2, 3, 4)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_stacked_bars_share_and_scale():
    series = [charts.Series("a", "A", "seg-a"), charts.Series("b", "B", "seg-b")]
    chart = charts.stacked_bars("T", [("x", {"a": 1, "b": 3}, ""), ("y", {"a": 2}, "")], series)
    first, second = chart.rows
    assert [(s.x, s.width) for s in first.segments] == [(0, 25), (25, 75)]
    assert [(s.x, s.width) for s in second.segments] == [(0, 100)]
    scaled = charts.stacked_bars(
        "T", [("x", {"a": 1, "b": 3}, ""), ("y", {"a": 2}, "")], series, share=False
    )
    assert [s.width for s in scaled.rows[1].segments] == [50]
    assert charts.stacked_bars("T", [], series).rows == []


def test_columns_are_scaled_and_clamped():
    chart = charts.columns("T", [("a", 0.5, "50%"), ("b", 1.7, "x"), ("c", -1, "y")])
    assert [c.height for c in chart.columns] == [50, 100, 0]


def test_xlsx_is_sent_while_rows_are_still_coming():
    consumed = []

    def rows():
        for i in range(5000):
            consumed.append(i)
            yield [f"Сотрудник {i}", i]

    stream = exporting.xlsx_stream(["ФИО", "№"], rows(), chunk_rows=1000)
    first = next(stream)
    assert first.startswith(b"PK") and len(consumed) <= 1001
    data = first + b"".join(stream)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 5001
