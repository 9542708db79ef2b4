"""Pure parts of media: type detection by content, display names, byte ranges."""

from __future__ import annotations

import pytest

from qrapp.edge.media import byte_range
from qrapp.services.media.detect import display_name, name_kind, sniff
from tests.support import media_samples as samples


@pytest.mark.parametrize(
    ("data", "kind", "ctype"),
    [
        (samples.png_with_alpha(10, 10), "image", "image/png"),
        (samples.jpeg_with_gps(20, 20), "image", "image/jpeg"),
        (samples.pdf(1), "pdf", "application/pdf"),
        (samples.mp4(), "video", "video/mp4"),
        (samples.webm(), "video", "video/webm"),
        (samples.mp3(), "audio", "audio/mpeg"),
        (b"\xff\xfb\x90\x00" * 10, "audio", "audio/mpeg"),
        (samples.aac(), "audio", "audio/aac"),
        (samples.ogg(), "audio", "audio/ogg"),
        (samples.svg_with_script(), "svg", "image/svg+xml"),
        (b"\n  <svg onload=alert(1)>", "svg", "image/svg+xml"),
        (b"<html><script>alert(1)</script>", "file", "application/octet-stream"),
        (b"PK\x03\x04rest", "file", "application/zip"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic", "image/heic"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "image", "image/avif"),
        (b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isom", "audio", "audio/mp4"),
    ],
)
def test_sniff(data, kind, ctype):
    found = sniff(data)
    assert (found.kind, found.content_type) == (kind, ctype)


def test_name_kind():
    assert name_kind("a.PNG") == "image"
    assert name_kind("menu.pdf") == "pdf"
    assert name_kind("notes.txt") is None
    assert name_kind(".pdf") is None
    assert name_kind("noext") is None


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("...", "upload.pdf"),
        ("", "upload.pdf"),
        ("  Café   menü.pdf ", "Café menü.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("../" * 50 + "y" * 300, "y" * 200),
    ],
)
def test_display_name(given, shown):
    assert display_name(given, "pdf") == shown


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (b"bytes=0-99", 1000, (0, 99)),
        (b"bytes=900-", 1000, (900, 999)),
        (b"bytes=990-5000", 1000, (990, 999)),
        (b"bytes=-10", 1000, (990, 999)),
        (b"bytes=-5000", 1000, (0, 999)),
        (b"bytes=1000-", 1000, False),
        (b"bytes=-0", 1000, False),
        (b"bytes=5-1", 1000, None),
        (b"bytes=0-1,5-6", 1000, None),
        (b"items=0-1", 1000, None),
        (b"bytes=-", 1000, None),
        (b"bytes=0-", 0, False),
    ],
)
def test_byte_range(header, size, expected):
    assert byte_range(header, size) == expected
