"""Time-based one-time codes (RFC 6238) and recovery codes: pure functions.

A code is accepted in a window of one 30-second step either side (clocks of phones drift
by a few seconds), and only for a step later than the last one accepted, so a code seen
over a shoulder or replayed from a log is refused even inside its own 30 seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp

STEP_SECONDS = 30
WINDOW_STEPS = 1
DIGITS = 6
RECOVERY_CODE_COUNT = 10
# 10 characters of a 32-letter alphabet: 50 bits each, throttled like passwords.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    """A 160-bit base32 secret, the size RFC 4226 recommends and apps expect."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS, digits=DIGITS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS, digits=DIGITS).at(step * STEP_SECONDS)


def normalise_code(code: str) -> str:
    """The digits of what a person typed ("123 456" and "123-456" are 123456)."""
    return "".join(ch for ch in (code or "")[:40] if ch.isdigit())


def matching_step(secret: str, code: str, *, now: float, last_used_step: int) -> int | None:
    """The step whose code `code` is, within the window and after `last_used_step`;
    None when it matches none (wrong, too old, too new or already used)."""
    digits = normalise_code(code)
    if len(digits) != DIGITS:
        return None
    current = step_at(now)
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if step <= last_used_step:
            continue
        if hmac.compare_digest(code_at_step(secret, step), digits):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes like "k7m2p-xq9wd": easy to read aloud and to type."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "")[:60].lower() if ch.isalnum())


def recovery_code_hash(code: str) -> str:
    """SHA-256 of the normalised code: 50 random bits need no slow hash behind a throttle."""
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    """Ten letters and digits with a letter among them (a TOTP code is six digits)."""
    clean = normalise_recovery_code(code)
    return len(clean) == 10 and not clean.isdigit()
