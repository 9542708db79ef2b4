"""GET|HEAD /{code}.png and /{code}.svg: the code's image in its saved design.

The renderer (PIL, fontTools, the QR encoder) is imported here lazily, on the first
image request, so an edge worker that only redirects never loads it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from typing import Literal

from qrapp.core.hosts import short_url
from qrapp.edge.links import Link
from qrapp.edge.responses import method_not_allowed, response, send_response
from qrapp.settings import get_settings

log = logging.getLogger(__name__)


async def image(
    send, link: Link, fmt: str, head: bool, method: str, domain_live: bool = True
) -> None:
    """`domain_live`: the link's custom domain is verified for its workspace; when not, the
    image carries the link on our default domain (where the edge answers it too)."""
    if method == "POST":
        await send_response(send, method_not_allowed(), head)
        return
    body = await asyncio.to_thread(
        render_image,
        link.short_code,
        link.domain if domain_live else "",
        json.dumps(link.design, sort_keys=True),
        fmt,
        link.updated_at,
    )
    ctype = b"image/png" if fmt == "png" else b"image/svg+xml"
    headers = [
        (b"content-type", ctype),
        (b"cache-control", b"public, max-age=300"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if fmt == "svg":
        headers.append(
            (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'")
        )
    await send_response(send, response(200, headers, body), head)


@functools.lru_cache(maxsize=512)
def render_image(short_code: str, domain: str, design_json: str, fmt: str, _version: float):
    from qrapp.core.render import render  # lazily: see the module's docstring

    text = short_url(get_settings().edge_url, domain, short_code)
    kind: Literal["png", "svg"] = "svg" if fmt == "svg" else "png"  # the two the edge serves
    try:
        return render(text, json.loads(design_json), kind, size=512)
    except Exception:
        log.exception("design of %s does not render; using the default design", short_code)
        return render(text, None, kind, size=512)
