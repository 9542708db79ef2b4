"""The signed-in actor of a plain HTTP request, from the same session cookie the app uses."""

from __future__ import annotations

from starlette.requests import Request

from qrapp.services.authz import Actor, actor_for_token
from qrapp.settings import get_settings


def actor_from_request(request: Request) -> Actor:
    """Raise NotSignedIn when the cookie is missing or its session has ended."""
    token = request.cookies.get(get_settings().session_cookie_name)
    return actor_for_token(token)
