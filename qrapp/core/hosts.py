"""Our own addresses and short links, worked out from the configured public URLs.

Pure: the settings' values and a DNS lookup are passed in (qrapp.services.hosts binds
them), so the edge, the services and the CLI share one definition without the edge
importing the code-editing services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from qrapp.core.destinations import OwnAddresses, canonical_host, is_local


def short_url(edge_url: str, domain: str, short_code: str) -> str:
    """The link a dynamic code encodes: on its custom domain (always https) if it has one,
    else on the edge's public URL."""
    base = f"https://{domain}" if domain else edge_url.rstrip("/")
    return f"{base}/{short_code}"


def own_addresses(
    public_urls: Iterable[str],
    listening_ports: Iterable[int],
    resolve: Callable[[str], tuple[str, ...]],
) -> OwnAddresses:
    """Every address our edge and app answer on: a destination there would loop. The
    public URLs' host names and the addresses `resolve` finds for them, on any port; and
    this machine's loopback on `listening_ports` and on the public URLs' ports when they
    are on loopback."""
    hosts: set[str] = set()
    local_ports = set(listening_ports)
    for url in public_urls:
        parts = urlsplit(url)
        host = canonical_host(parts.hostname or "")
        if not host:
            continue
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            continue
        for address in (host, *resolve(host)):
            if is_local(address):
                local_ports.add(port)
            else:
                hosts.add(address)
    return OwnAddresses(frozenset(hosts), frozenset(local_ports))
