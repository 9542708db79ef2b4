"""Small files of every kind the media tests upload, made in memory."""

from __future__ import annotations

import io
import struct
import zlib


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def flood_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG whose header claims width x height pixels (400 million by default) in a few
    dozen bytes: decoding it would need gigabytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_gps(width: int = 2400, height: int = 1600, orientation: int = 1) -> bytes:
    """A photo-like JPEG carrying EXIF with a camera make and GPS position."""
    from PIL import Image

    im = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = orientation
    gps = {1: "N", 2: (59.0, 19.0, 46.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    exif[0x8825] = gps  # GPSInfo
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85, exif=exif)
    return buf.getvalue()


def png_with_alpha(width: int = 600, height: int = 300) -> bytes:
    from PIL import Image

    im = Image.new("RGBA", (width, height), (200, 30, 30, 128))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def pdf(pages: int = 2) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in range(pages):
        c.drawString(100, 750, f"Menu page {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def broken_pdf() -> bytes:
    """Starts like a PDF, is not one."""
    return b"%PDF-1.7\n" + b"this is not really a pdf at all\n" * 50


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
        b'height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/>'
        b"</svg>"
    )


def mp4(size: int = 4096) -> bytes:
    """An MP4's first box (ftyp, brand isom) and padding: what type detection reads."""
    head = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    return head + b"\x00" * (size - len(head))


def webm(size: int = 4096) -> bytes:
    head = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
    return head + b"\x00" * (size - len(head))


def mp3(size: int = 4096) -> bytes:
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * ((size - 10) // 4)


def aac(size: int = 4096) -> bytes:
    return b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * (size - 7)


def ogg(size: int = 4096) -> bytes:
    return b"OggS\x00\x02" + b"\x00" * (size - 6)
