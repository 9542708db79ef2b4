"""Time-ordered ids (UUIDv7, RFC 9562) and short random tokens.

UUIDv7 keeps new rows at the end of B-tree indexes and sorts events by time; Python 3.11
has no uuid.uuid7, so it is built here from the clock and os.urandom.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid


def uuid7() -> uuid.UUID:
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    return uuid.UUID(int=value)


def new_secret_token() -> str:
    """256 random bits, URL-safe: session tokens and e-mailed links."""
    return secrets.token_urlsafe(32)
