"""Where a dynamic code may send people: http(s) URLs that do not loop back to us.

Browsers ignore tabs, newlines and leading control characters in URLs, so
`java\tscript:` is `javascript:`; we strip the same characters they do and then look at
the scheme, and refuse anything that is not plain http or https.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_STRIPPED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
MAX_LENGTH = 4096


class DestinationError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_destination(raw: str, *, own_hosts: frozenset[str] = frozenset()) -> str:
    """The URL to store, or DestinationError with a message a person understands."""
    if not isinstance(raw, str) or not raw.strip():
        raise DestinationError("Enter the web address people should reach.")
    if len(raw) > MAX_LENGTH:
        raise DestinationError(f"That address is longer than {MAX_LENGTH} characters.")
    if "\x00" in raw:
        raise DestinationError("That address contains invalid characters.")
    value = raw.strip()
    compact = _STRIPPED_BY_BROWSERS.sub("", value)
    scheme = compact.split(":", 1)[0].lower() if ":" in compact else ""
    foreign_scheme = (
        scheme not in ("", "http", "https")
        and not compact.startswith("//")
        and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme)
        and not _looks_like_host_port(compact)
    )
    if foreign_scheme:
        raise DestinationError("Only web addresses (http:// or https://) can be a destination.")
    if _STRIPPED_BY_BROWSERS.search(value):
        raise DestinationError("Web addresses cannot contain spaces or control characters.")
    if not scheme or _looks_like_host_port(compact):
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise DestinationError("Only web addresses (http:// or https://) can be a destination.")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or ("." not in host and host != "localhost"):
        raise DestinationError("That address has no valid host name, e.g. example.com.")
    if parts.username or parts.password:
        raise DestinationError("Addresses with a user name or password are not allowed.")
    if host in own_hosts:
        raise DestinationError("That address points back at a qrapp short link, which would loop.")
    return value


def _looks_like_host_port(value: str) -> bool:
    # "example.com:8080/x" has a colon but no scheme.
    return bool(re.match(r"^[a-z0-9.-]+\.[a-z]{2,}:\d+", value, re.IGNORECASE))
