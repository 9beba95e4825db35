"""The spreadsheet writers of HR's exports, rows in and bytes out, at the size of a big export.

Usage: ``python bench/exports.py [--rows N] [--repeat K]`` from the repository root.

Rows look like the completion report's (15 columns: Cyrillic names and e-mails, dates, counts,
a percentage, hours, now and then a formula-like name). In one run it measures, best of K:

* the CSV stream (``exporting.csv_stream``) in MB/s — the target is at least 10 MB/s;
* the hand-written streamed XLSX (``exporting.xlsx_stream``, the baseline);
* XlsxWriter in constant-memory mode writing the same workbook (``xlsx_file`` below; the
  dev extra installs XlsxWriter),

and prints each one's time, size and rows/s, with the ratio XlsxWriter / hand-written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.hr.training import exporting  # noqa: E402

HEADERS = [
    "ФИО", "E-mail", "Отдел", "Должность", "Курс", "Статус", "Срок", "Начал", "Завершил",
    "Уроков пройдено", "Уроков в курсе", "Ответов", "С первой попытки, %", "Часов",
    "Отмечено HR",
]  # fmt: skip
WIDTHS = [28, 30, 22, 22, 30, 14, 17, 17, 17, 10, 10, 12, 14, 12, 30]


_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def xlsx_file(
    path: str | Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Report",
    widths: Sequence[int] | None = None,
) -> int:
    """The workbook `exporting.xlsx_stream` makes, written by XlsxWriter (a dev dependency) in
    constant-memory mode to `path`: the candidate the hand-written writer is measured against.
    Strings stay strings (never formulas, numbers or links), neutralised as in the stream."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
            "tmpdir": str(Path(path).parent),
        },
    )
    sheet = workbook.add_worksheet(sheet_title[:31].translate(_SHEET_NAME_FORBIDDEN) or "Report")
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    for column, width in enumerate(widths or ()):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    for column, header in enumerate(headers):
        sheet.write_string(0, column, str(exporting.neutralise(header)), bold)
    write_string, write_number = sheet.write_string, sheet.write_number
    written = 0
    for written, row in enumerate(rows, 1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(written, column, exporting.neutralise(value))
            elif isinstance(value, bool):
                sheet.write_boolean(written, column, value)
            elif isinstance(value, int | float):
                write_number(written, column, value)
            elif isinstance(value, datetime | date):
                sheet.write_datetime(written, column, value, when)
            else:
                write_string(written, column, str(exporting.neutralise(str(value))))
    sheet.autofilter(0, 0, written, max(len(headers) - 1, 0))
    workbook.close()
    return written


def rows(n: int):
    start = datetime(2026, 1, 1, 9, 30, tzinfo=UTC)
    for i in range(n):
        name = f'=HYPERLINK("x";"{i}")' if i % 997 == 0 else f"Сотрудник Иванов {i}"
        yield (
            name,
            f"person{i}@alpha.example",
            ("Продажи", "Маркетинг", "Склад", "Логистика")[i % 4],
            "Менеджер по работе с клиентами",
            f"Деловой китайский, курс {i % 20}",
            ("не начат", "в процессе", "пройден", "просрочен")[i % 4],
            start + timedelta(days=i % 90),
            start + timedelta(days=i % 30, hours=i % 7) if i % 4 else None,
            start + timedelta(days=i % 60) if i % 4 == 2 else None,
            i % 9,
            8,
            i % 150,
            (i * 7) % 101 if i % 4 else None,
            round((i % 50) / 7, 1),
            "" if i % 11 else "Сдал экзамен очно",
        )


def interleaved(writers: dict, repeat: int) -> dict[str, tuple[float, int]]:
    """Best time and size of each writer; the writers take turns in every round, so that a
    busy spell of the machine slows them alike."""
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):
        for name, func in writers.items():
            t = time.perf_counter()
            size = func()
            seconds = time.perf_counter() - t
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, size)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.rows
    folder = Path(tempfile.mkdtemp(prefix="qiao-export-bench-"))

    def csv_run() -> int:
        return sum(len(chunk) for chunk in exporting.csv_stream(HEADERS, rows(n)))

    def hand_xlsx() -> int:
        body = exporting.xlsx_stream(HEADERS, rows(n), sheet_title="Прохождение", widths=WIDTHS)
        return sum(len(chunk) for chunk in body)

    def xlsxwriter_run() -> int:
        path = folder / "x.xlsx"
        xlsx_file(path, HEADERS, rows(n), sheet_title="Прохождение", widths=WIDTHS)
        return path.stat().st_size

    def generate_only() -> int:
        return sum(1 for _ in rows(n))

    figures = interleaved(
        {
            "rows alone": generate_only,
            "CSV": csv_run,
            "XLSX hand-written": hand_xlsx,
            "XLSX XlsxWriter": xlsxwriter_run,
        },
        args.repeat,
    )
    for path in folder.iterdir():
        os.remove(path)
    folder.rmdir()
    print(f"{n} rows × {len(HEADERS)} columns, best of {args.repeat}")
    print(f"{'writer':<20}{'s':>8}{'MB':>8}{'MB/s':>8}{'rows/s':>10}")
    for name, (seconds, size) in figures.items():
        mb = size / 1e6 if name != "rows alone" else 0
        rate = f"{mb / seconds:>8.1f}" if mb else f"{'—':>8}"
        print(f"{name:<20}{seconds:>8.2f}{mb:>8.1f}{rate}{n / seconds:>10.0f}")
    writer_only = figures["CSV"][1] / 1e6 / (figures["CSV"][0] - figures["rows alone"][0])
    print(f"CSV writer alone (row generation subtracted): {writer_only:.1f} MB/s")
    ratio = figures["XLSX XlsxWriter"][0] / figures["XLSX hand-written"][0]
    print(f"XlsxWriter / hand-written time: {ratio:.2f}× "
          f"(hand-written kept only if this is ≥ 2.00×)")  # fmt: skip


if __name__ == "__main__":
    main()
