"""Time-ordered ids (UUIDv7, RFC 9562) and short random tokens.

UUIDv7 keeps new rows at the end of B-tree indexes and sorts events by time; Python 3.11
has no uuid.uuid7, so it is built here from the clock and os.urandom. The random bits
come from the kernel in blocks (one getrandom call per 400 ids instead of one per id: the
edge makes an id per scan); each thread has its own block and a forked child starts a
new one, so no two ids share their random bits.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid

_BLOCK = 4000  # bytes of kernel randomness fetched at once: 400 ids
_rand = threading.local()


def _reset_after_fork() -> None:
    global _rand
    _rand = threading.local()


os.register_at_fork(after_in_child=_reset_after_fork)


def _random80() -> int:
    state = _rand
    pos = getattr(state, "pos", _BLOCK)
    if pos >= _BLOCK:
        state.block = os.urandom(_BLOCK)
        pos = 0
    state.pos = pos + 10
    return int.from_bytes(state.block[pos : pos + 10], "big")


def _uuid7_int() -> int:
    ms = time.time_ns() // 1_000_000
    rand = _random80()
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    return value


def uuid7() -> uuid.UUID:
    return uuid.UUID(int=_uuid7_int())


_HEX_BLOCK = 3800  # hex digits of kernel randomness held at once: 200 ids
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid7_str() -> str:
    """str(uuid7()) made as text directly (the edge makes one per scan): 48 bits of
    milliseconds, version 7, 12 + 62 random bits, variant 10."""
    state = _rand
    pos = getattr(state, "hex_pos", _HEX_BLOCK)
    if pos >= _HEX_BLOCK:
        state.hex_block = os.urandom(_HEX_BLOCK // 2).hex()
        pos = 0
    state.hex_pos = pos + 19
    r = state.hex_block[pos : pos + 19]
    t = f"{(time.time_ns() // 1_000_000) & 0xFFFFFFFFFFFF:012x}"
    return f"{t[:8]}-{t[8:]}-7{r[:3]}-{_VARIANT[r[3]]}{r[4:7]}-{r[7:]}"


def new_secret_token() -> str:
    """256 random bits, URL-safe: session tokens and e-mailed links."""
    return secrets.token_urlsafe(32)
