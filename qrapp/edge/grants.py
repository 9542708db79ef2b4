"""The cookie that unlocks a password-protected code for a while: opaque and signed.

Value: "<expiry>.<signature>", the signature an HMAC over the code id, the expiry and the
code's current password hash, so changing the password ends every grant.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

from qrapp.settings import get_settings

if TYPE_CHECKING:
    from qrapp.edge.links import Link


def cookie_name(short_code: str) -> str:
    return f"qrg_{short_code}"


def _sign(code_id: str, password_hash: str, expiry: int) -> str:
    key = hashlib.sha256(b"code-grant:" + get_settings().secret_key.encode()).digest()
    msg = f"{code_id}\n{expiry}\n{password_hash}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def make_grant(code_id: str, password_hash: str, now: float | None = None) -> str:
    expiry = int((now or time.time()) + get_settings().edge_grant_minutes * 60)
    return f"{expiry}.{_sign(code_id, password_hash, expiry)}"


def grant_valid(value: str, code_id: str, password_hash: str, now: float | None = None) -> bool:
    expiry_s, _, sig = value.partition(".")
    if not expiry_s.isdigit() or not sig:
        return False
    expiry = int(expiry_s)
    if expiry < (now or time.time()):
        return False
    return hmac.compare_digest(sig, _sign(code_id, password_hash, expiry))


def has_grant(headers: Mapping[bytes, bytes], link: Link) -> bool:
    """Whether the request carries a valid grant cookie for the link."""
    raw = headers.get(b"cookie")
    if not raw:
        return False
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except Exception:
        return False
    morsel = jar.get(cookie_name(link.short_code))
    return morsel is not None and grant_valid(morsel.value, link.id_str, link.password_hash)
