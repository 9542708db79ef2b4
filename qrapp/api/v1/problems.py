"""Errors as `application/problem+json` (RFC 9457).

Routes never build error answers: they raise the services' own errors (or FastAPI's
validation fails), and these handlers turn each into a problem document with the
service's message, and per-field messages in `errors` where there are fields.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.errors import (
    Conflict,
    FieldErrors,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    ServiceError,
    Throttled,
)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://qrapp.dev/problems/"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    402: "Plan limit reached",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    422: "Invalid request",
    429: "Too many requests",
}


class ApiProblem(Exception):
    """An API-level refusal that is not a service's (a missing key, a missing scope, an
    Idempotency-Key reused with another body, ...)."""

    def __init__(
        self, status: int, detail: str, *, kind: str = "", headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = headers or {}


def problem(
    status: int,
    detail: str,
    *,
    kind: str = "",
    instance: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title = _TITLES.get(status, "Error")
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _status_of(exc: ServiceError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, NotSignedIn):
        return 401
    if isinstance(exc, Throttled):
        return 429
    if isinstance(exc, PlanLimitReached):
        return 402
    if isinstance(exc, Conflict):
        return 409
    return 422


def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    status = _status_of(exc)
    errors: list[dict[str, str]] | None = None
    if isinstance(exc, FieldErrors):
        errors = [{"field": f, "message": m} for f, m in exc.errors.items()]
    elif exc.field:
        errors = [{"field": exc.field, "message": exc.message}]
    headers = {}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return problem(status, exc.message, instance=request.url.path, errors=errors, headers=headers)


def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem(
        exc.status, exc.detail, kind=exc.kind, instance=request.url.path, headers=exc.headers
    )


def _field_name(loc: tuple[Any, ...]) -> str:
    # ("body", "destination") -> "destination"; ("query", "limit") -> "limit"
    parts = [str(p) for p in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    return ".".join(parts)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field_name(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    detail = errors[0]["message"] if len(errors) == 1 else "Some fields are not valid."
    return problem(422, detail, instance=request.url.path, errors=errors)


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(
        exc.status_code,
        str(exc.detail),
        instance=request.url.path,
        headers=dict(exc.headers or {}),
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
