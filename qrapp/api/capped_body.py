"""A request body read whole, up to a cap: providers' webhooks are a few kB, and a body far
larger is not one of theirs (nothing is buffered past the cap)."""

from __future__ import annotations

from starlette.requests import Request


async def read_capped(request: Request, max_bytes: int) -> bytes | None:
    """The raw body (byte for byte, as signatures are made over it), or None past the cap."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
