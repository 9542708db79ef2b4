"""Reading uploaded tables: encodings, delimiters, quoted newlines, workbooks, limits."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import xlsxwriter

from qrapp.core.bulk.reading import BulkFileError, read_table


def _read(data: bytes, filename: str = "codes.csv", max_rows: int = 50_000):
    return read_table(data, filename, max_rows=max_rows)


def test_utf8_with_a_bom_keeps_the_first_header_clean():
    table = _read("\ufeffName,URL\nCafé ☕,https://example.com\n".encode())
    assert table.headers == ["Name", "URL"]
    assert table.rows == [["Café ☕", "https://example.com"]]
    assert table.encoding == "utf-8-sig"
    assert table.delimiter == ","


def test_semicolons_as_excel_writes_them_in_europe():
    data = "Name;URL;Amount\nA;https://example.com/a,b;1,50\nB;https://example.com;2\n"
    table = _read(data.encode())
    assert table.delimiter == ";"
    assert table.rows[0] == ["A", "https://example.com/a,b", "1,50"]


@pytest.mark.parametrize("delimiter", ["\t", "|", ","])
def test_other_delimiters_are_detected(delimiter):
    text = delimiter.join(["name", "ssid", "password"]) + "\n"
    text += delimiter.join(["Guest", "Cafe, upstairs", "secret-pass"]) + "\n"
    if delimiter == ",":
        text = 'name,ssid,password\nGuest,"Cafe, upstairs",secret-pass\n'
    table = _read(text.encode())
    assert table.delimiter == delimiter
    assert table.rows == [["Guest", "Cafe, upstairs", "secret-pass"]]


def test_quoted_newlines_stay_inside_their_cell():
    data = b'name,text\r\n"Menu","Line one\r\nLine two; still, one cell"\r\nNext,plain\r\n'
    table = _read(data)
    assert table.rows == [["Menu", "Line one\r\nLine two; still, one cell"], ["Next", "plain"]]


def test_windows_1252_is_read_when_the_bytes_are_not_utf8():
    data = "Name;Price\nCafé Noël;5 €\nSmörgås;“quoted”\n".encode("cp1252")
    table = _read(data)
    assert table.encoding == "cp1252"
    assert table.rows == [["Café Noël", "5 €"], ["Smörgås", "“quoted”"]]


def test_utf16_from_excels_unicode_text_export():
    cafe = "\u0645\u0642\u0647\u0649"  # Arabic, right to left
    table = _read(f"Name\tURL\n{cafe}\thttps://example.com\n".encode("utf-16"))
    assert table.encoding == "utf-16"
    assert table.rows == [[cafe, "https://example.com"]]


def test_blank_rows_and_empty_trailing_columns_are_dropped_and_rows_padded():
    data = b"Name,URL,,\nA,https://a.example,,\n,,,\nB\n\n"
    table = _read(data)
    assert table.headers == ["Name", "URL"]
    assert table.rows == [["A", "https://a.example"], ["B", ""]]


def test_xlsx_formulas_read_as_their_cached_values_and_dates_as_iso():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Codes")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for column, header in enumerate(["Name", "URL", "Start", "Phone", "Price"]):
        sheet.write(0, column, header)
    sheet.write(1, 0, "Launch")
    # Excel saves the formula and its last result; the result is what a person sees.
    sheet.write_formula(1, 1, '="https://example.com/"&A2', None, "https://example.com/Launch")
    sheet.write_datetime(1, 2, dt.datetime(2026, 12, 1), date_format)
    sheet.write_number(1, 3, 46701234567)
    sheet.write_number(1, 4, 12.5)
    sheet.write(2, 0, "Evening")
    sheet.write_formula(2, 1, '="https://example.com/"&A3', None, "https://example.com/Evening")
    sheet.write_datetime(2, 2, dt.datetime(2026, 12, 1, 19, 30), date_format)
    book.close()
    table = _read(buffer.getvalue(), "codes.xlsx")
    assert table.encoding == "xlsx"
    assert table.headers == ["Name", "URL", "Start", "Phone", "Price"]
    assert table.rows == [
        ["Launch", "https://example.com/Launch", "2026-12-01", "46701234567", "12.5"],
        ["Evening", "https://example.com/Evening", "2026-12-01T19:30", "", ""],
    ]


def test_xlsx_written_by_openpyxl_with_dates_and_booleans():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Summary", "Start", "All day", "Count"])
    sheet.append(["Fair", dt.date(2027, 3, 4), True, 3])
    sheet.append(["Talk", dt.datetime(2027, 3, 5, 9, 15, 30), False, 4.0])
    buffer = io.BytesIO()
    book.save(buffer)
    # Told apart by content: the name says .csv, the bytes are a workbook.
    table = _read(buffer.getvalue(), "upload.csv")
    assert table.rows == [
        ["Fair", "2027-03-04", "true", "3"],
        ["Talk", "2027-03-05T09:15:30", "false", "4"],
    ]


def test_an_xlsx_with_a_header_only_is_refused():
    book = openpyxl.Workbook()
    book.active.append(["Name", "URL"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(BulkFileError, match="no rows"):
        _read(buffer.getvalue(), "codes.xlsx")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n", b",,,\n,,\n"])
def test_a_file_with_no_rows_is_refused(data):
    with pytest.raises(BulkFileError) as error:
        _read(data)
    assert error.value.message == "The file is empty."


def test_a_header_only_is_refused():
    with pytest.raises(BulkFileError) as error:
        _read(b"Name,URL\r\n\r\n")
    assert error.value.message == (
        "The file has a header row but no rows below it; add one row per code."
    )


def test_one_row_over_the_limit_is_refused_with_the_count():
    lines = ["name,url"] + [f"Code {i},https://example.com/{i}" for i in range(50_001)]
    with pytest.raises(BulkFileError) as error:
        _read("\n".join(lines).encode(), max_rows=50_000)
    assert error.value.message == "This file has 50,001 rows; a job takes at most 50,000."
    assert len(_read("\n".join(lines[:-1]).encode(), max_rows=50_000).rows) == 50_000


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.png", "A .png file cannot be read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "renamed.csv", "could not be read as CSV"),
        (b"%PDF-1.7\n\x00\x01\x02", "codes.csv", "could not be read as CSV"),
        (b"PK\x03\x04 not really a workbook", "codes.xlsx", "could not be opened"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "old Excel file"),
        (b'{"name": "A"}', "codes.json", "A .json file cannot be read here"),
    ],
)
def test_unreadable_files_get_a_clear_message(data, filename, words):
    with pytest.raises(BulkFileError) as error:
        _read(data, filename)
    assert words in error.value.message
