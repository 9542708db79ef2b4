"""Download file names keep their letters (RFC 6266 filename*), counts read right."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from qrapp.api.disposition import ascii_fallback, attachment
from qrapp.api.files import _slug
from qrapp.core.wording import counted


def _params(header: str) -> dict[str, str]:
    return dict(re.findall(r'; (filename\*?)=("[^"]*"|[^;]*)', header))


def test_an_accented_name_travels_in_filename_star_with_an_ascii_fallback():
    header = attachment("café-menü-qr.png")
    assert header.startswith("attachment; ")
    params = _params(header)
    assert params["filename"] == '"cafe-menu-qr.png"'
    assert header.endswith("filename*=UTF-8''caf%C3%A9-men%C3%BC-qr.png")
    assert unquote(header.split("UTF-8''", 1)[1]) == "café-menü-qr.png"


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("plain-qr.png", "plain-qr.png"),
        ("Zürich Straße-qr.svg", "Zurich-Strae-qr.svg"),
        ("日本-qr.png", "qr.png"),
        ("日本.pdf", "download.pdf"),
    ],
)
def test_the_ascii_fallback_is_plain_and_keeps_the_extension(name, fallback):
    assert ascii_fallback(name) == fallback
    assert re.fullmatch(r"[A-Za-z0-9._-]+", ascii_fallback(name))


def test_quotes_backslashes_and_line_breaks_cannot_break_the_header():
    header = attachment('a"b\\c\r\nd.png')
    assert "\r" not in header
    assert "\n" not in header
    assert _params(header)["filename"] == '"a-b-cd.png"'
    assert header.count('"') == 2


def test_a_code_name_becomes_a_file_name_with_its_letters():
    assert _slug("Café Menü") == "café-menü"
    assert _slug("Spring_sale 2026!") == "spring-sale-2026"
    assert _slug("😀 🎉") == "qr-code"
    assert len(_slug("x" * 200)) == 60


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 codes"), (1, "1 code"), (2, "2 codes"), (1200, "1,200 codes")],
)
def test_counted_nouns(n, text):
    assert counted(n, "code") == text


def test_counted_with_an_irregular_plural():
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
