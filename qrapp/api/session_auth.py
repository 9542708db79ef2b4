"""The signed-in actor of a plain HTTP request, from the same session cookie the app uses."""

from __future__ import annotations

from starlette.requests import Request

from qrapp.api.client_address import request_ip
from qrapp.services.authz import Actor, actor_for_token
from qrapp.services.workspaces import ip_allowlist
from qrapp.settings import get_settings


def actor_from_request(request: Request) -> Actor:
    """Raise NotSignedIn when the cookie is missing or its session has ended, and
    NetworkNotAllowed (a PermissionDenied: 403) when the workspace's IP allowlist does not
    include the request's address."""
    token = request.cookies.get(get_settings().session_cookie_name)
    actor = actor_for_token(token)
    ip_allowlist.check(actor, request_ip(request))
    return actor
