"""`next=` targets after login: only paths of our own app, never another host.

Browsers treat `//evil`, `/\\evil`, `https:evil` and encoded forms of them as other
hosts, so anything but a plain absolute path of ours is replaced by the default.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from qrapp.core import routes

DEFAULT_AFTER_LOGIN = routes.DASHBOARD


def safe_next_path(value: str | None, default: str = DEFAULT_AFTER_LOGIN) -> str:
    if not value or len(value) > 2000:
        return default
    # Decode repeatedly: `%252F%252F` must not survive one decode as `%2F%2F`.
    decoded = value
    for _ in range(3):
        once = unquote(decoded)
        if once == decoded:
            break
        decoded = once
    for candidate in (value, decoded):
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
            return default
        if "\\" in candidate:
            return default
        if not candidate.startswith("/") or candidate.startswith("//"):
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return default
    if value.startswith(routes.NOT_AFTER_LOGIN):
        return default
    return value
