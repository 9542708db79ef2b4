"""The key check every route depends on: `caller(Scope.X)` gives the acting `Actor`.

An async dependency on purpose: it sets `audit.acting_api_key` in the request's own
context, which FastAPI then copies into the worker thread that runs a (sync) route, so
every audit row the services write names the key. The key itself is checked once per
request, by the gate middleware (qrapp.api.v1.gate, cached per process); a database
look-up runs in a thread so the event loop never waits on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from qrapp.api.client_address import request_ip
from qrapp.api.v1.gate import STATE_KEY
from qrapp.api.v1.problems import ApiProblem
from qrapp.core.api_scopes import Scope
from qrapp.services import api_keys, audit
from qrapp.services.authz import Actor
from qrapp.services.workspaces import ip_allowlist

# auto_error=False: a missing header is our 401 problem document, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer qrk_...`")

_UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="qrapp"'}


def caller(scope: Scope) -> Callable[..., Awaitable[Actor]]:
    """A dependency: the actor of a valid key that has `scope`; else 401 or 403."""

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        # The gate middleware checked the key already (and rate-limited it); without it
        # (a route used outside build()'s app) check it here.
        state = request.scope.get("state", {})
        if STATE_KEY in state:
            check = state[STATE_KEY]
        else:
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
        await _check_network(check.actor, request_ip(request))
        audit.acting_api_key.set(check.actor.api_key_id)
        request.state.actor = check.actor
        return check.actor

    return dependency


async def _check_network(actor: Actor, ip: str) -> None:
    """403 when the key's workspace has an IP allowlist without the caller's address (the
    cached list is read on the event loop; a stale one in a thread)."""
    workspace_id = actor.workspace_id
    if workspace_id is None:
        return
    nets = ip_allowlist.cached(workspace_id)
    if nets is None:
        nets = await run_in_threadpool(ip_allowlist.networks_of, workspace_id)
    if nets and not ip_allowlist.contains(nets, ip):
        raise ApiProblem(
            403,
            "This workspace accepts API requests only from the networks on its IP "
            f"allowlist, and {ip or 'your address'} is not on it.",
            kind="ip-not-allowed",
        )
