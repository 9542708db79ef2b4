"""A/B tests on the edge: which variant of a page a visitor gets, kept with a cookie.

The choice is core.ab_tests.pick_variant over the page id and the visitor hash (so every
edge picks the same for the same visitor, with no shared state); the cookie, set with
every answer of a page under test, keeps the choice past the daily rotation of the
visitor hash and across address changes. A cookie naming a variant the test no longer
has (stopped, weight 0) is ignored. Everything here is a few string operations: the
variants' answers are prebuilt with the page (page_answers.page_from_snapshot).
"""

from __future__ import annotations

from collections.abc import Mapping

COOKIE_PREFIX = "qrab_"
MAX_AGE_SECONDS = 90 * 24 * 3600  # a test rarely runs longer; a returning visitor keeps B


def cookie_name(page_id: str) -> str:
    return COOKIE_PREFIX + page_id.replace("-", "")[:16]


def set_cookie(page_id: str, key: str) -> tuple[bytes, bytes]:
    """The Set-Cookie header of every answer of variant `key` (Path=/: a code's short link
    that answers with the page shares it with /p/<slug>)."""
    value = (
        f"{cookie_name(page_id)}={key}; Path=/; Max-Age={MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax"
    )
    return b"set-cookie", value.encode("ascii")


def cookie_value(headers: Mapping[bytes, bytes], name: bytes) -> str:
    """The value of cookie `name` (bytes, without "="), or ""."""
    raw = headers.get(b"cookie") or b""
    start = 0
    while True:
        at = raw.find(name + b"=", start)
        if at < 0:
            return ""
        if at == 0 or raw[at - 1 : at] in (b" ", b";"):
            end = raw.find(b";", at)
            value = raw[at + len(name) + 1 : end if end >= 0 else len(raw)]
            return value.strip().decode("latin-1")[:4]
        start = at + 1
