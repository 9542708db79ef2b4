"""Secret tokens are stored only as their SHA-256; the clear value lives with its holder."""

from __future__ import annotations

import hashlib

from qrapp.core.ids import new_secret_token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str]:
    """(clear token, its hash)."""
    token = new_secret_token()
    return token, token_hash(token)
