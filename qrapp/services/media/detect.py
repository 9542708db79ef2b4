"""What an uploaded file is, from its first bytes (never from its name), and a safe display
name for it. Pure functions: no storage, no database, no Pillow."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_NAME = 200

# The extension a name may carry for each kind; a name claiming one kind for content of
# another ("menu.png" holding a PDF) is refused, so a person learns what they really have.
_EXT_KIND = {
    **dict.fromkeys(
        ("png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "svgz", "heic", "heif", "bmp"),
        "image",
    ),
    "pdf": "pdf",
    **dict.fromkeys(("mp4", "m4v", "webm", "mov"), "video"),
    **dict.fromkeys(("mp3", "m4a", "aac", "ogg", "oga", "opus", "wav"), "audio"),
}
_KIND_WORD = {
    "image": "an image",
    "pdf": "a PDF",
    "video": "a video",
    "audio": "an audio file",
    "file": "a file of another kind",
}


# The ISO media brands of HEIF/HEIC stills (the iPhone's photos): an image, not a video.
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
# What a person is told a name's kind should hold when the content is none we know.
EXPECTED = {
    "image": "a PNG, JPEG, GIF, WebP or AVIF image",
    "pdf": "a PDF document",
    "video": "an MP4 or WebM video",
    "audio": "an MP3, AAC, OGG or WAV audio file",
}


@dataclass(frozen=True)
class Detected:
    kind: str  # image | pdf | video | audio | file | svg | heic
    content_type: str
    ext: str  # the extension we give it


def sniff(data: bytes) -> Detected:
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected("image", "image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return Detected("image", "image/jpeg", "jpg")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Detected("image", "image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected("image", "image/webp", "webp")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Detected("audio", "audio/wav", "wav")
    if b"%PDF-" in data[:1024]:
        return Detected("pdf", "application/pdf", "pdf")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return Detected("image", "image/avif", "avif")
        if brand in _HEIF_BRANDS:
            return Detected("heic", "image/heic", "heic")
        if brand in (b"M4A ", b"M4B ", b"M4P "):
            return Detected("audio", "audio/mp4", "m4a")
        if brand == b"qt  ":
            return Detected("video", "video/quicktime", "mov")
        return Detected("video", "video/mp4", "mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in data[:64]:
            return Detected("video", "video/webm", "webm")
        return Detected("file", "application/octet-stream", "mkv")
    if head.startswith(b"OggS"):
        return Detected("audio", "audio/ogg", "ogg")
    if head.startswith(b"ID3"):
        return Detected("audio", "audio/mpeg", "mp3")
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS: sync 0xFFF, layer 00
            return Detected("audio", "audio/aac", "aac")
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:  # MPEG audio frame, layer I-III
            return Detected("audio", "audio/mpeg", "mp3")
    if _looks_like_svg(data):
        return Detected("svg", "image/svg+xml", "svg")
    if head.startswith(b"PK\x03\x04"):
        return Detected("file", "application/zip", "zip")
    return Detected("file", "application/octet-stream", "bin")


def _looks_like_svg(data: bytes) -> bool:
    text = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data[:2] == b"\x1f\x8b":  # gzip: maybe .svgz; never served as an image either
        return False
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in text


def name_kind(filename: str) -> str | None:
    """The kind the name's extension claims, or None (no or unknown extension)."""
    stem, dot, ext = filename.rpartition(".")
    return _EXT_KIND.get(ext.lower()) if dot and stem else None


def kind_word(kind: str) -> str:
    return _KIND_WORD.get(kind, "a file")


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]+')


def display_name(filename: str, ext: str) -> str:
    """The name a person sees and downloads as: no folders ("../../x" -> "x"), no control
    characters or NUL, at most MAX_NAME characters with its extension kept; `upload.<ext>`
    when nothing is left."""
    text = unicodedata.normalize("NFC", str(filename or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text.strip("_ ."):
        return f"upload.{ext}"
    stem, dot, given_ext = text.rpartition(".")
    if not dot:
        stem, given_ext = text, ""
    suffix = f".{given_ext[:10]}" if given_ext else ""
    stem = stem[: MAX_NAME - len(suffix)].rstrip(" .") or "upload"
    return stem + suffix
