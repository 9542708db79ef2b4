"""The key check every route depends on: `caller(Scope.X)` gives the acting `Actor`.

An async dependency on purpose: it sets `audit.acting_api_key` in the request's own
context, which FastAPI then copies into the worker thread that runs a (sync) route, so
every audit row the services write names the key. The database look-up itself runs in a
thread so the event loop never waits on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from qrapp.api.v1.problems import ApiProblem
from qrapp.core.api_scopes import Scope
from qrapp.services import api_keys, audit
from qrapp.services.authz import Actor

# auto_error=False: a missing header is our 401 problem document, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer qrk_...`")

_UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="qrapp"'}


def caller(scope: Scope) -> Callable[..., Awaitable[Actor]]:
    """A dependency: the actor of a valid key that has `scope`; else 401 or 403."""

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        token = credentials.credentials if credentials else None
        check = await run_in_threadpool(api_keys.authenticate, token)
        if check is None:
            raise ApiProblem(
                401,
                "A valid API key is required: send it as `Authorization: Bearer <key>`.",
                kind="unauthenticated",
                headers=_UNAUTHENTICATED,
            )
        if scope not in check.scopes:
            raise ApiProblem(
                403, f"This API key lacks the {scope.value} scope.", kind="missing-scope"
            )
        audit.acting_api_key.set(check.actor.api_key_id)
        request.state.actor = check.actor
        return check.actor

    return dependency
