"""Our own addresses and short links under this deployment's settings (the pure rules are
in qrapp.core.hosts). Light on purpose: the edge imports it, and must not pull in the
code-editing services (codes.checks imports the renderer and the scannability check)."""

from __future__ import annotations

import functools
import ipaddress
import socket
from typing import Protocol

from qrapp.core import hosts
from qrapp.core.destinations import OwnAddresses, canonical_host, is_local
from qrapp.settings import get_settings


class HasShortCode(Protocol):
    """A saved code (short_code None when static) or the edge's link snapshot."""

    @property
    def domain(self) -> str: ...
    @property
    def short_code(self) -> str | None: ...


def own_hosts() -> OwnAddresses:
    """Every address our edge and app answer on (see qrapp.core.hosts.own_addresses): the
    public URLs' hosts and what they resolve to, and loopback on the ports we listen on
    (the edge's and the web app's)."""
    s = get_settings()
    return hosts.own_addresses(
        (s.edge_url, s.app_url, s.api_url), (s.edge_port, s.web_port), _resolved
    )


@functools.lru_cache(maxsize=16)
def _resolved(host: str) -> tuple[str, ...]:
    """The IP addresses a host name resolves to, looked up once per process (the edge
    warms this at startup, so no scan waits on DNS); () for an IP or an unknown name."""
    if is_local(host):
        return ()
    try:
        ipaddress.ip_address(host)
        return ()
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(sorted({canonical_host(str(info[4][0])) or "" for info in infos} - {""}))


def short_url(code: HasShortCode) -> str:
    """The code's link: on its custom domain while that is verified for the code's
    workspace, else on our default domain (where the edge answers it too)."""
    domain = code.domain
    if domain:
        from qrapp.services.domains.live import is_live

        if not is_live(domain, getattr(code, "workspace_id", None)):
            domain = ""
    return hosts.short_url(get_settings().edge_url, domain, code.short_code or "")
