"""Standard Webhooks signatures: `whsec_<base64 key>` secrets and `v1,<base64 HMAC-SHA256>`
over "{id}.{timestamp}.{body}"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
_KEY_BYTES = 24  # 192 bits; the spec asks for 24 to 64 bytes


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """One signature, `v1,<base64>`."""
    signed = f"{msg_id}.{timestamp}.{body}".encode()
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_in_use: list[str], msg_id: str, timestamp: int, body: str) -> str:
    """The webhook-signature header: one signature per secret, space-separated (during a
    rotation's overlap the receiver may hold either key)."""
    return " ".join(sign(s, msg_id, timestamp, body) for s in secrets_in_use)
