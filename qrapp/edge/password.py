"""POST /{code}: the password form of a protected code. The right password sets the
grant cookie (qrapp.edge.grants) and moves on to the short link; attempts are throttled
per code and IP in the database (code_access.check_code_password)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from qrapp.core.visitor import anonymise_ip, client_ip
from qrapp.edge import grants, pages
from qrapp.edge.links import Link
from qrapp.edge.responses import html, location, method_not_allowed, response, send_response
from qrapp.services.codes import code_access

if TYPE_CHECKING:
    from qrapp.edge.app import Edge

MAX_FORM_BYTES = 8192


async def read_body(receive, limit: int) -> bytes | None:
    body = b""
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            return None
        body += msg.get("body", b"")
        if len(body) > limit:
            return None
        if not msg.get("more_body"):
            return body


async def post(scope, receive, send, edge: Edge, link: Link, headers) -> None:
    if not link.password_hash:
        await send_response(send, method_not_allowed(), False)
        return
    body = await read_body(receive, MAX_FORM_BYTES)
    if body is None:
        await send_response(send, response(413, [], b"Too large"), False)
        return
    password = dict(parse_qsl(body.decode("utf-8", "replace"))).get("password", "")
    peer = (scope.get("client") or ("", 0))[0]
    ip = client_ip(peer, headers.get(b"x-forwarded-for", b"").decode("latin-1"), edge.trusted)
    verdict = await asyncio.to_thread(
        code_access.check_code_password, link.id, anonymise_ip(ip) or ip, password
    )
    if verdict is True:
        grant = grants.make_grant(link.id_str, link.password_hash)
        secure = "; Secure" if edge.settings.edge_url.startswith("https") else ""
        cookie = (
            f"{grants.cookie_name(link.short_code)}={grant}; Path=/{link.short_code}; "
            f"Max-Age={edge.settings.edge_grant_minutes * 60}; HttpOnly; SameSite=Lax{secure}"
        )
        qs = scope.get("query_string", b"")
        target = f"/{link.short_code}" + (f"?{qs.decode('latin-1')}" if qs else "")
        # A page, not a 303: see pages.unlocked_page (CSP form-action and redirects).
        body = pages.unlocked_page(link.name, location(target).decode("ascii"), look=link.look)
        await send_response(send, html(200, body, [(b"set-cookie", cookie.encode())]), False)
        return
    if verdict is False:
        await send_response(
            send, html(401, pages.password_page(link.name, "Wrong password.", link.look)), False
        )
        return
    too_many = pages.password_page(link.name, "Too many attempts. Try again later.", link.look)
    await send_response(
        send, html(429, too_many, [(b"retry-after", str(int(verdict)).encode())]), False
    )
