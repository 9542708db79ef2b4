"""TOTP secrets sealed at rest (AES-256-GCM), so a copy of the database (a backup, a
replica, a leaked dump) does not hand out everyone's authenticator seed.

The key is derived from SECRET_KEY with HKDF-SHA256 and a purpose label of its own, so it
is never the key that signs anything else. The sealed value is bound to its account (the
user id is the associated data): a row copied onto another account does not open.

Changing SECRET_KEY makes the sealed secrets unreadable: people then turn two-factor login
off with their password (Settings -> Security) or a recovery code at login, and set it up
again. Rows written before sealing existed (`secret` in clear) keep working and are sealed
the next time they are used (and by the migration 0031_ident).
"""

from __future__ import annotations

import base64
import functools
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from qrapp.settings import get_settings

PREFIX = "v1."
_PURPOSE = b"qrapp totp secret at rest v1"
_NONCE_BYTES = 12


class Unreadable(Exception):
    """The sealed secret does not open with this key (SECRET_KEY changed) or was altered."""


@functools.lru_cache(maxsize=4)
def _key_for(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE)
    return hkdf.derive(secret_key.encode())


def _key() -> bytes:
    return _key_for(get_settings().secret_key)


def seal(secret: str, user_id: uuid.UUID, *, key: bytes | None = None) -> str:
    """`v1.` + base64url(nonce || ciphertext || tag): 83 characters for a 32-letter secret."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key or _key()).encrypt(nonce, secret.encode(), user_id.bytes)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def unseal(sealed: str, user_id: uuid.UUID, *, key: bytes | None = None) -> str:
    if not sealed.startswith(PREFIX):
        raise Unreadable("not a sealed TOTP secret")
    body = sealed[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = AESGCM(key or _key()).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], user_id.bytes)
    except (InvalidTag, ValueError) as exc:
        raise Unreadable("the TOTP secret does not open with this key") from exc
    return plain.decode()


def key_from(secret_key: str) -> bytes:
    """The sealing key for a given SECRET_KEY (tests; the migration)."""
    return _key_for(secret_key)
