"""The API's hottest read, `GET /codes/{id}`, answered without FastAPI's request machinery
when the answer is a plain 200 (bench/api.py, issue 14's speed target).

FastAPI spent about two thirds of this read's time on itself (dependency solving, the
bearer-header dependency, parameter validation, its exception middleware) and one thread
hop more than the read needs. This middleware sits right inside the key gate (so the rate
limit, X-RateLimit-* headers and usage count are unchanged) and tags its answer itself
with the ETags middleware's own function (the same ETag, the same 304s) rather than pass
through that middleware's buffering. It answers only when every condition of the route's
200 holds:

- the path is exactly `/codes/<canonical lowercase UUID>`, GET, no query string;
- the gate found a valid key (request state) that has the codes:read scope;
- the workspace's IP allowlist is in the process cache and admits the caller;
- the code is in the key's workspace.

Anything else (a missing key, a missing scope, an address not on the list, a missing
code, an error) passes on to the FastAPI route, which answers as it always did. The body
is the route's own (`routes.codes.Code` serialised once, with `_json`'s headers), so
clients, the ETag and the OpenAPI description cannot tell the two paths apart.

On SQLite (the embedded default) the primary-key read (qrapp.sqlite_reads) runs on the
event loop: WAL readers do not wait for writers, and the read takes well under the thread
hop it replaces. On PostgreSQL (a network round trip) it runs in a worker thread, as the
route's does.
"""

from __future__ import annotations

import re
import uuid

from starlette._utils import get_route_path
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from qrapp.api.client_address import request_ip
from qrapp.api.v1.etag import send_tagged
from qrapp.api.v1.gate import STATE_KEY
from qrapp.api.v1.routes.codes import Code
from qrapp.core.api_scopes import Scope as ApiScope
from qrapp.db import engine
from qrapp.services import audit
from qrapp.services.api_key_cache import KeyCheck
from qrapp.services.codes import records
from qrapp.services.workspaces import ip_allowlist

_PATH = re.compile(r"/codes/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def _read(check: KeyCheck, code_id: uuid.UUID) -> bytes | None:
    """The route's 200 body, or None when it would answer anything else."""
    try:
        row = records.code_row_or_raise(actor=check.actor, code_id=code_id)
        return Code.of(row).model_dump_json().encode()
    except Exception:  # the route answers it (404, 403, 500) as it always did
        return None


def _admits(check: KeyCheck, scope: Scope) -> bool:
    """Whether the route's dependency (deps.caller) would let this key through, decided
    from what is cached; False also when it cannot tell without the database."""
    if ApiScope.CODES_READ not in check.scopes:
        return False
    workspace_id = check.actor.workspace_id
    if workspace_id is None:
        return True
    nets = ip_allowlist.cached(workspace_id)
    if nets is None:
        return False
    return not nets or ip_allowlist.contains(nets, request_ip(HTTPConnection(scope)))


def _headers(body: bytes) -> list[tuple[bytes, bytes]]:
    """`_json`'s headers (a starlette Response of media type application/json)."""
    return [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]


class FastCodeRead:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]:
            match = _PATH.fullmatch(get_route_path(scope))
            check = scope.get("state", {}).get(STATE_KEY) if match else None
            if check is not None and _admits(check, scope):
                code_id = uuid.UUID(match.group(1))  # type: ignore[union-attr]
                if engine().dialect.name == "sqlite":
                    body = _read(check, code_id)
                else:
                    body = await run_in_threadpool(_read, check, code_id)
                if body is not None:
                    audit.acting_api_key.set(check.actor.api_key_id)
                    start = {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": _headers(body),
                    }
                    await send_tagged(scope, send, start, body)
                    return
        await self.app(scope, receive, send)
