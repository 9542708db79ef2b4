"""Reading a spreadsheet a person uploads for a bulk job: CSV in any common delimiter and
encoding, or an Excel workbook (.xlsx), into one table of text cells.

    read_table(data, "codes.csv", max_rows=50_000) -> Table(headers, rows, delimiter, encoding)

Every cell is text: numbers without a spurious ".0", dates as ISO strings, formulas as the
value Excel cached when it saved the file. Fully blank rows are left out (spreadsheets
keep formatted empty rows at the end). Anything a person can get wrong raises
BulkFileError with a message fit to show as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DELIMITERS = ",;\t|"
# Enough records to tell the delimiter apart; the sniffing parses only this much text.
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and any password-protected Office file
_ZIP_MAGIC = b"PK\x03\x04"
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")


class BulkFileError(Exception):
    """The uploaded file cannot be used as it is; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Table:
    """The file's first row as headers and every non-blank row after it, all as text and
    padded to the same width. `delimiter` is "" for a workbook; `encoding` is the text
    encoding found ("utf-8", "utf-8-sig", "cp1252", "utf-16") or "xlsx"."""

    headers: list[str]
    rows: list[list[str]]
    delimiter: str
    encoding: str


def read_table(data: bytes, filename: str, *, max_rows: int) -> Table:
    """The table in `data` (CSV or XLSX, told apart by content, then by name)."""
    if not data.strip():
        raise BulkFileError("The file is empty.")
    name = filename.lower()
    if data.startswith(_OLE_MAGIC):
        raise BulkFileError(
            "This is an old Excel file (.xls) or a password-protected workbook; save it as "
            ".xlsx without a password, or as CSV, and upload that."
        )
    if data.startswith(_ZIP_MAGIC) or name.endswith(_XLSX_SUFFIXES):
        records, delimiter, encoding = _xlsx_records(data), "", "xlsx"
    elif "." in name and not name.endswith(_CSV_SUFFIXES):
        suffix = name.rsplit(".", 1)[1][:10]
        raise BulkFileError(
            f"A .{suffix} file cannot be read here; upload a CSV (.csv) or Excel (.xlsx) file."
        )
    else:
        text, encoding = _decode(data)
        delimiter = _sniff_delimiter(text)
        records = _csv_records(text, delimiter)
    return _table(records, delimiter, encoding, max_rows)


def _table(records: Iterable[list[str]], delimiter: str, encoding: str, max_rows: int) -> Table:
    headers: list[str] | None = None
    rows: list[list[str]] = []
    count = 0
    try:
        for record in records:
            if not any(cell.strip() for cell in record):
                continue
            if headers is None:
                headers = [" ".join(cell.split()) for cell in record]
                continue
            count += 1
            # Past the limit the rows are only counted, so the message can say how many.
            if count <= max_rows:
                rows.append(record)
    except csv.Error:
        raise BulkFileError(_UNREADABLE) from None
    if headers is None:
        raise BulkFileError("The file is empty.")
    if count == 0:
        raise BulkFileError("The file has a header row but no rows below it; add one row per code.")
    if count > max_rows:
        raise BulkFileError(f"This file has {count:,} rows; a job takes at most {max_rows:,}.")
    width = max(len(headers), max(len(row) for row in rows))
    while (
        width > 1
        and not headers[width - 1]
        and all(len(row) < width or not row[width - 1].strip() for row in rows)
    ):
        width -= 1  # trailing columns that are empty from top to bottom
    headers = headers[:width] + [""] * (width - len(headers))
    headers = [h or f"Column {i + 1}" for i, h in enumerate(headers)]
    rows = [row[:width] + [""] * (width - len(row)) if len(row) != width else row for row in rows]
    return Table(headers=headers, rows=rows, delimiter=delimiter, encoding=encoding)


_UNREADABLE = (
    "This file could not be read as CSV or Excel (.xlsx). Save it as CSV (UTF-8) or .xlsx "
    "and upload it again."
)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte order mark, tab-separated.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise BulkFileError(_UNREADABLE) from None
    if b"\x00" in data[:_SNIFF_CHARS]:
        # No text encoding we accept has NUL bytes: an image, a PDF, a zip...
        raise BulkFileError(_UNREADABLE)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise BulkFileError(_UNREADABLE) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Excel on Windows saves "CSV" in the ANSI code page; cp1252 covers Western Europe.
    # Five bytes are unassigned in it: a file with those is read as Latin-1, which
    # decodes any byte, rather than refused.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _csv_records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)


def _sniff_delimiter(text: str) -> str:
    """The delimiter giving the most consistent table: the header's column count repeated
    on most records, more columns winning ties. A one-column file gets ","."""
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        if delimiter not in sample:
            continue
        try:
            records = []
            for record in _csv_records(sample, delimiter):
                if any(cell.strip() for cell in record):
                    records.append(len(record))
                if len(records) > _SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        if truncated and len(records) > 2:
            records.pop()  # the sample may end inside a record
        if not records or records[0] < 2:
            continue
        body = records[1:] or records
        share = sum(1 for n in body if n == records[0]) / len(body)
        score = (share, records[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _xlsx_records(data: bytes) -> Iterator[list[str]]:
    # openpyxl is imported here: only workbook uploads pay for it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet instead of building every cell object;
        # data_only gives a formula's cached result rather than its text.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise BulkFileError(
            "This file could not be opened as an Excel workbook (.xlsx). Save it again "
            "as .xlsx or CSV and upload that."
        ) from None
    return _sheet_rows(book)


def _sheet_rows(book: Any) -> Iterator[list[str]]:
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise BulkFileError(
            "This workbook is damaged: its first sheet could not be read. Save it again "
            "as .xlsx or CSV and upload that."
        ) from None
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()  # Excel stores a date as midnight
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        # Phone numbers and postcodes typed into Excel come back as 46701234567.0.
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
