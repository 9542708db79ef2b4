"""Short codes for dynamic QR codes: unguessable, URL-safe, no look-alike characters.

The alphabet leaves out 0/O/o, 1/l/I and 5/S/s... only where a phone camera or a person
reading a printed URL would mix them up. 7 characters from 50 give 50**7 ~ 7.8e11 codes,
so enumerating them is hopeless while a printed short link stays short.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRTUVWXYZ"
DEFAULT_LENGTH = 7

ALIAS_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$")

# Paths the edge and the web app use themselves, and words people would mistake for ours.
RESERVED = frozenset(
    {
        "admin",
        "api",
        "app",
        "assets",
        "auth",
        "billing",
        "dashboard",
        "docs",
        "edge",
        "favicon.ico",
        "health",
        "healthz",
        "help",
        "login",
        "logout",
        "p",
        "pages",
        "privacy",
        "qr",
        "robots.txt",
        "s",
        "settings",
        "signup",
        "static",
        "status",
        "support",
        "terms",
        "www",
        "_next",
        "_event",
        "_upload",
        "lead",
        "leads",
        "l",
        "sitemap.xml",
        "well-known",
        ".well-known",
        "password",
        "unlock",
    }
)


def new_short_code(length: int = DEFAULT_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def alias_problem(alias: str) -> str | None:
    """None if `alias` may be used as a custom short code, else the reason in words."""
    if not ALIAS_RE.match(alias):
        return "Use 3 to 64 letters, digits, '-' or '_', starting with a letter or digit."
    if alias.lower() in RESERVED:
        return f"'{alias}' is reserved. Choose another."
    return None
