"""The client's address of a plain HTTP request: the peer, or (only when the peer is one of
our own proxies, EDGE_TRUSTED_PROXIES) the X-Forwarded-For hop it vouches for, exactly as
the edge reads it (qrapp.core.visitor.client_ip)."""

from __future__ import annotations

import functools

from starlette.requests import HTTPConnection

from qrapp.core.visitor import IPNetwork, client_ip, parse_networks
from qrapp.settings import get_settings


@functools.cache
def _trusted(spec: str) -> tuple[IPNetwork, ...]:
    return parse_networks(spec)


def request_ip(request: HTTPConnection) -> str:
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    return client_ip(peer, forwarded, _trusted(get_settings().edge_trusted_proxies)) or peer
