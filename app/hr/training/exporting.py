"""Spreadsheet writers for reports: streamed CSV and XLSX, safe against formula injection.

Pure: rows in, bytes out, no Flask and no database. A cell that a spreadsheet would take for a
formula (it starts with =, +, -, @, a tab or a carriage return, also after spaces, invisible
characters or as a full-width sign) is prefixed with an apostrophe,
so that a name like "=HYPERLINK(...)" typed into a profile stays text in Excel.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
#: rows written to the CSV buffer before it is flushed to the response
CSV_CHUNK_ROWS = 500

#: Werkzeug adds "; charset=utf-8" to a text/* mimetype itself
CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: characters a spreadsheet skips before it looks for a formula sign: spaces of every kind,
#: line breaks and the invisible format characters (zero-width space, joiners, BOM)
_SKIPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u180e"}


def _formula_head(value: str) -> str:
    """The first character that counts: leading spaces and invisible characters skipped, and
    full-width forms (＝＋－＠) folded to their ASCII signs."""
    for char in value:
        if char in ("\t", "\r"):
            return char
        if char.isspace() or char in _SKIPPED or unicodedata.category(char) == "Cf":
            continue
        return unicodedata.normalize("NFKC", char)[:1]
    return ""


def neutralise(value: Any) -> Any:
    """Text that could start a formula gets a leading apostrophe; other values pass through.

    "Could start" is judged after normalising: `  =1+1`, `＝1+1` and a zero-width space
    before `=` are all formulas to some spreadsheet.
    """
    # a letter or digit first is never a formula (the fast path of big exports)
    if (
        isinstance(value, str)
        and value
        and not value[0].isalnum()
        and _formula_head(value) in FORMULA_PREFIXES
    ):
        return "'" + value
    return value


def _csv_datetime(value: datetime) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"


def _csv_other(value: Any) -> str:
    if isinstance(value, datetime):
        return _csv_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(neutralise(value) if isinstance(value, str) else value)


#: a cell's text by its exact type (one dict look-up a cell); other types take `_csv_other`
_CSV_TEXT = {
    str: neutralise,
    int: str,
    bool: str,
    float: lambda value: f"{value:g}",
    type(None): lambda _value: "",
    datetime: _csv_datetime,
    date: date.isoformat,
}


def _csv_text(value: Any) -> str:
    return _CSV_TEXT.get(type(value), _csv_other)(value)


def csv_stream(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so Excel reads Cyrillic), yielded in chunks.

    Semicolon-separated: the list separator of Excel in a Russian locale.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(h) for h in headers])
    text = _CSV_TEXT
    for i, row in enumerate(rows, 1):
        # text starting with a letter or digit is written as it is, without a call
        writer.writerow(
            [
                v if type(v) is str and v[:1].isalnum() else text.get(type(v), _csv_other)(v)
                for v in row
            ]
        )
        if i % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- XLSX

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    _XML_HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" '
    + 'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    + '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="{part}" ContentType="{_SPREADSHEETML}.{kind}+xml"/>'
        for part, kind in (
            ("/xl/workbook.xml", "sheet.main"),
            ("/xl/worksheets/sheet1.xml", "worksheet"),
            ("/xl/styles.xml", "styles"),
        )
    )
    + "</Types>"
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
#: cell styles: 0 plain, 1 bold (headers), 2 date and time
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
#: the header row stays in view while the sheet scrolls
_FROZEN_HEADER = (
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
#: characters XML 1.0 cannot carry at all
_XML_ILLEGAL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_ESCAPE_RE = re.compile("[&<>]")


def _xml_text(value: str) -> str:
    if _XML_ILLEGAL_RE.search(value):
        value = value.translate(_XML_ILLEGAL)
    if _XML_ESCAPE_RE.search(value):
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _xlsx_text(value: str, style: int = 0) -> str:
    if not value:
        return "<c/>"
    text = _xml_text(neutralise(value))
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{styled}><is><t{space}>{text}</t></is></c>'


def _xlsx_moment(value: date) -> str:
    moment = value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
    # Excel has no time zones: the caller passes local times; the offset is dropped
    serial = (moment.replace(tzinfo=None) - _EXCEL_EPOCH).total_seconds() / 86400
    return f'<c s="2"><v>{serial!r}</v></c>'


def _xlsx_number(value: int | float) -> str:
    return f"<c><v>{value!r}</v></c>"


#: a cell's XML by its exact type (one dict look-up a cell); other types take `_xlsx_cell`
_XLSX_CELL = {
    str: _xlsx_text,
    int: _xlsx_number,
    float: _xlsx_number,
    type(None): lambda _value: "<c/>",
    datetime: _xlsx_moment,
    date: _xlsx_moment,
}


def _xlsx_cell(value: Any, style: int = 0) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return _xlsx_number(value)
    if isinstance(value, datetime | date):
        return _xlsx_moment(value)
    return _xlsx_text(str(value), style)


class _Chunks:
    """A write-only, non-seekable file: what is written is collected for the next yield."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_stream(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Report",
    widths: Sequence[int] | None = None,
    chunk_rows: int = 1000,
) -> Iterator[bytes]:
    """An XLSX workbook written and sent as the rows come: constant memory, first bytes at once.

    The sheet is SpreadsheetML with inline strings inside a ZIP written to a non-seekable
    stream (sizes go in data descriptors), so nothing waits for the last row. Headers are bold,
    frozen and carry an autofilter; timestamps are real Excel dates, and text that could start
    a formula is neutralised.
    """
    out = _Chunks()
    title = _xml_text(sheet_title[:31]).replace(chr(34), "&quot;")
    last_column = _column_name(max(len(headers), 1))
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        written = 1
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = [_XML_HEAD, f'<worksheet xmlns="{_MAIN_NS}">', _FROZEN_HEADER]
            if widths:
                head.append("<cols>")
                head.extend(
                    f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                    for i, w in enumerate(widths, 1)
                )
                head.append("</cols>")
            head.append("<sheetData><row>")
            head.extend(_xlsx_cell(h, style=1) for h in headers)
            head.append("</row>")
            sheet.write("".join(head).encode("utf-8"))
            batch: list[str] = []
            cell = _XLSX_CELL
            for row in rows:
                batch.append(
                    "<row>" + "".join([cell.get(type(v), _xlsx_cell)(v) for v in row]) + "</row>"
                )
                written += 1
                if len(batch) >= chunk_rows:
                    sheet.write("".join(batch).encode("utf-8"))
                    batch.clear()
                    yield out.take()
            area = f"A1:{last_column}{written}"
            sheet.write(
                ("".join(batch) + f'</sheetData><autoFilter ref="{area}"/></worksheet>').encode(
                    "utf-8"
                )
            )
        # written last: the filter's range is known only once every row is out
        absolute = f"${last_column}${written}"
        archive.writestr(
            "xl/workbook.xml",
            _XML_HEAD + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
            f'<sheet name="{title}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
            f"hidden=\"1\">'{title.replace(chr(39), chr(39) * 2)}'!$A$1:{absolute}"
            "</definedName></definedNames></workbook>",
        )
    yield out.take()


def _column_name(number: int) -> str:
    """The spreadsheet's letters of a 1-based column number (1 → A, 27 → AA)."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name
