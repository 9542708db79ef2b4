"""The interactive API reference at /api/v1/docs: Swagger UI served from our own host
(swagger-ui-dist, installed by scripts/lib/common.sh into .tools/; nothing is fetched from
another host at run time), and the OpenAPI extras: the problem schema, the error answers
every operation can give and the rate-limit headers, and a getting-started text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from qrapp.settings import get_settings

GETTING_STARTED = """
Make codes and read scans from your own systems.

## Getting started

1. In the web app, open **Settings -> API keys** (owners and admins) and create a key
   with the scopes you need. The key (`qrk_...`) is shown once: keep it secret.
2. Send it as a bearer token on every request.

```bash
curl -H "Authorization: Bearer $QRAPP_KEY" https://qr.example.com/api/v1/codes/<code id>
```

```python
import httpx

api = httpx.Client(
    base_url="https://qr.example.com/api/v1",
    headers={"Authorization": f"Bearer {key}"},
)
code = api.get(f"/codes/{code_id}").json()
# A POST with an Idempotency-Key can be retried safely: the first answer is replayed.
api.post("/codes", json={...}, headers={"Idempotency-Key": "order-1234"})
```

## Errors
Errors are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`,
`instance`, and `errors: [{field, message}]` for invalid fields. 401: no, an unknown,
a revoked or an expired key. 403: the key lacks the scope. 404: not found (also another
workspace's objects). 429: the rate limit; wait `Retry-After` seconds.

## Rate limits
Per key, from the workspace's plan (requests per minute). Every answer to an
authenticated request carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
`X-RateLimit-Reset` (seconds until the full allowance is back).

## Caching and retries
Reads carry a strong `ETag`; send it back in `If-None-Match` to get `304 Not Modified`.
POSTs honour `Idempotency-Key` for 24 hours: the same key with another body is 422,
while the first request still runs 409.
"""

_PROBLEM = {
    "title": "Problem",
    "type": "object",
    "description": "An error (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

_RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests per minute this key may make.",
    "X-RateLimit-Remaining": "Requests left now.",
    "X-RateLimit-Reset": "Seconds until the full allowance is back.",
}

_ERRORS = {
    "401": "No, an unknown, a revoked or an expired key.",
    "403": "The key lacks the scope.",
    "404": "Not found (also another workspace's objects).",
    "422": "Invalid input; `errors` names the fields.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
}


def _header_refs() -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in _RATE_HEADERS}


def openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=GETTING_STARTED,
        routes=app.routes,
    )
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = _PROBLEM
    components["headers"] = {
        name: {"description": text, "schema": {"type": "integer"}}
        for name, text in _RATE_HEADERS.items()
    }
    components["headers"]["Retry-After"] = {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer"},
    }
    problem_content = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for path in spec.get("paths", {}).values():
        for op in path.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            if not op.get("security"):
                continue  # public (none today)
            for status, response in op["responses"].items():
                if status.startswith("2") or status.startswith("3"):
                    response.setdefault("headers", {}).update(_header_refs())
            errors = dict(_ERRORS)
            if "requestBody" in op:  # a body that is not JSON at all (Schemathesis found it)
                errors["400"] = "The body could not be parsed."
            # A route's own refusals (a 409 on a stale revision) are problems as well.
            errors |= {s: r["description"] for s, r in op["responses"].items() if s.startswith("4")}
            for status, text in errors.items():
                response = op["responses"].setdefault(status, {"description": text})
                response["content"] = problem_content
                headers = response.setdefault("headers", {})
                if status != "401":
                    headers.update(_header_refs())
                if status == "429":
                    headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
    app.openapi_schema = spec
    return spec


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>qrapp API reference</title>
<link rel="stylesheet" href="{root}/docs/assets/swagger-ui.css">
</head>
<body>
<main><h1 class="visually-hidden" style="position:absolute;left:-10000px">qrapp API
reference</h1><div id="swagger-ui"></div></main>
<script src="{root}/docs/assets/swagger-ui-bundle.js"></script>
<script src="{root}/docs/init.js"></script>
</body>
</html>
"""

# A file of our own, not an inline script: the page's CSP allows scripts from 'self' only.
_INIT = """window.ui = SwaggerUIBundle({
  url: "{root}/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
});
"""

_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)


def _page(request) -> Response:  # type: ignore[no-untyped-def]
    return HTMLResponse(
        _PAGE.replace("{root}", request.scope.get("root_path", "")),
        headers={"Content-Security-Policy": _CSP, "Cache-Control": "no-cache"},
    )


def _init(request) -> Response:  # type: ignore[no-untyped-def]
    return Response(
        _INIT.replace("{root}", request.scope.get("root_path", "")),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )


def routes() -> list:
    """The page and Swagger UI's files (404 for them if the scripts did not install it)."""
    assets = Path(get_settings().api_docs_assets_dir)
    return [
        Route("/docs", _page, include_in_schema=False),
        Route("/docs/init.js", _init, include_in_schema=False),
        Mount(
            "/docs/assets",
            app=StaticFiles(directory=assets, check_dir=False),
            name="api-docs-assets",
        ),
    ]
