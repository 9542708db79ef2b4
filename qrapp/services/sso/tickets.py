"""Start tickets: a sign-in through /auth/sso/<id>/start begins only from our own login
page. Without one, any site could send a visitor's browser to a connection whose
identity provider it controls and, on the way back, log that browser into the other
site's account (login CSRF). The login page's handler, which knows the browser's binding
cookie, signs (binding, connection, minute); the route checks it against the cookie the
request carries. Valid for the current and the previous minute."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

from qrapp.services.accounts import email_tokens
from qrapp.settings import get_settings

_WINDOW_SECONDS = 60


def _sign(bound: str, connection_id: uuid.UUID | str, window: int) -> str:
    key = get_settings().secret_key.encode()
    message = f"sso-start:{bound}:{connection_id}:{window}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def issue(*, binding: str, connection_id: uuid.UUID | str) -> str:
    bound = email_tokens.binding_hash(binding)
    return _sign(bound, connection_id, int(time.time()) // _WINDOW_SECONDS) if bound else ""


def valid(ticket: str, *, binding: str, connection_id: uuid.UUID | str) -> bool:
    bound = email_tokens.binding_hash(binding)
    if not bound or not ticket or len(ticket) > 64:
        return False
    now = int(time.time()) // _WINDOW_SECONDS
    return any(
        hmac.compare_digest(ticket, _sign(bound, connection_id, window))
        for window in (now, now - 1)
    )
