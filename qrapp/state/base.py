"""The actor behind a websocket event, from the server-side session.

Every event handler calls `load_actor(self, Permission.X)` before it reads or writes:
a handler is a public endpoint that any client can call with any arguments.
"""

from __future__ import annotations

import asyncio
import uuid
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from qrapp.core import routes
from qrapp.core.permissions import Permission
from qrapp.services.authz import Actor, actor_for_token, require
from qrapp.services.workspaces import ip_allowlist
from qrapp.settings import get_settings


def _cookie(state: rx.State, name: str) -> str | None:
    """A cookie the browser sent when its websocket connected."""
    raw = state.router.headers.cookie or ""
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def session_token(state: rx.State) -> str | None:
    return _cookie(state, get_settings().session_cookie_name)


def browser_binding(state: rx.State) -> str:
    """This browser's login binding cookie (set with its first page): a login hand-off
    asked for here works only here."""
    return _cookie(state, get_settings().login_binding_cookie_name) or ""


def _id_from_path(state: rx.State, prefix: str, section: str | None) -> uuid.UUID:
    """The id of a <prefix>/<id>[/<section>] page; ValueError when the path has none."""
    parts = [p for p in (state.router.url.path or "").split("/") if p]
    if len(parts) < 2 or "/" + parts[0] != prefix:
        raise ValueError(f"not a {prefix}/<id> page")
    if section is not None and (len(parts) < 3 or parts[2] != section):
        raise ValueError(f"not a {prefix}/<id>/{section} page")
    return uuid.UUID(parts[1])


def code_id_from_path(state: rx.State) -> uuid.UUID:
    """The code id of a /codes/<id>[/...] page; ValueError when the path has none."""
    return _id_from_path(state, routes.CODES, None)


def landing_page_id_from_path(state: rx.State, section: str | None = None) -> uuid.UUID:
    """The page id of /landing-pages/<id> (the builder) or, given a section,
    /landing-pages/<id>/<section>; ValueError when the path has none."""
    return _id_from_path(state, routes.LANDING_PAGES, section)


def query_param(state: rx.State, name: str) -> str:
    value = state.router.url.query_parameters.get(name, "")
    return str(value)[:200]


def client_ip(state: rx.State) -> str:
    return state.router.session.client_ip or ""


async def load_actor(
    state: rx.State, permission: Permission | None = None, *, check_network: bool = True
) -> Actor:
    """Raise NotSignedIn or PermissionDenied (ServiceError subclasses) when not allowed.

    NetworkNotAllowed (a PermissionDenied) when the workspace's IP allowlist does not
    include this browser's address; only switching workspace and logging out skip that
    check (check_network=False), so a person outside can still leave for another one."""
    actor = await asyncio.to_thread(actor_for_token, session_token(state))
    if check_network and actor.workspace_id is not None:
        nets = ip_allowlist.cached(actor.workspace_id)
        if nets is None:
            nets = await asyncio.to_thread(ip_allowlist.networks_of, actor.workspace_id)
        if nets and not ip_allowlist.contains(nets, client_ip(state)):
            raise ip_allowlist.NetworkNotAllowed()
    if permission is not None:
        require(actor, permission)
    return actor
