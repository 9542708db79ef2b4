"""Password hashing (argon2id with the OWASP parameters) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from qrapp.services.errors import ServiceError

_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=Type.ID)

MIN_LENGTH = 10
MAX_LENGTH = 1024  # long passphrases are welcome; the cap only bounds hashing work

# Compared against when the e-mail is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("qrapp-timing-equaliser")


def check_policy(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise ServiceError(f"Use at least {MIN_LENGTH} characters.", field=field)
    if len(password) > MAX_LENGTH:
        raise ServiceError(f"Use at most {MAX_LENGTH} characters.", field=field)
    if password.strip() == "" or len(set(password)) < 4:
        raise ServiceError("That password is too easy to guess.", field=field)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
